import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON

/// The steps for a Europass EDC sealed as JAdES: the payload's schema, the seal (the signature over the RFC 7797
/// signing input with the key of `x5c[0]`, `x5t#S256` matching it), the seal certificate chaining to a configured
/// trust anchor and allowing non-repudiation (OWNER), the certificate valid at the validation time (EXPIRY, its own
/// step), the credential's validity window and status. Each step also carries the Europass check name (FORMAT, SEAL,
/// OWNER, REVOCATION, EXPIRY, ACCREDITATION) in its details. Unlike the Europass viewer, revocation is never left out.
struct EDCPipeline {
    let verifier: Verifier
    let detected: DetectedCredential
    let options: Verifier.Options
    let keys: KeyDirectory

    typealias Step = VerificationReport.Step

    /// Header parameters understood: `b64` and `sigT` are checked; `adoTst` (archival timestamps) is read as present,
    /// its token not verified (timestamps come with Europass trusted lists).
    static let understood: Set<String> = ["b64", "sigT", "adoTst", "sigD", "srCms", "sigX5ts"]

    func run(into report: inout VerificationReport) async {
        guard let jws = detected.jws, let credential = detected.credential else {
            report.add(Step(.proof, .inconclusive, "seal.missing", "a plain EDC without a seal: nothing to verify", details: europass("SEAL")))
            return
        }
        var schema = verifier.schemaStep(credential, format: detected.format)
        schema = Step(schema.check, schema.status, schema.code, schema.message, details: merged(schema.details, europass("FORMAT")))
        report.add(schema)
        let header = jws.header
        let certificates = (try? header.certificateChainDER())?.compactMap { try? Certificate(der: $0) } ?? []
        guard let leaf = certificates.first else {
            report.add(Step(.proof, .failed, "seal.no_certificate", "the seal carries no x5c certificate", details: europass("SEAL")))
            return
        }
        let seal = sealStep(jws, leaf: leaf)
        report.add(seal)
        let (owner, anchor) = ownerStep(leaf, intermediates: Array(certificates.dropFirst()))
        report.add(owner)
        // OWNER as EDCI checks it: the seal certificate must name the credential's issuer.
        let (binding, reason) = IssuerSection.sealBinding(leaf, issuer: credential["issuer"])
        var nameDetails = europass("OWNER")
        nameDetails["binding"] = .string(binding.rawValue)
        switch binding {
        case .bound: report.add(Step(.issuerKey, .passed, "seal.names_issuer", reason, details: nameDetails))
        case .boundByName:
            report.add(Step(.issuerKey, .passed, "seal.names_issuer_by_name", reason, details: nameDetails))
        case .mismatch, .unproven: report.add(Step(.issuerKey, .failed, "seal.not_issuer", reason, details: nameDetails))
        }
        let claimedName = Organisation(json: credential["issuer"]?.objectValue ?? JSONObject()).legalName?.values.first?.text
        let claimed = IssuerSection.Claimed(id: credential["issuer"]?["id"]?.stringValue ?? credential["issuer"]?.stringValue, name: claimedName)
        // Proven only when the seal verified and its certificate chains to a trust anchor.
        let trusted = seal.status == .passed && owner.status == .passed
        var section = IssuerSection(claimed: claimed, proven: trusted ? IssuerSection.proven(bySeal: leaf, anchor: anchor) : nil,
                                    binding: binding == .mismatch ? .mismatch : trusted ? binding : .unproven,
                                    reason: trusted || binding == .mismatch ? reason : owner.message)
        // (A name-only binding is a warning through the section; an untrusted seal's section is unproven, so noted here.)
        if binding == .boundByName && !trusted { report.notes.append(reason) }
        report.add(expiryStep(leaf))
        report.add(validityStep(credential))
        let ob3Like = OB3Pipeline(verifier: verifier, detected: detected, options: options, keys: keys)
        for step in await ob3Like.statusSteps() {
            report.add(Step(step.check, step.status, step.code, step.message, details: merged(step.details, europass("REVOCATION"))))
        }
        report.add(verifier.trustStep(&section, europass: true))
        report.issuer = section
        report.add(ob3Like.recipientStep())
        report.add(ob3Like.microCredentialStep())
    }

    func europass(_ check: String) -> JSONObject { ["europassCheck": .string(check)] }

    func merged(_ a: JSONObject, _ b: JSONObject) -> JSONObject {
        var result = a
        for member in b { result[member.key] = member.value }
        return result
    }

    func sealStep(_ jws: JWS, leaf: Certificate) -> Step {
        let header = jws.header
        if let thumbprint = header.members["x5t#S256"]?.stringValue, thumbprint != leaf.x5tS256 {
            return Step(.proof, .failed, "seal.thumbprint_mismatch", "x5t#S256 does not name the x5c certificate", details: europass("SEAL"))
        }
        let key: PublicKey
        do { key = try leaf.publicKey() } catch {
            return Step(.proof, .failed, "seal.certificate_key", "the certificate's key cannot be read: \(error.message)", details: europass("SEAL"))
        }
        do {
            try JWSVerifier(allowedAlgorithms: Verifier.algorithms, understoodCriticalHeaders: Self.understood).verify(jws, key: key)
        } catch {
            let code = [.algorithmNone, .symmetricAlgorithm, .algorithmNotAllowed].contains(error.code) ? "seal.algorithm_refused"
                : [.unknownCriticalHeader, .invalidCriticalHeader].contains(error.code) ? "seal.critical_header_refused" : "seal.signature_invalid"
            return Step(.proof, .failed, code, "the seal does not verify: \(error.message)", details: europass("SEAL"))
        }
        var details = europass("SEAL")
        details["subject"] = .string(leaf.subject.description)
        if let signingTime = header.members["sigT"]?.stringValue { details["sigT"] = .string(signingTime) }
        if header.members["adoTst"] != nil { details["archiveTimestamp"] = "present, not verified (timestamps come with trusted lists)" }
        return Step(.proof, .passed, "seal.valid", "JAdES seal \(header.algorithmName) verified over the unencoded payload", details: details)
    }

    /// The seal certificate chains to a configured trust anchor and allows non-repudiation. Without anchors, or without
    /// a chain to one, the owner cannot be told: inconclusive (never valid on the certificate's own word).
    func ownerStep(_ leaf: Certificate, intermediates: [Certificate]) -> (Step, String?) {
        var details = europass("OWNER")
        details["subject"] = .string(leaf.subject.description)
        details["issuer"] = .string(leaf.issuer.description)
        guard !verifier.trustAnchors.isEmpty else {
            return (Step(.issuerKey, .inconclusive, "seal.no_trust_anchors", "no trust anchors are configured: who sealed it cannot be told", details: details), nil)
        }
        // Chain checked at a time the certificate was valid (its expiry is a step of its own).
        let time = min(max(options.at, leaf.notBefore.addingTimeInterval(1)), leaf.notAfter.addingTimeInterval(-1))
        let validator = CertificateChainValidator(trustAnchors: verifier.trustAnchors, requiredLeafKeyUsage: .nonRepudiation)
        do {
            let chain = try validator.validate(leaf: leaf, intermediates: intermediates, at: time)
            details["chain"] = .array(chain.map { .string($0.subject.description) })
            return (Step(.issuerKey, .passed, "seal.chain_trusted", "the seal certificate chains to a configured trust anchor", details: details),
                    chain.last?.subject.description)
        } catch {
            if error.code == .keyUsageNotAllowed {
                return (Step(.issuerKey, .failed, "seal.key_usage", "the seal certificate does not allow non-repudiation: \(error.message)", details: details), nil)
            }
            return (Step(.issuerKey, .inconclusive, "seal.untrusted", "the seal certificate does not chain to a configured trust anchor: \(error.message)",
                         details: details), nil)
        }
    }

    func expiryStep(_ leaf: Certificate) -> Step {
        var details = europass("EXPIRY")
        details["notBefore"] = .string(RFC3339.format(leaf.notBefore))
        details["notAfter"] = .string(RFC3339.format(leaf.notAfter))
        if options.at > leaf.notAfter {
            return Step(.validity, .failed, "seal.certificate_expired",
                        "the seal certificate expired at \(RFC3339.format(leaf.notAfter)) (validation time \(RFC3339.format(options.at)))",
                        details: details)
        }
        if options.at < leaf.notBefore {
            return Step(.validity, .failed, "seal.certificate_not_yet_valid", "the seal certificate is valid only from \(RFC3339.format(leaf.notBefore))",
                        details: details)
        }
        return Step(.validity, .passed, "seal.certificate_current", "the seal certificate is valid at the validation time", details: details)
    }

    func validityStep(_ credential: JSONValue) -> Step {
        let from = credential["validFrom"]?.stringValue ?? credential["issuanceDate"]?.stringValue
        let until = credential["validUntil"]?.stringValue ?? credential["expirationDate"]?.stringValue
        if let from, let date = Verifier.date(from), date > options.at {
            return Step(.validity, .failed, "validity.not_yet_valid", "the credential is valid only from \(from)", details: europass("EXPIRY"))
        }
        if let until, let date = Verifier.date(until), date < options.at {
            return Step(.validity, .failed, "validity.expired", "the credential expired at \(until)", details: europass("EXPIRY"))
        }
        return Step(.validity, .passed, "validity.current", until.map { "valid until \($0)" } ?? "no end date", details: europass("EXPIRY"))
    }
}
