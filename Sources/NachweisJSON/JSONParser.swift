/// A strict RFC 8259 parser with limits.
///
/// Refuses duplicate member names, invalid UTF-8, lone surrogate escapes, control characters in
/// strings, leading zeros, and anything after the value but white space. Every error carries the
/// byte offset where it was found.
public struct JSONParser: Sendable {
    /// Bounds on what one document may cost.
    public struct Limits: Sendable, Hashable {
        /// Largest input in bytes. Default 16 MiB.
        public var maxBytes: Int
        /// Deepest nesting of arrays and objects. Default 128.
        public var maxDepth: Int
        /// Most object members and array elements in the whole document. Default 1 000 000.
        public var maxMembers: Int
        /// Longest string (after unescaping), in UTF-8 bytes. Default 8 MiB.
        public var maxStringLength: Int

        public init(maxBytes: Int = 16 << 20, maxDepth: Int = 128, maxMembers: Int = 1_000_000,
                    maxStringLength: Int = 8 << 20) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.maxMembers = maxMembers
            self.maxStringLength = maxStringLength
        }

        public static let `default` = Limits()
    }

    public var limits: Limits

    public init(limits: Limits = .default) { self.limits = limits }

    /// Parses one JSON text. Throws ``JSONError``.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(.tooLarge, at: limits.maxBytes, "JSON text of \(bytes.count) bytes exceeds the limit of \(limits.maxBytes)")
        }
        let array = Array(bytes)
        let result: Result<JSONValue, JSONError> = array.withUnsafeBufferPointer { buffer in
            var cursor = Cursor(bytes: buffer, limits: limits)
            do throws(JSONError) {
                cursor.skipWhitespace()
                let value = try cursor.parseValue(depth: 0)
                cursor.skipWhitespace()
                if cursor.index != buffer.count {
                    throw JSONError(.trailingData, at: cursor.index, "unexpected data after the JSON value")
                }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses a string's UTF-8 bytes.
    public func parse(_ text: String) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONParser.Limits
    var index = 0
    var members = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONParser.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func peek() throws(JSONError) -> UInt8 {
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index, "unexpected end of JSON text") }
        return bytes[index]
    }

    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw JSONError(.invalidSyntax, at: index, "expected a JSON value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw JSONError(.unexpectedEnd, at: bytes.count, "unexpected end of JSON text") }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            throw JSONError(.invalidSyntax, at: start + offset, "invalid literal, expected \(literal)")
        }
        index += count
    }

    mutating func enter(_ depth: Int) throws(JSONError) {
        if depth > limits.maxDepth {
            throw JSONError(.tooDeep, at: index, "nesting deeper than the limit of \(limits.maxDepth)")
        }
    }

    mutating func countMember() throws(JSONError) {
        members += 1
        if members > limits.maxMembers {
            throw JSONError(.tooManyMembers, at: index, "more than \(limits.maxMembers) members and elements")
        }
    }

    mutating func parseObject(depth: Int) throws(JSONError) -> JSONObject {
        try enter(depth)
        index += 1  // {
        var list: [JSONObject.Member] = []
        var seen = Set<ExactName>()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return JSONObject(uniqueMembers: list)
        }
        while true {
            skipWhitespace()
            let keyOffset = index
            guard try peek() == UInt8(ascii: "\"") else {
                throw JSONError(.invalidSyntax, at: index, "expected a member name in double quotes")
            }
            let key = try parseString()
            // Small objects (nearly all) are checked for a repeated name by comparison; a set from 16 members on. Names
            // are the same only with the same code points (not Swift's canonical equivalence).
            let duplicate: Bool
            if list.count < 16 {
                duplicate = list.contains { $0.key.hasSameCodePoints(as: key) }
            } else {
                if seen.isEmpty { seen = Set(list.lazy.map { ExactName(text: $0.key) }) }
                duplicate = !seen.insert(ExactName(text: key)).inserted
            }
            guard !duplicate else {
                throw JSONError(.duplicateKey, at: keyOffset, "duplicate member name \"\(key)\"")
            }
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw JSONError(.invalidSyntax, at: index, "expected ':' after a member name") }
            index += 1
            skipWhitespace()
            try countMember()
            let value = try parseValue(depth: depth)
            list.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return JSONObject(uniqueMembers: list)
            default: throw JSONError(.invalidSyntax, at: index, "expected ',' or '}' in an object")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONError) -> [JSONValue] {
        try enter(depth)
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            skipWhitespace()
            try countMember()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return elements
            default: throw JSONError(.invalidSyntax, at: index, "expected ',' or ']' in an array")
            }
        }
    }

    mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let start = index
        func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, digit(bytes[index]) else { throw JSONError(.invalidNumber, at: index, "expected a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, digit(bytes[index]) { throw JSONError(.invalidNumber, at: index, "leading zeros are not allowed") }
        } else {
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, digit(bytes[index]) else { throw JSONError(.invalidNumber, at: index, "expected a digit after '.'") }
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, digit(bytes[index]) else { throw JSONError(.invalidNumber, at: index, "expected a digit in the exponent") }
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return JSONNumber(validatedText: text)
    }

    mutating func parseString() throws(JSONError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: ASCII without escapes.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let length = index - start
                try checkLength(length, at: start)
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") || b >= 0x80 || b < 0x20 { break }
            index += 1
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index, "unterminated string") }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0..<0x20:
                throw JSONError(.controlCharacter, at: index, "unescaped control character in a string")
            case 0..<0x80:
                out.append(b)
                index += 1
            default:
                let length = try utf8SequenceLength(at: index)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
                index += length
            }
            try checkLength(out.count, at: start)
        }
    }

    func checkLength(_ length: Int, at offset: Int) throws(JSONError) {
        if length > limits.maxStringLength {
            throw JSONError(.stringTooLong, at: offset, "string longer than the limit of \(limits.maxStringLength) bytes")
        }
    }

    /// Validates one multi-byte UTF-8 sequence (Unicode Table 3-7) and returns its length.
    func utf8SequenceLength(at i: Int) throws(JSONError) -> Int {
        let b0 = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F  // excludes encoded surrogates
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw JSONError(.invalidUTF8, at: i, "invalid UTF-8 lead byte 0x\(String(b0, radix: 16))")
        }
        guard i + length <= bytes.count else { throw JSONError(.invalidUTF8, at: i, "truncated UTF-8 sequence") }
        let b1 = bytes[i + 1]
        guard b1 >= low && b1 <= high else { throw JSONError(.invalidUTF8, at: i + 1, "invalid UTF-8 continuation byte") }
        for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 {
            throw JSONError(.invalidUTF8, at: i + k, "invalid UTF-8 continuation byte")
        }
        return length
    }

    mutating func parseEscape(into out: inout [UInt8]) throws(JSONError) {
        let start = index
        index += 1
        let c = try peek()
        index += 1
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(at: start)
            if (0xD800...0xDBFF).contains(scalar) {
                guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw JSONError(.loneSurrogate, at: start, "high surrogate escape without a low surrogate")
                }
                index += 2
                let low = try hex4(at: index - 2)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONError(.loneSurrogate, at: start, "high surrogate escape without a low surrogate")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw JSONError(.loneSurrogate, at: start, "low surrogate escape without a high surrogate")
            }
            out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default:
            throw JSONError(.invalidEscape, at: start, "invalid escape sequence")
        }
    }

    mutating func hex4(at escapeOffset: Int) throws(JSONError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw JSONError(.unexpectedEnd, at: bytes.count, "truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x41...0x46: digit = b - 0x41 + 10
            case 0x61...0x66: digit = b - 0x61 + 10
            default: throw JSONError(.invalidEscape, at: escapeOffset, "invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
