import Foundation

/// A private signing key: Ed25519, ECDSA P-256/P-384 or RSA 2048–4096.
///
/// ```swift
/// let key = try PrivateKey.generate(.ed25519)
/// let signature = try key.signature(for: Array("hello".utf8), algorithm: .eddsa)
/// key.publicKey.isValidSignature(signature, for: Array("hello".utf8), algorithm: .eddsa)  // true
/// ```
public struct PrivateKey: Sendable {
    let evp: EVPKey

    init(evp: EVPKey) { self.evp = evp }

    /// The kind of key (and RSA size).
    public var kind: KeyKind { evp.kind }

    /// Generates a new key with OpenSSL's generator. RSA sizes outside 2048–4096 throw `key.invalid_size`.
    public static func generate(_ kind: KeyKind) throws(CryptoError) -> PrivateKey {
        PrivateKey(evp: try EVPKey.generate(kind))
    }

    /// Loads a PEM private key: PKCS#8 (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`) or a traditional form.
    /// Throws `key.wrong_passphrase` for an encrypted key without the right passphrase.
    public init(pem: String, passphrase: String? = nil) throws(CryptoError) {
        evp = try EVPKey.privateKey(pem: Array(pem.utf8), passphrase: passphrase)
    }

    /// Loads a DER PKCS#8 private key, encrypted or not.
    public init(der: [UInt8], passphrase: String? = nil) throws(CryptoError) {
        evp = try EVPKey.privateKey(der: der, passphrase: passphrase)
    }

    /// An Ed25519 key from its 32-byte seed (RFC 8032 private key).
    public init(ed25519Seed seed: [UInt8]) throws(CryptoError) {
        evp = try EVPKey.ed25519(seed: seed)
    }

    /// PKCS#8 PEM, encrypted with PBES2 / AES-256-CBC when a passphrase is given.
    public func pemRepresentation(passphrase: String? = nil) throws(CryptoError) -> String {
        try evp.privateKeyPEM(passphrase: passphrase)
    }

    /// PKCS#8 DER, encrypted when a passphrase is given.
    public func derRepresentation(passphrase: String? = nil) throws(CryptoError) -> [UInt8] {
        try evp.privateKeyDER(passphrase: passphrase)
    }

    /// The matching public key.
    public var publicKey: PublicKey {
        // A key OpenSSL holds as private always has a public half it can encode.
        PublicKey(evp: try! evp.publicOnly())
    }

    /// The Ed25519 seed (32 bytes); throws for other kinds.
    public func ed25519Seed() throws(CryptoError) -> [UInt8] { try evp.rawPrivateKey() }

    /// Signs message with algorithm. ECDSA signatures are in JOSE form (`r || s`, fixed size);
    /// use ``derSignature(for:algorithm:)`` for the DER form X.509 and CMS use.
    /// Throws `jws.key_alg_mismatch` when the algorithm does not fit the key.
    public func signature(for message: some ContiguousBytes, algorithm: SignatureAlgorithm) throws(CryptoError) -> [UInt8] {
        let der = try derSignature(for: message, algorithm: algorithm)
        if let curve = algorithm.ecdsaCurve {
            return try ECDSASignatureEncoding.rawFromDER(der, coordinateSize: curve.coordinateSize)
        }
        return der
    }

    /// Signs message; ECDSA signatures DER-encoded.
    public func derSignature(for message: some ContiguousBytes, algorithm: SignatureAlgorithm) throws(CryptoError) -> [UInt8] {
        guard algorithm.fits(kind) else {
            throw CryptoError(.keyAlgorithmMismatch, "\(algorithm) cannot be used with an \(kind) key")
        }
        let result: Result<[UInt8], CryptoError> = message.withUnsafeBytes { bytes in
            do throws(CryptoError) { return .success(try evp.sign(bytes, scheme: algorithm.scheme)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
