/// Language tags as RDF and JSON-LD take them: well formed by the shape of BCP 47 (§2.1), `1*8ALPHA *("-" 1*8alphanum)`,
/// which every registered tag, private use and grandfathered tag included, has. A tag not of this shape makes no
/// literal (JSON-LD 1.1 §8.1.2 step 7) and could not be written in N-Quads.
public enum LanguageTag {
    public static func isWellFormed(_ tag: String) -> Bool {
        var subtag = 0
        var first = true
        for byte in tag.utf8 {
            if byte == UInt8(ascii: "-") {
                guard subtag > 0 else { return false }
                subtag = 0
                first = false
                continue
            }
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard letter || (digit && !first) else { return false }
            subtag += 1
            guard subtag <= 8 else { return false }
        }
        return subtag > 0
    }
}
