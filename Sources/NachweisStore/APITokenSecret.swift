import NachweisCrypto

/// A staff API token's secret: `nw_` + 32 random bytes in base64url. The secret is shown once; only its SHA-256
/// (``hash``) is stored, so a leaked database does not leak working tokens.
public struct APITokenSecret: Sendable {
    public let text: String

    /// A fresh secret from OpenSSL's DRBG.
    public static func generate() throws(CryptoError) -> APITokenSecret {
        APITokenSecret(text: "nw_" + Base64URL.encode(try SecureRandom.bytes(32)))
    }

    public init(text: String) { self.text = text }

    /// Lower-case hex SHA-256 of the token text: what the store keeps and looks tokens up by.
    public var hash: String { Hex.encode(DigestAlgorithm.sha256.hash(Array(text.utf8))) }
}
