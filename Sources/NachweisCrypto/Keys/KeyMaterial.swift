import NachweisJSON

/// What a key file holds, detected from its bytes: a JWK (JSON), a PEM private or public key,
/// a PEM certificate (its public key), or DER (PKCS#8, SubjectPublicKeyInfo, certificate).
public enum KeyMaterial: Sendable {
    case privateKey(PrivateKey)
    case publicKey(PublicKey)
    case certificate(Certificate)

    /// The public key, whatever the material.
    public func publicKey() throws(CryptoError) -> PublicKey {
        switch self {
        case .privateKey(let key): key.publicKey
        case .publicKey(let key): key
        case .certificate(let cert): try cert.publicKey()
        }
    }

    /// Parses key material.
    ///
    /// - Throws: the loader's errors (`key.invalid_pem`, `key.wrong_passphrase`, `jwk.invalid`, …), or
    ///   `key.invalid` when the bytes are none of the forms above.
    public static func parse(_ bytes: [UInt8], passphrase: String? = nil) throws(CryptoError) -> KeyMaterial {
        let trimmed = bytes.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
        if trimmed.first == UInt8(ascii: "{") {
            let jwk = try JWK(json: bytes)
            if let key = jwk.privateKey { return .privateKey(key) }
            return .publicKey(jwk.publicKey)
        }
        if bytes.containsASCII("-----BEGIN") {
            if bytes.containsASCII("PRIVATE KEY-----") {
                return .privateKey(try PrivateKey(pem: String(decoding: bytes, as: UTF8.self), passphrase: passphrase))
            }
            if bytes.containsASCII("-----BEGIN PUBLIC KEY-----") {
                return .publicKey(try PublicKey(pem: String(decoding: bytes, as: UTF8.self)))
            }
            if bytes.containsASCII("-----BEGIN CERTIFICATE-----") {
                return .certificate(try Certificate.parse(bytes)[0])
            }
            throw CryptoError(.invalidPEM, "PEM block is not a private key, public key or certificate")
        }
        if let key = try? PrivateKey(der: bytes, passphrase: passphrase) { return .privateKey(key) }
        if let key = try? PublicKey(der: bytes) { return .publicKey(key) }
        if let cert = try? Certificate(der: bytes) { return .certificate(cert) }
        throw CryptoError(.invalidKey, "not a key: expected a JWK, PEM or DER key, or a certificate")
    }
}
