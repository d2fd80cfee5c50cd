import Foundation
import NachweisJSON
import NachweisLinkedData

/// The `format` values Nachweis asserts. Unknown formats pass (they are annotations).
enum FormatCheck {
    /// Why string is not of format, or nil when it is (or the format is not asserted).
    static func problem(_ string: String, format: String) -> String? {
        switch format {
        case "date-time": isDateTime(string) ? nil : "not an RFC 3339 date-time"
        case "date": isDate(string) ? nil : "not an RFC 3339 full-date"
        case "time": isTime(Substring(string)) ? nil : "not an RFC 3339 full-time"
        case "email": isEmail(string) ? nil : "not an email address"
        case "idn-email": isEmail(string, international: true) ? nil : "not an email address"
        case "uri": IRI.isWellFormed(string, asciiOnly: true) ? nil : "not an absolute URI (RFC 3986)"
        case "iri": IRI.isWellFormed(string) ? nil : "not an absolute IRI (RFC 3987)"
        case "uri-reference": IRI.isWellFormedReference(string, asciiOnly: true) ? nil : "not a URI reference (RFC 3986)"
        case "iri-reference": IRI.isWellFormedReference(string) ? nil : "not an IRI reference (RFC 3987)"
        case "uuid": isUUID(string) ? nil : "not a UUID (RFC 4122)"
        case "duration": isDuration(string) ? nil : "not an ISO 8601 duration (RFC 3339 Appendix A)"
        case "hostname": isHostname(string) ? nil : "not a host name (RFC 1123)"
        case "ipv4": IRI.isIPv4(Substring(string)) ? nil : "not an IPv4 address (dotted quad)"
        case "ipv6": IRI.isIPv6(Substring(string)) ? nil : "not an IPv6 address (RFC 4291)"
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
        guard t.count == 3, let h = digits(t[0], 2), let m = digits(t[1], 2), let sec = digits(t[2], 2), h < 24, m < 60, sec <= 60 else { return false }
        guard sec == 60 else { return true }
        var minutes = 0
        if !offset.isEmpty {
            let o = offset.split(separator: ":")
            let sign = s[s.index(before: offset.startIndex)] == "-" ? -1 : 1
            minutes = sign * ((Int(o[0]) ?? 0) * 60 + (Int(o[1]) ?? 0))
        }
        return isLeapSecondMinute(hour: h, minute: m, offsetMinutes: minutes)
    }

    /// A leap second is 23:59:60 UTC: the local minute less the offset must be 23:59.
    static func isLeapSecondMinute(hour: Int, minute: Int, offsetMinutes: Int) -> Bool {
        ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440 == 23 * 60 + 59
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
            return i + 1 == b.count && (second < 60 || isLeapSecondMinute(hour: hour, minute: minute, offsetMinutes: 0))
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == b.count, let h = number(i + 1, 2), b[i + 3] == UInt8(ascii: ":"), let m = number(i + 4, 2), h < 24, m < 60 else { return false }
            let offset = (b[i] == UInt8(ascii: "-") ? -1 : 1) * (h * 60 + m)
            return second < 60 || isLeapSecondMinute(hour: hour, minute: minute, offsetMinutes: offset)
        default:
            return false
        }
    }

    /// RFC 5321/5322 as the suite reads them: a dot-atom or quoted-string local part; a host name or an address
    /// literal (`[IPv4]`, `[IPv6:…]`) after the last `@`. `international` allows non-ASCII (RFC 6531).
    static func isEmail(_ s: String, international: Bool = false) -> Bool {
        guard let at = s.lastIndex(of: "@") else { return false }
        let local = s[..<at], domain = s[s.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty else { return false }
        if local.first == "\"" {
            guard local.count >= 2, local.last == "\"" else { return false }
            var escaped = false
            for c in local.dropFirst().dropLast() {
                if escaped { escaped = false; continue }
                if c == "\\" { escaped = true; continue }
                if c == "\"" { return false }
                if !international, !c.isASCII { return false }
            }
            guard !escaped else { return false }
        } else {
            let atext = Set("!#$%&'*+-/=?^_`{|}~")
            guard local.first != ".", local.last != ".", !local.contains("..") else { return false }
            guard local.allSatisfy({ c in c == "." || atext.contains(c) || (c.isASCII ? (c.isLetter || c.isNumber) : international) }) else { return false }
        }
        if domain.first == "[" {
            guard domain.last == "]" else { return false }
            let literal = domain.dropFirst().dropLast()
            if literal.hasPrefix("IPv6:") { return IRI.isIPv6(literal.dropFirst(5)) }
            return IRI.isIPv4(literal)
        }
        return isHostname(String(domain), international: international)
    }

    /// RFC 1123 host names: at most 253 characters, labels of 1–63 letters, digits and hyphens, neither starting nor
    /// ending with a hyphen; an A-label (`xn--`) only with a hyphen pair there (IDNA: `ab--` elsewhere is reserved).
    /// An A-label's Punycode and the IDNA 2008 rules for what it decodes to are not checked yet.
    static func isHostname(_ s: String, international: Bool = false) -> Bool {
        let name = Substring(s)
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63, label.first != "-", label.last != "-" else { return false }
            guard label.allSatisfy({ c in c == "-" || (c.isASCII ? (c.isLetter || c.isNumber) : international) }) else { return false }
            let lower = label.lowercased()
            if lower.count >= 4, Array(lower)[2] == "-", Array(lower)[3] == "-", !lower.hasPrefix("xn--") { return false }
            if lower.hasPrefix("xn--"), lower.count == 4 { return false }
        }
        return true
    }

    /// RFC 4122: 8-4-4-4-12 hexadecimal digits.
    static func isUUID(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (byte >= 48 && byte <= 57) || ((byte | 0x20) >= 97 && (byte | 0x20) <= 102) else { return false }
            }
        }
        return true
    }

    /// RFC 3339 Appendix A: `P` then weeks alone, or date elements (Y, M, D in order) and/or `T` with time elements
    /// (H, M, S in order), at least one element, and at least one after a `T`.
    static func isDuration(_ s: String) -> Bool {
        var rest = Substring(s)
        guard rest.first == "P" else { return false }
        rest = rest.dropFirst()
        guard !rest.isEmpty else { return false }
        func elements(_ text: Substring, _ designators: [Character]) -> Bool? {
            var text = text
            var position = 0
            var any = false
            while !text.isEmpty {
                let digits = text.prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty else { return nil }
                text = text.dropFirst(digits.count)
                // Each element is followed only by the next one (dur-hour = "H" [dur-minute], …): none skipped.
                guard let designator = text.first, let index = designators[position...].firstIndex(of: designator), !any || index == position else {
                    return nil
                }
                position = index + 1
                text = text.dropFirst()
                any = true
            }
            return any
        }
        if rest.last == "W" {
            let digits = rest.dropLast()
            return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
        }
        let parts = rest.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        let date = parts[0]
        if !date.isEmpty { guard elements(date, ["Y", "M", "D"]) == true else { return false } }
        if parts.count == 2 {
            guard !parts[1].isEmpty, elements(parts[1], ["H", "M", "S"]) == true else { return false }
        }
        return true
    }
}
