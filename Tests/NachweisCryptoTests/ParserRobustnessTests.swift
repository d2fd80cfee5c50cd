import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisTestSupport
import Testing

/// Seeded property tests: random and mutated inputs to every parser end in a value or a typed
/// error, never a crash. 10 000 cases per parser; the seed makes any failure repeatable.
@Suite("Parser robustness")
struct ParserRobustnessTests {
    static let casesPerParser = 10_000

    struct Seeds {
        let compact: [UInt8], json: [UInt8], jwk: [UInt8], privatePEM: [UInt8], publicPEM: [UInt8]
        let multibase: [UInt8], certificateDER: [UInt8], certificatePEM: [UInt8]

        init() throws {
            let key = try PrivateKey.generate(.ecdsa(.p256))
            let jws = try JWSSigner.sign(payload: Array(#"{"a":1}"#.utf8), key: key, header: ["kid": "k"])
            compact = Array(try jws.compactSerialization().utf8)
            json = Array(try JWSJSONSerialization(signatures: [jws]).serialized().utf8)
            jwk = Array(try JWK(privateKey: key).jsonText.utf8)
            privatePEM = Array(try key.pemRepresentation().utf8)
            publicPEM = Array(try key.publicKey.pemRepresentation().utf8)
            multibase = Array(try DIDKey(publicKey: try PrivateKey.generate(.ed25519).publicKey).did.utf8)
            let seal = TestEnvironment.repositoryRoot.appendingPathComponent("Keys/seal-p256.pem")
            certificatePEM = Array(try Data(contentsOf: seal))
            certificateDER = try Certificate.parse(certificatePEM)[0].derRepresentation
        }
    }

    /// Inputs: a third random bytes, a third random text over the JOSE alphabet, a third mutations of seed.
    static func inputs(seed: [UInt8], rng: inout SeededGenerator) -> [[UInt8]] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.{}\":,=+/ \n".utf8)
        return (0..<casesPerParser).map { i in
            switch i % 3 {
            case 0: rng.bytes(Int.random(in: 0..<200, using: &rng))
            case 1: (0..<Int.random(in: 0..<200, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            default: rng.mutate(seed)
            }
        }
    }

    /// Runs parse on every input; counts accepted ones (at least the seed family must parse sometimes).
    static func exercise(_ name: String, seed: [UInt8], _ parse: ([UInt8]) throws -> Void) -> Int {
        var rng = SeededGenerator(seed: name.utf8.reduce(0x5EED) { $0 &* 31 &+ UInt64($1) })
        // The unmutated seed must parse, or the property would hold vacuously.
        do { try parse(seed) } catch { Issue.record("\(name): the seed itself is refused: \(error)") }
        var accepted = 0
        for input in inputs(seed: seed, rng: &rng) {
            do {
                try parse(input)
                accepted += 1
            } catch is CryptoError {
                // A typed refusal is the expected outcome for most inputs.
            } catch {
                Issue.record("\(name): untyped error \(error) for input \(input)")
            }
        }
        return accepted
    }

    @Test("JWS compact and JSON serializations")
    func jws() throws {
        let seeds = try Seeds()
        _ = Self.exercise("jws-compact", seed: seeds.compact) { input in
            _ = try JWS.parseCompact(String(decoding: input, as: UTF8.self))
        }
        _ = Self.exercise("jws-json", seed: seeds.json) { input in _ = try JWSJSONSerialization.parse(input) }
        // Verification of mutated tokens never succeeds unless the token is unchanged in meaning.
        let key = try JWK(json: seeds.jwk).publicKey
        let verifier = JWSVerifier(allowedAlgorithms: [.es256])
        let original = try JWS.parseCompact(String(decoding: seeds.compact, as: UTF8.self))
        _ = Self.exercise("jws-verify", seed: seeds.compact) { input in
            let jws = try verifier.verify(compact: String(decoding: input, as: UTF8.self), key: key)
            #expect(jws.payload == original.payload && jws.header == original.header)
        }
    }

    @Test("JWK and key files (PEM, DER, JWK detection)")
    func keys() throws {
        let seeds = try Seeds()
        _ = Self.exercise("jwk", seed: seeds.jwk) { input in _ = try JWK(json: input) }
        _ = Self.exercise("pem-private", seed: seeds.privatePEM) { input in _ = try PrivateKey(pem: String(decoding: input, as: UTF8.self)) }
        _ = Self.exercise("pem-public", seed: seeds.publicPEM) { input in _ = try PublicKey(pem: String(decoding: input, as: UTF8.self)) }
        _ = Self.exercise("der-private", seed: try PrivateKey(pem: String(decoding: seeds.privatePEM, as: UTF8.self)).derRepresentation()) { input in
            _ = try PrivateKey(der: input)
        }
        _ = Self.exercise("key-material", seed: seeds.publicPEM) { input in _ = try KeyMaterial.parse(input) }
    }

    @Test("multibase, Multikey and did:key")
    func multibase() throws {
        let seeds = try Seeds()
        _ = Self.exercise("did-key", seed: seeds.multibase) { input in _ = try DIDKey(parsing: String(decoding: input, as: UTF8.self)) }
        _ = Self.exercise("multibase", seed: Array(seeds.multibase.dropFirst(8))) { input in
            _ = try Multibase.decode(String(decoding: input, as: UTF8.self))
        }
        _ = Self.exercise("base64url", seed: Array(seeds.compact.split(separator: UInt8(ascii: ".")).last!)) { input in _ = try Base64URL.decode(String(decoding: input, as: UTF8.self)) }
    }

    @Test("certificates, DER and PEM")
    func certificates() throws {
        let seeds = try Seeds()
        _ = Self.exercise("cert-der", seed: seeds.certificateDER) { input in
            let cert = try Certificate(der: input)
            // Whatever parses can be described without crashing.
            _ = (cert.subject.description, cert.issuer.description, cert.serialNumber, cert.keyUsage, cert.notAfter, try? cert.publicKey())
        }
        _ = Self.exercise("cert-pem", seed: seeds.certificatePEM) { input in _ = try Certificate.parse(input) }
    }

    @Test("base64url decoding is canonical: what decodes re-encodes to the same text")
    func base64Canonical() {
        var rng = SeededGenerator(seed: 64)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        for _ in 0..<Self.casesPerParser {
            let text = String(decoding: (0..<Int.random(in: 0..<40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self)
            if let bytes = try? Base64URL.decode(text) {
                #expect(Base64URL.encode(bytes) == text)
            }
        }
    }
}
