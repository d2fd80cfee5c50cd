import NachweisCrypto

/// The bits of a status list (W3C Bitstring Status List v1.0): index 0 is the most significant bit of the first
/// byte. `encoded` is the list's `encodedList`: multibase base64url (`u`, no padding) of the GZIP-compressed bytes.
public struct Bitstring: Sendable, Hashable {
    public private(set) var bytes: [UInt8]

    /// The spec's minimum: 131 072 entries (16 KiB), so that one credential's index says little about others.
    public static let minimumSize = 131_072
    /// Largest list decoded from elsewhere: 16 MiB of bits (134 million entries).
    public static let maximumBytes = 16 * 1024 * 1024

    /// An all-zero list of `size` entries (rounded up to whole bytes).
    public init(size: Int) {
        bytes = [UInt8](repeating: 0, count: (size + 7) / 8)
    }

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var count: Int { bytes.count * 8 }

    public subscript(index: Int) -> Bool {
        get { bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0 }
        set {
            if newValue { bytes[index / 8] |= 0x80 >> UInt8(index % 8) } else { bytes[index / 8] &= ~(0x80 >> UInt8(index % 8)) }
        }
    }

    /// The indices whose bit is set.
    public var setIndices: [Int] { (0..<count).filter { self[$0] } }

    public var encoded: String { "u" + Base64URL.encode(Gzip.compress(bytes)) }

    /// Decodes an `encodedList`. Throws `status.invalid_list` for anything but multibase base64url of gzip, or a
    /// list larger than ``maximumBytes``. `multibase: false` reads StatusList2021's form, base64url without the prefix.
    public init(encoded: String, multibase: Bool = true) throws(StatusError) {
        if multibase && !encoded.hasPrefix("u") { throw StatusError(.invalidList, "encodedList must be multibase base64url (prefix u)") }
        let compressed: [UInt8]
        do { compressed = try Base64URL.decode(multibase ? encoded.dropFirst() : Substring(encoded)) } catch {
            throw StatusError(.invalidList, "encodedList is not valid base64url")
        }
        guard let bytes = Gzip.decompress(compressed, limit: Self.maximumBytes) else {
            throw StatusError(.invalidList, "encodedList is not a complete gzip stream of at most \(Self.maximumBytes) bytes")
        }
        self.bytes = bytes
    }
}
