import Foundation
import NachweisCrypto
import NachweisJSON
import Testing

@Suite("JWK")
struct JWKTests {
    @Test("public and private JWKs round-trip for every key kind", arguments: KeyTests.kinds)
    func roundTrip(kind: KeyKind) throws {
        let key = try PrivateKey.generate(kind)
        let privateJWK = try JWK(privateKey: key, extra: ["kid": "k1", "use": "sig"])
        let reloaded = try JWK(json: Array(privateJWK.jsonText.utf8))
        #expect(reloaded == privateJWK)
        #expect(reloaded.keyID == "k1")
        #expect(reloaded.privateKey?.publicKey == key.publicKey)
        let publicJWK = privateJWK.publicJWK
        #expect(publicJWK.privateKey == nil)
        #expect(publicJWK.publicKey == key.publicKey)
        #expect(publicJWK.members["d"] == nil)
        #expect(publicJWK.members["use"] == "sig")
        // A signature by the reloaded private key verifies with the public JWK.
        let algorithm = SignatureAlgorithm.default(for: kind)
        let signature = try #require(reloaded.privateKey).signature(for: [1, 2, 3], algorithm: algorithm)
        #expect(publicJWK.publicKey.isValidSignature(signature, for: [1, 2, 3], algorithm: algorithm))
        // The thumbprint ignores optional members.
        #expect(publicJWK.thumbprint() == (try JWK(publicKey: key.publicKey)).thumbprint())
    }

    @Test("invalid JWKs are refused with typed errors", arguments: [
        (#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ"}"#, CryptoError.Code.symmetricJWK),
        (#"{"crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#, .invalidJWK),
        (#"{"kty":"OKP","crv":"X25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#, .unsupportedKeyType),
        (#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR"}"#, .invalidJWK),
        (#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=="}"#, .invalidJWK),
        // d of RFC 8037 with another x: private part does not match.
        (#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#, .invalidJWK),
        // RFC 7515 A.3 x with y changed: not on the curve.
        (#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1"}"#, .invalidJWK),
        (#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"}"#, .invalidJWK),
        (#"{"kty":"EC","crv":"secp256k1","x":"Ss6na3mcci8Ud4lQrjaB_T40sfKApEcl2RLIWOJdjow","y":"7l9qIKtKPW6oEiOYBt7r22Sm0mtFJU-yBkkvMvpscd8"}"#, .unsupportedKeyType),
        (#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#, .invalidJWK),
        (#"{"kty":"RSA","n":"0vx7","e":"AQAB","d":"AQAB"}"#, .invalidJWK),
        (#"{"kty":"EC","kty":"OKP"}"#, .invalidJWK),
        (#"[1]"#, .invalidJWK),
    ])
    func invalid(text: String, code: CryptoError.Code) {
        expectError(code) { try JWK(json: Array(text.utf8)) }
    }

    @Test("the jwk header never carries a private key")
    func privateKeyInHeader() throws {
        let key = try PrivateKey.generate(.ed25519)
        let header = try JWSHeader(.object(JSONObject(["alg": "EdDSA", "jwk": try JWK(privateKey: key).json])))
        expectError(.malformedHeader) { try header.embeddedJWK() }
    }
}

@Suite("Multibase, Multikey and did:key")
struct MultikeyTests {
    @Test("base58btc known values")
    func base58() throws {
        #expect(Base58.encode(Array("Hello World!".utf8)) == "2NEpo7TZRRrLZSi2U")
        // draft-msporny-base58: 0x0000287fb4cd → "11233QC4" (leading zero bytes become '1's).
        #expect(Base58.encode([0, 0, 0x28, 0x7f, 0xb4, 0xcd]) == "11233QC4")
        #expect(try Base58.decode("11233QC4") == [0, 0, 0x28, 0x7f, 0xb4, 0xcd])
        #expect(Base58.encode([]) == "")
        expectError(.invalidBase58) { try Base58.decode("0OIl") }
        #expect(try Base58.decode("2NEpo7TZRRrLZSi2U") == Array("Hello World!".utf8))
        #expect(try Base58.decode("") == [])
        #expect(try Base58.decode("111") == [0, 0, 0])
    }

    @Test("base58btc: encoding agrees with byte-wise long division, and decoding inverts it: lengths 0–80, leading zeros, all-0xFF, limb boundaries")
    func base58RoundTrip() throws {
        /// The textbook algorithm (one byte at a time into base-58 digits), the reference for the limb-wise encoder.
        func reference(_ bytes: [UInt8]) -> String {
            let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
            let zeros = bytes.prefix(while: { $0 == 0 }).count
            var digits: [Int] = []
            for byte in bytes[zeros...] {
                var carry = Int(byte)
                for i in digits.indices {
                    carry += digits[i] << 8
                    digits[i] = carry % 58
                    carry /= 58
                }
                while carry > 0 { digits.append(carry % 58); carry /= 58 }
            }
            return String(repeating: "1", count: zeros) + String(digits.reversed().map { alphabet[$0] })
        }
        var generator = SystemRandomNumberGenerator()
        for length in 0...80 {
            for zeros in [0, 1, 3] where zeros <= length {
                let bytes = [UInt8](repeating: 0, count: zeros) + (zeros..<length).map { _ in UInt8.random(in: 1...255, using: &generator) }
                #expect(Base58.encode(bytes) == reference(bytes), "\(bytes)")
                #expect(try Base58.decode(Base58.encode(bytes)) == bytes, "\(bytes)")
            }
            let full = [UInt8](repeating: 0xFF, count: length), low = [UInt8](repeating: 0, count: length) + [1]
            #expect(Base58.encode(full) == reference(full) && Base58.encode(low) == reference(low))
            #expect(try Base58.decode(Base58.encode(full)) == full)
        }
    }

    @Test("did:key for P-256 matches the did:key method's published example")
    func p256Vector() throws {
        // did:key spec §(P-256 test vector): JWK and DID of the same key.
        let jwk = try JWK(json: Array(#"{"kty":"EC","crv":"P-256","x":"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns","y":"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM"}"#.utf8))
        let did = try DIDKey(publicKey: jwk.publicKey)
        #expect(did.did == "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv")
        #expect(try DIDKey(parsing: did.did).publicKey == jwk.publicKey)
    }

    @Test("Multikey round-trips Ed25519, P-256 and P-384 public keys through compression", arguments: [KeyKind.ed25519, .ecdsa(.p256), .ecdsa(.p384)])
    func roundTrip(kind: KeyKind) throws {
        for _ in 0..<8 {  // both parities of y
            let key = try PrivateKey.generate(kind).publicKey
            let text = try Multikey.encode(key)
            #expect(try Multikey.decodePublicKey(text) == key)
            let did = try DIDKey(publicKey: key)
            #expect(try DIDKey(parsing: did.verificationMethod) == did)
        }
    }

    @Test("bad did:key and multibase values are typed errors", arguments: [
        ("did:web:example.com", CryptoError.Code.invalidDID),
        ("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#other", .invalidDID),
        ("did:key:m7QFAA", .unsupportedMultibase),
        ("did:key:" + Multibase.encodeBase58BTC([0xED, 0x01] + [UInt8](repeating: 7, count: 31)), .invalidKey),
        ("did:key:" + Multibase.encodeBase58BTC([0x80, 0x00]), .unsupportedMulticodec),
        ("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", .unsupportedMulticodec),
        ("did:key:z", .unsupportedMulticodec),
    ])
    func invalid(text: String, code: CryptoError.Code) {
        expectError(code) { try DIDKey(parsing: text) }
    }

    @Test("RSA has no Multikey form")
    func rsaRefused() throws {
        let key = try PrivateKey.generate(.rsa(bits: 2048)).publicKey
        expectError(.unsupportedKeyType) { try Multikey.encode(key) }
    }
}

@Suite("Base64")
struct Base64Tests {
    @Test("encoding agrees with Foundation for every length 0–300 and random bytes; base64url is the same without padding; decoding inverts it")
    func agreesWithFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let standard = Data(bytes).base64EncodedString()
            #expect(Base64URL.encodeStandard(bytes) == standard, "\(length)")
            let url = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == url, "\(length)")
            #expect(try Base64URL.decode(url) == bytes)
        }
    }
}
