/// Base58 with the Bitcoin alphabet (`base58btc`), as multibase `z` uses it.
public enum Base58 {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Longest input accepted by ``decode(_:)`` (the algorithm is quadratic; keys are short).
    public static let maxDecodeLength = 4096

    public static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        // The number as big-endian 32-bit limbs, divided by 58^5 over and over: each division gives five digits
        // (a proof value's 64 bytes take 18 divisions of at most 16 limbs, not 88 × 64 byte-wise carries).
        let significant = bytes.count - zeros
        var limbs = [UInt32](repeating: 0, count: (significant + 3) / 4)
        for (offset, byte) in bytes[zeros...].enumerated() {
            let position = offset + (4 - significant % 4) % 4  // left-padded to whole limbs
            limbs[position / 4] |= UInt32(byte) << (8 * UInt32(3 - position % 4))
        }
        let radix: UInt64 = 656_356_768  // 58^5
        var digits: [UInt8] = []  // base-58 digits, least significant first
        digits.reserveCapacity(significant * 138 / 100 + 5)
        var first = 0
        while first < limbs.count {
            var remainder: UInt64 = 0
            for i in first..<limbs.count {
                let value = remainder << 32 | UInt64(limbs[i])
                limbs[i] = UInt32(truncatingIfNeeded: value / radix)
                remainder = value % radix
            }
            while first < limbs.count && limbs[first] == 0 { first += 1 }
            for _ in 0..<5 {
                digits.append(UInt8(truncatingIfNeeded: remainder % 58))
                remainder /= 58
            }
        }
        while digits.last == 0 { digits.removeLast() }  // the last division's leading zeros
        let text = [UInt8](repeating: alphabet[0], count: zeros) + digits.reversed().map { alphabet[Int($0)] }
        return String(decoding: text, as: UTF8.self)
    }

    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        let chars = Array(text.utf8)
        guard chars.count <= maxDecodeLength else { throw CryptoError(.invalidBase58, "base58 text longer than \(maxDecodeLength)") }
        let zeros = chars.prefix(while: { $0 == alphabet[0] }).count
        // The number in 32-bit limbs, least significant first: a quarter of the steps of byte-wise carrying.
        var limbs: [UInt32] = []
        limbs.reserveCapacity((chars.count - zeros) * 733 / 4000 + 2)
        for c in chars[zeros...] {
            let value = table[Int(c)]
            guard value != 0xFF else { throw CryptoError(.invalidBase58, "invalid base58 character") }
            var carry = UInt64(value)
            for i in limbs.indices {
                carry += UInt64(limbs[i]) * 58
                limbs[i] = UInt32(truncatingIfNeeded: carry)
                carry >>= 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }
        var bytes = [UInt8](repeating: 0, count: zeros)
        var started = false
        for limb in limbs.reversed() {
            for shift in stride(from: 24, through: 0, by: -8) {
                let byte = UInt8(truncatingIfNeeded: limb >> UInt32(shift))
                if byte != 0 { started = true }
                if started { bytes.append(byte) }
            }
        }
        return bytes
    }
}
