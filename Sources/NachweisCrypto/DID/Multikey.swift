/// Multikey encodings (W3C Controlled Identifiers §2.2.2): multibase base58btc over a multicodec-prefixed key.
/// Public keys: Ed25519 (`z6Mk…`), P-256 (`zDn…`, compressed point), P-384 (`z82…`). Private: Ed25519 seed (`z3u2…`).
public enum Multikey {
    /// The `publicKeyMultibase` of a key.
    public static func encode(_ key: PublicKey) throws(CryptoError) -> String {
        switch key.kind {
        case .ed25519:
            return Multibase.encodeBase58BTC(Multicodec.ed25519Public.prefix + (try key.ed25519Bytes()))
        case .ecdsa(let curve):
            let (x, y) = try key.ecCoordinates()
            let compressed = [UInt8(0x02 | (y.last! & 1))] + x
            let codec: Multicodec = curve == .p256 ? .p256Public : .p384Public
            return Multibase.encodeBase58BTC(codec.prefix + compressed)
        case .rsa:
            throw CryptoError(.unsupportedKeyType, "Multikey encoding covers Ed25519 and ECDSA keys, not RSA")
        }
    }

    /// The public key in a `publicKeyMultibase` value.
    public static func decodePublicKey(_ text: some StringProtocol) throws(CryptoError) -> PublicKey {
        guard text.first == "z" else { throw CryptoError(.unsupportedMultibase, "a Multikey value is base58btc (starts with 'z')") }
        let (codec, key) = try Multicodec.split(try Multibase.decode(text))
        switch codec {
        case .ed25519Public:
            return try PublicKey(ed25519: key)
        case .p256Public, .p384Public:
            guard key[0] == 0x02 || key[0] == 0x03 else { throw CryptoError(.invalidKey, "expected a compressed EC point") }
            return PublicKey(evp: try EVPKey.ec(curve: codec == .p256Public ? .p256 : .p384, point: key, privateScalar: nil))
        default:
            throw CryptoError(.unsupportedMulticodec, "not a public key multicodec")
        }
    }

    /// The `secretKeyMultibase` of an Ed25519 key (multicodec ed25519-priv + 32-byte seed).
    public static func encode(privateKey: PrivateKey) throws(CryptoError) -> String {
        guard privateKey.kind == .ed25519 else {
            throw CryptoError(.unsupportedKeyType, "private Multikey encoding is provided for Ed25519 keys")
        }
        return Multibase.encodeBase58BTC(Multicodec.ed25519Private.prefix + (try privateKey.ed25519Seed()))
    }

    /// An Ed25519 private key from its `secretKeyMultibase`.
    public static func decodePrivateKey(_ text: some StringProtocol) throws(CryptoError) -> PrivateKey {
        let (codec, key) = try Multicodec.split(try Multibase.decode(text))
        guard codec == .ed25519Private else { throw CryptoError(.unsupportedMulticodec, "not an Ed25519 private key multicodec") }
        return try PrivateKey(ed25519Seed: key)
    }
}
