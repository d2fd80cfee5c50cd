import Foundation
import NachweisCrypto
import NachweisJSON

/// The issuers a deployment trusts (accredited bodies, a national register): by DID or URL, or — for sealed
/// credentials — by the SHA-256 of the seal certificate. With a registry, an issuer that is not in it makes the trust
/// step inconclusive; without one the step is skipped and does not change the verdict.
///
/// File form: `{"issuers": [{"id": "did:web:…", "name": "…", "accreditation": "…"}, {"certificateSHA256": "hex", "name": "…"}]}`.
public struct IssuerRegistry: Sendable {
    public struct Entry: Sendable, Hashable {
        public var id: String?
        public var certificateSHA256: String?
        public var name: String
        public var accreditation: String?

        public init(id: String? = nil, certificateSHA256: String? = nil, name: String, accreditation: String? = nil) {
            self.id = id
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
            guard let name = item["name"]?.stringValue, item["id"]?.stringValue != nil || item["certificateSHA256"]?.stringValue != nil else {
                throw FetchError(.malformed, "every registry entry needs a name and an id or a certificateSHA256")
            }
            entries.append(Entry(id: item["id"]?.stringValue, certificateSHA256: item["certificateSHA256"]?.stringValue, name: name,
                                 accreditation: item["accreditation"]?.stringValue))
        }
        self.init(entries: entries)
    }

    func match(issuerID: String?, certificate: Certificate?) -> Entry? {
        let digest = certificate.map { Hex.encode($0.sha256Thumbprint) }
        return entries.first { entry in
            (entry.id != nil && entry.id == issuerID) || (entry.certificateSHA256 != nil && entry.certificateSHA256 == digest)
        }
    }
}

extension Verifier {
    /// The trust step: skipped without a registry; passed when the issuer (or its seal certificate) is listed;
    /// inconclusive when it is not.
    func trustStep(issuerID: String?, certificate: Certificate? = nil, europass: Bool = false) -> VerificationReport.Step {
        var details: JSONObject = europass ? ["europassCheck": "ACCREDITATION"] : [:]
        guard let registry else {
            return .init(.trust, .skipped, "trust.no_registry", "no issuer registry is configured: the issuer's identity is not vouched for", details: details)
        }
        guard let entry = registry.match(issuerID: issuerID, certificate: certificate) else {
            return .init(.trust, .inconclusive, "trust.not_listed", "the issuer \(issuerID ?? "(unnamed)") is not in the configured registry", details: details)
        }
        details["name"] = .string(entry.name)
        if let accreditation = entry.accreditation { details["accreditation"] = .string(accreditation) }
        return .init(.trust, .passed, "trust.listed", "the issuer is listed as \(entry.name)", details: details)
    }
}
