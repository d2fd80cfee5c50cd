import NachweisJSON

/// Makes JWS signatures.
///
/// ```swift
/// let jws = try JWSSigner.sign(payload: Array("hello".utf8), key: key)
/// let compact = try jws.compactSerialization()
/// ```
public enum JWSSigner {
    /// Signs payload. The protected header is `alg` first, then `header`'s members in order;
    /// `unencodedPayload` adds `"b64": false` and lists `b64` in `crit` (RFC 7797).
    ///
    /// - Parameter algorithm: defaults to the key's usual algorithm (EdDSA, ES256, ES384, RS256).
    /// - Throws: `jws.key_alg_mismatch`, `jws.malformed_header` for an `alg` in `header` that disagrees.
    public static func sign(payload: [UInt8], key: PrivateKey, algorithm: SignatureAlgorithm? = nil,
                            header: JSONObject = JSONObject(), unprotectedHeader: JSONObject? = nil,
                            unencodedPayload: Bool = false) throws(CryptoError) -> JWS {
        let alg = algorithm ?? .default(for: key.kind)
        guard alg.fits(key.kind) else { throw CryptoError(.keyAlgorithmMismatch, "\(alg) cannot be used with an \(key.kind) key") }
        var members = JSONObject()
        members["alg"] = .string(alg.rawValue)
        for member in header where member.key != "alg" { members[member.key] = member.value }
        if let given = header["alg"], given != .string(alg.rawValue) {
            throw CryptoError(.malformedHeader, "the header's alg disagrees with the signing algorithm \(alg)")
        }
        if unencodedPayload {
            members["b64"] = false
            var crit = members["crit"]?.arrayValue ?? []
            if !crit.contains("b64") { crit.append("b64") }
            members["crit"] = .array(crit)
        }
        let parsed = try JWSHeader(.object(members))
        let protectedSegment = Base64URL.encode(JSONValue.object(members).compactBytes)
        let input = JWS.signingInput(protectedSegment: protectedSegment, payload: payload, base64EncodedPayload: !unencodedPayload)
        let signature = try key.signature(for: input, algorithm: alg)
        return JWS(protectedSegment: protectedSegment, header: parsed, unprotectedHeader: unprotectedHeader,
                   payload: payload, signature: signature, knownSigningInput: input)
    }
}
