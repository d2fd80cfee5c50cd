/// Checks JWS signatures under an explicit policy: which algorithms are allowed, and which `crit`
/// header names the caller understands. `none` and HMAC algorithms are always refused.
///
/// Each refusal has its own code: `jws.alg_none`, `jws.alg_hmac`, `jws.alg_unsupported`,
/// `jws.alg_not_allowed`, `jws.crit_unknown`, `jws.key_alg_mismatch`, `jws.signature_encoding`,
/// `jws.signature_invalid` (plus the parse errors of ``JWS/parseCompact(_:detachedPayload:)``).
public struct JWSVerifier: Sendable {
    public var allowedAlgorithms: Set<SignatureAlgorithm>
    /// Extension header names the caller processes (`b64` is always understood).
    public var understoodCriticalHeaders: Set<String>

    public init(allowedAlgorithms: Set<SignatureAlgorithm>, understoodCriticalHeaders: Set<String> = []) {
        self.allowedAlgorithms = allowedAlgorithms
        self.understoodCriticalHeaders = understoodCriticalHeaders.union(["b64"])
    }

    /// The header's algorithm, if the policy allows it (and `crit` is understood); no key involved.
    public func acceptedAlgorithm(of header: JWSHeader) throws(CryptoError) -> SignatureAlgorithm {
        let name = header.algorithmName
        if name.lowercased() == "none" {
            throw CryptoError(.algorithmNone, "alg \"\(name)\" (an unsigned JWS) is never accepted")
        }
        if name.uppercased().hasPrefix("HS") {
            throw CryptoError(.symmetricAlgorithm, "HMAC algorithm \(name) is never accepted: credentials need an asymmetric signature")
        }
        guard let algorithm = SignatureAlgorithm(rawValue: name) else {
            throw CryptoError(.unsupportedAlgorithm, "algorithm \(name) is not supported")
        }
        guard allowedAlgorithms.contains(algorithm) else {
            let allowed = allowedAlgorithms.map(\.rawValue).sorted().joined(separator: ", ")
            throw CryptoError(.algorithmNotAllowed, "algorithm \(name) is not allowed here (allowed: \(allowed))")
        }
        for name in header.critical where !understoodCriticalHeaders.contains(name) {
            throw CryptoError(.unknownCriticalHeader, "critical header \(name) is not understood")
        }
        return algorithm
    }

    /// Verifies one signature with key. Returns normally when valid.
    public func verify(_ jws: JWS, key: PublicKey) throws(CryptoError) {
        let algorithm = try acceptedAlgorithm(of: jws.header)
        guard algorithm.fits(key.kind) else {
            throw CryptoError(.keyAlgorithmMismatch, "\(algorithm) signatures cannot come from an \(key.kind) key")
        }
        if let curve = algorithm.ecdsaCurve, jws.signature.count != 2 * curve.coordinateSize {
            throw CryptoError(.invalidSignatureEncoding,
                              "an \(algorithm) signature is \(2 * curve.coordinateSize) bytes (r || s), not \(jws.signature.count)")
        }
        guard key.isValidSignature(jws.signature, for: jws.signingInput, algorithm: algorithm) else {
            throw CryptoError(.invalidSignature, "the \(algorithm) signature does not match the key and content")
        }
    }

    /// Parses and verifies a compact JWS; returns it (payload and header) when valid.
    @discardableResult
    public func verify(compact: some StringProtocol, key: PublicKey, detachedPayload: [UInt8]? = nil) throws(CryptoError) -> JWS {
        let jws = try JWS.parseCompact(compact, detachedPayload: detachedPayload)
        try verify(jws, key: key)
        return jws
    }
}
