import COpenSSL

/// Digests fetched once from the default provider (OpenSSL 3 fetches implicitly on every
/// `EVP_sha256()` use otherwise, which costs more than a small signature's hashing).
///
/// `@unchecked Sendable` invariant: fetched `EVP_MD` objects are immutable and shareable.
struct FetchedDigest: @unchecked Sendable {
    let pointer: OpaquePointer

    static let sha256 = FetchedDigest(name: "SHA256")
    static let sha384 = FetchedDigest(name: "SHA384")
    static let sha512 = FetchedDigest(name: "SHA512")

    private init(name: String) {
        guard let md = EVP_MD_fetch(nil, name, nil) else { fatalError("OpenSSL has no \(name)") }
        pointer = md
    }
}

extension DigestAlgorithm {
    var fetched: FetchedDigest {
        switch self {
        case .sha256: .sha256
        case .sha384: .sha384
        case .sha512: .sha512
        }
    }

    func computeDigest(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = EVP_Digest(data.baseAddress, data.count, &out, &length, fetched.pointer, nil)
        precondition(ok == 1, "EVP_Digest failed")
        return Array(out[0..<Int(length)])
    }

    func computeHMAC(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = HMAC(fetched.pointer, key.baseAddress, Int32(key.count),
                          data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count, &out, &length)
        precondition(result != nil, "HMAC failed")
        return Array(out[0..<Int(length)])
    }
}

enum OpenSSLRandom {
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        guard buffer.count > 0 else { return }
        guard buffer.count <= Int(Int32.max), RAND_bytes(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1 else {
            throw .openSSL(.randomFailure, "RAND_bytes failed")
        }
    }
}

enum OpenSSLMemory {
    static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0 else { return true }
        return CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
    }
}

enum OpenSSLLegacy {
    static func md5(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = EVP_Digest(data.baseAddress, data.count, &out, &length, EVP_md5(), nil)
        precondition(ok == 1, "EVP_Digest(MD5) failed")
        return Array(out[0..<Int(length)])
    }
}
