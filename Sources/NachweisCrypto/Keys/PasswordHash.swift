import COpenSSL

/// Passwords stored as scrypt hashes (RFC 7914) computed by OpenSSL, each with its own random salt:
/// `scrypt$ln=15,r=8,p=3$<salt>$<hash>` (salt and hash in unpadded base64url; `ln` is log2 of N). The parameters
/// travel with each hash, so that raising the cost later leaves existing hashes verifiable.
///
/// ```swift
/// let stored = try PasswordHash.make("correct horse")
/// try PasswordHash.verify("correct horse", against: stored)   // true
/// ```
public enum PasswordHash {
    /// The cost of new hashes: N = 2^15, r = 8, p = 3 — one of OWASP's equivalent minimums for scrypt (Password
    /// Storage Cheat Sheet: 2^17/8/1 at 128 MiB, or 2^16/8/2, 2^15/8/3, …), at 32 MiB of memory per hash.
    public struct Cost: Sendable, Hashable {
        public var logN: Int
        public var r: Int
        public var p: Int

        public init(logN: Int, r: Int, p: Int) {
            (self.logN, self.r, self.p) = (logN, r, p)
        }

        public static let standard = Cost(logN: 15, r: 8, p: 3)
        /// Bounds of what a stored hash may ask for (a hash read from the database is data, not trusted code).
        static let allowedLogN = 10...20
        static let allowedR = 1...32
        static let allowedP = 1...16

        var isAllowed: Bool { Self.allowedLogN.contains(logN) && Self.allowedR.contains(r) && Self.allowedP.contains(p) }
        /// The memory OpenSSL may use: what scrypt needs (128 · r · N + 128 · r · p) with room to spare.
        var memoryLimit: UInt64 { UInt64(128 * r) * (UInt64(1) << UInt64(logN)) * 2 + UInt64(128 * r * p) + (1 << 20) }
    }

    static let saltBytes = 16
    static let hashBytes = 32

    /// A new hash of the password, with a fresh salt.
    public static func make(_ password: String, cost: Cost = .standard) throws(CryptoError) -> String {
        guard cost.isAllowed else { throw CryptoError(.invalidKey, "scrypt cost outside the allowed range") }
        let salt = try SecureRandom.bytes(saltBytes)
        let hash = try derive(password, salt: salt, cost: cost)
        return "scrypt$ln=\(cost.logN),r=\(cost.r),p=\(cost.p)$\(Base64URL.encode(salt))$\(Base64URL.encode(hash))"
    }

    /// Whether the password matches the stored hash; the comparison takes the same time wherever they differ.
    /// A stored value that is not a hash of this form throws (it is not a wrong password: the data is broken).
    public static func verify(_ password: String, against stored: String) throws(CryptoError) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "scrypt", let cost = parseCost(parts[1]), cost.isAllowed,
              let salt = try? Base64URL.decode(String(parts[2])), let expected = try? Base64URL.decode(String(parts[3])),
              !salt.isEmpty, expected.count == hashBytes
        else { throw CryptoError(.invalidKey, "not a stored scrypt password hash") }
        let hash = try derive(password, salt: salt, cost: cost)
        return ConstantTime.equal(hash, expected)
    }

    /// Whether a stored hash was made at a lower cost than `cost` (to re-hash at the next sign-in).
    public static func needsRehash(_ stored: String, cost: Cost = .standard) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, let found = parseCost(parts[1]) else { return true }
        return found.logN < cost.logN || found.r < cost.r || found.p < cost.p
    }

    static func parseCost(_ text: Substring) -> Cost? {
        var values: [Substring: Int] = [:]
        for pair in text.split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let value = Int(kv[1]) else { return nil }
            values[kv[0]] = value
        }
        guard values.count == 3, let logN = values["ln"], let r = values["r"], let p = values["p"] else { return nil }
        return Cost(logN: logN, r: r, p: p)
    }

    static func derive(_ password: String, salt: [UInt8], cost: Cost, length: Int = hashBytes) throws(CryptoError) -> [UInt8] {
        let secret = Array(password.utf8)
        var out = [UInt8](repeating: 0, count: length)
        let ok = secret.withUnsafeBufferPointer { pass in
            salt.withUnsafeBufferPointer { salt in
                out.withUnsafeMutableBufferPointer { key in
                    EVP_PBE_scrypt(pass.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, pass.count,
                                   salt.baseAddress, salt.count, UInt64(1) << UInt64(cost.logN), UInt64(cost.r), UInt64(cost.p),
                                   cost.memoryLimit, key.baseAddress, key.count)
                }
            }
        }
        guard ok == 1 else { throw .openSSL(.openSSLFailure, "scrypt failed") }
        return out
    }
}
