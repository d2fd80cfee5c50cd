import Foundation

/// SHA-2 digests, computed by OpenSSL.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable {
    case sha256 = "SHA-256"
    case sha384 = "SHA-384"
    case sha512 = "SHA-512"

    /// Output size in bytes.
    public var size: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The digest of data.
    public func hash(_ data: some ContiguousBytes) -> [UInt8] {
        data.withUnsafeBytes { computeDigest($0) }
    }

    /// HMAC of data under key (RFC 2104). For API token hashing and test vectors; JWS verification
    /// never accepts HMAC algorithms.
    public func hmac(key: some ContiguousBytes, data: some ContiguousBytes) -> [UInt8] {
        key.withUnsafeBytes { k in data.withUnsafeBytes { d in computeHMAC(key: k, data: d) } }
    }
}

/// Cryptographically secure random bytes from OpenSSL's DRBG.
public enum SecureRandom {
    /// count random bytes. Throws only when OpenSSL's generator cannot be seeded.
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let result: Result<Void, CryptoError> = out.withUnsafeMutableBytes { buffer in
            do throws(CryptoError) { return .success(try OpenSSLRandom.fill(buffer)) } catch { return .failure(error) }
        }
        try result.get()
        return out
    }
}

/// Comparison whose time does not depend on where the inputs differ (for secrets and MACs).
public enum ConstantTime {
    /// True when a and b are equal; false at once when their lengths differ (lengths are not secret).
    public static func equal(_ a: some ContiguousBytes, _ b: some ContiguousBytes) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in OpenSSLMemory.constantTimeEqual(x, y) } }
    }
}

/// Digests kept only to read old data: MD5 appears in OB 2.0 recipient hashes (`md5$…`). Never for new signatures.
public enum LegacyDigest {
    public static func md5(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { OpenSSLLegacy.md5($0) }
    }
}
