/// The kinds of asymmetric key Nachweis signs and verifies with.
public enum KeyKind: Sendable, Hashable, CustomStringConvertible {
    case ed25519
    case ecdsa(Curve)
    /// RSA with its modulus size in bits.
    case rsa(bits: Int)

    /// NIST curves for ECDSA, named as JOSE names them.
    public enum Curve: String, Sendable, Hashable, CaseIterable {
        case p256 = "P-256"
        case p384 = "P-384"

        /// Bytes of one coordinate or scalar.
        public var coordinateSize: Int {
            switch self {
            case .p256: 32
            case .p384: 48
            }
        }

        /// The OpenSSL group name.
        var groupName: String {
            switch self {
            case .p256: "P-256"
            case .p384: "P-384"
            }
        }
    }

    /// RSA moduli Nachweis generates and accepts for signing.
    public static let rsaSizes: ClosedRange<Int> = 2048...4096

    public var description: String {
        switch self {
        case .ed25519: "Ed25519"
        case .ecdsa(let curve): "ECDSA \(curve.rawValue)"
        case .rsa(let bits): "RSA \(bits)"
        }
    }
}
