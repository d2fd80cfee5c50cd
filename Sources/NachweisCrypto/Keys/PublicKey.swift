import Foundation

/// A public verification key: Ed25519, ECDSA P-256/P-384 or RSA (at least 2048 bits).
public struct PublicKey: Sendable, Hashable {
    let evp: EVPKey

    init(evp: EVPKey) { self.evp = evp }

    /// SubjectPublicKeyInfo DER: the key's identity for equality and hashing (computed once, on first use).
    public var derRepresentation: [UInt8] { evp.cachedPublicKeyDER }

    /// The kind of key (and RSA size).
    public var kind: KeyKind { evp.kind }

    /// Loads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    public init(pem: String) throws(CryptoError) {
        self.init(evp: try EVPKey.publicKey(pem: Array(pem.utf8)))
    }

    /// Loads a DER SubjectPublicKeyInfo; every byte must belong to it.
    public init(der: [UInt8]) throws(CryptoError) {
        self.init(evp: try EVPKey.publicKey(der: der))
    }

    /// An Ed25519 key from its 32 raw bytes.
    public init(ed25519 bytes: [UInt8]) throws(CryptoError) {
        self.init(evp: try EVPKey.ed25519(publicKey: bytes))
    }

    /// An ECDSA key from its affine coordinates (each the curve's size); checked to be on the curve.
    public init(curve: KeyKind.Curve, x: [UInt8], y: [UInt8]) throws(CryptoError) {
        guard x.count == curve.coordinateSize, y.count == curve.coordinateSize else {
            throw CryptoError(.invalidKey, "\(curve.rawValue) coordinates are \(curve.coordinateSize) bytes each")
        }
        self.init(evp: try EVPKey.ec(curve: curve, point: [0x04] + x + y, privateScalar: nil))
    }

    /// PEM `PUBLIC KEY`.
    public func pemRepresentation() throws(CryptoError) -> String { try evp.publicKeyPEM() }

    /// The 32 raw bytes of an Ed25519 key; throws for other kinds.
    public func ed25519Bytes() throws(CryptoError) -> [UInt8] { try evp.rawPublicKey() }

    /// The affine coordinates of an ECDSA key, each padded to the curve's size.
    public func ecCoordinates() throws(CryptoError) -> (x: [UInt8], y: [UInt8]) {
        guard case .ecdsa(let curve) = kind else { throw CryptoError(.invalidKey, "not an ECDSA key") }
        return (try evp.bigNumber("qx", paddedTo: curve.coordinateSize), try evp.bigNumber("qy", paddedTo: curve.coordinateSize))
    }

    /// Whether signature is a valid signature of message under this key with algorithm.
    /// ECDSA signatures are in JOSE form (`r || s`). A key that does not fit the algorithm gives false.
    public func isValidSignature(_ signature: some ContiguousBytes, for message: some ContiguousBytes,
                                 algorithm: SignatureAlgorithm) -> Bool {
        guard algorithm.fits(kind) else { return false }
        return signature.withUnsafeBytes { sig in
            message.withUnsafeBytes { msg in
                if let curve = algorithm.ecdsaCurve {
                    guard let der = try? ECDSASignatureEncoding.derFromRaw(sig, coordinateSize: curve.coordinateSize) else { return false }
                    return der.withUnsafeBytes { evp.verify($0, message: msg, scheme: algorithm.scheme) }
                }
                return evp.verify(sig, message: msg, scheme: algorithm.scheme)
            }
        }
    }

    /// Like ``isValidSignature(_:for:algorithm:)`` but with a DER-encoded ECDSA signature.
    public func isValidDERSignature(_ signature: some ContiguousBytes, for message: some ContiguousBytes,
                                    algorithm: SignatureAlgorithm) -> Bool {
        guard algorithm.fits(kind) else { return false }
        return signature.withUnsafeBytes { sig in
            message.withUnsafeBytes { msg in evp.verify(sig, message: msg, scheme: algorithm.scheme) }
        }
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.derRepresentation == rhs.derRepresentation }
    public func hash(into hasher: inout Hasher) { hasher.combine(derRepresentation) }
}
