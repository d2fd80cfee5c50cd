import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON

/// The steps for an Open Badges 2.0 assertion, hosted or signed (OB 2.0 §Verification): the assertion's documents
/// (BadgeClass, Issuer, CryptographicKey, RevocationList) through the fetcher, the signature with the issuer's key,
/// key ownership, hosted assertions fetched from their own URL (410 or `revoked: true` means revoked), the recipient's
/// salted hash, `issuedOn` / `expires`.
struct OB2Pipeline {
    let verifier: Verifier
    let detected: DetectedCredential
    let options: Verifier.Options
    let keys: KeyDirectory

    typealias Step = VerificationReport.Step

    func run(into report: inout VerificationReport) async {
        var assertion = detected.credential
        if assertion == nil, let url = detected.assertionURL {
            // A baked or given URL: the hosted assertion is what that URL serves.
            switch await hosted(url) {
            case .success(let fetched): assertion = fetched
            case .failure(let step):
                report.add(step)
                return
            }
        }
        guard let assertion else {
            report.add(Step(.format, .failed, "format.no_assertion", "no OB 2.0 assertion found"))
            return
        }
        // The verification type as the reference validator reads it: case aside (`Hosted`, `hostedBadge`), with a warning.
        var checked = assertion
        if let type = assertion["verification"]?["type"]?.stringValue, let spelled = Self.verificationTypes[type.lowercased()], spelled != type {
            report.notes.append("the verification type is spelled \(type), read as \(spelled) (OB 2.0 writes hosted or HostedBadge, signed or SignedBadge)")
            checked.set(JSONPointer("/verification/type"), to: .string(spelled))
        }
        report.add(verifier.schemaStep(checked, format: detected.format))
        // The BadgeClass and the Issuer, embedded or by URL, with the members OB 2.0 requires of them.
        let badge = await node(assertion["badge"])
        let issuer = await node(badge?["issuer"])
        if let step = documentsStep(badge: badge, issuer: issuer, warnings: &report.notes) { report.add(step) }
        let issuerID = issuer?["id"]?.stringValue ?? badge?["issuer"]?.stringValue
        if let jws = detected.jws {
            let (proof, binding) = await signedSteps(jws, assertion: assertion, issuer: issuer, issuerID: issuerID)
            report.add(proof)
            report.add(binding)
            if binding.code == "issuer_key.listed_unowned" { report.notes.append(binding.message) }
        } else {
            let (proof, binding) = await hostedSteps(assertion, issuerID: issuerID, issuer: issuer)
            report.add(proof)
            report.add(binding)
        }
        report.add(validityStep(assertion))
        report.add(await revocationStep(assertion, issuer: issuer))
        report.add(recipientStep(assertion))
        var section = issuerSection(report.step(.issuerKey), assertion: assertion, issuer: issuer, issuerID: issuerID)
        report.add(verifier.trustStep(&section))
        report.issuer = section
    }

    /// Proven: for a signed assertion, the host of the issuer profile that lists the key (and that the key names as
    /// its owner); for a hosted one, the origin it is hosted on (the issuer's, or one it allows).
    func issuerSection(_ key: Step?, assertion: JSONValue, issuer: JSONValue?, issuerID: String?) -> IssuerSection {
        let signed = detected.jws != nil
        return IssuerSection(claimed: .init(id: issuerID, name: issuer?["name"]?.stringValue), key: key) {
            guard let url = signed ? issuerID : assertion["id"]?.stringValue, let host = URL(string: url)?.host else { return nil }
            return IssuerSection.Proven(kind: signed ? .ob2Key : .ob2Hosted, identity: host, id: issuerID)
        }
    }

    static let verificationTypes = ["hosted": "hosted", "hostedbadge": "HostedBadge", "signed": "signed", "signedbadge": "SignedBadge"]

    /// The BadgeClass and the Issuer have what OB 2.0 requires of them, as the reference validator checks it: a
    /// BadgeClass's name, description, image, criteria and issuer; an Issuer's name and url. A member that is `null`
    /// is absent (JSON-LD reads it so). A missing `type` is accepted with a warning (the validator takes the node's type
    /// from where it stands); a `null` one is refused, as the validator's JSON-LD processor refuses it. Nil when both
    /// could not be had (the key and hosted steps say so) or both hold.
    func documentsStep(badge: JSONValue?, issuer: JSONValue?, warnings: inout [String]) -> Step? {
        var missing: [String] = []
        func present(_ node: JSONValue?, _ name: String) -> Bool {
            guard let value = node?[name] else { return false }
            return value != .null
        }
        for (label, node, required) in [("BadgeClass", badge, ["name", "description", "image", "criteria", "issuer"]), ("Issuer", issuer, ["name", "url"])] {
            guard let node else { continue }
            for name in required where !present(node, name) { missing.append("\(label) \(name)") }
            if node["type"] == .null { missing.append("\(label) type (null)") } else if node["type"] == nil {
                warnings.append("the \(label) has no type (OB 2.0 requires one; read as a \(label) from where it stands)")
            }
        }
        guard !missing.isEmpty else { return nil }
        return Step(.schema, .failed, "schema.ob2_document_incomplete", "OB 2.0 requires what is missing: \(missing.joined(separator: ", "))",
                    details: ["missing": .array(missing.map(JSONValue.string))])
    }

    /// An embedded node, or the document its URL names.
    func node(_ value: JSONValue?) async -> JSONValue? {
        guard let value else { return nil }
        if value.objectValue != nil { return value }
        guard let url = value.stringValue, case .success(let fetched) = await keys.fetchJSON(url) else { return nil }
        return fetched
    }

    enum Hosted {
        case success(JSONValue)
        case failure(Step)
    }

    /// The hosted assertion at its URL: 410 Gone or `revoked: true` are revocations, reported as such.
    func hosted(_ url: String) async -> Hosted {
        let fetched: FetchedDocument
        do { fetched = try await verifier.fetcher.fetch(url) } catch {
            return .failure(Step(.proof, .inconclusive, "proof.hosted_unavailable", "the hosted assertion could not be had: \(error.message)"))
        }
        let value = try? JSONParser().parse(fetched.bytes)
        if fetched.status == 410 || value?["revoked"] == true {
            return .failure(Step(.revocation, .failed, "status.revoked", "the hosted assertion answers \(fetched.status == 410 ? "410 Gone" : "revoked: true")",
                                 details: ["url": .string(url)]))
        }
        guard let value, value.objectValue != nil else {
            return .failure(Step(.proof, .inconclusive, "proof.hosted_malformed", "\(url) does not serve a JSON assertion"))
        }
        return .success(value)
    }

    /// Hosted: the assertion served at its own `id` is the one given, and that URL is where the issuer allows hosted
    /// assertions: its `verification.startsWith` prefixes, else its `verification.allowedOrigins` hosts, else the host of
    /// the issuer's own id (OB 2.0 §VerificationObject).
    func hostedSteps(_ assertion: JSONValue, issuerID: String?, issuer: JSONValue?) async -> (Step, Step) {
        guard let id = assertion["id"]?.stringValue, id.hasPrefix("http") else {
            return (Step(.proof, .failed, "proof.hosted_without_url", "a hosted assertion needs an HTTP(S) id to be checked at"),
                    Step(.issuerKey, .skipped, "issuer_key.hosted", "hosted: no key"))
        }
        let served: JSONValue
        switch await hosted(id) {
        case .success(let value): served = value
        case .failure(let step):
            return (step.check == .revocation ? Step(.proof, .passed, "proof.hosted", "served at \(id) (revoked)") : step,
                    step.check == .revocation ? step : Step(.issuerKey, .inconclusive, "issuer_key.unavailable", step.message))
        }
        guard served["id"]?.stringValue == id else {
            return (Step(.proof, .failed, "proof.hosted_mismatch", "\(id) serves an assertion with another id"),
                    Step(.issuerKey, .skipped, "issuer_key.hosted", "hosted: no key"))
        }
        if served != assertion, (try? served.canonicalText()) != (try? assertion.canonicalText()) {
            return (Step(.proof, .failed, "proof.hosted_mismatch", "the assertion given differs from the one served at \(id)"),
                    Step(.issuerKey, .skipped, "issuer_key.hosted", "hosted: no key"))
        }
        let proof = Step(.proof, .passed, "proof.hosted", "the assertion is served at its own URL \(id)")
        guard let issuerID else { return (proof, Step(.issuerKey, .inconclusive, "issuer_key.unknown_issuer", "the issuer could not be had")) }
        func strings(_ value: JSONValue?) -> [String] { value.map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue].compactMap { $0 } } ?? [] }
        let startsWith = strings(issuer?["verification"]?["startsWith"])
        let allowedOrigins = strings(issuer?["verification"]?["allowedOrigins"])
        let host = URL(string: id)?.host
        if !startsWith.isEmpty {
            return startsWith.contains(where: { id.hasPrefix($0) })
                ? (proof, Step(.issuerKey, .passed, "issuer_key.allowed_prefix", "hosted under a prefix the issuer allows"))
                : (proof, Step(.issuerKey, .failed, "issuer_key.foreign_origin", "\(id) starts with none of the issuer's prefixes \(startsWith)"))
        }
        if !allowedOrigins.isEmpty {
            return allowedOrigins.contains(where: { $0 == host })
                ? (proof, Step(.issuerKey, .passed, "issuer_key.allowed_origin", "hosted on \(host ?? "") which the issuer allows"))
                : (proof, Step(.issuerKey, .failed, "issuer_key.foreign_origin", "\(host ?? id) is not among the issuer's allowed origins \(allowedOrigins)"))
        }
        if let host, host == URL(string: issuerID)?.host {
            return (proof, Step(.issuerKey, .passed, "issuer_key.same_origin", "hosted on the issuer's host \(host)"))
        }
        return (proof, Step(.issuerKey, .failed, "issuer_key.foreign_origin", "hosted at \(host ?? id), the issuer is at \(URL(string: issuerID)?.host ?? issuerID)"))
    }

    /// Signed: the JWS verified with the CryptographicKey named by `verification.creator`, which the issuer owns.
    func signedSteps(_ jws: JWS, assertion: JSONValue, issuer: JSONValue?, issuerID: String?) async -> (Step, Step) {
        guard let creator = assertion["verification"]?["creator"]?.stringValue else {
            return (Step(.proof, .failed, "proof.no_creator", "a signed assertion must name its key in verification.creator"),
                    Step(.issuerKey, .failed, "issuer_key.unknown", "no key named"))
        }
        let keyDocument: JSONValue
        switch await keys.fetchJSON(creator) {
        case .success(let value): keyDocument = value
        case .failure(let error):
            return (Step(.proof, .inconclusive, "proof.key_unavailable", "the CryptographicKey could not be had: \(error.message)"),
                    Step(.issuerKey, .inconclusive, "issuer_key.unavailable", error.message))
        }
        guard let pem = keyDocument["publicKeyPem"]?.stringValue, let key = try? PublicKey(pem: pem) else {
            return (Step(.proof, .failed, "proof.key_malformed", "\(creator) has no usable publicKeyPem"),
                    Step(.issuerKey, .failed, "issuer_key.malformed", "no key"))
        }
        let proof: Step
        do {
            try JWSVerifier(allowedAlgorithms: Verifier.algorithms).verify(jws, key: key)
            proof = Step(.proof, .passed, "proof.valid", "JWS \(jws.header.algorithmName) signature verified with \(creator)")
        } catch {
            proof = Step(.proof, .failed, error.code == .algorithmNotAllowed || error.code == .symmetricAlgorithm || error.code == .algorithmNone
                         ? "proof.algorithm_refused" : "proof.signature_invalid", "the JWS does not verify: \(error.message)")
        }
        // Ownership: the key names the issuer as owner, and the issuer lists the key.
        let owner = keyDocument["owner"]?.stringValue
        let listed = issuer?["publicKey"].map { value in
            (value.arrayValue ?? [value]).contains { ($0.stringValue ?? $0["id"]?.stringValue) == creator }
        } ?? false
        guard let issuerID else { return (proof, Step(.issuerKey, .inconclusive, "issuer_key.unknown_issuer", "the issuer could not be had")) }
        if keyDocument["type"] == .null {
            return (proof, Step(.issuerKey, .failed, "issuer_key.malformed", "\(creator) has a null type (the validator's JSON-LD processor refuses it too)"))
        }
        if owner == issuerID && listed {
            return (proof, Step(.issuerKey, .passed, "issuer_key.owned", "\(creator) is owned by the issuer \(issuerID), who lists it"))
        }
        // The reference validator takes the issuer's listing alone when the key names no owner: accepted, with a warning.
        if owner == nil && listed {
            return (proof, Step(.issuerKey, .passed, "issuer_key.listed_unowned",
                                "\(creator) is listed by the issuer \(issuerID) but names no owner (OB 2.0 requires one)"))
        }
        return (proof, Step(.issuerKey, .failed, "issuer_key.not_the_issuers",
                            "\(creator) is owned by \(owner ?? "nobody")\(listed ? "" : " and not listed by the issuer") — the issuer is \(issuerID)"))
    }

    func validityStep(_ assertion: JSONValue) -> Step {
        let issued = assertion["issuedOn"]?.stringValue
        if let issued, let date = Verifier.date(issued), date > options.at.addingTimeInterval(300) {
            return Step(.validity, .failed, "validity.not_yet_valid", "issued in the future (\(issued))")
        }
        if let expires = assertion["expires"]?.stringValue {
            guard let date = Verifier.date(expires) else { return Step(.validity, .failed, "validity.malformed", "\(expires) is not a date-time") }
            if date < options.at { return Step(.validity, .failed, "validity.expired", "expired at \(expires)") }
            if let issued, let start = Verifier.date(issued), date < start {
                return Step(.validity, .failed, "validity.expired_before_issued", "expires \(expires) before it was issued \(issued)")
            }
            return Step(.validity, .passed, "validity.current", "valid until \(expires)")
        }
        return Step(.validity, .passed, "validity.current", "issued \(issued ?? "(no date)"), no expiry")
    }

    /// Signed assertions: the issuer's RevocationList. Hosted ones were checked at their URL already (410, revoked).
    func revocationStep(_ assertion: JSONValue, issuer: JSONValue?) async -> Step {
        if assertion["revoked"] == true { return Step(.revocation, .failed, "status.revoked", "the assertion says revoked: true") }
        guard detected.jws != nil else { return Step(.revocation, .passed, "status.hosted_current", "the hosted assertion is served, not revoked") }
        guard let listURL = issuer?["revocationList"]?.stringValue else {
            return Step(.revocation, .skipped, "status.none_declared", "the issuer publishes no revocation list: the assertion cannot be revoked")
        }
        let list: JSONValue
        switch await keys.fetchJSON(listURL) {
        case .success(let value): list = value
        case .failure(let error):
            return Step(.revocation, .inconclusive, "status.list_unavailable", "the revocation list could not be had: \(error.message)")
        }
        let id = assertion["id"]?.stringValue
        for entry in list["revokedAssertions"]?.arrayValue ?? [] where (entry.stringValue ?? entry["id"]?.stringValue) == id {
            let reason = entry["revocationReason"]?.stringValue.map { ": \($0)" } ?? ""
            return Step(.revocation, .failed, "status.revoked", "the issuer's revocation list names the assertion\(reason)")
        }
        return Step(.revocation, .passed, "status.not_listed", "not on the issuer's revocation list")
    }

    func recipientStep(_ assertion: JSONValue) -> Step {
        guard let recipient = options.recipient else { return Step(.recipient, .skipped, "recipient.not_asked", "no recipient was given to check") }
        let identity: String
        switch recipient {
        case .email(let email): identity = email.lowercased()
        case .did(let did): identity = did
        }
        let r = assertion["recipient"]
        // The identity type must say what the identity is (as written: `Email` is not `email`, says the validator too).
        let type = r?["type"]?.stringValue
        if case .email = recipient, type != "email" {
            return Step(.recipient, .failed, "recipient.mismatch", "the recipient's identity is of type \(type ?? "(none)"), not email")
        }
        if RecipientHash.matches(identity: identity, hashed: r?["hashed"] == true, value: r?["identity"]?.stringValue, salt: r?["salt"]?.stringValue) {
            return Step(.recipient, .passed, "recipient.match", "issued to \(identity)")
        }
        return Step(.recipient, .failed, "recipient.mismatch", "the assertion is not about the given recipient")
    }

}
