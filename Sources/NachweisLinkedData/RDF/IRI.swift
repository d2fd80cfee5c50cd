import Foundation
/// IRIs as RFC 3986 and RFC 3987 define them: splitting a reference into its five components, resolving it against
/// a base (§5.2, with dot-segment removal), and checking that an absolute IRI is well formed (the `IRI` production of
/// RFC 3987). All work is on code points; nothing is percent-encoded, decoded or normalized, so an IRI keeps the
/// exact text it was written with (Foundation's `URL` escapes and rejects, and so changes what is signed).
public enum IRI {
    /// The five components of a reference (RFC 3986 §3, Appendix B). `nil` means the component is absent, which is
    /// not the same as empty (`http://a/b?` has an empty query).
    public struct Components: Equatable, Sendable {
        public var scheme: Substring?
        public var authority: Substring?
        public var path: Substring
        public var query: Substring?
        public var fragment: Substring?

        /// RFC 3986 §5.3 component recomposition.
        public var text: String {
            var out = ""
            if let scheme { out += scheme; out += ":" }
            if let authority { out += "//"; out += authority }
            out += path
            if let query { out += "?"; out += query }
            if let fragment { out += "#"; out += fragment }
            return out
        }
    }

    /// Splits a reference by the regular expression of RFC 3986 Appendix B, which accepts any string.
    public static func components(_ reference: String) -> Components {
        let s = Substring(reference)
        var rest = s[...]
        var scheme: Substring?
        if let colon = rest.utf8.firstIndex(of: UInt8(ascii: ":")),
           !rest.utf8[..<colon].contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }),
           colon != rest.startIndex {
            scheme = rest[..<colon]
            rest = rest[rest.utf8.index(after: colon)...]
        }
        var fragment: Substring?
        if let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) {
            fragment = rest[rest.utf8.index(after: hash)...]
            rest = rest[..<hash]
        }
        var query: Substring?
        if let question = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
            query = rest[rest.utf8.index(after: question)...]
            rest = rest[..<question]
        }
        var authority: Substring?
        if rest.utf8.starts(with: "//".utf8) {
            let afterSlashes = rest.utf8.index(rest.startIndex, offsetBy: 2)
            let end = rest.utf8[afterSlashes...].firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            authority = rest[afterSlashes..<end]
            rest = rest[end...]
        }
        return Components(scheme: scheme, authority: authority, path: rest, query: query, fragment: fragment)
    }

    /// Whether s has a scheme: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"` at its start. This is the test
    /// JSON-LD uses for "absolute IRI"; ``isWellFormed(_:)`` checks the rest.
    public static func isAbsolute(_ s: String) -> Bool {
        var index = 0
        for byte in s.utf8 {
            if byte == UInt8(ascii: ":") { return index > 0 }
            if index == 0 ? !isAlpha(byte) : !isSchemeByte(byte) { return false }
            index += 1
        }
        return false
    }

    /// Whether s is an absolute IRI by RFC 3987's `IRI` production: a scheme, then `ihier-part`, an optional
    /// `iquery` and `ifragment`, every character allowed where it stands and every `%` followed by two hex digits.
    /// Spaces, control characters and `<>"{}|\^` never are, so a well-formed IRI cannot break an N-Quads line.
    /// One pass over the UTF-8 bytes (every IRI of every quad goes through it): ASCII by table, other characters
    /// decoded only where they stand.
    /// `asciiOnly`: RFC 3986's `URI` (no character beyond ASCII), for JSON Schema's `uri` format.
    public static func isWellFormed(_ s: String, asciiOnly: Bool = false) -> Bool {
        bytes(of: s) { wellFormed($0, reference: false, ascii: asciiOnly) }
    }

    /// Whether s is an `IRI-reference` (RFC 3987; with `asciiOnly` a `URI-reference`, RFC 3986): an IRI, or a
    /// relative reference whose first path segment has no colon.
    public static func isWellFormedReference(_ s: String, asciiOnly: Bool = false) -> Bool {
        bytes(of: s) { wellFormed($0, reference: true, ascii: asciiOnly) }
    }

    /// The string's UTF-8 in place (a copy only for a string not stored contiguously).
    static func bytes(of s: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        if let result = s.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(s.utf8).withUnsafeBufferPointer(body)
    }

    static func wellFormed(_ b: UnsafeBufferPointer<UInt8>, reference: Bool = false, ascii: Bool = false) -> Bool {
        let n = b.count
        var i = 0
        // A scheme: letters first, up to a colon before any / ? #.
        var schemeEnd = 0
        while schemeEnd < n, b[schemeEnd] != UInt8(ascii: ":"), b[schemeEnd] != UInt8(ascii: "/"), b[schemeEnd] != UInt8(ascii: "?"),
              b[schemeEnd] != UInt8(ascii: "#") { schemeEnd += 1 }
        let hasScheme = schemeEnd < n && b[schemeEnd] == UInt8(ascii: ":") && schemeEnd > 0
        if hasScheme {
            guard isAlpha(b[0]) else { return false }
            for k in 1..<schemeEnd where !isSchemeByte(b[k]) { return false }
            i = schemeEnd + 1
        } else {
            guard reference else { return false }
            // A relative path's first segment may not hold a colon (it would read as a scheme).
            if schemeEnd < n, b[schemeEnd] == UInt8(ascii: ":") { return false }
        }
        if i + 1 < n, b[i] == UInt8(ascii: "/"), b[i + 1] == UInt8(ascii: "/") {
            var end = i + 2
            while end < n, b[end] != UInt8(ascii: "/"), b[end] != UInt8(ascii: "?"), b[end] != UInt8(ascii: "#") { end += 1 }
            guard authority(b, i + 2, end, ascii: ascii) else { return false }
            i = end
        }
        var end = i
        while end < n, b[end] != UInt8(ascii: "?"), b[end] != UInt8(ascii: "#") { end += 1 }
        guard run(b, i, end, Self.pathClass, ascii: ascii) else { return false }
        i = end
        if i < n, b[i] == UInt8(ascii: "?") {
            end = i + 1
            while end < n, b[end] != UInt8(ascii: "#") { end += 1 }
            guard run(b, i + 1, end, Self.queryClass, privateUse: true, ascii: ascii) else { return false }
            i = end
        }
        if i < n, b[i] == UInt8(ascii: "#") {
            guard run(b, i + 1, n, Self.queryClass, ascii: ascii) else { return false }
        }
        return true
    }

    /// `iauthority = [ iuserinfo "@" ] ihost [ ":" port ]`, in b[start..<end].
    static func authority(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, ascii: Bool = false) -> Bool {
        var hostStart = start
        var at = end
        while at > start {
            at -= 1
            if b[at] == UInt8(ascii: "@") {
                guard run(b, start, at, Self.userinfoClass, ascii: ascii) else { return false }
                hostStart = at + 1
                break
            }
        }
        if hostStart < end, b[hostStart] == UInt8(ascii: "[") {
            var close = hostStart + 1
            while close < end, b[close] != UInt8(ascii: "]") { close += 1 }
            guard close < end, close > hostStart + 1 else { return false }
            let literal = Substring(decoding: UnsafeBufferPointer(rebasing: b[(hostStart + 1)..<close]), as: UTF8.self)
            guard isIPv6(literal) || isIPvFuture(literal) else { return false }
            return port(b, close + 1, end)
        }
        var colon = end
        var index = end
        while index > hostStart {
            index -= 1
            if b[index] == UInt8(ascii: ":") {
                colon = index
                break
            }
        }
        if colon < end, !port(b, colon, end) { return false }
        return run(b, hostStart, colon, Self.hostClass, ascii: ascii)
    }

    /// RFC 3986 `IPvFuture`: `v` hex digits `.` then unreserved, sub-delims or colons.
    static func isIPvFuture(_ s: Substring) -> Bool {
        guard s.first == "v" || s.first == "V", let dot = s.firstIndex(of: ".") else { return false }
        let version = s[s.index(after: s.startIndex)..<dot], rest = s[s.index(after: dot)...]
        return !version.isEmpty && version.utf8.allSatisfy(isHex) && !rest.isEmpty
            && rest.utf8.allSatisfy { isUnreservedOrSubDelim($0) || $0 == UInt8(ascii: ":") }
    }

    /// A dotted-quad IPv4 address: four decimal numbers 0–255, ASCII digits, no leading zeros.
    public static func isIPv4(_ s: Substring) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy(isDigit), part.utf8.count == 1 || part.utf8.first != UInt8(ascii: "0"),
                  let value = Int(part), value <= 255 else { return false }
        }
        return true
    }

    /// An IPv6 address as RFC 4291 §2.2 writes it: eight groups of one to four hex digits, one `::` for a run of zero
    /// groups, an IPv4 address in place of the last two; no zone.
    public static func isIPv6(_ s: Substring) -> Bool {
        guard !s.isEmpty, s.utf8.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return false }
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ text: String, last: Bool) -> Int? {
            if text.isEmpty { return 0 }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            var count = 0
            for (index, part) in parts.enumerated() {
                if last && index == parts.count - 1 && part.contains(".") {
                    guard isIPv4(part) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(part.utf8.count), !part.contains(".") else { return nil }
                    count += 1
                }
            }
            return count
        }
        if halves.count == 1 { return groups(halves[0], last: true) == 8 }
        guard let head = groups(halves[0], last: false), let tail = groups(halves[1], last: true) else { return false }
        return head + tail <= 7
    }

    /// Empty, or `:` and digits.
    static func port(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard start < end else { return true }
        guard b[start] == UInt8(ascii: ":") else { return false }
        for index in (start + 1)..<end where !isDigit(b[index]) { return false }
        return true
    }

    /// Whether b[start..<end] has only characters of the class (ASCII by table; `%` with two hex digits; `ucschar`,
    /// and `iprivate` where allowed, for the rest).
    static func run(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ mask: UInt8, privateUse: Bool = false, ascii: Bool = false) -> Bool {
        let classes = Self.classes  // once, not per byte (a global's lazy initialization is checked at every access)
        var i = start
        while i < end {
            let byte = b[i]
            if byte < 0x80 {
                if classes[Int(byte)] & mask != 0 {
                    i += 1
                } else if byte == UInt8(ascii: "%") {
                    guard i + 2 < end, isHex(b[i + 1]), isHex(b[i + 2]) else { return false }
                    i += 3
                } else {
                    return false
                }
                continue
            }
            if ascii { return false }
            // A valid UTF-8 sequence (the bytes come from a String): its scalar value.
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            guard i + length <= end else { return false }
            var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length { value = value << 6 | UInt32(b[i + k] & 0x3F) }
            guard isUCSChar(value, privateUse: privateUse) else { return false }
            i += length
        }
        return true
    }

    /// Character classes of ASCII bytes, as bits: what a host, userinfo, path, or query and fragment allow.
    static var hostClass: UInt8 { 1 }
    static var userinfoClass: UInt8 { 2 }
    static var pathClass: UInt8 { 4 }
    static var queryClass: UInt8 { 8 }
    static let classes: [UInt8] = (0..<128).map { value -> UInt8 in
        let byte = UInt8(value)
        var bits: UInt8 = 0
        if isUnreservedOrSubDelim(byte) { bits |= hostClass | userinfoClass | pathClass | queryClass }
        if byte == UInt8(ascii: ":") { bits |= userinfoClass | pathClass | queryClass }
        if byte == UInt8(ascii: "@") || byte == UInt8(ascii: "/") { bits |= pathClass | queryClass }
        if byte == UInt8(ascii: "?") { bits |= queryClass }
        return bits
    }

    /// RFC 3986 §5.2.2: the target of `reference` against the absolute `base`, with dot segments removed (§5.2.4)
    /// and no other change to the text. A reference with a scheme is returned with only its dot segments removed.
    public static func resolve(_ reference: String, against base: String) -> String {
        let r = components(reference)
        let b = components(base)
        var t = Components(scheme: nil, authority: nil, path: "", query: nil, fragment: r.fragment)
        if r.scheme != nil {
            t.scheme = r.scheme
            t.authority = r.authority
            t.path = Substring(removeDotSegments(r.path))
            t.query = r.query
        } else {
            if r.authority != nil {
                t.authority = r.authority
                t.path = Substring(removeDotSegments(r.path))
                t.query = r.query
            } else {
                if r.path.isEmpty {
                    t.path = b.path
                    t.query = r.query ?? b.query
                } else {
                    if r.path.utf8.first == UInt8(ascii: "/") {
                        t.path = Substring(removeDotSegments(r.path))
                    } else {
                        t.path = Substring(removeDotSegments(Substring(merge(base: b, r.path))))
                    }
                    t.query = r.query
                }
                t.authority = b.authority
            }
            t.scheme = b.scheme
        }
        return t.text
    }

    /// RFC 3986 §5.2.3.
    static func merge(base: Components, _ path: Substring) -> String {
        if base.authority != nil && base.path.isEmpty { return "/" + String(path) }
        guard let slash = base.path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return String(path) }
        return String(base.path[...slash]) + String(path)
    }

    /// RFC 3986 §5.2.4, on whole segments.
    public static func removeDotSegments(_ path: Substring) -> String {
        guard path.utf8.contains(UInt8(ascii: ".")) else { return String(path) }
        var input = path[...]
        var output: [Substring] = []   // segments, each with its leading "/" where it had one
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = input.dropFirst(2)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                if !output.isEmpty { output.removeLast() }
            } else if input == "/.." {
                input = "/"
                if !output.isEmpty { output.removeLast() }
            } else if input == "." || input == ".." {
                input = ""
            } else {
                let start = input.startIndex
                let searchFrom = input.utf8.first == UInt8(ascii: "/") ? input.utf8.index(after: start) : start
                let end = input.utf8[searchFrom...].firstIndex(of: UInt8(ascii: "/")) ?? input.endIndex
                output.append(input[start..<end])
                input = input[end...]
            }
        }
        return output.joined()
    }

    // MARK: Character classes (RFC 3986 §2, RFC 3987 §2.2)

    static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "f")) }
    static func isSchemeByte(_ b: UInt8) -> Bool {
        isAlpha(b) || isDigit(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    /// unreserved ASCII and sub-delims (RFC 3986): what every IRI component allows.
    static func isUnreservedOrSubDelim(_ b: UInt8) -> Bool {
        if isAlpha(b) || isDigit(b) { return true }
        switch b {
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    /// RFC 3987 `ucschar`, and `iprivate` where allowed (the query).
    static func isUCSChar(_ v: UInt32, privateUse: Bool) -> Bool {
        switch v {
        case 0xA0...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFEF: return true
        case 0xE000...0xF8FF: return privateUse
        case 0xF0000...0xFFFFD, 0x100000...0x10FFFD: return privateUse
        default:
            // %x10000-1FFFD … %xE1000-EFFFD: every plane's code points but its last two.
            return v >= 0x10000 && v <= 0xEFFFD && (v & 0xFFFF) <= 0xFFFD
        }
    }
}
