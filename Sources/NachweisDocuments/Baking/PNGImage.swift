/// A PNG file as its chunks (ISO/IEC 15948), read strictly: signature, lengths, CRC-32 of every chunk,
/// `IHDR` first and `IEND` last. Pixel data is never decoded, so no decompression bomb can go off here.
public struct PNGImage: Sendable, Hashable {
    public struct Chunk: Sendable, Hashable {
        /// Four ASCII letters, e.g. `IHDR`, `iTXt`.
        public let type: String
        public let data: [UInt8]

        public init(type: String, data: [UInt8]) {
            self.type = type
            self.data = data
        }
    }

    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Largest PNG accepted by default (16 MiB).
    public static let defaultMaxBytes = 16 << 20

    public var chunks: [Chunk]

    public init(chunks: [Chunk]) { self.chunks = chunks }

    /// Whether the bytes start with the PNG signature.
    public static func hasSignature(_ bytes: [UInt8]) -> Bool { bytes.starts(with: signature) }

    /// Parses a PNG. Throws `png.invalid`, `png.truncated`, `png.crc_mismatch` or `document.too_large`.
    public init(bytes: [UInt8], maxBytes: Int = PNGImage.defaultMaxBytes) throws(DocumentError) {
        guard bytes.count <= maxBytes else {
            throw DocumentError(.tooLarge, "PNG of \(bytes.count) bytes exceeds the limit of \(maxBytes)")
        }
        guard PNGImage.hasSignature(bytes) else { throw DocumentError(.invalidPNG, "not a PNG (bad signature)") }
        var chunks: [Chunk] = []
        var offset = PNGImage.signature.count
        while true {
            guard bytes.count - offset >= 12 else {
                throw DocumentError(.pngTruncated, "PNG ends inside a chunk header at byte \(offset)")
            }
            let length = Int(PNGImage.readUInt32(bytes, offset))
            guard length <= 0x7FFF_FFFF else { throw DocumentError(.invalidPNG, "chunk length over 2^31-1 at byte \(offset)") }
            let typeBytes = Array(bytes[offset + 4..<offset + 8])
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw DocumentError(.invalidPNG, "chunk type is not four ASCII letters at byte \(offset + 4)")
            }
            guard bytes.count - offset - 12 >= length else {
                throw DocumentError(.pngTruncated, "PNG ends inside a \(String(decoding: typeBytes, as: UTF8.self)) chunk at byte \(offset)")
            }
            let data = Array(bytes[offset + 8..<offset + 8 + length])
            let stored = PNGImage.readUInt32(bytes, offset + 8 + length)
            let computed = CRC32.checksum(typeBytes + data)
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard stored == computed else {
                throw DocumentError(.pngCRC, "CRC mismatch in the \(type) chunk at byte \(offset)")
            }
            if chunks.isEmpty && type != "IHDR" { throw DocumentError(.invalidPNG, "the first chunk must be IHDR, not \(type)") }
            chunks.append(Chunk(type: type, data: data))
            offset += 12 + length
            if type == "IEND" { break }
        }
        self.chunks = chunks
    }

    /// The encoded file.
    public var bytes: [UInt8] {
        var out = PNGImage.signature
        for chunk in chunks {
            let typeBytes = Array(chunk.type.utf8)
            out.append(contentsOf: PNGImage.uint32(UInt32(chunk.data.count)))
            out.append(contentsOf: typeBytes)
            out.append(contentsOf: chunk.data)
            out.append(contentsOf: PNGImage.uint32(CRC32.checksum(typeBytes + chunk.data)))
        }
        return out
    }

    static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    static func uint32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

/// CRC-32 (ISO 3309, as PNG and zlib use it).
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
