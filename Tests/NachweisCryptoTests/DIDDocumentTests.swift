import NachweisCrypto
import NachweisJSON
import Testing

/// DID Core 1.0 as written: the shapes of its examples (§5.3 "Verification Methods", Example "Embedding and
/// referencing verification methods"; §5.2 key material), with real keys in place of the spec's illustrative values,
/// and the did:jwk specification's own example DIDs.
@Suite("DID documents (DID Core, did:jwk)")
struct DIDDocumentTests {
    static let did = "did:example:123456789abcdefghi"

    static func document(_ json: String) throws -> JSONValue { try JSONParser().parse(Array(json.utf8)) }

    /// DID Core's example of a document that embeds one method in a relationship and references another, with the
    /// relationship under test being `assertionMethod`.
    static func embeddingAndReferencing(_ referenced: PublicKey, _ embedded: PublicKey) throws -> JSONValue {
        try document("""
        {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
         "id": "\(did)",
         "verificationMethod": [{"id": "\(did)#keys-1", "type": "Multikey", "controller": "\(did)",
                                 "publicKeyMultibase": "\(try Multikey.encode(referenced))"}],
         "assertionMethod": ["\(did)#keys-1",
                             {"id": "\(did)#keys-2", "type": "Multikey", "controller": "\(did)",
                              "publicKeyMultibase": "\(try Multikey.encode(embedded))"}]}
        """)
    }

    @Test("a referenced and an embedded method are both keys for assertions; a relative reference resolves against the DID")
    func embeddedAndReferenced() throws {
        let one = try PrivateKey.generate(.ed25519).publicKey, two = try PrivateKey.generate(.ecdsa(.p256)).publicKey
        let document = try DIDDocument(try Self.embeddingAndReferencing(one, two), did: Self.did)
        #expect(try document.key("\(Self.did)#keys-1").ed25519Bytes() == one.ed25519Bytes())
        #expect(try document.key("\(Self.did)#keys-2").kind == two.kind)
        var relative = try Self.embeddingAndReferencing(one, two)
        relative.set(JSONPointer("/assertionMethod/0"), to: "#keys-1")
        relative.set(JSONPointer("/verificationMethod/0/id"), to: "#keys-1")
        #expect(try DIDDocument(relative, did: Self.did).key("\(Self.did)#keys-1").ed25519Bytes() == one.ed25519Bytes())
    }

    @Test("what DID Core does not authorise is refused: no assertionMethod, a method listed only for authentication, another controller, no controller, a document of another DID")
    func refusals() throws {
        let key = try PrivateKey.generate(.ed25519).publicKey
        let base = try Self.embeddingAndReferencing(key, key)
        let did = Self.did
        func refused(_ change: (inout JSONValue) -> Void, method: String = "\(did)#keys-1", _ expected: String) {
            var document = base
            change(&document)
            let error = #expect(throws: CryptoError.self) { try DIDDocument(document, did: Self.did).key(method) }
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        }
        refused({ $0.set(JSONPointer("/assertionMethod"), to: nil) }, "lists no assertionMethod")
        refused({ doc in
            doc.set(JSONPointer("/authentication"), to: [.string("\(Self.did)#keys-1")])
            doc.set(JSONPointer("/assertionMethod"), to: [])
        }, "not listed for assertionMethod")
        refused({ $0.set(JSONPointer("/verificationMethod/0/controller"), to: "did:example:someone-else") }, "controlled by did:example:someone-else")
        refused({ $0.set(JSONPointer("/assertionMethod/1/controller"), to: nil) }, method: "\(did)#keys-2", "names no controller")
        refused({ $0.set(JSONPointer("/assertionMethod/0"), to: .string("\(Self.did)#keys-9")) }, method: "\(did)#keys-9", "defines no such verification method")
        refused({ _ in }, method: "\(did)#keys-3", "is not a key of")
        refused({ $0.set(JSONPointer("/verificationMethod/0/type"), to: "EcdsaSecp256k1VerificationKey2019") }, "EcdsaSecp256k1VerificationKey2019")
        refused({ $0.set(JSONPointer("/verificationMethod/0/publicKeyJwk"), to: ["kty": "OKP"]) }, "alone")
        #expect(throws: CryptoError.self) { try DIDDocument(base, did: "did:example:other") }
    }

    @Test("key material by type: Multikey, JsonWebKey and JsonWebKey2020, Ed25519VerificationKey2018 (base58) and 2020")
    func types() throws {
        let key = try PrivateKey.generate(.ed25519).publicKey
        let jwk = try JWK(publicKey: key).members
        let methods: [JSONObject] = [
            ["type": "Multikey", "publicKeyMultibase": .string(try Multikey.encode(key))],
            ["type": "Ed25519VerificationKey2020", "publicKeyMultibase": .string(try Multikey.encode(key))],
            ["type": "JsonWebKey", "publicKeyJwk": .object(jwk)],
            ["type": "JsonWebKey2020", "publicKeyJwk": .object(jwk)],
            ["type": "Ed25519VerificationKey2018", "publicKeyBase58": .string(Base58.encode(try key.ed25519Bytes()))],
        ]
        for var method in methods {
            method["id"] = .string("\(Self.did)#k")
            method["controller"] = .string(Self.did)
            let document: JSONValue = ["id": .string(Self.did), "verificationMethod": [.object(method)], "assertionMethod": ["#k"]]
            #expect(try DIDDocument(document, did: Self.did).key("\(Self.did)#k").ed25519Bytes() == key.ed25519Bytes(), "\(method["type"]!)")
        }
        // A JWK with private members published is refused; a P-256 key as Ed25519VerificationKey2020 too.
        let secret = try JWK(privateKey: try PrivateKey.generate(.ed25519)).members
        let leaked: JSONValue = ["id": .string(Self.did), "assertionMethod": [["id": "#k", "type": "JsonWebKey2020", "controller": .string(Self.did), "publicKeyJwk": .object(secret)]]]
        #expect(throws: CryptoError.self) { try DIDDocument(leaked, did: Self.did).key("\(Self.did)#k") }
        let p256 = try Multikey.encode(try PrivateKey.generate(.ecdsa(.p256)).publicKey)
        let mistyped: JSONValue = ["id": .string(Self.did), "assertionMethod": [["id": "#k", "type": "Ed25519VerificationKey2020", "controller": .string(Self.did), "publicKeyMultibase": .string(p256)]]]
        #expect(throws: CryptoError.self) { try DIDDocument(mistyped, did: Self.did).key("\(Self.did)#k") }
    }

    /// The did:jwk specification's examples: a P-256 key (every relationship) and an X25519 key marked `"use": "enc"`
    /// (key agreement only).
    static let jwkP256 = "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
    static let jwkX25519 = "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9"

    @Test("did:jwk resolves from the DID itself: the spec's P-256 example for assertions, its encryption-only key for none")
    func didJWK() throws {
        let document = try DIDJWK.document(Self.jwkP256)
        #expect(document["verificationMethod"]?.arrayValue?.first?["id"] == .string(Self.jwkP256 + "#0"))
        #expect(document["verificationMethod"]?.arrayValue?.first?["type"] == "JsonWebKey2020")
        #expect(document["assertionMethod"] == [.string(Self.jwkP256 + "#0")])
        let key = try DIDDocument(document, did: Self.jwkP256).key(Self.jwkP256 + "#0")
        #expect(key.kind == (try JWK(document["verificationMethod"]!.arrayValue![0]["publicKeyJwk"]!)).publicKey.kind)
        let encryption = try DIDJWK.document(Self.jwkX25519)
        #expect(encryption["assertionMethod"] == nil && encryption["keyAgreement"] == [.string(Self.jwkX25519 + "#0")])
        #expect(throws: CryptoError.self) { try DIDDocument(encryption, did: Self.jwkX25519).key(Self.jwkX25519 + "#0") }
        // A key of our own round-trips; what is not a public JWK is refused.
        let own = try PrivateKey.generate(.ed25519)
        let did = "did:jwk:" + Base64URL.encode(Array(JSONValue.object(try JWK(publicKey: own.publicKey).members).compactText.utf8))
        #expect(try DIDDocument(try DIDJWK.document(did), did: did).key(did + "#0").ed25519Bytes() == own.publicKey.ed25519Bytes())
        let secret = "did:jwk:" + Base64URL.encode(Array(JSONValue.object(try JWK(privateKey: own).members).compactText.utf8))
        #expect(throws: CryptoError.self) { try DIDJWK.document(secret) }
        #expect(throws: CryptoError.self) { try DIDJWK.document("did:jwk:bm90IGpzb24") }
    }
}
