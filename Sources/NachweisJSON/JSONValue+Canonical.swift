/// RFC 8785 JSON Canonicalization Scheme (JCS).
extension JSONValue {
    /// The JCS form: members sorted by their UTF-16 code units, numbers as ECMAScript prints them
    /// (shortest round-trip form), strings minimally escaped, no white space.
    ///
    /// Throws `json.invalid_number` for numbers that are not finite IEEE-754 doubles (e.g. `1e400`).
    public func canonicalBytes() throws(JSONError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try writeCanonical(into: &out)
        return out
    }

    /// The JCS form as a string.
    public func canonicalText() throws(JSONError) -> String {
        String(decoding: try canonicalBytes(), as: UTF8.self)
    }

    func writeCanonical(into out: inout [UInt8]) throws(JSONError) {
        switch self {
        case .null, .bool, .string: write(into: &out)
        case .number(let n): out.append(contentsOf: try n.canonicalText().utf8)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try element.writeCanonical(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let sorted = object.members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
            for (i, member) in sorted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                try member.value.writeCanonical(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

extension JSONNumber {
    /// The number as ECMAScript's `Number.prototype.toString` prints the nearest double (RFC 8785 §3.2.2.3).
    public func canonicalText() throws(JSONError) -> String {
        guard let value = Double(text), value.isFinite else {
            throw JSONError(.invalidNumber, at: 0, "number \(text) is not a finite IEEE-754 double")
        }
        return JSONNumber.ecmaScriptText(value)
    }

    /// ECMA-262 Number::toString for a finite double.
    static func ecmaScriptText(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value < 0 { return "-" + ecmaScriptText(-value) }
        // Swift prints the shortest digits that round-trip; take them and the decimal exponent from it.
        let description = "\(value)"
        let parts = description.split(separator: "e")
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1])! : 0
        let pointIndex = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = Array(mantissa.filter { $0 != "." })
        // n: position of the decimal point relative to the digits (value = 0.d1d2… × 10^n).
        var n = pointIndex + exponent
        while digits.first == "0" { digits.removeFirst(); n -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let k = digits.count
        let s = String(digits)
        if k <= n && n <= 21 { return s + String(repeating: "0", count: n - k) }
        if 0 < n && n <= 21 { return String(digits[0..<n]) + "." + String(digits[n...]) }
        if -6 < n && n <= 0 { return "0." + String(repeating: "0", count: -n) + s }
        let e = n - 1
        let sign = e < 0 ? "-" : "+"
        let head = k == 1 ? s : String(digits[0]) + "." + String(digits[1...])
        return head + "e" + sign + String(abs(e))
    }
}
