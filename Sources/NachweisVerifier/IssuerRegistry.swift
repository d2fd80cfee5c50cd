import Foundation
import NachweisCrypto
import NachweisJSON

/// The issuers a deployment has registered (accredited bodies, a national register), each with the name to show:
/// by DID or URL (`id`), by domain (a `did:web` or HTTPS issuer's host), or — for sealed credentials — by the seal
/// certificate's subject (`certificateSubject`: its organizationIdentifier, or its O) or SHA-256. Entries match what
/// the key material *proves* (``IssuerSection/Proven``), never what a credential claims. An issuer not in the
/// registry keeps its verdict, with a warning; the registry says who is known, not who may issue.
///
/// File form: `{"issuers": [{"id": "did:web:…", "name": "…", "accreditation": "…"}, {"domain": "uni.example", "name": "…"},
/// {"certificateSubject": "VATDE-123456789", "name": "…"}, {"certificateSHA256": "hex", "name": "…"}]}`.
public struct IssuerRegistry: Sendable {
    public struct Entry: Sendable, Hashable {
        public var id: String?
        public var domain: String?
        public var certificateSubject: String?
        public var certificateSHA256: String?
        public var name: String
        public var accreditation: String?

        public init(id: String? = nil, domain: String? = nil, certificateSubject: String? = nil, certificateSHA256: String? = nil, name: String,
                    accreditation: String? = nil) {
            self.id = id
            self.domain = domain?.lowercased()
            self.certificateSubject = certificateSubject
            self.certificateSHA256 = certificateSHA256?.lowercased()
            self.name = name
            self.accreditation = accreditation
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Reads the file form; every entry needs a name and an id or a certificate digest.
    public init(json bytes: [UInt8]) throws(FetchError) {
        let value: JSONValue
        do { value = try JSONParser().parse(bytes) } catch { throw FetchError(.malformed, "the issuer registry is not JSON: \(error.message)") }
        guard let list = value["issuers"]?.arrayValue else { throw FetchError(.malformed, "the issuer registry needs an issuers array") }
        var entries: [Entry] = []
        for item in list {
            let keys = ["id", "domain", "certificateSubject", "certificateSHA256"]
            guard let name = item["name"]?.stringValue, keys.contains(where: { item[$0]?.stringValue != nil }) else {
                throw FetchError(.malformed, "every registry entry needs a name and an id, domain, certificateSubject or certificateSHA256")
            }
            entries.append(Entry(id: item["id"]?.stringValue, domain: item["domain"]?.stringValue, certificateSubject: item["certificateSubject"]?.stringValue,
                                 certificateSHA256: item["certificateSHA256"]?.stringValue, name: name, accreditation: item["accreditation"]?.stringValue))
        }
        self.init(entries: entries)
    }

    /// The host of a proven identity (`uni.example:8443/issuers/x` → `uni.example`), lower-cased.
    static func host(_ identity: String) -> String {
        let authority = identity.split(separator: "/", maxSplits: 1).first.map(String.init) ?? identity
        if authority.hasPrefix("[") { return String(authority.prefix { $0 != "]" }.dropFirst()).lowercased() }
        return String(authority.split(separator: ":").first ?? Substring(authority)).lowercased()
    }

    /// The entry for what was proven: the DID or URL, its host, or the seal certificate.
    func match(_ proven: IssuerSection.Proven) -> Entry? {
        entries.first { entry in
            if let id = entry.id, let provenID = proven.id, id == provenID { return true }
            if let domain = entry.domain, [.didWeb, .url, .ob2Hosted, .ob2Key].contains(proven.kind), Self.host(proven.identity) == domain { return true }
            if let digest = entry.certificateSHA256, digest == proven.certificateSHA256 { return true }
            if let subject = entry.certificateSubject, proven.kind == .sealCertificate,
               subject == proven.organizationIdentifier || subject == proven.organization { return true }
            return false
        }
    }
}

extension Verifier {
    /// The trust step, from what was proven: passed when it is registered; skipped otherwise — an issuer this server
    /// does not know keeps its verdict, and the report's warnings say so (as they do without a registry).
    func trustStep(_ section: inout IssuerSection, europass: Bool = false) -> VerificationReport.Step {
        var details: JSONObject = europass ? ["europassCheck": "ACCREDITATION"] : [:]
        guard let registry else {
            section.registration = .noRegistry
            return .init(.trust, .skipped, "trust.no_registry", "no issuer registry is configured: the issuer is not vouched for by this server",
                         details: details)
        }
        guard let proven = section.proven, section.binding == .bound || section.binding == .boundByName, let entry = registry.match(proven) else {
            section.registration = .notRegistered
            return .init(.trust, .skipped, "trust.not_listed", "the issuer \(section.proven?.identity ?? section.claimed.id ?? "(unproven)") is not in this server's registry",
                         details: details)
        }
        section.registration = .registered(name: entry.name, accreditation: entry.accreditation)
        details["name"] = .string(entry.name)
        if let accreditation = entry.accreditation { details["accreditation"] = .string(accreditation) }
        return .init(.trust, .passed, "trust.listed", "the issuer is registered as \(entry.name)", details: details)
    }
}
