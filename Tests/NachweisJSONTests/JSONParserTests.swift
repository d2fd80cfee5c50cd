import NachweisJSON
import NachweisTestSupport
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    let parser = JSONParser()

    @Test("keeps member order and number text through a compact round trip")
    func roundTrip() throws {
        let text = #"{"z":1.10,"a":[true,false,null,-0,1e+2,"x\"\\\/\n\u00e9"],"m":{"b":2,"a":1},"e":2.50E-3}"#
        let value = try parser.parse(text)
        #expect(value["z"]?.numberValue?.text == "1.10")
        #expect(value.objectValue?.keys == ["z", "a", "m", "e"])
        #expect(value.compactText == #"{"z":1.10,"a":[true,false,null,-0,1e+2,"x\"\\/\né"],"m":{"b":2,"a":1},"e":2.50E-3}"#)
        // Compact output parses back to the same value and re-serializes byte-identically.
        #expect(try parser.parse(value.compactText) == value)
        #expect(try parser.parse(value.compactText).compactText == value.compactText)
    }

    @Test("members found by name: same-length names told apart, the empty name, a removed or replaced member, non-ASCII names")
    func memberLookup() throws {
        var object = try #require(try parser.parse(#"{"ab":1,"ba":2,"":3,"é":4,"e":5}"#).objectValue)
        #expect(object["ba"] == 2 && object["ab"] == 1 && object[""] == 3 && object["é"] == 4 && object["e"] == 5)
        #expect(object.contains(key: "ab") && object.contains(key: "") && !object.contains(key: "aa") && !object.contains(key: "abc"))
        object["ab"] = nil
        object["ba"] = "x"
        object["new"] = true
        #expect(!object.contains(key: "ab") && object["ab"] == nil && object["ba"] == "x" && object.keys == ["ba", "", "é", "e", "new"])
    }

    @Test("refuses a duplicate member name at its byte offset")
    func duplicateKey() {
        #expect(throws: JSONError(.duplicateKey, at: 8, #"duplicate member name "a""#)) {
            try parser.parse(#"{"a":1, "a":2}"#)
        }
    }

    @Test("finds a repeated name in objects of any size (compared while small, a set from 16 members on)",
          arguments: [(3, 1), (15, 0), (16, 3), (17, 16), (40, 2), (40, 39)])
    func duplicateKeyAnySize(count: Int, repeated: Int) throws {
        let names = (0..<count).map { "k\($0)" }
        let unique = "{" + names.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
        #expect(try parser.parse(unique).objectValue?.count == count)
        let repeatedText = "{" + (names + [names[repeated]]).map { "\"\($0)\":1" }.joined(separator: ",") + "}"
        #expect((#expect(throws: JSONError.self) { try parser.parse(repeatedText) })?.code == .duplicateKey)
    }

    @Test("refuses invalid UTF-8 with the offset of the bad byte",
          arguments: [([0x22, 0x61, 0xC3, 0x28, 0x22], 3), ([0x22, 0xED, 0xA0, 0x80, 0x22], 2), ([0x22, 0xFF, 0x22], 1),
                      ([0x22, 0xF0, 0x9F, 0x98], 1)] as [([UInt8], Int)])
    func invalidUTF8(bytes: [UInt8], offset: Int) {
        do {
            _ = try parser.parse(bytes)
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.code == .invalidUTF8)
            #expect(error.offset == offset)
        }
    }

    @Test("refuses lone surrogate escapes", arguments: [#""\ud800""#, #""\udc00x""#, #""\ud800\u0041""#])
    func loneSurrogate(text: String) {
        #expect(throws: JSONError.self) { try parser.parse(text) }
        do { _ = try parser.parse(text) } catch { #expect(error.code == .loneSurrogate) }
    }

    @Test("decodes a surrogate pair to one scalar")
    func surrogatePair() throws {
        #expect(try parser.parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test("refuses malformed texts with the right code", arguments: [
        ("01", JSONError.Code.invalidNumber), ("1.", .invalidNumber), ("-", .invalidNumber), ("1e", .invalidNumber),
        ("[1,]", .invalidSyntax), ("{\"a\" 1}", .invalidSyntax), ("tru", .unexpectedEnd), ("nul1", .invalidSyntax),
        ("\"a\u{01}\"", .controlCharacter), ("\"\\x\"", .invalidEscape), ("{} {}", .trailingData), ("", .unexpectedEnd),
        ("[", .unexpectedEnd), ("\"abc", .unexpectedEnd),
    ])
    func malformed(text: String, code: JSONError.Code) {
        do {
            _ = try parser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == code, "\(text): \(error)")
        }
    }

    @Test("stops JSON nested 100 000 deep with a typed error, without exhausting the stack")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try parser.parse(text)
            Issue.record("accepted 100 000 levels")
        } catch {
            #expect(error.code == .tooDeep)
            #expect(error.offset == 128)  // the 129th "[" (0-based offset)
        }
    }

    @Test("applies the byte, member and string limits")
    func limits() {
        let small = JSONParser(limits: .init(maxBytes: 10, maxDepth: 4, maxMembers: 3, maxStringLength: 4))
        #expect(throws: JSONError.self) { try small.parse(Array(repeating: UInt8(ascii: " "), count: 11)) }
        do { _ = try small.parse("[1,2,3,4]") } catch { #expect(error.code == .tooManyMembers) }
        do { _ = try small.parse(#""abcde""#) } catch { #expect(error.code == .stringTooLong) }
        do { _ = try JSONParser(limits: .init(maxDepth: 4)).parse("[[[[[1]]]]]") } catch { #expect(error.code == .tooDeep) }
        do { _ = try JSONParser(limits: .init(maxBytes: 5)).parse("[1,2,3]") } catch { #expect(error.code == .tooLarge) }
        #expect((try? small.parse("[[1]]")) != nil)
    }

    @Test("never crashes on 20 000 random and mutated inputs (seeded)")
    func randomInputs() throws {
        var rng = SeededGenerator(seed: 0x4A53_4F4E)
        let seeds = [#"{"a":[1,2.5e3,"x\u00e9",{"b":null}],"c":true}"#, #"["\ud83d\ude00",-0.0,{}]"#].map { Array($0.utf8) }
        var accepted = 0
        for i in 0..<20_000 {
            let input = i % 2 == 0 ? rng.bytes(Int.random(in: 0..<64, using: &rng)) : rng.mutate(seeds[i % seeds.count])
            if let value = try? parser.parse(input) {
                accepted += 1
                // Whatever is accepted serializes to text that parses back to the same value.
                #expect(try parser.parse(value.compactText) == value)
            }
        }
        #expect(accepted > 0)
    }
}

@Suite("JSON values")
struct JSONValueTests {
    @Test("object members: replace in place, append, remove")
    func objectEditing() {
        var object = JSONObject(["b": 1, "a": 2])
        object["b"] = "x"
        object["c"] = true
        object["a"] = nil
        #expect(JSONValue.object(object).compactText == #"{"b":"x","c":true}"#)
    }

    @Test("strings escape control characters minimally")
    func escaping() {
        #expect(JSONValue.string("a\u{0}\u{1f}\t\"\\é").compactText == #""a\u0000\u001f\t\"\\é""#)
    }
}
