/// Base64 (RFC 4648 §4) and base64url (§5) as JOSE uses them, strict on input:
/// no white space, base64url without padding, no non-zero bits past the last byte.
public enum Base64URL {
    private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let stdAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlTable = decodeTable(urlAlphabet)
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
        if let result = bytes.withContiguousStorageIfAvailable({ encodeBytes($0, alphabet: alphabet, pad: pad) }) { return result }
        return Array(bytes).withUnsafeBufferPointer { encodeBytes($0, alphabet: alphabet, pad: pad) }
    }

    /// Three bytes at a time into four characters, written through pointers into storage of the final size
    /// (appending character by character checked capacity and bounds each time; a VC-JWT's payload is about 2 KB).
    static func encodeBytes(_ source: UnsafeBufferPointer<UInt8>, alphabet: [UInt8], pad: Bool) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: encodedCount(source.count, pad: pad)) { out, written in
            written = encode(source, into: out, alphabet: alphabet, pad: pad)
        }
    }

    static func encodedCount(_ count: Int, pad: Bool) -> Int {
        let full = count / 3, rest = count % 3
        return full * 4 + (rest == 0 ? 0 : pad ? 4 : rest + 1)
    }

    /// Appends the base64url of `bytes` (no padding) to `output`, encoding straight into its storage.
    public static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        let start = output.count, length = encodedCount(bytes.count, pad: false)
        output.append(contentsOf: repeatElement(0, count: length))
        output.withUnsafeMutableBufferPointer { buffer in
            _ = encode(bytes, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]), alphabet: urlAlphabet, pad: false)
        }
    }

    /// Encodes into `out` (at least ``encodedCount(_:pad:)`` long); returns how many characters were written.
    private static func encode(_ source: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>, alphabet: [UInt8], pad: Bool) -> Int {
        let full = source.count / 3, rest = source.count % 3
        let length = encodedCount(source.count, pad: pad)
        return alphabet.withUnsafeBufferPointer { table in
            var o = 0
            for k in 0..<full {
                let i = 3 * k
                let n = UInt32(source[i]) << 16 | UInt32(source[i + 1]) << 8 | UInt32(source[i + 2])
                out[o] = table[Int(n >> 18 & 63)]; out[o + 1] = table[Int(n >> 12 & 63)]
                out[o + 2] = table[Int(n >> 6 & 63)]; out[o + 3] = table[Int(n & 63)]
                o += 4
            }
            if rest > 0 {
                let i = 3 * full
                let n = UInt32(source[i]) << 16 | (rest == 2 ? UInt32(source[i + 1]) << 8 : 0)
                out[o] = table[Int(n >> 18 & 63)]; out[o + 1] = table[Int(n >> 12 & 63)]
                o += 2
                if rest == 2 { out[o] = table[Int(n >> 6 & 63)]; o += 1 }
                if pad { while o < length { out[o] = 0x3D; o += 1 } }
            }
            return o
        }
    }

    /// Decodes base64url without padding. Throws `encoding.invalid_base64url`.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        guard let bytes = decodeBytes(text.utf8, table: urlTable, padded: false) else {
            throw CryptoError(.invalidBase64URL, "not valid unpadded base64url")
        }
        return bytes
    }

    /// Decodes base64url without padding from UTF-8 bytes. Throws `encoding.invalid_base64url`.
    public static func decode(utf8: UnsafeBufferPointer<UInt8>) throws(CryptoError) -> [UInt8] {
        guard let bytes = decodeBytes(utf8, table: urlTable, padded: false) else {
            throw CryptoError(.invalidBase64URL, "not valid unpadded base64url")
        }
        return bytes
    }

    /// Decodes standard padded base64. Throws `encoding.invalid_base64`.
    public static func decodeStandard(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        guard let bytes = decodeBytes(text.utf8, table: stdTable, padded: true) else {
            throw CryptoError(.invalidBase64, "not valid padded base64")
        }
        return bytes
    }

    /// Decodes a UTF-8 byte slice of base64url; nil when invalid.
    static func decodeBytes(_ input: some Collection<UInt8>, table: [UInt8], padded: Bool) -> [UInt8]? {
        if let result = input.withContiguousStorageIfAvailable({ decodeBytes($0, table: table, padded: padded) }) { return result }
        return Array(input).withUnsafeBufferPointer { decodeBytes($0, table: table, padded: padded) }
    }

    /// Four characters at a time into three bytes, straight into the output's storage.
    static func decodeBytes(_ input: UnsafeBufferPointer<UInt8>, table: [UInt8], padded: Bool) -> [UInt8]? {
        var count = input.count
        if padded {
            guard count % 4 == 0 else { return nil }
            var padding = 0
            while padding < 2, count > 0, input[count - 1] == 0x3D { count -= 1; padding += 1 }
        }
        guard count % 4 != 1 else { return nil }
        let outputCount = count / 4 * 3 + max(0, count % 4 - 1)
        return table.withUnsafeBufferPointer { table -> [UInt8]? in
            var valid = true
            let out = [UInt8](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
                var i = 0, o = 0
                while i + 4 <= count {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])], c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { valid = false; break }
                    let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    buffer[o] = UInt8(truncatingIfNeeded: n >> 16)
                    buffer[o + 1] = UInt8(truncatingIfNeeded: n >> 8)
                    buffer[o + 2] = UInt8(truncatingIfNeeded: n)
                    i += 4; o += 3
                }
                if valid && i < count {
                    // Two or three characters left: one or two bytes; the unused low bits must be zero (canonical form).
                    var n: UInt32 = 0
                    for k in i..<count {
                        let v = table[Int(input[k])]
                        if v & 0xC0 != 0 { valid = false; break }
                        n = n << 6 | UInt32(v)
                    }
                    if valid {
                        if count - i == 2 {
                            valid = n & 0xF == 0
                            buffer[o] = UInt8(truncatingIfNeeded: n >> 4); o += 1
                        } else {
                            valid = n & 0x3 == 0
                            buffer[o] = UInt8(truncatingIfNeeded: n >> 10)
                            buffer[o + 1] = UInt8(truncatingIfNeeded: n >> 2); o += 2
                        }
                    }
                }
                initialized = valid ? o : 0
            }
            return valid ? out : nil
        }
    }
}
