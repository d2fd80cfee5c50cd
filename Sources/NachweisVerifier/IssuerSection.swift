import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON

/// Who stands behind a verdict, in three parts kept apart: what the credential *claims* (an id and a name anyone can
/// write), what the key material *proves* (the host of a `did:web`, the holder of a `did:key`/`did:jwk`, the
/// organisation a trusted seal certificate names, the origin an OB 2.0 assertion is hosted on) and the *binding*
/// between them — whether the proven identity is the claimed issuer, and what this server's registry says of it.
public struct IssuerSection: Sendable {
    public struct Claimed: Sendable {
        public var id: String?
        public var name: String?
    }

    public struct Proven: Sendable {
        public enum Kind: String, Sendable {
            case didWeb = "did:web", didKey = "did:key", didJWK = "did:jwk", url = "https"
            case sealCertificate = "seal_certificate", ob2Hosted = "ob2_hosted", ob2Key = "ob2_key"
        }

        public var kind: Kind
        /// What is shown: a host, a DID, an organisation's name.
        public var identity: String
        /// The DID or URL that was proven (registry entries name it), when there is one.
        public var id: String?
        /// A seal certificate's subject: `O`, `organizationIdentifier` (2.5.4.97), `C`, and the trust anchor it chains to.
        public var organization: String?
        public var organizationIdentifier: String?
        public var country: String?
        public var trustAnchor: String?
        public var certificateSHA256: String?
    }

    public enum Binding: String, Sendable {
        /// The proven identity is the claimed issuer.
        case bound
        /// Only the legal name matched the seal certificate's organisation (no identifier did): weaker.
        case boundByName = "bound_by_name"
        /// The proven identity is someone else: the verdict is invalid.
        case mismatch
        /// Nothing was proven (no key could be had, a seal not chaining to a trust anchor…).
        case unproven
    }

    public enum Registration: Sendable {
        case registered(name: String, accreditation: String?)
        case notRegistered
        case noRegistry
    }

    public var claimed: Claimed
    public var proven: Proven?
    public var binding: Binding
    public var reason: String
    public var registration: Registration = .noRegistry

    /// The line people read: what signed it, what it calls itself, what the registry says.
    public var summary: String {
        var parts: [String] = []
        if let proven, binding != .mismatch {
            parts.append("signed by \(proven.identity)")
        } else if let proven {
            parts.append("signed by \(proven.identity), which is not the issuer it names")
        } else {
            parts.append("signer not proven")
        }
        if let name = claimed.name ?? claimed.id { parts.append("calls itself \(name)") }
        switch registration {
        case .registered(let name, _): parts.append("registered as \(name)")
        case .notRegistered, .noRegistry: parts.append("not in this server's registry")
        }
        return parts.joined(separator: " — ")
    }

    public var json: JSONValue {
        var claimedJSON = JSONObject()
        if let id = claimed.id { claimedJSON["id"] = .string(id) }
        if let name = claimed.name { claimedJSON["name"] = .string(name) }
        var o: JSONObject = ["claimed": .object(claimedJSON)]
        if let proven {
            var p: JSONObject = ["kind": .string(proven.kind.rawValue), "identity": .string(proven.identity)]
            if let v = proven.id { p["id"] = .string(v) }
            if let v = proven.organization { p["organization"] = .string(v) }
            if let v = proven.organizationIdentifier { p["organizationIdentifier"] = .string(v) }
            if let v = proven.country { p["country"] = .string(v) }
            if let v = proven.trustAnchor { p["trustAnchor"] = .string(v) }
            o["proven"] = .object(p)
        } else {
            o["proven"] = .null
        }
        var binding: JSONObject = ["status": .string(self.binding.rawValue), "reason": .string(reason)]
        switch registration {
        case .registered(let name, let accreditation):
            var r: JSONObject = ["status": "registered", "name": .string(name)]
            if let accreditation { r["accreditation"] = .string(accreditation) }
            binding["registry"] = .object(r)
        case .notRegistered: binding["registry"] = ["status": "not_registered"]
        case .noRegistry: binding["registry"] = ["status": "no_registry"]
        }
        o["binding"] = .object(binding)
        o["summary"] = .string(summary)
        return .object(o)
    }

    public init(claimed: Claimed, proven: Proven?, binding: Binding, reason: String) {
        self.claimed = claimed
        self.proven = proven
        self.binding = binding
        self.reason = reason
    }

    /// As the key step found it: passed, bound to what `proven` names (unproven, for `unnamed`, when it names nothing);
    /// failed, a mismatch; anything else, unproven.
    init(claimed: Claimed, key: VerificationReport.Step?, unnamed: String? = nil, proven: () -> Proven?) {
        let reason = key?.message ?? "no key was checked"
        switch key?.status {
        case .passed?:
            if let proven = proven() {
                self.init(claimed: claimed, proven: proven, binding: .bound, reason: reason)
            } else {
                self.init(claimed: claimed, proven: nil, binding: .unproven, reason: unnamed ?? reason)
            }
        case .failed?: self.init(claimed: claimed, proven: nil, binding: .mismatch, reason: reason)
        default: self.init(claimed: claimed, proven: nil, binding: .unproven, reason: reason)
        }
    }

    // MARK: Proven identities

    /// What a verified key bound to `issuer` (a DID or URL) proves: a `did:web`'s host (and path), the key holder of a
    /// `did:key`/`did:jwk`, an HTTPS issuer's host.
    static func proven(byKeyOf issuer: String) -> Proven? {
        if issuer.hasPrefix("did:web:") {
            // host%3Aport:path:segments → host:port/path/segments (Foundation's percent decoding was 3.6% of a report).
            let parts = issuer.utf8.dropFirst("did:web:".count).split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            let decoded = parts.map { percentDecoded($0) ?? String(decoding: $0, as: UTF8.self) }
            return Proven(kind: .didWeb, identity: decoded.joined(separator: "/"), id: issuer)
        }
        if issuer.hasPrefix("did:key:") { return Proven(kind: .didKey, identity: issuer, id: issuer) }
        if issuer.hasPrefix("did:jwk:") { return Proven(kind: .didJWK, identity: issuer, id: issuer) }
        if issuer.hasPrefix("https://") || issuer.hasPrefix("http://"), let host = URL(string: issuer)?.host {
            return Proven(kind: .url, identity: host, id: issuer)
        }
        return nil
    }

    /// A seal certificate's subject, as proven when it chains to `anchor`.
    static func proven(bySeal leaf: Certificate, anchor: String?) -> Proven {
        let subject = leaf.subject
        let name = subject.organization ?? subject.commonName ?? subject.description
        return Proven(kind: .sealCertificate, identity: name, organization: subject.organization, organizationIdentifier: subject.organizationIdentifier,
                      country: subject.country, trustAnchor: anchor, certificateSHA256: Hex.encode(leaf.sha256Thumbprint))
    }

    // MARK: Europass: does the seal name the issuer? (EDCI's OWNER check)

    /// The seal certificate's `organizationIdentifier` against the issuer's legal (registration), eIDAS and VAT
    /// identifiers; the legal name only when no identifier matched (a weaker binding). Identifiers compare as written
    /// in ETSI EN 319 412-1 (`VATDE-123456789`): the whole value, or the part after the type and country, with spaces
    /// and case ignored.
    public static func sealBinding(_ leaf: Certificate, issuer: JSONValue?) -> (Binding, String) {
        let subject = leaf.subject
        guard let issuer, issuer.objectValue != nil else { return (.mismatch, "the credential names no issuer organisation") }
        let organisation = Organisation(json: issuer.objectValue ?? JSONObject())
        var identifiers: [(String, String)] = []
        if let eidas = organisation.eIDASIdentifier?.notation { identifiers.append(("eIDAS identifier", eidas)) }
        for vat in organisation.vatIdentifiers { if let v = vat.notation { identifiers.append(("VAT identifier", v)) } }
        if let registration = organisation.registration?.notation { identifiers.append(("legal identifier", registration)) }
        if let legal = issuer["legalIdentifier"]?["notation"]?.stringValue { identifiers.append(("legal identifier", legal)) }
        if let orgID = subject.organizationIdentifier {
            let whole = normalized(orgID)
            // ETSI EN 319 412-1 §5.1.4: three letters of type, two of country, a hyphen, the identifier.
            let bare: String? = {
                guard let hyphen = orgID.firstIndex(of: "-"), orgID.distance(from: orgID.startIndex, to: hyphen) == 5 else { return nil }
                return normalized(String(orgID[orgID.index(after: hyphen)...]))
            }()
            let countryPrefixed = bare.map { normalized(String(orgID.dropFirst(3).prefix(2))) + $0 }
            for (kind, value) in identifiers {
                let v = normalized(value)
                if v == whole || v == bare || v == countryPrefixed {
                    return (.bound, "the seal certificate's organizationIdentifier \(orgID) is the issuer's \(kind)")
                }
            }
        }
        let names = organisation.legalName?.values.map(\.text) ?? []
        if let o = subject.organization, names.contains(where: { normalized($0) == normalized(o) }) {
            return (.boundByName, "only the legal name matches the seal certificate's organisation \(o) (no identifier does): a weaker binding")
        }
        let said = [subject.organization, subject.organizationIdentifier].compactMap { $0 }.joined(separator: ", ")
        let theirs = (identifiers.map(\.1) + names).joined(separator: ", ")
        return (.mismatch, "the seal certificate names \(said.isEmpty ? subject.description : said), not the credential's issuer (\(theirs.isEmpty ? "no identifier or legal name" : theirs))")
    }

    static func normalized(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }).uppercased()
    }
}
