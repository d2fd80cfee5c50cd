/// A `did:key` identifier (W3C CCG did:key method): `did:key:` followed by the key's Multikey value.
public struct DIDKey: Sendable, Hashable, CustomStringConvertible {
    /// The whole DID, `did:key:z…`.
    public let did: String
    public let publicKey: PublicKey

    /// The DID of a public key (Ed25519, P-256 or P-384).
    public init(publicKey: PublicKey) throws(CryptoError) {
        self.publicKey = publicKey
        self.did = "did:key:" + (try Multikey.encode(publicKey))
    }

    /// Parses a `did:key` DID, or a DID URL whose fragment is the same key (`did:key:z…#z…`).
    public init(parsing text: String) throws(CryptoError) {
        let parts = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let did = String(parts[0])
        guard did.hasPrefix("did:key:") else { throw CryptoError(.invalidDID, "not a did:key identifier") }
        let value = did.dropFirst("did:key:".count)
        guard !value.contains(":") else { throw CryptoError(.invalidDID, "did:key versions other than the default are not supported") }
        if parts.count == 2, parts[1] != value {
            throw CryptoError(.invalidDID, "did:key fragment must repeat the key (\(value))")
        }
        publicKey = try Multikey.decodePublicKey(value)
        self.did = did
    }

    /// The Multikey value (the method-specific identifier).
    public var multibase: String { String(did.dropFirst("did:key:".count)) }

    /// The verification method id: `did:key:z…#z…`.
    public var verificationMethod: String { did + "#" + multibase }

    public var description: String { did }
}
