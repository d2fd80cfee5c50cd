import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData
import NachweisTestSupport
import NachweisVerifier
import Testing

/// Genuine credentials from issuers whose keys are published as DID Core allows, and as other wallets do: a did:web
/// document that embeds its key in `assertionMethod` (was "invalid: not a key of the issuer") and a did:jwk issuer
/// (recommended by the OB 3.0 implementation guide; was inconclusive).
@Suite("Issuer keys: DID Core as written, did:jwk")
struct IssuerKeyTests {
    static let did = "did:web:uni.example"
    static let didURL = "https://uni.example/.well-known/did.json"

    /// The 1EdTech OB 3.0 vector's credential, issued by `issuer` and signed (eddsa-rdfc-2022) with `key` as `method`.
    static func credential(issuer: String, method: String, key: PrivateKey) throws -> [UInt8] {
        var document = try JSONParser().parse(Array(try Data(contentsOf: try TestEnvironment.reference(
            "openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/unsigned-credential.json"))))
        document.set(JSONPointer("/issuer/id"), to: .string(issuer))
        let integrity = DataIntegrity(processor: JSONLDProcessor(loader: try ShippedContexts.loader()))
        return try integrity.sign(document, key: key, options: .init(verificationMethod: method, created: "2026-01-01T00:00:00Z")).compactBytes
    }

    static func verify(_ credential: [UInt8], documents: [String: JSONValue] = [:]) async throws -> VerificationReport {
        await (try Verifier(fetcher: OfflineDocuments(documents.mapValues(\.compactBytes)))).verify(credential)
    }

    static func didDocument(_ key: PublicKey, embedded: Bool, assertion: Bool = true) throws -> JSONValue {
        let method: JSONValue = ["id": .string(did + "#key-1"), "type": "Multikey", "controller": .string(did),
                                 "publicKeyMultibase": .string(try Multikey.encode(key))]
        var document: JSONObject = ["@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": .string(did)]
        if embedded {
            document[assertion ? "assertionMethod" : "authentication"] = [method]
        } else {
            document["verificationMethod"] = [method]
            if assertion { document["assertionMethod"] = ["#key-1"] }
        }
        return .object(document)
    }

    @Test("did:web: a key embedded in assertionMethod and a key referenced from it both verify; one not for assertions does not")
    func didWeb() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let credential = try Self.credential(issuer: Self.did, method: Self.did + "#key-1", key: key)
        for embedded in [true, false] {
            let report = try await Self.verify(credential, documents: [Self.didURL: try Self.didDocument(key.publicKey, embedded: embedded)])
            VerifierTests.expect(report, .valid, nil, "embedded: \(embedded)")
            #expect(report.step(.issuerKey)?.status == .passed, "\(report.text)")
            let unauthorised = try await Self.verify(credential, documents: [Self.didURL: try Self.didDocument(key.publicKey, embedded: embedded, assertion: false)])
            VerifierTests.expect(unauthorised, .invalid, nil, "no assertionMethod, embedded: \(embedded)")
        }
    }

    @Test("did:jwk: the issuer's key comes from the DID itself, in a Data Integrity proof and as a VC-JWT kid")
    func didJWK() async throws {
        let key = try PrivateKey.generate(.ed25519)
        let did = "did:jwk:" + Base64URL.encode(JSONValue.object(try JWK(publicKey: key.publicKey).members).compactBytes)
        let report = try await Self.verify(try Self.credential(issuer: did, method: did + "#0", key: key))
        VerifierTests.expect(report, .valid, nil, "Data Integrity")
        // Another did:jwk's key under this issuer's name: the signature holds, the key is not the issuer's.
        let other = try PrivateKey.generate(.ed25519)
        let otherDID = "did:jwk:" + Base64URL.encode(JSONValue.object(try JWK(publicKey: other.publicKey).members).compactBytes)
        let foreign = try await Self.verify(try Self.credential(issuer: did, method: otherDID + "#0", key: other))
        VerifierTests.expect(foreign, .invalid, nil, "a key of another DID")
    }
}
