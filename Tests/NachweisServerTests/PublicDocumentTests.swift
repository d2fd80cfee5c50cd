import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisServer
import NachweisStore
import Testing

/// Public documents through a live server: OB 3.0 Profile, JWKS and did:web DID document.
@Suite("Public issuer documents", .timeLimit(.minutes(3)))
struct PublicDocumentTests {
    static func setUp() async throws -> (LiveServer, PrivateKey, PrivateKey) {
        let f = try await IssuerAPITests.fixture()
        var tu = f.tu
        tu.email = "badges@tu.berlin"
        tu.eidasIdentifier = "DE/VATDE136785011"
        try await f.server.storage.issuers.update(tu)
        let old = try PrivateKey.generate(.ed25519), current = try PrivateKey.generate(.ecdsa(.p256))
        for (key, algorithm, date) in [(old, "EdDSA", Date(timeIntervalSince1970: 1_700_000_000)), (current, "ES256", Date())] {
            try await f.server.storage.signingKeys.add(SigningKey(issuerID: tu.id, algorithm: algorithm,
                                                                  publicJWK: try JWK(publicKey: key.publicKey).jsonText,
                                                                  privateKeyPath: "/secrets/\(algorithm).pem", createdAt: date))
        }
        return (f.server, old, current)
    }

    static func parse(_ text: String) throws -> JSONValue { try JSONParser().parse(Array(text.utf8)) }

    @Test("the issuer profile is an OB 3.0 Profile that passes our schema, served as JSON-LD to anyone")
    func profile() async throws {
        let (server, _, _) = try await Self.setUp()
        defer { server.stop() }
        let reply = try await server.request("GET", "/issuers/tu-berlin")
        #expect(reply.status == 200 && reply.headers["content-type"] == "application/ld+json")
        let profile = try Self.parse(reply.body)
        #expect(profile["id"] == "http://127.0.0.1:8080/issuers/tu-berlin" && profile["email"] == "badges@tu.berlin")
        let schema = try ShippedSchemas.shared.get().schema(ShippedSchemas.ob3Profile)
        #expect(schema.validate(profile).isEmpty, "\(schema.validate(profile))")
        #expect(try await server.request("GET", "/issuers/nobody").status == 404)
    }

    @Test("JWKS and did:web list every key, retired ones too, newest first, with thumbprint ids")
    func keys() async throws {
        let (server, old, current) = try await Self.setUp()
        defer { server.stop() }
        let jwks = try Self.parse(try await server.request("GET", "/issuers/tu-berlin/jwks.json").body)
        let keys = try #require(jwks["keys"]?.arrayValue)
        #expect(keys.count == 2)
        #expect(keys[0]["kid"]?.stringValue == (try JWK(publicKey: current.publicKey)).thumbprint() && keys[0]["alg"] == "ES256")
        #expect(keys[1]["kid"]?.stringValue == (try JWK(publicKey: old.publicKey)).thumbprint() && keys[1]["alg"] == "EdDSA")

        let reply = try await server.request("GET", "/issuers/tu-berlin/did.json")
        #expect(reply.headers["content-type"] == "application/did+json")
        let document = try Self.parse(reply.body)
        #expect(document["id"] == "did:web:127.0.0.1%3A8080:issuers:tu-berlin")
        let methods = try #require(document["verificationMethod"]?.arrayValue)
        #expect(methods.map { $0["type"]?.stringValue } == ["Multikey", "Multikey"])
        #expect(methods[1]["publicKeyMultibase"]?.stringValue == (try Multikey.encode(old.publicKey)))
        #expect(methods[0]["publicKeyMultibase"]?.stringValue == (try Multikey.encode(current.publicKey)))
        #expect(document["assertionMethod"]?.arrayValue == methods.compactMap { $0["id"] })
    }
}
