import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData
import NachweisTestSupport
import Testing

/// eddsa-rdfc-2022 interop: Nachweis's proofs verify in openbadgeslib and in a pyld-based check; openbadgeslib's
/// proofs verify in Nachweis; tampering fails everywhere.
@Suite("Data Integrity interop (openbadgeslib, pyld)")
struct DataIntegrityInteropTests {
    static func peer(_ tasks: [JSONValue]) throws -> [JSONValue] {
        var contexts = JSONObject()
        for (url, path) in ReferenceContexts.files { contexts[url] = .string(try TestEnvironment.reference(path).path) }
        let request: JSONValue = ["contexts": .object(contexts), "tasks": .array(tasks)]
        let result = try runProcess(try TestEnvironment.python(), [TestEnvironment.interopScript("ldp_peer.py")], input: Data(request.compactText.utf8))
        guard result.status == 0 else { throw LinkedDataError(.jsonLD, "ldp_peer.py failed: \(result.standardError)") }
        return try JSONParser().parse(Array(result.standardOutput))["results"]?.arrayValue ?? []
    }

    static func credential() throws -> JSONValue {
        try JSONParser().parse(Array(try ReferenceContexts.read("openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/unsigned-credential.json").utf8))
    }

    @Test("both directions, and tampering")
    func bothDirections() throws {
        let key = try PrivateKey.generate(.ed25519)
        let did = try DIDKey(publicKey: key.publicKey)
        let di = DataIntegrity(processor: JSONLDProcessor(loader: try ReferenceContexts.loader()))
        let signed = try di.sign(try Self.credential(), key: key, options: .init(verificationMethod: did.verificationMethod, created: "2026-11-21T10:00:00Z"))
        var tampered = signed
        tampered.set(JSONPointer("/credentialSubject/achievement/name"), to: "Another achievement")
        let publicPEM = JSONValue.string(try key.publicKey.pemRepresentation())
        let raw = JSONValue.string(try key.publicKey.ed25519Bytes().map { String(format: "%02x", $0) }.joined())
        let results = try Self.peer([
            ["op": "obl_verify", "document": signed, "public_key_pem": publicPEM],
            ["op": "pyld_verify", "document": signed, "public_key_raw_hex": raw],
            ["op": "obl_verify", "document": tampered, "public_key_pem": publicPEM],
            ["op": "pyld_verify", "document": tampered, "public_key_raw_hex": raw],
            ["op": "obl_sign", "document": try Self.credential(), "private_key_pem": .string(try key.pemRepresentation()),
             "verification_method": .string(did.verificationMethod), "created": "2026-11-21T11:00:00Z"],
        ])
        try #require(results.count == 5)
        #expect(results[0]["valid"] == true, "openbadgeslib: \(results[0])")
        #expect(results[1]["valid"] == true, "pyld: \(results[1])")
        #expect(results[2]["valid"] == false)
        #expect(results[3]["valid"] == false)
        let theirs = try #require(results[4]["document"], "\(results[4])")
        #expect(theirs["proof"]?["cryptosuite"] == "eddsa-rdfc-2022")
        #expect(di.verify(theirs).map(\.isValid) == [true], "\(di.verify(theirs).map { $0.error?.description ?? "ok" })")
        var theirsTampered = theirs
        theirsTampered.set(JSONPointer("/issuer/name"), to: "Someone else")
        #expect(di.verify(theirsTampered).map(\.isValid) == [false])
    }
}
