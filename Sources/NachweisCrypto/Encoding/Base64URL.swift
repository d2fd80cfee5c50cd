/// Base64 (RFC 4648 §4) and base64url (§5) as JOSE uses them, strict on input:
/// no white space, base64url without padding, no non-zero bits past the last byte.
public enum Base64URL {
    private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let stdAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlTable = decodeTable(urlAlphabet)
    private static let stdTable = decodeTable(stdAlphabet)

    private static func decodeTable(_ alphabet: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }

    /// base64url without padding.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encodeBytes(bytes, alphabet: urlAlphabet, pad: false), as: UTF8.self)
    }

    /// Standard base64 with padding (X.509 `x5c`, PEM bodies).
    public static func encodeStandard(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encodeBytes(bytes, alphabet: stdAlphabet, pad: true), as: UTF8.self)
    }

    static func encodeBytes(_ bytes: some Collection<UInt8>, alphabet: [UInt8], pad: Bool) -> [UInt8] {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)]); out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = input.count - i
        if rest == 1 {
            let n = UInt32(input[i]) << 16
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            if pad { out.append(contentsOf: [0x3D, 0x3D]) }
        } else if rest == 2 {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)]); out.append(alphabet[Int(n >> 6 & 63)])
            if pad { out.append(0x3D) }
        }
        return out
    }

    /// Decodes base64url without padding. Throws `encoding.invalid_base64url`.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        guard let bytes = decodeBytes(Array(text.utf8), table: urlTable, padded: false) else {
            throw CryptoError(.invalidBase64URL, "not valid unpadded base64url")
        }
        return bytes
    }

    /// Decodes standard padded base64. Throws `encoding.invalid_base64`.
    public static func decodeStandard(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        guard let bytes = decodeBytes(Array(text.utf8), table: stdTable, padded: true) else {
            throw CryptoError(.invalidBase64, "not valid padded base64")
        }
        return bytes
    }

    /// Decodes a UTF-8 byte slice of base64url; nil when invalid.
    static func decodeBytes(_ input: some Collection<UInt8>, table: [UInt8], padded: Bool) -> [UInt8]? {
        var chars = Array(input)
        if padded {
            guard chars.count % 4 == 0 else { return nil }
            var padding = 0
            while padding < 2, chars.last == 0x3D { chars.removeLast(); padding += 1 }
        }
        guard chars.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for c in chars {
            let v = table[Int(c)]
            guard v != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Canonical form: the unused low bits of the last character must be zero.
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }
}
