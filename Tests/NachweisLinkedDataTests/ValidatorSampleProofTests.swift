import Foundation
import NachweisJSON
import NachweisLinkedData
import NachweisTestSupport
import Testing

/// The 1EdTech OB 3.0 validator samples with embedded proofs: each proof verifies, or fails, as the samples'
/// README says (../shared/reference/openbadges/README.md, "Signature check done here").
@Suite("OB 3.0 validator samples: embedded proofs")
struct ValidatorSampleProofTests {
    static let dir = "openbadges/ob3/validator-samples/"

    static let valid = [
        "simple.json", "simple.1ob", "simple-did-key-method.json", "simple-did-web-method.json", "simple-context-alias.json",
        "simple-context-version.json", "complete.json", "endorsement-valid.json", "bit-string-list/testlist",
        "bit-string-list/credential-status-revoked.json", "bit-string-list/credential-status-revoked-blank-nodes.json",
        // Valid signatures on credentials that fail other checks (dates, issuer).
        "simple-err-expired.json", "simple-err-issued.json", "simple-err-issuer.json",
        // Legacy suites.
        "simple-eddsa-2022.json", "simple_v1.json", "credential-status-revoked.json",
    ]

    static let invalid = [
        "simple-err-type.json", "simple-err-credential-subject-type.json", "simple-err-credential-subject-identifier-type.json",
        "simple-err-credential-subject-profile-type.json", "simple-err-credential-subject-result-type.json",
        "simple-err-credential-subject-achievement-result-description-type.json", "simple-err-evidence-type.json",
        "simple-err-issuer-type.json", "simple-err-issuer-parentorg-type.json", "simple-err-issuer-otheridentifier-type.json",
        "simple-err-proof-value.json", "simple-err-proof-method-no-scheme.json", "simple-err-proof-method-unknown-did-method.json",
        "simple-err-proof-method-unknown-scheme.json", "simple-err-context.json", "endorsement-err-schema-status-refresh.json",
        // Not checkable here: ECDSA selective disclosure, non-Ed25519 key material.
        "sd/derivedcredential.json", "complete_v1.json", "simple-err-proof-method.json",
    ]

    static func verify(_ name: String) throws -> [DataIntegrity.ProofResult] {
        let document = try JSONParser().parse(Array(try Data(contentsOf: try TestEnvironment.reference(dir + name))))
        return DataIntegrity(processor: JSONLDProcessor(loader: try ReferenceContexts.loader()),
                             resolver: DIDKeyResolver(next: FragmentMultikeyResolver())).verify(document)
    }

    @Test("these verify", arguments: valid)
    func verifies(_ name: String) throws {
        let results = try Self.verify(name)
        #expect(!results.isEmpty && results.allSatisfy(\.isValid), "\(results.map { $0.error?.description ?? "ok" })")
    }

    @Test("these do not, each with a reason", arguments: invalid)
    func fails(_ name: String) throws {
        let results = try Self.verify(name)
        #expect(!results.isEmpty && results.contains { !$0.isValid })
        #expect(results.allSatisfy { $0.isValid || !($0.error?.message.isEmpty ?? true) })
    }

    @Test("simple-multiple-proofs: the first proof (unknown type SomeProofType, no proofValue) is unsupported, the second holds")
    func multipleProofs() throws {
        let results = try Self.verify("simple-multiple-proofs.json")
        #expect(results.count == 2)
        #expect(results.first?.error?.code == .proofUnsupported)
        #expect(results.last?.isValid == true)
    }
}
