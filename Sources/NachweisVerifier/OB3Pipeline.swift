import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisLinkedData
import NachweisStatus

/// The steps for an Open Badges 3.0 credential, as JSON-LD with Data Integrity proofs or as a VC-JWT.
struct OB3Pipeline {
    let verifier: Verifier
    let detected: DetectedCredential
    let options: Verifier.Options
    let keys: KeyDirectory

    typealias Step = VerificationReport.Step

    var credential: JSONValue { detected.credential ?? .null }
    var issuerID: String? { credential["issuer"]?.stringValue ?? credential["issuer"]?["id"]?.stringValue }

    func run(into report: inout VerificationReport) async {
        report.add(verifier.schemaStep(credential, format: detected.format))
        if let jws = detected.jws {
            let (proof, binding, claims) = await jwtSteps(jws)
            report.add(proof)
            report.add(binding)
            report.add(claims)
        } else {
            let (proof, binding) = await dataIntegritySteps()
            report.add(proof)
            report.add(binding)
        }
        report.add(validityStep())
        for step in await statusSteps() { report.add(step) }
        report.add(recipientStep())
        var section = issuerSection(report.step(.issuerKey))
        report.add(verifier.trustStep(&section))
        report.issuer = section
        report.add(await endorsementsStep())
        report.add(microCredentialStep())
    }

    /// Claimed: the issuer's id and name; proven: what the bound key establishes (only when the key was found and is
    /// the issuer's); the binding as the key step found it.
    func issuerSection(_ key: Step?) -> IssuerSection {
        IssuerSection(claimed: .init(id: issuerID, name: credential["issuer"]?["name"]?.stringValue), key: key,
                      unnamed: "the issuer is not a DID or URL") { issuerID.flatMap(IssuerSection.proven(byKeyOf:)) }
    }

    /// Endorsements on the credential, its issuer and its achievement (embedded EndorsementCredentials and
    /// `endorsementJwt`s), each verified as a credential of its own, to a depth bound.
    func endorsementsStep() async -> Step {
        var found: [(String, [UInt8])] = []
        let holders: [(String, JSONValue?)] = [("credential", credential), ("issuer", credential["issuer"]),
                                                ("achievement", credential["credentialSubject"]?["achievement"])]
        for (place, holder) in holders {
            for endorsement in holder?["endorsement"]?.arrayValue ?? [] { found.append((place, endorsement.compactBytes)) }
            for token in holder?["endorsementJwt"]?.arrayValue ?? [] { if let text = token.stringValue { found.append((place, Array(text.utf8))) } }
        }
        guard !found.isEmpty else { return Step(.endorsements, .skipped, "endorsements.none", "no endorsements") }
        guard options.endorsementDepth > 0 else {
            return Step(.endorsements, .inconclusive, "endorsements.depth_reached", "\(found.count) endorsement(s) not followed: the depth bound is reached")
        }
        var inner = options
        inner.endorsementDepth -= 1
        inner.recipient = nil
        var verdicts: [JSONValue] = []
        var counts: [VerificationReport.Verdict: Int] = [:]
        for (place, bytes) in found {
            let report = await verifier.verify(bytes, options: inner)
            // An endorsement's own endorsements count as part of it here (they do not decide its verdict).
            var verdict = report.verdict
            switch report.step(.endorsements)?.status {
            case .failed?: verdict = .invalid
            case .inconclusive? where verdict == .valid: verdict = .inconclusive
            default: break
            }
            counts[verdict, default: 0] += 1
            verdicts.append(["on": .string(place), "verdict": .string(verdict.rawValue),
                             "issuer": report.steps.first { $0.check == .issuerKey }?.details["issuer"] ?? .null])
        }
        let summary = "\(found.count) endorsement(s): \(counts[.valid] ?? 0) valid, \(counts[.invalid] ?? 0) invalid, \(counts[.inconclusive] ?? 0) inconclusive"
        let status: VerificationReport.Status = counts[.invalid] != nil ? .failed : counts[.inconclusive] != nil ? .inconclusive : .passed
        return Step(.endorsements, status, status == .passed ? "endorsements.valid" : status == .failed ? "endorsements.invalid" : "endorsements.inconclusive",
                    summary, details: ["endorsements": .array(verdicts)])
    }

    // MARK: Proofs

    /// Data Integrity: every proof verified with keys fetched beforehand; the key must belong to the issuer.
    func dataIntegritySteps() async -> (Step, Step) {
        let proofs = credential["proof"].map { $0.arrayValue ?? [$0] } ?? []
        guard !proofs.isEmpty else {
            return (Step(.proof, .failed, "proof.missing", "the credential has no proof"),
                    Step(.issuerKey, .skipped, "issuer_key.no_proof", "no proof, no key"))
        }
        var methods: [String] = []
        var unbound: String?
        for proof in proofs {
            guard let method = proof["verificationMethod"]?.stringValue else { continue }
            methods.append(method)
            switch await keys.resolve(method) {
            case .key: break
            case .unboundKey(_, let why): unbound = "the key is taken from the method's own fragment; the issuer's document could not be had to confirm it (\(why))"
            case .unavailable(let why):
                return (Step(.proof, .inconclusive, "proof.key_unavailable", "the signing key could not be had: \(why)",
                             details: ["verificationMethod": .string(method)]),
                        Step(.issuerKey, .inconclusive, "issuer_key.unavailable", why))
            case .refused(let why):
                return (Step(.proof, .failed, "proof.key_refused", why, details: ["verificationMethod": .string(method)]),
                        Step(.issuerKey, .failed, "issuer_key.not_the_issuers", why))
            }
        }
        let integrity = DataIntegrity(processor: verifier.processor, resolver: PrefetchedKeys(keys: keys.keys))
        let results = integrity.verify(credential, expecting: .init(at: options.at))
        if let failure = results.first(where: { !$0.isValid })?.error {
            let binding = unbound.map { Step(.issuerKey, .inconclusive, "issuer_key.unconfirmed", $0) } ?? bindingStep(methods)
            let status: VerificationReport.Status = [.loadingDocumentFailed, .verificationMethodUnresolved, .proofUnsupported].contains(failure.code)
                ? .inconclusive : .failed
            return (Step(.proof, status, "proof.\(failure.code.rawValue.split(separator: ".").last ?? "invalid")", failure.message,
                         details: ["error": .string(failure.code.rawValue)]),
                    binding)
        }
        let suites = results.compactMap { $0.proof["cryptosuite"]?.stringValue ?? $0.proof["type"]?.stringValue }
        let proofStep = Step(.proof, .passed, "proof.valid", "\(results.count) proof(s) verified: \(suites.joined(separator: ", "))",
                             details: ["verificationMethods": .array(methods.map(JSONValue.string))])
        if let unbound { return (proofStep, Step(.issuerKey, .inconclusive, "issuer_key.unconfirmed", unbound)) }
        return (proofStep, bindingStep(methods))
    }

    /// The key's controller is the issuer: the verification method is the issuer's DID (or URL) with a fragment.
    func bindingStep(_ methods: [String]) -> Step {
        guard let issuer = issuerID else { return Step(.issuerKey, .failed, "issuer_key.no_issuer", "the credential names no issuer") }
        for method in methods {
            let controller = DocumentURL.withoutFragment(method)
            let didKeyOfIssuer = issuer.hasPrefix("did:key:") && controller == issuer
            guard controller == issuer || didKeyOfIssuer else {
                // An issuer named by a DID or URL has documents that list its keys: another controller is proven wrong.
                // An issuer named by a urn:uuid (or other opaque id) has none: the key cannot be tied to it either way.
                let resolvable = issuer.hasPrefix("did:") || issuer.hasPrefix("https://") || issuer.hasPrefix("http://")
                return Step(.issuerKey, resolvable ? .failed : .inconclusive, resolvable ? "issuer_key.not_the_issuers" : "issuer_key.unverifiable",
                            resolvable ? "\(method) is not a key of the issuer \(issuer)"
                                       : "the issuer \(issuer) is not a DID or URL: nothing ties the key \(method) to it",
                            details: ["issuer": .string(issuer), "verificationMethod": .string(method)])
            }
        }
        return Step(.issuerKey, .passed, "issuer_key.bound", "the signing key is the issuer's (\(issuer))", details: ["issuer": .string(issuer)])
    }

    /// VC-JWT: the algorithm allowed, the key found from `kid` (never from an embedded `jwk` that is not the issuer's),
    /// the signature, and the registered claims agreeing with the credential.
    func jwtSteps(_ jws: JWS) async -> (Step, Step, Step) {
        let header = jws.header
        let algorithm = header.algorithmName
        guard let allowed = SignatureAlgorithm(rawValue: algorithm), Verifier.algorithms.contains(allowed) else {
            let step = Step(.proof, .failed, "proof.algorithm_refused", "the JWS algorithm \(algorithm) is not accepted (never none or HMAC)")
            return (step, Step(.issuerKey, .skipped, "issuer_key.no_valid_proof", "no acceptable signature"), claimsStep(jws))
        }
        let issuer = issuerID ?? ""
        let method: String
        if let kid = header.keyID {
            // A kid relative to the issuer (`#key-1`) or absolute (`did:web:…#…`).
            method = kid.hasPrefix("#") ? issuer + kid : kid
        } else if issuer.hasPrefix("did:key:") {
            method = (try? DIDKey(parsing: issuer).verificationMethod) ?? issuer
        } else if let embedded = try? header.embeddedJWK() {
            // No kid, only the token's own key: the signature can be checked, whose key it is cannot.
            let binding = Step(.issuerKey, .inconclusive, "issuer_key.unconfirmed", "the key comes from the token's own jwk header; nothing ties it to \(issuer)")
            do {
                try JWSVerifier(allowedAlgorithms: Verifier.algorithms).verify(jws, key: embedded.publicKey)
                return (Step(.proof, .passed, "proof.valid", "JWS \(algorithm) signature verified with the embedded jwk"), binding, claimsStep(jws))
            } catch {
                return (Step(.proof, .failed, "proof.signature_invalid", "the JWS signature does not verify: \(error.message)"), binding, claimsStep(jws))
            }
        } else {
            let step = Step(.proof, .inconclusive, "proof.no_key_id", "the JWS names no key (kid) and the issuer is no did:key")
            return (step, Step(.issuerKey, .inconclusive, "issuer_key.unknown", "no key to bind"), claimsStep(jws))
        }
        let key: PublicKey
        var unbound: String?
        switch await keys.resolve(method) {
        case .key(let found): key = found
        case .unboundKey(let found, let why):
            key = found
            unbound = "the key is taken from the kid's own fragment; the issuer's document could not be had to confirm it (\(why))"
        case .unavailable(let why):
            return (Step(.proof, .inconclusive, "proof.key_unavailable", "the signing key could not be had: \(why)"),
                    Step(.issuerKey, .inconclusive, "issuer_key.unavailable", why), claimsStep(jws))
        case .refused(let why):
            return (Step(.proof, .failed, "proof.key_refused", why), Step(.issuerKey, .failed, "issuer_key.not_the_issuers", why), claimsStep(jws))
        }
        // An embedded jwk must be the very key the issuer publishes (otherwise anyone could sign with their own).
        if let embedded = try? header.embeddedJWK(), embedded.publicKey != key {
            return (Step(.proof, .failed, "proof.embedded_key_substituted", "the JWS header carries a jwk that is not the issuer's key \(method)"),
                    Step(.issuerKey, .failed, "issuer_key.not_the_issuers", "embedded key differs from \(method)"), claimsStep(jws))
        }
        do {
            try JWSVerifier(allowedAlgorithms: Verifier.algorithms).verify(jws, key: key)
        } catch {
            return (Step(.proof, .failed, "proof.signature_invalid", "the JWS signature does not verify: \(error.message)",
                         details: ["kid": .string(method)]),
                    bindingStep([method]), claimsStep(jws))
        }
        let binding = unbound.map { Step(.issuerKey, .inconclusive, "issuer_key.unconfirmed", $0) } ?? bindingStep([method])
        return (Step(.proof, .passed, "proof.valid", "JWS \(algorithm) signature verified", details: ["kid": .string(method)]), binding, claimsStep(jws))
    }

    /// `iss`, `jti`, `sub`, `nbf`, `exp` against the credential body (OB 3.0 §8.2.4.1; VC 1.1 keeps the credential in
    /// `vc`). A claim that is present and disagrees is a contradiction: failed.
    func claimsStep(_ jws: JWS) -> Step {
        // VC 2.0: the claims set is the credential the detector parsed; VC 1.1 keeps the credential in `vc`.
        let parsedClaims: JSONValue? = credential["iss"] != nil || credential["nbf"] != nil ? credential : try? JSONParser().parse(jws.payload)
        guard let claims = parsedClaims else {
            return Step(.claims, .failed, "claims.malformed", "the JWT payload is not JSON")
        }
        var problems: [String] = []
        let issuer = issuerID
        if let iss = claims["iss"]?.stringValue, iss != issuer { problems.append("iss \(iss) is not the issuer \(issuer ?? "(none)")") }
        if claims["iss"] == nil { problems.append("iss is missing") }
        if let jti = claims["jti"]?.stringValue, let id = credential["id"]?.stringValue, jti != id { problems.append("jti \(jti) is not the id \(id)") }
        let subjectID = credential["credentialSubject"]?["id"]?.stringValue ?? credential["credentialSubject"]?.arrayValue?.first?["id"]?.stringValue
        if let sub = claims["sub"]?.stringValue, sub != subjectID { problems.append("sub \(sub) is not the subject \(subjectID ?? "(none)")") }
        let from = Verifier.date(credential["validFrom"]?.stringValue ?? credential["issuanceDate"]?.stringValue)
        if let nbf = claims["nbf"]?.numberValue?.doubleValue, let from, abs(nbf - from.timeIntervalSince1970) >= 1 {
            problems.append("nbf \(Int(nbf)) is not validFrom \(Int(from.timeIntervalSince1970))")
        }
        let until = Verifier.date(credential["validUntil"]?.stringValue ?? credential["expirationDate"]?.stringValue)
        if let exp = claims["exp"]?.numberValue?.doubleValue {
            if let until, abs(exp - until.timeIntervalSince1970) >= 1 { problems.append("exp \(Int(exp)) is not validUntil \(Int(until.timeIntervalSince1970))") }
            if exp < options.at.timeIntervalSince1970 { problems.append("the JWT expired (exp \(Int(exp)))") }
        }
        if let nbf = claims["nbf"]?.numberValue?.doubleValue, nbf > options.at.timeIntervalSince1970 + 300 {
            problems.append("the JWT is not valid yet (nbf \(Int(nbf)))")
        }
        if problems.isEmpty { return Step(.claims, .passed, "claims.agree", "iss, jti, sub, nbf and exp agree with the credential") }
        return Step(.claims, .failed, "claims.disagree", problems.joined(separator: "; "), details: ["problems": .array(problems.map(JSONValue.string))])
    }

    // MARK: Validity, recipient, EU elements

    func validityStep() -> Step {
        let fromText = credential["validFrom"]?.stringValue ?? credential["issuanceDate"]?.stringValue
        let untilText = credential["validUntil"]?.stringValue ?? credential["expirationDate"]?.stringValue
        var details: JSONObject = [:]
        if let fromText { details["validFrom"] = .string(fromText) }
        if let untilText { details["validUntil"] = .string(untilText) }
        if let fromText, Verifier.date(fromText) == nil { return Step(.validity, .failed, "validity.malformed", "\(fromText) is not a date-time", details: details) }
        if let untilText, Verifier.date(untilText) == nil { return Step(.validity, .failed, "validity.malformed", "\(untilText) is not a date-time", details: details) }
        if let from = Verifier.date(fromText), from > options.at {
            return Step(.validity, .failed, "validity.not_yet_valid", "valid only from \(fromText ?? "")", details: details)
        }
        if let until = Verifier.date(untilText), until < options.at {
            return Step(.validity, .failed, "validity.expired", "expired at \(untilText ?? "")", details: details)
        }
        return Step(.validity, .passed, "validity.current", untilText.map { "valid until \($0)" } ?? "valid from \(fromText ?? "the start"), no end", details: details)
    }

    func recipientStep() -> Step {
        guard let recipient = options.recipient else { return Step(.recipient, .skipped, "recipient.not_asked", "no recipient was given to check") }
        let subjects = credential["credentialSubject"].map { $0.arrayValue ?? [$0] } ?? []
        switch recipient {
        case .did(let did):
            if subjects.contains(where: { $0["id"]?.stringValue == did }) { return Step(.recipient, .passed, "recipient.match", "issued to \(did)") }
        case .email(let email):
            for subject in subjects {
                for identity in subject["identifier"]?.arrayValue ?? [] where identity["identityType"]?.stringValue == "emailAddress" {
                    if RecipientHash.matches(identity: email.lowercased(), hashed: identity["hashed"] == true,
                                             value: identity["identityHash"]?.stringValue, salt: identity["salt"]?.stringValue) {
                        return Step(.recipient, .passed, "recipient.match", "issued to \(email) (salted hash matches)")
                    }
                }
                if Self.elmIdentifierMatches(subject["identifier"], email: email) {
                    return Step(.recipient, .passed, "recipient.match", "issued to \(email) (ELM identifier matches)")
                }
            }
        }
        return Step(.recipient, .failed, "recipient.mismatch", "the credential is not about the given recipient")
    }

    /// Europass (ELM) learners carry an e-mail as an `Identifier`: a salted hash in `notation` (`sha256$…`, the salt
    /// in `schemeAgency`, as Nachweis issues them), or the address itself under an e-mail scheme.
    static func elmIdentifierMatches(_ value: JSONValue?, email: String) -> Bool {
        for identifier in value.map({ $0.arrayValue ?? [$0] }) ?? [] {
            guard let notation = identifier["notation"]?.stringValue else { continue }
            let agency = identifier["schemeAgency"]
            let salt = agency?.stringValue ?? agency?.objectValue?.members.first?.value.stringValue
            if notation.hasPrefix("sha256$") || notation.hasPrefix("md5$") {
                if RecipientHash.matches(identity: email.lowercased(), hashed: true, value: notation, salt: salt) { return true }
            } else if let scheme = identifier["schemeName"]?.stringValue?.lowercased(), scheme.contains("mail"),
                      notation.lowercased() == email.lowercased() {
                return true
            }
        }
        return false
    }

    func microCredentialStep() -> Step {
        let report = MicroCredentialMapping.report(for: credential)
        let details: JSONObject = ["present": .array(report.present.map { .string($0.element.rawValue) }),
                                   "missingMandatory": .array(report.missingMandatory.map { .string($0.rawValue) })]
        if report.hasAllMandatoryElements {
            return Step(.microCredential, .passed, "micro_credential.complete", "carries all mandatory EU micro-credential elements", details: details)
        }
        return Step(.microCredential, .skipped, "micro_credential.incomplete",
                    "lacks \(report.missingMandatory.count) of the mandatory EU micro-credential elements", details: details)
    }
}
