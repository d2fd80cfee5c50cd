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
    public static func isWellFormed(_ s: String) -> Bool {
        guard isAbsolute(s) else { return false }
        let c = components(s)
        if let authority = c.authority {
            guard isWellFormedAuthority(authority), c.path.isEmpty || c.path.utf8.first == UInt8(ascii: "/") else { return false }
        } else if c.path.utf8.starts(with: "//".utf8) {
            return false
        }
        guard allowed(c.path, extra: "/:@") else { return false }
        if let query = c.query, !allowed(query, extra: "/:@?", privateUse: true) { return false }
        if let fragment = c.fragment, !allowed(fragment, extra: "/:@?") { return false }
        return true
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

    /// Whether every character of s is `iunreserved`, `sub-delims`, one of `extra`, or a `pct-encoded` triple.
    static func allowed(_ s: Substring, extra: String, privateUse: Bool = false) -> Bool {
        let extraBytes = Array(extra.utf8)
        var scalars = s.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(v)
                if isUnreservedOrSubDelim(b) || extraBytes.contains(b) { continue }
                if b == UInt8(ascii: "%") {
                    guard let h1 = scalars.next(), let h2 = scalars.next(), h1.isASCII, h2.isASCII,
                          isHex(UInt8(h1.value)), isHex(UInt8(h2.value)) else { return false }
                    continue
                }
                return false
            }
            if !isUCSChar(v, privateUse: privateUse) { return false }
        }
        return true
    }

    /// `iauthority = [ iuserinfo "@" ] ihost [ ":" port ]`.
    static func isWellFormedAuthority(_ authority: Substring) -> Bool {
        var hostPort = authority
        if let at = authority.utf8.lastIndex(of: UInt8(ascii: "@")) {
            guard allowed(authority[..<at], extra: ":") else { return false }
            hostPort = authority[authority.utf8.index(after: at)...]
        }
        var host = hostPort
        if hostPort.utf8.first == UInt8(ascii: "[") {
            guard let close = hostPort.utf8.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = hostPort[hostPort.utf8.index(after: hostPort.startIndex)..<close]
            // IPv6address or IPvFuture ("v" HEXDIG "." …): hex digits, dots, colons, unreserved and sub-delims.
            guard !literal.isEmpty, literal.utf8.allSatisfy({ isUnreservedOrSubDelim($0) || $0 == UInt8(ascii: ":") }) else { return false }
            let rest = hostPort[hostPort.utf8.index(after: close)...]
            guard rest.isEmpty || rest.utf8.first == UInt8(ascii: ":") else { return false }
            return rest.utf8.dropFirst().allSatisfy(isDigit)
        }
        if let colon = hostPort.utf8.lastIndex(of: UInt8(ascii: ":")) {
            guard hostPort.utf8[hostPort.utf8.index(after: colon)...].allSatisfy(isDigit) else { return false }
            host = hostPort[..<colon]
        }
        return allowed(host, extra: "")
    }
}
