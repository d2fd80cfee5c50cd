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
        var digits: [UInt8] = []  // base-58 digits, least significant first
        digits.reserveCapacity(bytes.count * 138 / 100 + 1)
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            for i in digits.indices {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
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
