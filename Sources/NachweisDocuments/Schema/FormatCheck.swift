import Foundation
import NachweisJSON

/// The `format` values Nachweis asserts. Unknown formats pass (they are annotations).
enum FormatCheck {
    /// Why string is not of format, or nil when it is (or the format is not asserted).
    static func problem(_ string: String, format: String) -> String? {
        switch format {
        case "date-time": isDateTime(string) ? nil : "not an RFC 3339 date-time"
        case "date": isDate(string) ? nil : "not an RFC 3339 full-date"
        case "time": isTime(Substring(string)) ? nil : "not an RFC 3339 full-time"
        case "email", "idn-email": isEmail(string) ? nil : "not an email address"
        case "uri", "iri": isURI(string) ? nil : "not an absolute URI"
        case "uri-reference", "iri-reference": string.contains(where: { $0 == " " || $0 == "\n" }) ? "not a URI reference" : nil
        default: nil
        }
    }

    static func digits(_ s: Substring, _ count: Int) -> Int? {
        guard s.count == count, s.allSatisfy(\.isASCII), s.allSatisfy(\.isNumber) else { return nil }
        return Int(s)
    }

    static func isDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = digits(parts[0], 4), let month = digits(parts[1], 2), let day = digits(parts[2], 2),
              (1...12).contains(month), day >= 1 else { return false }
        return day <= RFC3339.daysInMonth(month, year: year)
    }

    static func isTime(_ s: Substring) -> Bool {
        var rest = s
        var offset: Substring = ""
        if rest.last == "Z" || rest.last == "z" {
            rest = rest.dropLast()
        } else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            offset = rest[rest.index(after: sign)...]
            rest = rest[..<sign]
            let o = offset.split(separator: ":", omittingEmptySubsequences: false)
            guard o.count == 2, let h = digits(o[0], 2), let m = digits(o[1], 2), h < 24, m < 60 else { return false }
        } else {
            return false
        }
        if let dot = rest.firstIndex(of: ".") {
            let fraction = rest[rest.index(after: dot)...]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            rest = rest[..<dot]
        }
        let t = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard t.count == 3, let h = digits(t[0], 2), let m = digits(t[1], 2), let sec = digits(t[2], 2) else { return false }
        return h < 24 && m < 60 && sec <= 60
    }

    /// RFC 3339 `date-time`, read as bytes: `YYYY-MM-DD` `T` `hh:mm:ss` [`.` digits] (`Z` | `±hh:mm`), with real
    /// calendar days (the same rules as `isDate` and `isTime`).
    static func isDateTime(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { isDateTime($0) }
    }

    static func isDateTime(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        func number(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var value = 0
            for k in at..<(at + count) {
                let digit = b[k] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard b.count >= 20, let year = number(0, 4), b[4] == UInt8(ascii: "-"), let month = number(5, 2), b[7] == UInt8(ascii: "-"),
              let day = number(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let hour = number(11, 2), b[13] == UInt8(ascii: ":"), let minute = number(14, 2), b[16] == UInt8(ascii: ":"),
              let second = number(17, 2), hour < 24, minute < 60, second <= 60, (1...12).contains(month), day >= 1 else { return false }
        guard day <= RFC3339.daysInMonth(month, year: year) else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            return i + 1 == b.count
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == b.count, let h = number(i + 1, 2), b[i + 3] == UInt8(ascii: ":"), let m = number(i + 4, 2) else { return false }
            return h < 24 && m < 60
        default:
            return false
        }
    }

    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !s.contains(where: \.isWhitespace)
    }

    static func isURI(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":"), colon != s.startIndex else { return false }
        let scheme = s[..<colon]
        guard scheme.first!.isLetter, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return false }
        return !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
    }
}
