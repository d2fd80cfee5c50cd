import Foundation

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
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
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

    static func isDateTime(_ s: String) -> Bool {
        guard let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
        return isDate(String(s[..<t])) && isTime(s[s.index(after: t)...])
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
