import Foundation

/// RFC 3339 / xsd:dateTime timestamps, parsed without ICU (Foundation's formatters cost more than a signature check).
public enum RFC3339 {
    /// `2026-11-21T23:59:59Z`: whole seconds, UTC — how Nachweis writes every timestamp (API fields, VC `validFrom`,
    /// Data Integrity `created`, reports).
    public static func format(_ date: Date) -> String {
        // Whole seconds, rounded down; the civil date from days since 1970 (H. Hinnant's `civil_from_days`), written
        // as bytes — Foundation's ISO 8601 style took several microseconds, once per credential issued.
        let interval = date.timeIntervalSince1970.rounded(.down)
        guard interval.isFinite, abs(interval) < 2.5e11 else { return foundationFormat(date) }
        let seconds = Int64(interval)
        var days = seconds / 86_400, time = seconds % 86_400
        if time < 0 { days -= 1; time += 86_400 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // (Before 1583 Foundation's calendar is Julian; those years keep its answer.)
        guard (1583...9999).contains(year) else { return foundationFormat(date) }
        var out = [UInt8]()
        out.reserveCapacity(20)
        func put(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(48 + rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        put(year, 4); out.append(45); put(month, 2); out.append(45); put(day, 2); out.append(84)
        put(time / 3_600, 2); out.append(58); put(time % 3_600 / 60, 2); out.append(58); put(time % 60, 2); out.append(90)
        return String(decoding: out, as: UTF8.self)
    }

    /// Days in a month (1–12) of the Gregorian calendar: the one rule every date check here uses.
    public static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Years outside 1583–9999.
    static func foundationFormat(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
            .replacingOccurrences(of: "+0000", with: "Z")
    }

    /// `2026-11-21T10:00:00Z`, `…T10:00:00.123+01:00`, and (as UTC) `…T10:00:00` without an offset, or a bare date
    /// `2026-11-21`. Nil for anything else, or an impossible date.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var value = 0
            for i in start..<start + count {
                let d = Int(b[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let year = digits(0, 4), b.count >= 10, b[4] == 45, let month = digits(5, 2), b[7] == 45, let day = digits(8, 2),
              (1...12).contains(month), day >= 1 else { return nil }
        guard day <= daysInMonth(month, year: year) else { return nil }
        var seconds = 0.0, offset = 0
        if b.count > 10 {
            guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"), let hour = digits(11, 2), b.count > 13, b[13] == 58,
                  let minute = digits(14, 2), b.count > 16, b[16] == 58, let second = digits(17, 2),
                  hour < 24, minute < 60, second <= 60 else { return nil }
            seconds = Double(hour * 3600 + minute * 60 + second)
            var i = 19
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                var fraction = 0.0, scale = 0.1
                let start = i
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    fraction += Double(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return nil }
                seconds += fraction
            }
            if i < b.count {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = digits(i + 4, 2), oh < 24, om < 60 else { return nil }
                    offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
                    i += 6
                }
            }
            guard i == b.count else { return nil }
        }
        // Days from the civil date (Howard Hinnant's algorithm), then seconds since 1970.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: Double(days) * 86400 + seconds - Double(offset))
    }
}
