import NachweisCrypto

/// OB 2.0 and OB 3.0 recipient identity hashes: `sha256$<hex>` or `md5$<hex>` of the identity plus salt.
public enum RecipientHash {
    /// `sha256$` + hex(SHA-256(identity + salt)).
    public static func sha256(_ identity: String, salt: String?) -> String {
        "sha256$" + hex(DigestAlgorithm.sha256.hash(Array((identity + (salt ?? "")).utf8)))
    }

    /// Whether identity (plain) matches the stored value. Emails compare case-insensitively, as OB 2.0
    /// implementations lower-case them before hashing.
    public static func matches(identity: String, hashed: Bool, value: String?, salt: String?) -> Bool {
        guard let value else { return false }
        guard hashed else { return value.lowercased() == identity.lowercased() }
        let parts = value.split(separator: "$", maxSplits: 1)
        guard parts.count == 2 else { return false }
        let expected = parts[1].lowercased()
        let candidates = Set([identity, identity.lowercased()])
        for candidate in candidates {
            let input = Array((candidate + (salt ?? "")).utf8)
            let digest: [UInt8]
            switch parts[0].lowercased() {
            case "sha256": digest = DigestAlgorithm.sha256.hash(input)
            case "md5": digest = LegacyDigest.md5(input)
            default: return false
            }
            if ConstantTime.equal(Array(hex(digest).utf8), Array(expected.utf8)) { return true }
        }
        return false
    }

    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
}
