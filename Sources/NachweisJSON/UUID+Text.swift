import Foundation

extension UUID {
    /// The UUID in lower-case hex with dashes (RFC 9562's form, and what every URL and `urn:uuid:` here uses) —
    /// `uuidString.lowercased()` without the two passes: Foundation formats through `sprintf`, then the case is changed
    /// in a copy (both on the issuing path several times per credential).
    public var lowercasedText: String {
        let digits: StaticString = "0123456789abcdef"
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                digits.withUTF8Buffer { hex in
                    var position = 0
                    for (i, byte) in bytes.enumerated() {
                        if i == 4 || i == 6 || i == 8 || i == 10 {
                            out[position] = UInt8(ascii: "-")
                            position += 1
                        }
                        out[position] = hex[Int(byte >> 4)]
                        out[position + 1] = hex[Int(byte & 0x0F)]
                        position += 2
                    }
                    return position
                }
            }
        }
    }
}
