import NachweisCrypto

/// The keys published in `Keys/` with the source code, by the SHA-256 of their SubjectPublicKeyInfo. Anyone can
/// sign with them, so production mode refuses them wherever they are copied to. `Keys/regenerate.sh` changes them:
/// `DevelopmentKeysTests` then names the entries to update.
public enum DevelopmentKeys {
    public static let publicKeySHA256: [String: String] = [
        "89737386ae4b16ca9d2c706391302f2072c83aa545e6fb24c62a831295eb8db7": "Keys/issuer-ed25519.pem",
        "230618ea3338d80f842ad917538e6502d8630bb9069a7180e9af3b52d57ea524": "Keys/issuer-p256.pem",
        "300542389b9c05f4b0b066d5aa11df4f3b9cb01bc3ebc6c8b1fc8fd5c37d6292": "Keys/issuer-rsa3072.pem",
        "3663b48897bdaf241ce048c97cea218b0afde6349e76d5bbcf0e33fb14a5d164": "Keys/seal-p256.key",
        "09b148e82c2199a0b34deaa9fa3a173c91030d5c2a5c0f29a8675d3b650e87e6": "Keys/dev-ca.key",
        "513d1ddbe80d28d743a9f4f6b11c0a4c982d714856f5c99c3eecf684a42923ab": "Keys/wallet-ed25519.pem",
    ]

    /// The `Keys/` file a key was published as, or nil for a key of the operator's own.
    public static func published(_ key: PublicKey) -> String? {
        publicKeySHA256[Hex.encode(DigestAlgorithm.sha256.hash(key.derRepresentation))]
    }
}
