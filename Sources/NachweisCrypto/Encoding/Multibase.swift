/// Multibase (base58btc `z` and base64url `u`) and multicodec key prefixes.
public enum Multibase {
    /// Encodes as multibase base58btc (`z…`).
    public static func encodeBase58BTC(_ bytes: [UInt8]) -> String { "z" + Base58.encode(bytes) }

    /// Decodes multibase text; supports `z` (base58btc) and `u` (base64url).
    /// Throws `encoding.unsupported_multibase` for other prefixes.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        guard let prefix = text.first else { throw CryptoError(.unsupportedMultibase, "empty multibase value") }
        let body = text.dropFirst()
        switch prefix {
        case "z": return try Base58.decode(body)
        case "u": return try Base64URL.decode(body)
        default: throw CryptoError(.unsupportedMultibase, "unsupported multibase prefix '\(prefix)' (supported: z, u)")
        }
    }
}

/// Multicodec codes for keys (https://github.com/multiformats/multicodec table), as unsigned varints.
public enum Multicodec: UInt64, Sendable, CaseIterable {
    case ed25519Public = 0xED
    case ed25519Private = 0x1300
    case p256Public = 0x1200
    case p384Public = 0x1201
    case p256Private = 0x1306

    /// The unsigned-varint prefix.
    public var prefix: [UInt8] { Varint.encode(rawValue) }

    /// Expected length of the key bytes after the prefix.
    public var keyLength: Int {
        switch self {
        case .ed25519Public, .ed25519Private, .p256Private: 32
        case .p256Public: 33
        case .p384Public: 49
        }
    }

    /// Splits a multicodec-prefixed value into its codec and key bytes, checking the length.
    public static func split(_ bytes: [UInt8]) throws(CryptoError) -> (Multicodec, [UInt8]) {
        guard let (code, length) = Varint.decode(bytes) else {
            throw CryptoError(.unsupportedMulticodec, "invalid multicodec varint")
        }
        guard let codec = Multicodec(rawValue: code) else {
            throw CryptoError(.unsupportedMulticodec, "unsupported multicodec 0x\(String(code, radix: 16))")
        }
        let key = Array(bytes[length...])
        guard key.count == codec.keyLength else {
            throw CryptoError(.invalidKey, "multicodec 0x\(String(code, radix: 16)) key must be \(codec.keyLength) bytes, not \(key.count)")
        }
        return (codec, key)
    }
}

/// Unsigned LEB128 varints as multiformats use them (at most 9 bytes, minimal encoding); the store's packed documents
/// use them too.
public enum Varint {
    public static func encode(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }

    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        repeat {
            var byte = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while v != 0
    }

    /// The value at the start and the number of bytes it took; nil when malformed or not minimal.
    public static func decode(_ bytes: [UInt8]) -> (UInt64, Int)? { decode(bytes, at: 0) }

    /// The value starting at `position` and the number of bytes it took; nil when malformed, cut short or not minimal.
    public static func decode(_ bytes: [UInt8], at position: Int) -> (UInt64, Int)? {
        var value: UInt64 = 0
        var i = 0
        while i < 9, position + i < bytes.count {
            let byte = bytes[position + i]
            value |= UInt64(byte & 0x7F) << (7 * UInt64(i))
            if byte & 0x80 == 0 {
                if i > 0 && byte == 0 { return nil }  // not minimal
                return (value, i + 1)
            }
            i += 1
        }
        return nil
    }
}
