import Foundation
import Synchronization

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

    /// Random bytes for salts and identifiers, handed out from a buffer of OpenSSL's output drawn 4 KiB at a time.
    /// A call to `RAND_bytes` costs about as much for 16 bytes as for 4 096 (OpenSSL 3 takes locks and looks up
    /// parameters on every call: ~1.5 µs, 2% of issuing a credential, which draws twice). Not for keys, tokens or
    /// other secrets: the buffer holds values not yet handed out in memory. The process must not fork after first
    /// use (a child would hand out the same bytes); the server does not.
    public static func pooled(_ count: Int) throws(CryptoError) -> [UInt8] {
        guard count <= RandomPool.capacity / 16 else { return try bytes(count) }
        return try RandomPool.shared.withLock { pool throws(CryptoError) -> [UInt8] in try pool.take(count) }
    }
}

/// The buffer behind ``SecureRandom/pooled(_:)``. Bytes handed out are overwritten with zeros.
struct RandomPool: ~Copyable {
    static let capacity = 4096
    static let shared = Mutex(RandomPool())

    private var buffer = [UInt8](repeating: 0, count: RandomPool.capacity)
    private var position = RandomPool.capacity

    mutating func take(_ count: Int) throws(CryptoError) -> [UInt8] {
        if position + count > RandomPool.capacity {
            let result: Result<Void, CryptoError> = buffer.withUnsafeMutableBytes { raw in
                do throws(CryptoError) { return .success(try OpenSSLRandom.fill(raw)) } catch { return .failure(error) }
            }
            try result.get()
            position = 0
        }
        let range = position..<(position + count)
        let out = Array(buffer[range])
        buffer.withUnsafeMutableBufferPointer { $0[range].update(repeating: 0) }
        position += count
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
