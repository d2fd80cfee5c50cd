import NachweisCrypto
import NachweisJSON
import Testing

@Suite("JWS")
struct JWSTests {
    static let allAlgorithms: Set<SignatureAlgorithm> = Set(SignatureAlgorithm.allCases)
    let verifier = JWSVerifier(allowedAlgorithms: JWSTests.allAlgorithms)

    static let cases: [(KeyKind, SignatureAlgorithm)] = [
        (.ed25519, .eddsa), (.ecdsa(.p256), .es256), (.ecdsa(.p384), .es384), (.rsa(bits: 2048), .rs256), (.rsa(bits: 2048), .ps256),
    ]

    /// A compact JWS with a hand-made header, signed by key (for headers JWSSigner would never make).
    static func compact(header: String, payload: String = "payload", key: PrivateKey, algorithm: SignatureAlgorithm) throws -> String {
        let segment = Base64URL.encode(Array(header.utf8))
        let input = JWS.signingInput(protectedSegment: segment, payload: Array(payload.utf8), base64EncodedPayload: true)
        return segment + "." + Base64URL.encode(Array(payload.utf8)) + "." + Base64URL.encode(try key.signature(for: input, algorithm: algorithm))
    }

    @Test("sign and verify in compact, flattened and general JSON form", arguments: cases)
    func signVerify(kind: KeyKind, algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(kind)
        let jws = try JWSSigner.sign(payload: Array(#"{"x":1}"#.utf8), key: key, algorithm: algorithm, header: ["kid": "k", "typ": "JWT"])
        #expect(jws.header.keyID == "k")
        #expect(jws.header.type == "JWT")
        let compact = try jws.compactSerialization()
        // Serialized from the signing input it signed: the same text as from its parts, and as a parsed copy gives back.
        let fromParts = JWS(protectedSegment: jws.protectedSegment, header: jws.header, payload: jws.payload, signature: jws.signature)
        #expect(try fromParts.compactSerialization() == compact)
        #expect(try JWS.parseCompact(compact).compactSerialization() == compact)
        #expect(compact.split(separator: ".").count == 3 && Array(compact.utf8.prefix(jws.signingInput.count)) == jws.signingInput)
        let verified = try verifier.verify(compact: compact, key: key.publicKey)
        #expect(verified.payload == Array(#"{"x":1}"#.utf8))
        for flattened in [true, false] {
            let json = try JWSJSONSerialization(signatures: [jws]).serialized(flattened: flattened)
            let parsed = try JWSJSONSerialization.parse(Array(json.utf8))
            try verifier.verify(parsed.signatures[0], key: key.publicKey)
            #expect(parsed.serialized(flattened: flattened) == json)
        }
        // PS256 is randomized, the others deterministic or not: either way a tampered payload fails.
        var tampered = Array(compact)
        let dot = tampered.firstIndex(of: ".")!
        tampered[dot + 2] = tampered[dot + 2] == "A" ? "B" : "A"
        let error = #expect(throws: CryptoError.self) { try verifier.verify(compact: String(tampered), key: key.publicKey) }
        #expect([.invalidSignature, .malformedBase64URL].contains(error?.code))
    }

    @Test("general JSON serialization with two signatures; each verifies with its own key")
    func multipleSignatures() throws {
        let ed = try PrivateKey.generate(.ed25519), ec = try PrivateKey.generate(.ecdsa(.p256))
        let payload = Array("shared".utf8)
        let a = try JWSSigner.sign(payload: payload, key: ed, unprotectedHeader: ["kid": "ed"])
        let b = try JWSSigner.sign(payload: payload, key: ec, unprotectedHeader: ["kid": "ec"])
        let text = try JWSJSONSerialization(signatures: [a, b]).serialized()
        let parsed = try JWSJSONSerialization.parse(Array(text.utf8))
        #expect(parsed.signatures.count == 2)
        try verifier.verify(parsed.signatures[0], key: ed.publicKey)
        try verifier.verify(parsed.signatures[1], key: ec.publicKey)
        #expect(parsed.signatures[1].unprotectedHeader?["kid"] == "ec")
        expectError(.keyAlgorithmMismatch) { try verifier.verify(parsed.signatures[0], key: ec.publicKey) }
    }

    @Test("unencoded payload (RFC 7797): attached JSON form, detached compact form")
    func unencodedPayload() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let payload = Array(#"{"credential":"é . ok"}"#.utf8)
        let jws = try JWSSigner.sign(payload: payload, key: key, header: ["sigT": "2026-11-21T00:00:00Z", "crit": ["sigT"]],
                                     unencodedPayload: true)
        #expect(jws.header.critical == ["sigT", "b64"])
        #expect(jws.signingInput.suffix(payload.count) == payload[...])
        let json = try JWSJSONSerialization(signatures: [jws]).serialized(flattened: true)
        #expect(json.contains(#""payload":"{\"credential\":\"é . ok\"}""#))
        let parsed = try JWSJSONSerialization.parse(Array(json.utf8))
        // sigT is critical: a verifier must say it understands it.
        expectError(.unknownCriticalHeader) { try verifier.verify(parsed.signatures[0], key: key.publicKey) }
        try JWSVerifier(allowedAlgorithms: [.es256], understoodCriticalHeaders: ["sigT"]).verify(parsed.signatures[0], key: key.publicKey)
        // The payload holds '.', so compact needs it detached.
        expectError(.malformedJWS) { try jws.compactSerialization() }
        let detached = try jws.compactSerialization(detached: true)
        expectError(.payloadRequired) { try JWS.parseCompact(detached) }
        let reparsed = try JWS.parseCompact(detached, detachedPayload: payload)
        try JWSVerifier(allowedAlgorithms: [.es256], understoodCriticalHeaders: ["sigT"]).verify(reparsed, key: key.publicKey)
    }

    // MARK: Every rejection has its own typed error

    @Test("alg none is refused as jws.alg_none, even unsigned with an empty signature")
    func algNone() throws {
        let key = try PrivateKey.generate(.ed25519)
        for alg in ["none", "None", "NONE"] {
            let token = Base64URL.encode(Array(#"{"alg":"\#(alg)"}"#.utf8)) + "." + Base64URL.encode(Array("x".utf8)) + "."
            expectError(.algorithmNone) { try verifier.verify(compact: token, key: key.publicKey) }
        }
    }

    @Test("HMAC algorithms are refused as jws.alg_hmac, including HS256 keyed with the public key")
    func hmac() throws {
        let key = try PrivateKey.generate(.rsa(bits: 2048))
        // The classic confusion attack: HMAC with the verifier's public key bytes as the secret.
        let header = Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8))
        let input = JWS.signingInput(protectedSegment: header, payload: Array("x".utf8), base64EncodedPayload: true)
        let mac = DigestAlgorithm.sha256.hmac(key: Array(try key.publicKey.pemRepresentation().utf8), data: input)
        let token = header + "." + Base64URL.encode(Array("x".utf8)) + "." + Base64URL.encode(mac)
        expectError(.symmetricAlgorithm) { try verifier.verify(compact: token, key: key.publicKey) }
        for alg in ["HS384", "HS512"] {
            let other = Base64URL.encode(Array(#"{"alg":"\#(alg)"}"#.utf8)) + ".eA.AAAA"
            expectError(.symmetricAlgorithm) { try verifier.verify(compact: other, key: key.publicKey) }
        }
    }

    @Test("an algorithm outside the allow-list is jws.alg_not_allowed; an unknown one jws.alg_unsupported")
    func allowList() throws {
        let key = try PrivateKey.generate(.rsa(bits: 2048))
        let token = try JWSSigner.sign(payload: [1], key: key, algorithm: .ps256).compactSerialization()
        expectError(.algorithmNotAllowed) { try JWSVerifier(allowedAlgorithms: [.rs256]).verify(compact: token, key: key.publicKey) }
        let es512 = try Self.compact(header: #"{"alg":"ES512"}"#, key: try PrivateKey.generate(.ed25519), algorithm: .eddsa)
        expectError(.unsupportedAlgorithm) { try verifier.verify(compact: es512, key: key.publicKey) }
    }

    @Test("a key whose type does not fit alg is jws.key_alg_mismatch", arguments: cases)
    func keyMismatch(kind: KeyKind, algorithm: SignatureAlgorithm) throws {
        let signer = try PrivateKey.generate(kind)
        let token = try JWSSigner.sign(payload: [1], key: signer, algorithm: algorithm).compactSerialization()
        let wrongKind: KeyKind = kind == .ed25519 ? .ecdsa(.p256) : .ed25519
        let wrong = try PrivateKey.generate(wrongKind).publicKey
        expectError(.keyAlgorithmMismatch) { try verifier.verify(compact: token, key: wrong) }
        // ES256 header with a P-384 key, too.
        if algorithm == .es256 {
            let p384 = try PrivateKey.generate(.ecdsa(.p384)).publicKey
            expectError(.keyAlgorithmMismatch) { try verifier.verify(compact: token, key: p384) }
        }
    }

    @Test("unknown crit entries are jws.crit_unknown; malformed crit is jws.crit_invalid")
    func crit() throws {
        let key = try PrivateKey.generate(.ed25519)
        let unknown = try Self.compact(header: #"{"alg":"EdDSA","crit":["exp"],"exp":1}"#, key: key, algorithm: .eddsa)
        expectError(.unknownCriticalHeader) { try verifier.verify(compact: unknown, key: key.publicKey) }
        try JWSVerifier(allowedAlgorithms: [.eddsa], understoodCriticalHeaders: ["exp"]).verify(compact: unknown, key: key.publicKey)
        for header in [#"{"alg":"EdDSA","crit":[]}"#, #"{"alg":"EdDSA","crit":"exp","exp":1}"#, #"{"alg":"EdDSA","crit":["exp"]}"#,
                       #"{"alg":"EdDSA","crit":["alg"]}"#, #"{"alg":"EdDSA","crit":["x","x"],"x":1}"#, #"{"alg":"EdDSA","b64":false}"#] {
            let token = try Self.compact(header: header, key: key, algorithm: .eddsa)
            expectError(.invalidCriticalHeader, Comment(rawValue: "\(header)")) { try verifier.verify(compact: token, key: key.publicKey) }
        }
    }

    @Test("malformed base64url in any segment is jws.malformed_base64url", arguments: [
        "eyJhbGciOiJFZERTQSJ9=.eA.AAAA", "eyJhbGciOiJFZERTQSJ9.e+A.AAAA", "eyJhbGciOiJFZERTQSJ9.eA.AA/A",
        "eyJhbGciOiJFZERTQSJ9.eA.A", "eyJhbGciOiJFZERTQSJ9.eB.AAAA", "eyJhbGc iOiJFZERTQSJ9.eA.AAAA",
    ])
    func malformedBase64URL(token: String) throws {
        let key = try PrivateKey.generate(.ed25519).publicKey
        expectError(.malformedBase64URL) { try verifier.verify(compact: token, key: key) }
    }

    @Test("trailing garbage is jws.trailing_garbage: extra segments, or bytes after the header JSON")
    func trailingGarbage() throws {
        let key = try PrivateKey.generate(.ed25519)
        let token = try JWSSigner.sign(payload: [1], key: key).compactSerialization()
        expectError(.trailingGarbage) { try verifier.verify(compact: token + ".Z", key: key.publicKey) }
        let afterJSON = try Self.compact(header: #"{"alg":"EdDSA"}xx"#, key: key, algorithm: .eddsa)
        expectError(.trailingGarbage) { try verifier.verify(compact: afterJSON, key: key.publicKey) }
        let json = try JWSJSONSerialization(signatures: [JWSSigner.sign(payload: [1], key: key)]).serialized() + "}"
        expectError(.trailingGarbage) { try JWSJSONSerialization.parse(Array(json.utf8)) }
    }

    @Test("structural problems: segment counts, JWE, headers that are not objects or lack alg, duplicate names")
    func structure() throws {
        let key = try PrivateKey.generate(.ed25519).publicKey
        let checks: [(String, CryptoError.Code)] = [
            ("", .malformedJWS), ("a.b", .malformedJWS), ("a.b.c.d.e", .malformedJWS),
            (Base64URL.encode(Array("[1]".utf8)) + ".eA.AAAA", .malformedHeader),
            (Base64URL.encode(Array(#"{"typ":"JWT"}"#.utf8)) + ".eA.AAAA", .malformedHeader),
            (Base64URL.encode(Array(#"{"alg":"EdDSA","alg":"none"}"#.utf8)) + ".eA.AAAA", .malformedHeader),
            (Base64URL.encode(Array(#"{"alg":"EdDSA","b64":"no","crit":["b64"]}"#.utf8)) + ".eA.AAAA", .malformedHeader),
        ]
        for (token, code) in checks {
            expectError(code, Comment(rawValue: "\(token)")) { try verifier.verify(compact: token, key: key) }
        }
    }

    @Test("an ECDSA signature of the wrong length is jws.signature_encoding; DER instead of r||s too")
    func ecdsaLength() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let jws = try JWSSigner.sign(payload: [1], key: key)
        let der = try key.derSignature(for: jws.signingInput, algorithm: .es256)
        let token = jws.protectedSegment + "." + Base64URL.encode([1]) + "." + Base64URL.encode(der)
        expectError(.invalidSignatureEncoding) { try verifier.verify(compact: token, key: key.publicKey) }
    }

    @Test("JSON serialization: names in both headers, crit unprotected, missing protected header are refused")
    func jsonStructure() throws {
        let key = try PrivateKey.generate(.ed25519)
        let jws = try JWSSigner.sign(payload: [1], key: key, header: ["kid": "a"])
        let sig = Base64URL.encode(jws.signature)
        let texts: [(String, CryptoError.Code)] = [
            (#"{"payload":"AQ","protected":"\#(jws.protectedSegment)","header":{"kid":"b"},"signature":"\#(sig)"}"#, .malformedHeader),
            (#"{"payload":"AQ","protected":"\#(jws.protectedSegment)","header":{"crit":["x"]},"signature":"\#(sig)"}"#, .invalidCriticalHeader),
            (#"{"payload":"AQ","header":{"alg":"EdDSA"},"signature":"\#(sig)"}"#, .malformedHeader),
            (#"{"payload":"AQ","signatures":[]}"#, .malformedJWS),
            (#"{"payload":1,"protected":"\#(jws.protectedSegment)","signature":"\#(sig)"}"#, .malformedJWS),
            (#"{"payload":"AQ","protected":"\#(jws.protectedSegment)"}"#, .malformedJWS),
        ]
        for (text, code) in texts {
            expectError(code, Comment(rawValue: "\(text)")) { try JWSJSONSerialization.parse(Array(text.utf8)) }
        }
    }

    @Test("a JWS signed by one key does not verify with another of the same kind: jws.signature_invalid", arguments: cases)
    func wrongKey(kind: KeyKind, algorithm: SignatureAlgorithm) throws {
        let token = try JWSSigner.sign(payload: [1], key: try PrivateKey.generate(kind), algorithm: algorithm).compactSerialization()
        let other = try PrivateKey.generate(kind).publicKey
        expectError(.invalidSignature) { try verifier.verify(compact: token, key: other) }
    }
}
