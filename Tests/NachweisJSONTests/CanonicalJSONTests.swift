import Foundation
@testable import NachweisJSON
import Testing

@Suite("RFC 8785 canonical JSON")
struct CanonicalJSONTests {
    /// RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text.
    @Test("numbers (Appendix B)", arguments: [
        (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"), (0x0000_0000_0000_0001, "5e-324"),
        (0x8000_0000_0000_0001, "-5e-324"), (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
        (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"), (0x4340_0000_0000_0000, "9007199254740992"),
        (0xC340_0000_0000_0000, "-9007199254740992"), (0x4430_0000_0000_0000, "295147905179352830000"),
        (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"), (0x44B5_2D02_C7E1_4AF6, "1e+23"),
        (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"), (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
        (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"), (0x444B_1AE4_D6E2_EF50, "1e+21"),
        (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"), (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
        (0x41B3_DE43_5555_5553, "333333333.3333332"), (0x41B3_DE43_5555_5554, "333333333.33333325"),
        (0x41B3_DE43_5555_5555, "333333333.3333333"), (0x41B3_DE43_5555_5556, "333333333.3333334"),
        (0x41B3_DE43_5555_5557, "333333333.33333343"), (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
        (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
    ] as [(UInt64, String)])
    func numbers(bits: UInt64, expected: String) throws {
        let value = Double(bitPattern: bits)
        let number = try #require(try JSONParser().parse("\(value)").numberValue)
        #expect(try number.canonicalText() == expected)
    }

    @Test("the RFC 8785 §3.2.2 example")
    func example() throws {
        let input = #"""
        {
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }
        """#
        let expected = #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(try JSONParser().parse(input).canonicalText() == expected)
    }

    @Test("members sort by UTF-16 code units (RFC 8785 §3.2.3)")
    func sorting() throws {
        let input = #"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#
        let keys = try JSONParser().parse(input).canonicalText()
        #expect(keys == #"{"\r":"Carriage Return","1":"One","\#u{80}":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","דּ":"Hebrew Letter Dalet With Dagesh"}"#)
    }

    @Test("non-finite numbers are refused")
    func nonFinite() throws {
        let value = try JSONParser().parse("[1e400]")
        #expect(throws: JSONError.self) { try value.canonicalText() }
    }

    @Test("numbers from doubles take their shortest round-tripping text; non-finite ones have none")
    func numbersFromDoubles() {
        #expect(JSONNumber(5.0)?.text == "5")
        #expect(JSONNumber(7.5)?.text == "7.5")
        #expect(JSONNumber(0.1)?.text == "0.1")
        #expect(JSONNumber(1e21)?.text == "1e+21")
        #expect(JSONNumber(Double.nan) == nil && JSONNumber(Double.infinity) == nil)
    }

    @Test("JSON pointers resolve, escape and edit")
    func pointers() throws {
        var value = try JSONParser().parse(#"{"a/b":{"c~d":[1,{"e":2}]}}"#)
        let pointer = JSONPointer("/a~1b/c~0d/1/e")
        #expect(pointer.tokens == ["a/b", "c~d", "1", "e"])
        #expect(pointer.description == "/a~1b/c~0d/1/e")
        #expect(value[pointer] == 2)
        #expect(value[JSONPointer("/a~1b/c~0d/01")] == nil)
        let replaced = value.set(pointer, to: "x")
        #expect(replaced)
        #expect(value[pointer] == "x")
        let removed = value.set(JSONPointer("/a~1b/c~0d/0"), to: nil)
        #expect(removed)
        #expect(value.compactText == #"{"a/b":{"c~d":[{"e":"x"}]}}"#)
        let missing = value.set(JSONPointer("/missing/x"), to: 1)
        #expect(!missing)
    }
}

@Suite("JSON string writing")
struct JSONStringWritingTests {
    @Test("every byte that needs an escape gets the one RFC 8259 names, at the start, middle and end of a string; the rest is copied")
    func escapes() throws {
        for code in 0..<0x80 {
            let scalar = String(UnicodeScalar(UInt8(code)))
            for text in [scalar, "ab" + scalar, scalar + "cd", "a" + scalar + "b" + scalar + "ü€𝄞"] {
                let written = JSONValue.string(text).compactText
                #expect(try JSONParser().parse(Array(written.utf8)) == .string(text), "\(code)")
                let escaped: String? = switch code {
                case 0x22: #"\""#
                case 0x5C: #"\\"#
                case 0x08: #"\b"#
                case 0x0C: #"\f"#
                case 0x0A: #"\n"#
                case 0x0D: #"\r"#
                case 0x09: #"\t"#
                case 0..<0x20: String(format: "\\u%04x", code)
                default: nil
                }
                #expect(written == "\"" + text.replacingOccurrences(of: scalar, with: escaped ?? scalar) + "\"", "\(code): \(written)")
            }
        }
    }
}

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test("parses like Foundation's ISO 8601 formatter, and refuses impossible dates", arguments: [
        "2026-11-21T10:00:00Z", "2010-01-01T19:23:24Z", "2023-09-27T13:54:17+02:00", "1999-10-01T22:00:00-05:30",
        "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "1900-03-01T00:00:00Z", "2100-12-31T23:59:59Z",
    ])
    func matchesFoundation(_ text: String) throws {
        let expected = try #require(ISO8601DateFormatter().date(from: text))
        #expect(RFC3339.parse(text) == expected)
    }

    @Test("formats like Foundation's ISO 8601 style: edge dates and 20 000 random seconds from 1600 to 9999")
    func formatMatchesFoundation() {
        var dates = ["1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2000-02-29T12:00:00Z", "1900-02-28T23:59:59Z", "1900-03-01T00:00:00Z",
                     "2024-02-29T23:59:59Z", "2100-03-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"]
            .compactMap { RFC3339.parse($0) }
        dates += [Date(timeIntervalSince1970: 1_790_000_000.999), Date(timeIntervalSince1970: -0.5)]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 { dates.append(Date(timeIntervalSince1970: Double(Int64.random(in: -11_676_096_000...253_402_300_799, using: &generator)))) }
        for date in dates {
            #expect(RFC3339.format(date) == RFC3339.foundationFormat(date), "\(date.timeIntervalSince1970)")
            if RFC3339.format(date) != RFC3339.foundationFormat(date) { break }
        }
    }

    @Test("fractions, bare dates and missing offsets (read as UTC)")
    func forms() {
        #expect(RFC3339.parse("2026-01-01T00:00:00.5Z")?.timeIntervalSince1970 == 1_767_225_600.5)
        #expect(RFC3339.parse("2026-01-01")?.timeIntervalSince1970 == 1_767_225_600)
        #expect(RFC3339.parse("2026-01-01T00:00:00")?.timeIntervalSince1970 == 1_767_225_600)
        for bad in ["2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00Zx", "yesterday", "2026-01-01T00:00Z"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }
}
