/// N-Quads (RDF 1.1): parsing, and serialization in the canonical form RDFC-1.0 uses.
public enum NQuads {
    // MARK: Serialization

    /// One quad as a canonical N-Quads line, with its final `\n`.
    public static func line(_ quad: RDFQuad) -> String {
        var out: [UInt8] = []
        write(quad, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A dataset as canonical N-Quads, in the order given.
    public static func serialize(_ quads: [RDFQuad]) -> String {
        var out: [UInt8] = []
        for quad in quads { write(quad, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one quad's canonical line (with its final `\n`) as UTF-8.
    static func write(_ quad: RDFQuad, into out: inout [UInt8]) {
        write(quad, relabel: { $0 }, into: &out)
    }

    /// The same line with blank node labels replaced (canonical or hash-marking labels), without building the
    /// relabelled quad.
    static func write(_ quad: RDFQuad, relabel: (String) -> String, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + 160)
        write(quad.subject, relabel: relabel, into: &out)
        out.append(0x20)
        write(quad.predicate, into: &out)
        out.append(0x20)
        write(quad.object, relabel: relabel, into: &out)
        if let graph = quad.graph {
            out.append(0x20)
            write(graph, relabel: relabel, into: &out)
        }
        out.append(contentsOf: [0x20, 0x2E, 0x0A])   // " .\n"
    }

    static func write(_ term: RDFTerm, relabel: (String) -> String, into out: inout [UInt8]) {
        if case .blank(let label) = term {
            out.append(contentsOf: [0x5F, 0x3A])   // _:
            out.append(contentsOf: relabel(label).utf8)
        } else {
            write(term, into: &out)
        }
    }

    static func write(_ term: RDFTerm, into out: inout [UInt8]) {
        switch term {
        case .iri(let iri):
            out.append(0x3C)   // <
            escapeIRI(iri, into: &out)
            out.append(0x3E)   // >
        case .blank(let label):
            out.append(contentsOf: [0x5F, 0x3A])   // _:
            out.append(contentsOf: label.utf8)
        case .literal(let value, let datatype, let language):
            out.append(0x22)
            escape(value, into: &out)
            out.append(0x22)
            if let language {
                out.append(0x40)   // @
                // Only a tag's own characters (a well-formed tag has no other; JSON-LD drops literals whose tag is not).
                for byte in language.utf8 where byte == UInt8(ascii: "-") || IRI.isAlpha(byte) || IRI.isDigit(byte) { out.append(byte) }
            } else if datatype != RDFTerm.xsdString {
                out.append(contentsOf: [0x5E, 0x5E, 0x3C])   // ^^<
                escapeIRI(datatype, into: &out)
                out.append(0x3E)
            }
        }
    }

    /// An IRI as N-Quads' `IRIREF` allows it: the characters it excludes (`<>"{}|^`\\`, space and the control
    /// characters) as `\\uXXXX`, everything else as is. A well-formed IRI has none of them, so canonical text is
    /// unchanged; an IRI that is not can never close its own term or start another statement.
    static func escapeIRI(_ iri: String, into out: inout [UInt8]) {
        let excluded = Self.excludedFromIRIREF  // once, not per byte
        let clean = iri.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where excluded[Int(byte)] { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if clean == true { return }
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in iri.utf8 {
            if excluded[Int(byte)] {
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
            } else {
                out.append(byte)
            }
        }
    }

    /// The bytes `IRIREF` excludes, by value.
    static let excludedFromIRIREF: [Bool] = (0..<256).map { value in
        switch value {
        case 0x00...0x20, 0x22, 0x3C, 0x3E, 0x5C, 0x5E, 0x60, 0x7B, 0x7C, 0x7D: true
        default: false
        }
    }

    /// Canonical literal escaping (RDF 1.1/1.2 N-Quads canonical form): `"`, `\`, LF, CR, TAB, BS and FF by ECHAR;
    /// the other control characters (U+0000–U+001F) and U+007F by UCHAR; everything else as is.
    static func escape(_ value: String, into out: inout [UInt8]) {
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) {
            out.append(contentsOf: value.utf8)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case 0x00...0x1F, 0x7F:
                let digits = Array("0123456789ABCDEF".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
            default: out.append(byte)
            }
        }
    }

    // MARK: Parsing

    /// Parses N-Quads text. Throws `rdf.invalid_nquads` with the line number.
    public static func parse(_ text: String) throws(LinkedDataError) -> [RDFQuad] {
        var quads: [RDFQuad] = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            lineNumber += 1
            var scanner = LineScanner(Array(rawLine.unicodeScalars), line: lineNumber)
            scanner.skipSpace()
            if scanner.atEnd || scanner.peek == "#" { continue }
            let subject = try scanner.term(allowLiteral: false)
            scanner.skipSpace()
            let predicate = try scanner.term(allowLiteral: false, allowBlank: false)
            scanner.skipSpace()
            let object = try scanner.term(allowLiteral: true)
            scanner.skipSpace()
            var graph: RDFTerm?
            if scanner.peek != "." {
                graph = try scanner.term(allowLiteral: false)
                scanner.skipSpace()
            }
            guard scanner.peek == "." else { throw scanner.error("expected '.' at the end of the statement") }
            scanner.advance()
            scanner.skipSpace()
            if !scanner.atEnd && scanner.peek != "#" { throw scanner.error("unexpected text after '.'") }
            quads.append(RDFQuad(subject, predicate, object, graph))
        }
        return quads
    }

    struct LineScanner {
        let scalars: [Unicode.Scalar]
        let line: Int
        var index = 0

        init(_ scalars: [Unicode.Scalar], line: Int) {
            self.scalars = scalars
            self.line = line
        }

        var atEnd: Bool { index >= scalars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }
        mutating func advance() { index += 1 }

        func error(_ message: String) -> LinkedDataError {
            LinkedDataError(.invalidNQuads, "line \(line), column \(index + 1): \(message)")
        }

        mutating func skipSpace() { while let c = peek, c == " " || c == "\t" { advance() } }

        mutating func term(allowLiteral: Bool, allowBlank: Bool = true) throws(LinkedDataError) -> RDFTerm {
            switch peek {
            case "<": return .iri(try iri())
            case "_" where allowBlank:
                advance()
                guard peek == ":" else { throw error("expected ':' after '_'") }
                advance()
                var label = ""
                while let c = peek, c != " ", c != "\t", c != "." || (index + 1 < scalars.count && ![" ", "\t"].contains(scalars[index + 1])) {
                    label.unicodeScalars.append(c)
                    advance()
                }
                guard !label.isEmpty else { throw error("empty blank node label") }
                return .blank(label)
            case "\"" where allowLiteral:
                advance()
                var value = ""
                while true {
                    guard let c = peek else { throw error("unterminated literal") }
                    advance()
                    if c == "\"" { break }
                    if c == "\\" { value.unicodeScalars.append(try escapeSequence()) } else { value.unicodeScalars.append(c) }
                }
                if peek == "@" {
                    advance()
                    var language = ""
                    while let c = peek, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" {
                        language.unicodeScalars.append(c)
                        advance()
                    }
                    guard !language.isEmpty else { throw error("empty language tag") }
                    return .literal(value, datatype: RDFTerm.rdfLangString, language: language)
                }
                if peek == "^" {
                    advance()
                    guard peek == "^" else { throw error("expected '^^'") }
                    advance()
                    return .literal(value, datatype: try iri(), language: nil)
                }
                return .string(value)
            default:
                throw error("expected a term")
            }
        }

        mutating func iri() throws(LinkedDataError) -> String {
            guard peek == "<" else { throw error("expected '<'") }
            advance()
            var value = ""
            while true {
                guard let c = peek else { throw error("unterminated IRI") }
                advance()
                if c == ">" { return value }
                if c == "\\" {
                    let escaped = try escapeSequence()
                    value.unicodeScalars.append(escaped)
                } else {
                    guard c != " " && c != "<" && c != "\"" else { throw error("character \(c) not allowed in an IRI") }
                    value.unicodeScalars.append(c)
                }
            }
        }

        mutating func escapeSequence() throws(LinkedDataError) -> Unicode.Scalar {
            guard let c = peek else { throw error("unterminated escape") }
            advance()
            switch c {
            case "t": return "\t"
            case "b": return "\u{08}"
            case "n": return "\n"
            case "r": return "\r"
            case "f": return "\u{0C}"
            case "\"": return "\""
            case "'": return "'"
            case "\\": return "\\"
            case "u", "U":
                let count = c == "u" ? 4 : 8
                guard index + count <= scalars.count else { throw error("truncated \\\(c) escape") }
                let hex = String(String.UnicodeScalarView(scalars[index..<index + count]))
                index += count
                guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else { throw error("invalid \\\(c) escape") }
                return scalar
            default:
                throw error("invalid escape \\\(c)")
            }
        }
    }
}
