/// A small, strict XML scanner for SVG badges. It never expands anything: a DOCTYPE (and with it any DTD,
/// internal subset or external entity) is refused, and only the five predefined entities and numeric
/// character references are decoded. Elements must nest; namespaces are resolved.
struct XMLScanner {
    struct Element {
        let prefix: String
        let localName: String
        let namespace: String?
        let attributes: [String: String]
        /// Byte range of the start tag.
        let startTag: Range<Int>
        /// Byte range from the start tag to the end of the end tag.
        var whole: Range<Int>
        /// Text and CDATA content directly inside, decoded.
        var text: String
        let depth: Int
    }

    static let maxDepth = 256

    let bytes: [UInt8]
    private(set) var elements: [Element] = []

    init(_ bytes: [UInt8]) throws(DocumentError) {
        self.bytes = bytes
        try scan()
    }

    private mutating func scan() throws(DocumentError) {
        var i = 0
        var stack: [(index: Int, qname: String, namespaces: [String: String])] = []
        var rootSeen = false
        func fail(_ message: String, _ at: Int) -> DocumentError { DocumentError(.invalidSVG, "\(message) at byte \(at)") }
        while i < bytes.count {
            if bytes[i] != UInt8(ascii: "<") {
                let start = i
                while i < bytes.count && bytes[i] != UInt8(ascii: "<") { i += 1 }
                if let top = stack.last {
                    elements[top.index].text += try XMLScanner.decodeText(bytes[start..<i], at: start)
                } else if bytes[start..<i].contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }) {
                    throw fail("text outside the root element", start)
                }
                continue
            }
            if hasPrefix("<!--", at: i) {
                guard let end = find("-->", from: i + 4) else { throw fail("unterminated comment", i) }
                i = end + 3
            } else if hasPrefix("<![CDATA[", at: i) {
                guard let end = find("]]>", from: i + 9) else { throw fail("unterminated CDATA section", i) }
                guard let top = stack.last else { throw fail("CDATA outside the root element", i) }
                elements[top.index].text += String(decoding: bytes[(i + 9)..<end], as: UTF8.self)
                i = end + 3
            } else if hasPrefix("<!DOCTYPE", at: i, caseInsensitive: true) {
                i = try XMLScanner.standardSVGDoctypeEnd(bytes, at: i, rootSeen: rootSeen)
            } else if hasPrefix("<!ENTITY", at: i, caseInsensitive: true) {
                throw DocumentError(.svgEntity, "the SVG declares an entity (byte \(i)); entities are refused")
            } else if hasPrefix("<!", at: i) {
                throw fail("unsupported markup declaration", i)
            } else if hasPrefix("<?", at: i) {
                guard let end = find("?>", from: i + 2) else { throw fail("unterminated processing instruction", i) }
                i = end + 2
            } else if hasPrefix("</", at: i) {
                guard let end = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else { throw fail("unterminated end tag", i) }
                let name = String(decoding: bytes[(i + 2)..<end], as: UTF8.self).trimmingWhitespace()
                guard let top = stack.popLast(), top.qname == name else { throw fail("end tag </\(name)> does not match", i) }
                elements[top.index].whole = elements[top.index].whole.lowerBound..<(end + 1)
                i = end + 1
            } else {
                guard let end = tagEnd(from: i + 1) else { throw fail("unterminated start tag", i) }
                let selfClosing = bytes[end - 1] == UInt8(ascii: "/")
                let inner = bytes[(i + 1)..<(selfClosing ? end - 1 : end)]
                let (qname, attributes) = try XMLScanner.parseTag(inner, at: i)
                if stack.isEmpty {
                    guard !rootSeen else { throw fail("a second root element", i) }
                    rootSeen = true
                }
                guard stack.count < XMLScanner.maxDepth else { throw fail("elements nested deeper than \(XMLScanner.maxDepth)", i) }
                var namespaces = stack.last?.namespaces ?? ["xml": "http://www.w3.org/XML/1998/namespace"]
                for (name, value) in attributes {
                    if name == "xmlns" { namespaces[""] = value } else if name.hasPrefix("xmlns:") { namespaces[String(name.dropFirst(6))] = value }
                }
                let parts = qname.split(separator: ":", maxSplits: 1)
                let prefix = parts.count == 2 ? String(parts[0]) : ""
                let local = String(parts.last ?? "")
                let element = Element(prefix: prefix, localName: local, namespace: namespaces[prefix], attributes: attributes,
                                      startTag: i..<(end + 1), whole: i..<(end + 1), text: "", depth: stack.count)
                elements.append(element)
                if !selfClosing { stack.append((elements.count - 1, qname, namespaces)) }
                i = end + 1
            }
        }
        guard stack.isEmpty else { throw fail("element <\(stack.last!.qname)> is not closed", bytes.count) }
        guard rootSeen else { throw fail("no root element", 0) }
    }

    /// The W3C public identifiers of SVG's own DTDs. A DOCTYPE naming one of them, with no internal subset, is
    /// accepted and ignored (never fetched); any other DOCTYPE is refused, so no DTD, internal subset or external
    /// entity can reach the parser.
    static let standardSVGPublicIDs: Set<String> = [
        "-//W3C//DTD SVG 1.0//EN", "-//W3C//DTD SVG 1.1//EN", "-//W3C//DTD SVG 1.1 Basic//EN", "-//W3C//DTD SVG 1.1 Tiny//EN",
    ]

    /// Returns the index after a standard SVG DOCTYPE at i; throws `svg.dtd_refused` for any other.
    static func standardSVGDoctypeEnd(_ bytes: [UInt8], at i: Int, rootSeen: Bool) throws(DocumentError) -> Int {
        guard !rootSeen, let end = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else {
            throw DocumentError(.svgDTD, "misplaced or unterminated DOCTYPE at byte \(i)")
        }
        let declaration = bytes[i..<end]
        if declaration.contains(UInt8(ascii: "[")) {
            throw DocumentError(.svgDTD, "the SVG's DOCTYPE has an internal subset (byte \(i)); DTDs and entity declarations are refused")
        }
        let text = String(decoding: declaration.dropFirst(9), as: UTF8.self)
        let parts = text.split(separator: "\"", omittingEmptySubsequences: false)
        let head = parts.first.map { $0.split(whereSeparator: \.isWhitespace) } ?? []
        guard head.count == 2, head[0] == "svg", head[1] == "PUBLIC", parts.count >= 2, standardSVGPublicIDs.contains(String(parts[1])) else {
            throw DocumentError(.svgDTD, "the SVG has a DOCTYPE other than SVG's standard public one (byte \(i)); DTDs are refused")
        }
        return end + 1
    }

    private func hasPrefix(_ s: String, at i: Int, caseInsensitive: Bool = false) -> Bool {
        let p = Array(s.utf8)
        guard bytes.count - i >= p.count else { return false }
        for k in 0..<p.count {
            let a = bytes[i + k], b = p[k]
            if caseInsensitive ? (a | 0x20) != (b | 0x20) : a != b { return false }
        }
        return true
    }

    private func find(_ s: String, from: Int) -> Int? {
        let p = Array(s.utf8)
        guard bytes.count >= p.count else { return nil }
        var i = from
        while i <= bytes.count - p.count {
            if bytes[i] == p[0] && Array(bytes[i..<(i + p.count)]) == p { return i }
            i += 1
        }
        return nil
    }

    /// The index of the `>` closing a start tag, skipping quoted attribute values.
    private func tagEnd(from start: Int) -> Int? {
        var quote: UInt8?
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if let q = quote {
                if b == q { quote = nil }
            } else if b == 0x22 || b == 0x27 {
                quote = b
            } else if b == UInt8(ascii: ">") {
                return i
            } else if b == UInt8(ascii: "<") {
                return nil
            }
            i += 1
        }
        return nil
    }

    static func parseTag(_ inner: ArraySlice<UInt8>, at offset: Int) throws(DocumentError) -> (String, [String: String]) {
        let text = String(decoding: inner, as: UTF8.self)
        var rest = Substring(text)
        let name = rest.prefix { !$0.isWhitespace }
        guard !name.isEmpty else { throw DocumentError(.invalidSVG, "empty tag name at byte \(offset)") }
        rest = rest.dropFirst(name.count)
        var attributes: [String: String] = [:]
        while true {
            rest = rest.drop(while: \.isWhitespace)
            if rest.isEmpty { break }
            let attrName = rest.prefix { $0 != "=" && !$0.isWhitespace }
            rest = rest.dropFirst(attrName.count).drop(while: \.isWhitespace)
            guard rest.first == "=" else { throw DocumentError(.invalidSVG, "attribute \(attrName) without a value at byte \(offset)") }
            rest = rest.dropFirst().drop(while: \.isWhitespace)
            guard let quote = rest.first, quote == "\"" || quote == "'" else {
                throw DocumentError(.invalidSVG, "unquoted attribute \(attrName) at byte \(offset)")
            }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: quote) else { throw DocumentError(.invalidSVG, "unterminated attribute at byte \(offset)") }
            let raw = rest[..<close]
            guard attributes[String(attrName)] == nil else { throw DocumentError(.invalidSVG, "duplicate attribute \(attrName) at byte \(offset)") }
            attributes[String(attrName)] = try decodeText(Array(raw.utf8)[...], at: offset)
            rest = rest[rest.index(after: close)...]
        }
        return (String(name), attributes)
    }

    /// Decodes character references and the five predefined entities; anything else is refused.
    static func decodeText(_ raw: ArraySlice<UInt8>, at offset: Int) throws(DocumentError) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        let text = String(decoding: raw, as: UTF8.self)
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { throw DocumentError(.svgEntity, "unterminated entity reference near byte \(offset)") }
            let name = rest[rest.index(after: amp)..<semi]
            switch name {
            case "lt": out += "<"
            case "gt": out += ">"
            case "amp": out += "&"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let scalar: UInt32?
                if name.hasPrefix("#x") { scalar = UInt32(name.dropFirst(2), radix: 16) } else if name.hasPrefix("#") { scalar = UInt32(name.dropFirst()) } else { scalar = nil }
                guard let scalar, let unicode = Unicode.Scalar(scalar) else {
                    throw DocumentError(.svgEntity, "entity &\(name); is refused (only the predefined XML entities are allowed), near byte \(offset)")
                }
                out.unicodeScalars.append(unicode)
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}

extension String {
    /// Without leading and trailing white space, found scalar by scalar from both ends (a whole-string reversal of
    /// Characters cost more than a signature check on a VC-JWT).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        if start == scalars.startIndex && end == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[start...end])
    }
}
