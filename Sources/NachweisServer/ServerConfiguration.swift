import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisVerifier

/// How `nachweis serve` runs. Sources, later ones winning: built-in defaults (embedded SQLite in the working
/// directory, the development keys, 127.0.0.1:8080), a JSON file (`--config`), `NACHWEIS_*` environment
/// variables, command-line flags.
public struct ServerConfiguration: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Folder of the SQLite database (`nachweis.sqlite`).
    public var dataDirectory = "."
    /// The URL the public documents (profiles, status lists, DID documents) are served under.
    public var publicBaseURL = "http://127.0.0.1:8080"
    /// The issuer signing keys (PEM) an issuer gets when bootstrapped: one per algorithm it issues with (Ed25519 for
    /// Data Integrity and VC-JWT EdDSA, P-256 for ES256, RSA for RS256 and OB 2.0). Text sources give a
    /// comma-separated list, the JSON file a list or a string.
    public var signingKeyPaths = ["Keys/issuer-ed25519.pem", "Keys/issuer-p256.pem", "Keys/issuer-rsa3072.pem"]
    /// The e-seal for Europass credentials: private key and certificate (PEM).
    public var sealKeyPath = "Keys/seal-p256.key"
    public var sealCertificatePath = "Keys/seal-p256.pem"
    /// Certificates Europass seals must chain to (a folder of PEM/DER files), for `POST /verify`.
    public var trustAnchorDirectory = "Keys/trust-anchors"
    /// An issuer registry file for `POST /verify` (docs/verifier.md); empty: none, the trust step is skipped.
    public var trustedIssuersPath = ""
    /// The wallet's Ed25519 key (PEM): signs the presentations share links answer with, as `did:web:<host>:wallet`.
    public var walletKeyPath = "Keys/wallet-ed25519.pem"
    /// The longest a share link may live, in days (a learner's default is 30).
    public var shareLinkMaxDays = 365
    /// Whether share-link access logs keep the viewer's address (off: time and a coarse browser name only).
    public var shareLogAddresses = false
    /// Seconds after which a wallet listing verifies a credential again before showing it (0: at every listing).
    public var walletRecheckSeconds = 300
    /// Production mode: no development keys, HTTPS public URL only; the verifier fetches HTTPS from public addresses only.
    public var production = false

    public init() {}

    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("nachweis.sqlite") }

    /// The keys each source may set, with the environment variable that sets it.
    static let fields: [(key: String, environment: String)] = [
        ("host", "NACHWEIS_HOST"), ("port", "NACHWEIS_PORT"), ("dataDirectory", "NACHWEIS_DATA_DIR"),
        ("publicBaseURL", "NACHWEIS_PUBLIC_BASE_URL"), ("signingKeys", "NACHWEIS_SIGNING_KEYS"),
        ("sealKeyPath", "NACHWEIS_SEAL_KEY"), ("sealCertificatePath", "NACHWEIS_SEAL_CERTIFICATE"),
        ("trustAnchors", "NACHWEIS_TRUST_ANCHORS"), ("trustedIssuers", "NACHWEIS_TRUSTED_ISSUERS"), ("production", "NACHWEIS_PRODUCTION"),
        ("walletKeyPath", "NACHWEIS_WALLET_KEY"), ("shareLinkMaxDays", "NACHWEIS_SHARE_MAX_DAYS"), ("shareLogAddresses", "NACHWEIS_SHARE_LOG_ADDRESSES"),
        ("walletRecheckSeconds", "NACHWEIS_WALLET_RECHECK_SECONDS"),
    ]

    /// Applies one value by field name; values are text whatever the source (JSON strings, numbers and booleans too).
    mutating func set(_ field: String, _ value: String, source: String) throws(ServerError) {
        switch field {
        case "host": host = value
        case "port":
            guard let port = Int(value), (0...65535).contains(port) else {
                throw ServerError(.invalidConfiguration, "\(source): port must be 0–65535, not \(value)")
            }
            self.port = port
        case "dataDirectory": dataDirectory = value
        case "publicBaseURL": publicBaseURL = value
        case "signingKeys":
            signingKeyPaths = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !signingKeyPaths.isEmpty else { throw ServerError(.invalidConfiguration, "\(source): signingKeys names no key file") }
        case "sealKeyPath": sealKeyPath = value
        case "sealCertificatePath": sealCertificatePath = value
        case "trustAnchors": trustAnchorDirectory = value
        case "trustedIssuers": trustedIssuersPath = value
        case "production": production = try Self.flag(value, "production", source)
        case "walletKeyPath": walletKeyPath = value
        case "shareLinkMaxDays":
            guard let days = Int(value), (1...3650).contains(days) else {
                throw ServerError(.invalidConfiguration, "\(source): shareLinkMaxDays must be 1–3650, not \(value)")
            }
            shareLinkMaxDays = days
        case "shareLogAddresses": shareLogAddresses = try Self.flag(value, "shareLogAddresses", source)
        case "walletRecheckSeconds":
            guard let seconds = Int(value), (0...86_400).contains(seconds) else {
                throw ServerError(.invalidConfiguration, "\(source): walletRecheckSeconds must be 0–86400, not \(value)")
            }
            walletRecheckSeconds = seconds
        default:
            throw ServerError(.invalidConfiguration, "\(source): unknown setting \(field) (known: \(Self.fields.map(\.key).joined(separator: ", ")))")
        }
    }

    static func flag(_ value: String, _ name: String, _ source: String) throws(ServerError) -> Bool {
        switch value.lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no", "": return false
        default: throw ServerError(.invalidConfiguration, "\(source): \(name) must be true or false, not \(value)")
        }
    }

    /// Defaults, then the file, then the environment, then the flags (field name → text).
    public static func resolve(file: String?, environment: [String: String], flags: [String: String]) throws(ServerError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ServerError(.invalidConfiguration, "cannot read the configuration file \(file)")
            }
            let object: JSONObject
            do {
                guard let parsed = try JSONParser().parse(Array(data)).objectValue else {
                    throw ServerError(.invalidConfiguration, "\(file): the configuration must be a JSON object")
                }
                object = parsed
            } catch let error as ServerError {
                throw error
            } catch {
                throw ServerError(.invalidConfiguration, "\(file): \(error)")
            }
            for member in object {
                let text: String
                switch member.value {
                case .string(let s): text = s
                case .bool(let b): text = b ? "true" : "false"
                case .number(let n): text = n.text
                case .array(let items) where member.key == "signingKeys" && items.allSatisfy({ $0.stringValue != nil }):
                    text = items.compactMap(\.stringValue).joined(separator: ",")
                default: throw ServerError(.invalidConfiguration, "\(file): \(member.key) must be a string, number or boolean")
                }
                try configuration.set(member.key, text, source: file)
            }
        }
        for (key, variable) in fields {
            if let value = environment[variable] { try configuration.set(key, value, source: variable) }
        }
        for (key, value) in flags.sorted(by: { $0.key < $1.key }) { try configuration.set(key, value, source: "--\(key)") }
        configuration.findDevelopmentKeys()
        return configuration
    }

    /// The development keys wherever the binary was started from: default paths (`Keys/…`, relative to the working
    /// directory) that are not there are looked up in the `Keys/` folder of the source tree the binary was built in
    /// (`<repository>/.build/<configuration>/nachweis`). Paths an operator set are left as they are.
    mutating func findDevelopmentKeys() {
        let defaults = ServerConfiguration()
        let manager = FileManager.default
        guard !manager.fileExists(atPath: defaults.signingKeyPaths[0]), let folder = Self.developmentKeysFolder() else { return }
        func relocated(_ path: String) -> String { folder.deletingLastPathComponent().appendingPathComponent(path).path }
        if signingKeyPaths == defaults.signingKeyPaths { signingKeyPaths = signingKeyPaths.map(relocated) }
        if sealKeyPath == defaults.sealKeyPath { sealKeyPath = relocated(sealKeyPath) }
        if sealCertificatePath == defaults.sealCertificatePath { sealCertificatePath = relocated(sealCertificatePath) }
        if trustAnchorDirectory == defaults.trustAnchorDirectory { trustAnchorDirectory = relocated(trustAnchorDirectory) }
        if walletKeyPath == defaults.walletKeyPath { walletKeyPath = relocated(walletKeyPath) }
    }

    /// `Keys/` of the source tree above the running binary, if there is one.
    static func developmentKeysFolder() -> URL? {
        guard var directory = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() else { return nil }
        for _ in 0..<6 {
            let keys = directory.appendingPathComponent("Keys")
            if FileManager.default.fileExists(atPath: keys.appendingPathComponent("issuer-ed25519.pem").path) { return keys }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Checks that hold in every mode (readable keys) and the production rules: an HTTPS public URL and no key
    /// published in `Keys/`. Returns the signing keys, in configuration order.
    public func validate() throws(ServerError) -> [PrivateKey] {
        guard let url = URL(string: publicBaseURL), let scheme = url.scheme, url.host != nil, ["http", "https"].contains(scheme) else {
            throw ServerError(.invalidConfiguration, "publicBaseURL must be an absolute http(s) URL, not \(publicBaseURL)")
        }
        if production && scheme != "https" {
            throw ServerError(.refusedInProduction, "production mode needs an https public base URL, not \(publicBaseURL)")
        }
        var signingKeys: [PrivateKey] = []
        for path in signingKeyPaths { signingKeys.append(try Self.loadKey(path)) }
        let sealKey = try Self.loadKey(sealKeyPath)
        let walletKey = try Self.loadKey(walletKeyPath)
        guard walletKey.kind == .ed25519 else { throw ServerError(.invalidConfiguration, "\(walletKeyPath): the wallet key must be Ed25519") }
        _ = try Self.loadCertificateChain(sealCertificatePath)
        let anchors = try trustAnchors()
        _ = try trustedIssuers()
        if production {
            for (key, path) in zip(signingKeys + [sealKey, walletKey], signingKeyPaths + [sealKeyPath, walletKeyPath]) {
                if let published = DevelopmentKeys.published(key.publicKey) {
                    throw ServerError(.refusedInProduction, "\(path) is the development key \(published), published with the source code: production mode refuses it")
                }
            }
        }
        if production {
            for anchor in anchors {
                if let key = try? anchor.publicKey(), let published = DevelopmentKeys.published(key) {
                    throw ServerError(.refusedInProduction, "\(trustAnchorDirectory) trusts the development CA (\(published)): production mode refuses it")
                }
            }
        }
        return signingKeys
    }

    public static func loadKey(_ path: String) throws(ServerError) -> PrivateKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServerError(.invalidConfiguration, "cannot read the key file \(path)")
        }
        do { return try PrivateKey(pem: String(decoding: data, as: UTF8.self)) } catch {
            throw ServerError(.invalidConfiguration, "\(path): \(error)")
        }
    }

    /// The issuer registry, when one is configured.
    public func trustedIssuers() throws(ServerError) -> IssuerRegistry? {
        guard !trustedIssuersPath.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: trustedIssuersPath) else {
            throw ServerError(.invalidConfiguration, "cannot read the issuer registry \(trustedIssuersPath)")
        }
        do { return try IssuerRegistry(json: Array(data)) } catch { throw ServerError(.invalidConfiguration, "\(trustedIssuersPath): \(error)") }
    }

    /// The trust anchors for Europass seals; an empty setting means none.
    public func trustAnchors() throws(ServerError) -> [Certificate] {
        guard !trustAnchorDirectory.isEmpty else { return [] }
        do { return try CertificateChainValidator(trustAnchorDirectory: trustAnchorDirectory).trustAnchors } catch {
            throw ServerError(.invalidConfiguration, "trust anchors: \(error)")
        }
    }

    /// The certificates of a PEM file, in file order (leaf first).
    public static func loadCertificateChain(_ path: String) throws(ServerError) -> [Certificate] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServerError(.invalidConfiguration, "cannot read the certificate file \(path)")
        }
        let chain: [Certificate]
        do { chain = try Certificate.parsePEM(String(decoding: data, as: UTF8.self)) } catch {
            throw ServerError(.invalidConfiguration, "\(path): \(error)")
        }
        guard !chain.isEmpty else { throw ServerError(.invalidConfiguration, "\(path) holds no PEM certificate") }
        return chain
    }

    /// A port the kernel hands out on 127.0.0.1 (bound once, then released), for a server whose public URL must name
    /// its port before it starts (tests, benchmarks).
    public static func freeLoopbackPort() throws(ServerError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError(.invalidConfiguration, "no socket for a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ServerError(.invalidConfiguration, "no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
