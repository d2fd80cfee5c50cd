/// The JOSE signature algorithms Nachweis makes and checks (RFC 7518, RFC 8037).
/// HMAC and `none` are deliberately absent: a credential is signed with a key only its issuer holds.
public enum SignatureAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case eddsa = "EdDSA"
    case es256 = "ES256"
    case es384 = "ES384"
    case rs256 = "RS256"
    case ps256 = "PS256"

    public var description: String { rawValue }

    /// Whether a key of this kind can make or check this algorithm's signatures.
    public func fits(_ kind: KeyKind) -> Bool {
        switch (self, kind) {
        case (.eddsa, .ed25519), (.es256, .ecdsa(.p256)), (.es384, .ecdsa(.p384)): true
        case (.rs256, .rsa(let bits)), (.ps256, .rsa(let bits)): bits >= KeyKind.rsaSizes.lowerBound
        default: false
        }
    }

    /// The algorithm a key of this kind signs with when none is named (RS256 for RSA).
    public static func `default`(for kind: KeyKind) -> SignatureAlgorithm {
        switch kind {
        case .ed25519: .eddsa
        case .ecdsa(.p256): .es256
        case .ecdsa(.p384): .es384
        case .rsa: .rs256
        }
    }

    var scheme: SignatureScheme {
        switch self {
        case .eddsa: SignatureScheme(digest: nil, rsaPSS: false)
        case .es256, .rs256: SignatureScheme(digest: .sha256, rsaPSS: false)
        case .ps256: SignatureScheme(digest: .sha256, rsaPSS: true)
        case .es384: SignatureScheme(digest: .sha384, rsaPSS: false)
        }
    }

    var ecdsaCurve: KeyKind.Curve? {
        switch self {
        case .es256: .p256
        case .es384: .p384
        default: nil
        }
    }
}
