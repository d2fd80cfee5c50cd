import ArgumentParser
import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisVerifier

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a credential: one verdict (valid, invalid, inconclusive) with every step explained.",
        discussion: """
            PATH is a credential file in any format `inspect` reads, or a URL. The documents it points to (DID documents, \
            status lists, revocation lists) come from --document URL=PATH; with --online the rest is fetched (HTTP or HTTPS, \
            HTTPS only with --production or NACHWEIS_PRODUCTION=true; public addresses unless --allow-local; size and time \
            limits); otherwise what is not given counts as unreachable, which makes the steps \
            that need it inconclusive. Formats: OB 3.0 (Data Integrity, VC-JWT), OB 2.0 (hosted, \
            signed), Europass EDC sealed as JAdES (seals chain to --trust-anchors; none given: the owner is inconclusive), \
            also baked in PNG or SVG.
            Exit status: the verdict's, always — 0 valid; 1 invalid (bytes that are no credential included: the report \
            says why); 2 inconclusive, or no report at all (bad arguments, an unreadable file).
            """
    )

    @Argument(help: "The credential file, or its URL (with --online, or with a --document for that URL).") var path: String
    @Flag(help: "Fetch what --document does not give from public addresses (status lists, DID documents, the credential's URL).")
    var online = false
    @Flag(help: "With --online: also loopback and private addresses (a local development server).") var allowLocal = false
    @Flag(help: "With --online: HTTPS only, as a server in production (default: NACHWEIS_PRODUCTION).")
    var production = false
    @Flag(help: "Print the report as one JSON object.") var json = false
    @Option(name: .customLong("document"), help: "URL=PATH: the bytes the URL would return (repeatable).") var documents: [String] = []
    @Option(help: "Validation time (RFC 3339), default now.") var at: String?
    @Option(help: "The expected recipient: an email address or a DID.") var recipient: String?
    @Option(help: "Folder of trust anchor certificates (PEM/DER) that seals must chain to (Europass).") var trustAnchors: String?
    @Option(help: "Issuer registry (JSON: {\"issuers\": [{\"id\" or \"certificateSHA256\", \"name\"}]}): issuers not in it are inconclusive.")
    var trustedIssuers: String?

    func run() async throws {
        var code: Int32 = 2
        try await exitingOnUsageFailureAsync {
            var offline: [String: [UInt8]] = [:]
            for entry in documents {
                guard let split = entry.range(of: "=", options: .backwards), !entry[..<split.lowerBound].isEmpty else {
                    throw UsageFailure("--document wants URL=PATH, not \(entry)")
                }
                offline[String(entry[..<split.lowerBound])] = try CLIIO.readFile(String(entry[split.upperBound...]))
            }
            let given = OfflineDocuments(offline)
            let environment = ProcessInfo.processInfo.environment["NACHWEIS_PRODUCTION"]?.lowercased()
            let httpsOnly = production || ["1", "true", "yes"].contains(environment ?? "")
            let fetcher: any DocumentFetcher = online
                ? LayeredFetcher(given: given, fallback: HTTPFetcher(limits: .init(publicOnly: !allowLocal, httpsOnly: httpsOnly))) : given
            let bytes: [UInt8]
            if path.hasPrefix("https://") || path.hasPrefix("http://") {
                do { bytes = try await fetcher.fetch(path).bytes } catch {
                    throw UsageFailure("\(path): \(error)\(online ? "" : " (give --online to fetch it)")")
                }
            } else {
                bytes = try CLIIO.readFile(path)
            }
            var options = Verifier.Options()
            if let at {
                guard let date = RFC3339.parse(at) else { throw UsageFailure("--at wants an RFC 3339 date-time, not \(at)") }
                options.at = date
            }
            if let recipient { options.recipient = recipient.hasPrefix("did:") ? .did(recipient) : .email(recipient) }
            var anchors: [Certificate] = []
            if let trustAnchors {
                do { anchors = try CertificateChainValidator(trustAnchorDirectory: trustAnchors).trustAnchors } catch {
                    throw UsageFailure("--trust-anchors: \(error)")
                }
            }
            var registry: IssuerRegistry?
            if let trustedIssuers {
                do { registry = try IssuerRegistry(json: try CLIIO.readFile(trustedIssuers)) } catch let error as FetchError {
                    throw UsageFailure("--trusted-issuers: \(error)")
                }
            }
            let verifier: Verifier
            do { verifier = try Verifier(fetcher: fetcher, trustAnchors: anchors, registry: registry) } catch {
                throw UsageFailure("cannot start the verifier: \(error)")
            }
            let report = await verifier.verify(bytes, options: options)
            CLIIO.write(json ? report.json.compactText + "\n" : report.text)
            // Bytes that are no credential of a known format get a report too (format failed: invalid); the reason also
            // goes to standard error, where a script looks for it. The exit status is the verdict's, always.
            if let format = report.step(.format), format.status == .failed {
                FileHandle.standardError.write(Data("nachweis verify: \(path): \(format.message) [\(format.code)]\n".utf8))
            }
            code = switch report.verdict {
            case .valid: 0
            case .invalid: 1
            case .inconclusive: 2
            }
        }
        if code != 0 { throw ExitCode(code) }
    }
}
