import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisTestSupport
import Testing

/// Interop with an independent JOSE implementation (joserfc, from PyPI; see Tests/Interop/jose_peer.py):
/// what Nachweis signs verifies there, what it signs verifies here, tampering fails in both.
@Suite("JOSE interop with joserfc")
struct JOSEInteropTests {
    static func peer(_ tasks: [JSONValue]) throws -> [JSONValue] {
        let request = JSONValue.object(["tasks": .array(tasks)]).compactText
        let result = try runProcess(try TestEnvironment.python(), [TestEnvironment.interopScript("jose_peer.py")], input: Data(request.utf8))
        guard result.status == 0 else { throw CryptoError(.io, "jose_peer.py failed: \(result.standardError)") }
        return try JSONParser().parse(Array(result.standardOutput))["results"]?.arrayValue ?? []
    }

    @Test("every algorithm: Nachweis signs, joserfc verifies; joserfc signs, Nachweis verifies", arguments: JWSTests.cases)
    func bothDirections(kind: KeyKind, algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(kind)
        let publicJWK = try JWK(publicKey: key.publicKey).json
        let payload = Array(#"{"iss":"did:example:issuer","n":1.50}"#.utf8)
        let jws = try JWSSigner.sign(payload: payload, key: key, algorithm: algorithm, header: ["kid": "k1"])
        let compact = try jws.compactSerialization()
        var tampered = try JWSSigner.sign(payload: payload + [0x20], key: key, algorithm: algorithm).compactSerialization()
        // Keep the first signature with the second payload: a forgery.
        tampered = compact.split(separator: ".")[0] + "." + tampered.split(separator: ".")[1] + "." + compact.split(separator: ".")[2]
        let general = try JWSJSONSerialization(signatures: [jws]).serialized()
        let unencoded = try JWSJSONSerialization(signatures: [JWSSigner.sign(payload: payload, key: key, algorithm: algorithm,
                                                                               unencodedPayload: true)]).serialized(flattened: true)
        let alg = JSONValue.string(algorithm.rawValue)
        let results = try Self.peer([
            .object(["op": "verify", "alg": alg, "jwk": publicJWK, "token": .string(compact)]),
            .object(["op": "verify", "alg": alg, "jwk": publicJWK, "token": .string(tampered)]),
            .object(["op": "verify_json", "alg": alg, "jwk": publicJWK, "token": .string(general)]),
            .object(["op": "verify_json", "alg": alg, "jwk": publicJWK, "token": .string(unencoded)]),
            .object(["op": "sign", "alg": alg, "payload": .string(Base64URL.encode(payload))]),
        ])
        try #require(results.count == 5)
        #expect(results[0]["valid"] == true, "joserfc refused Nachweis's compact JWS: \(results[0])")
        #expect(results[0]["payload"] == .string(Base64URL.encode(payload)))
        #expect(results[1]["valid"] == false, "joserfc accepted a forged payload")
        #expect(results[2]["valid"] == true, "joserfc refused Nachweis's JSON serialization: \(results[2])")
        #expect(results[3]["valid"] == true, "joserfc refused Nachweis's RFC 7797 unencoded payload: \(results[3])")
        // The other direction: joserfc's key (as its JWK) and token verify in Nachweis.
        let peerJWK = try JWK(try #require(results[4]["jwk"]))
        let peerToken = try #require(results[4]["token"]?.stringValue)
        let verified = try JWSVerifier(allowedAlgorithms: [algorithm]).verify(compact: peerToken, key: peerJWK.publicKey)
        #expect(verified.payload == payload)
        // Their signature does not verify under our key.
        expectError(.invalidSignature) {
            try JWSVerifier(allowedAlgorithms: [algorithm]).verify(compact: peerToken, key: key.publicKey)
        }
    }
}
