import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisTestSupport
import Testing

/// Published test vectors: RFC 8037, RFC 7515, RFC 7797, RFC 7638 and the W3C vc-di-eddsa key pair.
@Suite("Published vectors")
struct PublishedVectorTests {
    // RFC 7515 A.1/A.2/A.3 payload: {"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}
    static let rfc7515Payload: [UInt8] = [
        123, 34, 105, 115, 115, 34, 58, 34, 106, 111, 101, 34, 44, 13, 10, 32, 34, 101, 120, 112, 34, 58, 49, 51, 48,
        48, 56, 49, 57, 51, 56, 48, 44, 13, 10, 32, 34, 104, 116, 116, 112, 58, 47, 47, 101, 120, 97, 109, 112, 108,
        101, 46, 99, 111, 109, 47, 105, 115, 95, 114, 111, 111, 116, 34, 58, 116, 114, 117, 101, 125,
    ]

    @Test("RFC 8037 A.4: Ed25519 JWS, byte-exact, and A.5 verification")
    func rfc8037() throws {
        let jwk = try JWK(json: Array(#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#.utf8))
        let key = try #require(jwk.privateKey)
        let jws = try JWSSigner.sign(payload: Array("Example of Ed25519 signing".utf8), key: key, algorithm: .eddsa)
        let expected = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
            + "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
        #expect(try jws.compactSerialization() == expected)
        try JWSVerifier(allowedAlgorithms: [.eddsa]).verify(compact: expected, key: jwk.publicKey)
        // RFC 8037 A.3: the thumbprint of the public key.
        #expect(jwk.publicJWK.thumbprint() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    }

    @Test("RFC 7515 A.2: RS256 JWS, byte-exact")
    func rfc7515RS256() throws {
        let jwk = try JWK(json: Array("""
            {"kty":"RSA",
             "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
             "e":"AQAB",
             "d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ",
             "p":"4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc",
             "q":"uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc",
             "dp":"BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0",
             "dq":"h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU",
             "qi":"IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U"}
            """.utf8))
        let signature: [UInt8] = [
            112, 46, 33, 137, 67, 232, 143, 209, 30, 181, 216, 45, 191, 120, 69, 243, 65, 6, 174, 27, 129, 255, 247, 115,
            17, 22, 173, 209, 113, 125, 131, 101, 109, 66, 10, 253, 60, 150, 238, 221, 115, 162, 102, 62, 81, 102, 104, 123,
            0, 11, 135, 34, 110, 1, 135, 237, 16, 115, 249, 69, 229, 130, 173, 252, 239, 22, 216, 90, 121, 142, 232, 198,
            109, 219, 61, 184, 151, 91, 23, 208, 148, 2, 190, 237, 213, 217, 217, 112, 7, 16, 141, 178, 129, 96, 213, 248,
            4, 12, 167, 68, 87, 98, 184, 31, 190, 127, 249, 217, 46, 10, 231, 111, 36, 242, 91, 51, 187, 230, 244, 74, 230,
            30, 177, 4, 10, 203, 32, 4, 77, 62, 249, 18, 142, 212, 1, 48, 121, 91, 212, 189, 59, 65, 238, 202, 208, 102,
            171, 101, 25, 129, 253, 228, 141, 247, 127, 55, 45, 195, 139, 159, 175, 221, 59, 239, 177, 139, 93, 163, 204,
            60, 46, 176, 47, 158, 58, 65, 214, 18, 202, 173, 21, 145, 18, 115, 160, 95, 35, 185, 232, 56, 250, 175, 132,
            157, 105, 132, 41, 239, 90, 30, 136, 121, 130, 54, 195, 212, 14, 96, 69, 34, 165, 68, 200, 242, 122, 122, 45,
            184, 6, 99, 209, 108, 247, 202, 234, 86, 222, 64, 92, 178, 33, 90, 69, 178, 194, 85, 102, 181, 90, 193, 167,
            72, 160, 112, 223, 200, 163, 42, 70, 149, 67, 208, 25, 238, 251, 71,
        ]
        let key = try #require(jwk.privateKey)
        #expect(key.kind == .rsa(bits: 2048))
        let jws = try JWSSigner.sign(payload: Self.rfc7515Payload, key: key, algorithm: .rs256)
        #expect(jws.protectedSegment == "eyJhbGciOiJSUzI1NiJ9")
        #expect(jws.signature == signature)
        let compact = try jws.compactSerialization()
        #expect(compact == "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ." + Base64URL.encode(signature))
        try JWSVerifier(allowedAlgorithms: [.rs256]).verify(compact: compact, key: jwk.publicKey)
    }

    @Test("RFC 7515 A.3: ES256 JWS verifies; a flipped bit does not")
    func rfc7515ES256() throws {
        let jwk = try JWK(json: Array(#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#.utf8))
        let signature: [UInt8] = [
            14, 209, 33, 83, 121, 99, 108, 72, 60, 47, 127, 21, 88, 7, 212, 2, 163, 178, 40, 3, 58, 249, 124, 126, 23, 129,
            154, 195, 22, 158, 166, 101, 197, 10, 7, 211, 140, 60, 112, 229, 216, 241, 45, 175, 8, 74, 84, 128, 166, 101,
            144, 197, 242, 147, 80, 154, 143, 63, 127, 138, 131, 163, 84, 213,
        ]
        let compact = "eyJhbGciOiJFUzI1NiJ9." + Base64URL.encode(Self.rfc7515Payload) + "." + Base64URL.encode(signature)
        #expect(compact.hasPrefix("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"))
        let verifier = JWSVerifier(allowedAlgorithms: [.es256])
        try verifier.verify(compact: compact, key: jwk.publicKey)
        var tampered = signature
        tampered[10] ^= 1
        #expect(throws: CryptoError.self) {
            try verifier.verify(compact: "eyJhbGciOiJFUzI1NiJ9." + Base64URL.encode(Self.rfc7515Payload) + "." + Base64URL.encode(tampered), key: jwk.publicKey)
        }
    }

    @Test("RFC 7797 §4: unencoded payload signing input and HMAC vectors; b64=false parses, HS256 is refused")
    func rfc7797() throws {
        let key = try Base64URL.decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
        let payload = Array("$.02".utf8)
        // §4.1: b64 true.
        let encodedHeader = Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8))
        #expect(encodedHeader == "eyJhbGciOiJIUzI1NiJ9")
        let encodedInput = JWS.signingInput(protectedSegment: encodedHeader, payload: payload, base64EncodedPayload: true)
        #expect(String(decoding: encodedInput, as: UTF8.self) == "eyJhbGciOiJIUzI1NiJ9.JC4wMg")
        #expect(Base64URL.encode(DigestAlgorithm.sha256.hmac(key: key, data: encodedInput)) == "5mvfOroL-g7HyqJoozehmsaqmvTYGEq5jTI1gVvoEoQ")
        // §4.2: b64 false, detached compact form.
        let compact = "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19..A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY"
        let jws = try JWS.parseCompact(compact, detachedPayload: payload)
        #expect(jws.header.base64EncodedPayload == false)
        #expect(jws.header.critical == ["b64"])
        #expect(String(decoding: jws.signingInput, as: UTF8.self) == "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19.$.02")
        #expect(DigestAlgorithm.sha256.hmac(key: key, data: jws.signingInput) == jws.signature)
        #expect(try jws.compactSerialization(detached: true) == compact)
        // The JSON serialization carries the payload as it stands.
        let json = try JWSJSONSerialization(signatures: [jws]).serialized(flattened: true)
        #expect(json == #"{"payload":"$.02","protected":"eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19","signature":"A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY"}"#)
        #expect(try JWSJSONSerialization.parse(Array(json.utf8)).signatures[0].signingInput == jws.signingInput)
        // Nachweis never verifies HMAC signatures.
        let anyKey = try PrivateKey.generate(.ed25519).publicKey
        #expect(throws: CryptoError(.symmetricAlgorithm, "HMAC algorithm HS256 is never accepted: credentials need an asymmetric signature")) {
            try JWSVerifier(allowedAlgorithms: [.eddsa]).verify(jws, key: anyKey)
        }
    }

    @Test("RFC 7638 §3.1: RSA JWK thumbprint")
    func rfc7638() throws {
        let jwk = try JWK(json: Array("""
            {"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}
            """.utf8))
        #expect(String(decoding: jwk.thumbprintInput, as: UTF8.self).hasPrefix(#"{"e":"AQAB","kty":"RSA","n":"0vx7agoeb"#))
        #expect(jwk.thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        #expect(jwk.keyID == "2011-04-29")
    }

    @Test("W3C vc-di-eddsa key pair: seed → public key → multibase, both ways")
    func w3cKeyPair() throws {
        let url = try TestEnvironment.reference("w3c/vc-di-eddsa/TestVectors/keyPair.json")
        let pair = try JSONParser().parse(Array(try Data(contentsOf: url)))
        let publicMultibase = try #require(pair["publicKeyMultibase"]?.stringValue)
        let privateMultibase = try #require(pair["privateKeyMultibase"]?.stringValue)
        // Seed → public key → multibase.
        let privateKey = try Multikey.decodePrivateKey(privateMultibase)
        #expect(try Multikey.encode(privateKey.publicKey) == publicMultibase)
        #expect(try Multikey.encode(privateKey: privateKey) == privateMultibase)
        // Multibase → public key → multibase, and did:key.
        let publicKey = try Multikey.decodePublicKey(publicMultibase)
        #expect(publicKey == privateKey.publicKey)
        let did = try DIDKey(publicKey: publicKey)
        #expect(did.did == "did:key:" + publicMultibase)
        #expect(try DIDKey(parsing: did.verificationMethod).publicKey == publicKey)
        // A signature by the seed verifies under the multibase key.
        let message = Array("vc-di-eddsa".utf8)
        #expect(publicKey.isValidSignature(try privateKey.signature(for: message, algorithm: .eddsa), for: message, algorithm: .eddsa))
    }
}
