/// Open Badges baking in PNG: an `iTXt` chunk with keyword `openbadges` (OB 2.0) or `openbadgecredential`
/// (OB 3.0), uncompressed, holding the assertion or credential (JSON, a compact JWS, or an assertion URL).
public enum PNGBaking {
    public static let ob2Keyword = "openbadges"
    public static let ob3Keyword = "openbadgecredential"

    /// The credential text baked into a PNG, and under which keyword.
    public struct Baked: Sendable, Hashable {
        public let keyword: String
        /// The text exactly as embedded.
        public let text: String

        public init(keyword: String, text: String) {
            self.keyword = keyword
            self.text = text
        }
    }

    /// Reads the one credential chunk. Throws `baking.no_credential`, `baking.multiple_credentials`,
    /// or the PNG reader's errors.
    public static func unbake(_ bytes: [UInt8]) throws(DocumentError) -> Baked {
        let png = try PNGImage(bytes: bytes)
        var found: [Baked] = []
        for chunk in png.chunks where chunk.type == "iTXt" || chunk.type == "tEXt" {
            guard let (keyword, text) = try textChunk(chunk), keyword == ob2Keyword || keyword == ob3Keyword else { continue }
            found.append(Baked(keyword: keyword, text: text))
        }
        guard found.count <= 1 else { throw DocumentError(.multipleCredentials, "the PNG holds \(found.count) credential chunks; at most one is allowed") }
        guard let baked = found.first else { throw DocumentError(.noCredential, "the PNG holds no openbadges or openbadgecredential chunk") }
        return baked
    }

    /// Bakes text into a PNG under keyword, replacing any credential chunk already there; the new `iTXt`
    /// chunk goes just before `IEND`.
    public static func bake(_ text: String, keyword: String, into bytes: [UInt8]) throws(DocumentError) -> [UInt8] {
        var png = try PNGImage(bytes: bytes)
        var kept: [PNGImage.Chunk] = []
        for chunk in png.chunks {
            if chunk.type == "iTXt" || chunk.type == "tEXt", let (k, _) = try? textChunk(chunk), k == ob2Keyword || k == ob3Keyword {
                continue
            }
            kept.append(chunk)
        }
        // keyword \0, compression flag 0, method 0, empty language tag \0, empty translated keyword \0, text.
        let data = Array(keyword.utf8) + [0, 0, 0, 0, 0] + Array(text.utf8)
        kept.insert(PNGImage.Chunk(type: "iTXt", data: data), at: kept.count - 1)
        png.chunks = kept
        return png.bytes
    }

    /// Keyword and text of a `tEXt` or `iTXt` chunk; nil when it is not one of them.
    static func textChunk(_ chunk: PNGImage.Chunk) throws(DocumentError) -> (String, String)? {
        let data = chunk.data
        guard let zero = data.firstIndex(of: 0), zero >= 1, zero <= 79 else {
            throw DocumentError(.invalidPNG, "\(chunk.type) chunk without a valid keyword")
        }
        let keyword = String(decoding: data[..<zero], as: UTF8.self)
        if chunk.type == "tEXt" {
            return (keyword, String(decoding: data[(zero + 1)...], as: UTF8.self))
        }
        guard data.count >= zero + 3 else { throw DocumentError(.invalidPNG, "truncated iTXt chunk") }
        let compressed = data[zero + 1]
        var index = zero + 3
        guard let languageEnd = data[index...].firstIndex(of: 0) else { throw DocumentError(.invalidPNG, "iTXt chunk without a language tag") }
        index = languageEnd + 1
        guard let translatedEnd = data[index...].firstIndex(of: 0) else { throw DocumentError(.invalidPNG, "iTXt chunk without a translated keyword") }
        let text = Array(data[(translatedEnd + 1)...])
        if keyword == ob2Keyword || keyword == ob3Keyword {
            guard compressed == 0 else {
                throw DocumentError(.invalidPNG, "the \(keyword) chunk is compressed; Open Badges baking stores it uncompressed")
            }
            guard let string = String(validating: text, as: UTF8.self) else {
                throw DocumentError(.invalidPNG, "the \(keyword) chunk is not valid UTF-8")
            }
            return (keyword, string)
        }
        return (keyword, "")
    }
}
