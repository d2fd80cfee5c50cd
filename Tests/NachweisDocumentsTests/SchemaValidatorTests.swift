@testable import NachweisDocuments
import NachweisJSON
import Testing

@Suite("JSON Schema validator")
struct SchemaValidatorTests {
    /// (schema, instance, expected pointers of violations; empty = valid)
    static let cases: [(String, String, [String])] = [
        (#"{"type":"string"}"#, #""a""#, []),
        (#"{"type":"string"}"#, "1", [""]),
        (#"{"type":["string","null"]}"#, "null", []),
        (#"{"type":"integer"}"#, "1.0", []),
        (#"{"type":"integer"}"#, "1.5", [""]),
        (#"{"enum":[1,"a",{"b":[2]}]}"#, #"{"b":[2.0]}"#, []),
        (#"{"enum":[1,"a"]}"#, #""b""#, [""]),
        (#"{"const":{"a":1}}"#, #"{"a":1}"#, []),
        (#"{"properties":{"a":{"type":"number"}},"required":["b"]}"#, #"{"a":"x"}"#, ["", "/a"]),
        (#"{"additionalProperties":false,"properties":{"a":true}}"#, #"{"a":1,"b":2}"#, ["/b"]),
        (#"{"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":{"type":"number"}}"#, #"{"x-a":"s","b":1,"c":"no"}"#, ["/c"]),
        (#"{"items":[{"type":"string"}],"additionalItems":{"type":"number"}}"#, #"["a",1,"b"]"#, ["/2"]),
        (#"{"items":{"type":"string"},"minItems":2,"maxItems":3}"#, #"["a"]"#, [""]),
        (#"{"contains":{"const":"X"}}"#, #"["a","X"]"#, []),
        (#"{"contains":{"const":"X"}}"#, #"["a"]"#, [""]),
        (#"{"contains":{"const":"X"},"minContains":2}"#, #"["X","a"]"#, [""]),
        (#"{"uniqueItems":true}"#, #"[1,2,1.0]"#, [""]),
        (#"{"minLength":2,"maxLength":3,"pattern":"^a"}"#, #""abcd""#, [""]),
        (#"{"minLength":2}"#, #""é""#, [""]),
        (#"{"pattern":"b"}"#, #""abc""#, []),
        (#"{"format":"date-time"}"#, #""2024-02-30T10:00:00Z""#, [""]),
        (#"{"format":"date-time"}"#, #""2016-12-31T23:59:60.5Z""#, []),
        (#"{"format":"date-time"}"#, #""2017-01-01T00:59:60+01:00""#, []),
        (#"{"format":"date-time"}"#, #""2024-02-29T23:59:60.5+01:00""#, [""]),  // 22:59:60 UTC: no leap second then
        (#"{"format":"date"}"#, #""2023-02-29""#, [""]),
        (#"{"minimum":1,"exclusiveMaximum":3,"multipleOf":0.5}"#, "2.5", []),
        (#"{"minimum":1,"exclusiveMaximum":3}"#, "3", [""]),
        (#"{"multipleOf":0.1}"#, "0.3", []),
        (#"{"oneOf":[{"type":"string"},{"minLength":1}]}"#, #""a""#, [""]),
        (#"{"oneOf":[{"type":"string"},{"type":"number"}]}"#, "true", [""]),
        (#"{"anyOf":[{"type":"string"},{"type":"number"}]}"#, "1", []),
        (#"{"allOf":[{"type":"string"},{"minLength":3}]}"#, #""ab""#, [""]),
        (#"{"not":{"type":"null"}}"#, "null", [""]),
        (#"{"if":{"properties":{"a":{"const":1}}},"then":{"required":["b"]},"else":{"required":["c"]}}"#, #"{"a":1}"#, [""]),
        (#"{"if":{"properties":{"a":{"const":1}}},"then":{"required":["b"]},"else":{"required":["c"]}}"#, #"{"a":2,"c":0}"#, []),
        (#"{"dependentRequired":{"a":["b"]}}"#, #"{"a":1}"#, [""]),
        (#"{"propertyNames":{"pattern":"^[a-z]+$"}}"#, #"{"ok":1,"NO":2}"#, ["/NO"]),
        (#"{"minProperties":1}"#, "{}", [""]),
        (##"{"$defs":{"node":{"type":"object","properties":{"next":{"$ref":"#/$defs/node"},"v":{"type":"number"}}}},"$ref":"#/$defs/node"}"##,
         #"{"v":1,"next":{"v":2,"next":{"v":"x"}}}"#, ["/next/next/v"]),
        (#"{"properties":{"a/b":{"type":"string"}}}"#, #"{"a/b":1}"#, ["/a~1b"]),
        ("false", "1", [""]),
        ("true", "1", []),
    ]

    @Test("keywords", arguments: cases)
    func keyword(schema: String, instance: String, pointers: [String]) throws {
        let compiled = try Docs.schema(schema)
        let violations = compiled.validate(try Docs.json(instance))
        #expect(Set(violations.map(\.pointer.description)) == Set(pointers), "\(schema) on \(instance): \(violations)")
        #expect(compiled.isValid(try Docs.json(instance)) == pointers.isEmpty)
    }

    @Test("a memo remembers a shared object's valid findings once; the rest of every instance, other objects and invalid shared ones are checked each time")
    func memo() throws {
        let schema = try Docs.schema(##"{"type":"object","properties":{"shared":{"$ref":"#/$defs/s"},"own":{"type":"string"}},"$defs":{"s":{"type":"object","required":["a"],"properties":{"a":{"type":"number"}}}}}"##)
        let shared = try #require(try Docs.json(#"{"a":1}"#).objectValue)
        let memo = SchemaMemo(sharing: [shared])
        func instance(_ own: JSONValue, _ part: JSONObject) -> JSONValue { ["shared": .object(part), "own": own] }
        #expect(schema.isValid(instance("x", shared), memo: memo))
        // The property's node (with its $ref) and the node it refers to: one finding each.
        #expect(memo.findings == 2)
        #expect(schema.validate(instance(1, shared), memo: memo).map(\.pointer.description) == ["/own"])
        #expect(schema.isValid(instance("y", shared), memo: memo) && memo.findings == 2)
        // Equal members in other storage are not the shared object: checked, here found wrong after a change.
        var changed = shared
        changed["a"] = "no"
        let separate = try #require(try Docs.json(#"{"a":1}"#).objectValue)
        #expect(!changed.isIdentical(to: shared) && !separate.isIdentical(to: shared) && separate == shared && shared.isIdentical(to: shared))
        #expect(schema.validate(instance("x", changed), memo: memo).map(\.pointer.description) == ["/shared/a"])
        #expect(schema.isValid(instance("x", separate), memo: memo) && memo.findings == 2)
        // A shared object that is invalid is reported every time and never remembered.
        let bad = try #require(try Docs.json(#"{"a":"x"}"#).objectValue)
        let badMemo = SchemaMemo(sharing: [bad])
        for _ in 0..<2 { #expect(schema.validate(instance("x", bad), memo: badMemo).map(\.pointer.description) == ["/shared/a"]) }
        #expect(badMemo.findings == 0)
        // What is remembered is used: a finding recorded wrongly (by hand) makes the memo pass what the schema refuses.
        let target = try #require(schema.root.propertyTable.node(named: "shared")?.reference)
        badMemo.recordValid(target, 0)
        #expect(schema.isValid(instance("x", bad), memo: badMemo) && !schema.isValid(instance("x", bad)))
    }

    @Test("references across documents resolve by $id; unknown ones are a typed error")
    func crossDocument() throws {
        let registry = SchemaRegistry()
        try registry.register(try Docs.json(#"{"$id":"https://t.example/a/common.json","$defs":{"n":{"type":"number"}}}"#))
        try registry.register(try Docs.json(#"{"$id":"https://t.example/a/main.json","properties":{"x":{"$ref":"common.json#/$defs/n"}}}"#))
        let schema = try registry.schema("https://t.example/a/main.json")
        #expect(schema.validate(try Docs.json(#"{"x":"no"}"#)).map(\.pointer.description) == ["/x"])
        try registry.register(try Docs.json(#"{"$id":"https://t.example/b.json","$ref":"missing.json"}"#))
        #expect(throws: DocumentError(.unresolvedReference, "no schema registered at https://t.example/missing.json")) {
            try registry.schema("https://t.example/b.json")
        }
    }

    @Test("keywords it cannot honour refuse to compile instead of being ignored")
    func unsupported() {
        let error = #expect(throws: DocumentError.self) { try Docs.schema(#"{"unevaluatedProperties":false}"#) }
        #expect(error?.code == .invalidSchema)
        #expect((#expect(throws: DocumentError.self) { try Docs.schema(#"{"pattern":"("}"#) })?.code == .invalidSchema)
    }

    @Test("date-time read as bytes agrees with the date and time rules composed, on edge cases and every one-byte change of them")
    func dateTimeAgreesWithComposedRules() {
        func composed(_ s: String) -> Bool {
            guard let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
            return FormatCheck.isDate(String(s[..<t])) && FormatCheck.isTime(s[s.index(after: t)...])
        }
        let seeds = ["2024-02-29T23:59:60.5+01:00", "2023-02-29T10:00:00Z", "2024-12-31t00:00:00z", "2024-01-01T00:00:00.123456789-12:30",
                     "2024-04-31T10:00:00Z", "2000-02-29T10:00:00Z", "1900-02-29T10:00:00Z", "2024-13-01T10:00:00Z", "2024-00-10T10:00:00Z",
                     "2024-01-01T24:00:00Z", "2024-01-01T10:60:00Z", "2024-01-01T10:00:61Z", "2024-01-01T10:00:00.Z", "2024-01-01T10:00:00",
                     "2024-01-01T10:00:00+24:00", "2024-01-01T10:00:00+01:60", "2024-01-01T10:00:00+0100", "2024-01-01 10:00:00Z",
                     "24-01-01T10:00:00Z", "2024-1-01T10:00:00Z", "", "T", "2024-01-01T10:00:00ZZ", "٢٠٢٤-01-01T10:00:00Z"]
        var checked = 0
        for seed in seeds {
            #expect(FormatCheck.isDateTime(seed) == composed(seed), "\(seed)")
            let bytes = Array(seed.utf8)
            for i in bytes.indices {
                for replacement in Array("0129:-+.TtZz x".utf8) + [nil] {
                    var changed = bytes
                    if let replacement { changed[i] = replacement } else { changed.remove(at: i) }
                    let text = String(decoding: changed, as: UTF8.self)
                    #expect(FormatCheck.isDateTime(text) == composed(text), "\(text)")
                    checked += 1
                }
            }
        }
        #expect(checked > 5000)
    }

    @Test("formats can be annotation-only")
    func formatAnnotation() throws {
        var schema = try Docs.schema(#"{"format":"date-time"}"#)
        schema.assertsFormats = false
        #expect(schema.isValid(.string("yesterday")))
    }

    @Test("every violation carries the keyword's location in its schema")
    func keywordLocation() throws {
        let violations = try Docs.schema(#"{"properties":{"a":{"type":"string"}}}"#).validate(try Docs.json(#"{"a":1}"#))
        #expect(violations.first?.keywordLocation == "/properties/a/type")
        #expect(violations.first?.keyword == "type")
    }

    @Test("every shipped schema compiles")
    func shippedSchemasCompile() throws {
        for uri in [ShippedSchemas.ob3AchievementCredential, ShippedSchemas.ob3EndorsementCredential, ShippedSchemas.ob3Profile,
                    ShippedSchemas.ob2Assertion, ShippedSchemas.ob2BadgeClass, ShippedSchemas.ob2Issuer,
                    ShippedSchemas.edcCredential, ShippedSchemas.microCredential] {
            _ = try ShippedSchemas.schema(uri)
        }
    }

    @Test("a node's property table finds every name, colliding ones too, the last of a repeated name, and nothing else")
    func propertyTable() {
        // Names of one length with the same first and last byte all hash alike: found by comparison alone.
        let colliding = (0..<600).map { "a" + String(format: "%05d", $0) + "z" }
        let others = ["", "é", "type", "credentialSubject", "@context", String(repeating: "x", count: 300)]
        // "e\u{301}" is not "é": JSON compares names code point by code point (Swift's == takes them as one).
        let names = colliding + others
        let nodes = names.map { SchemaNode(location: "/properties/\($0)") }
        let repeated = SchemaNode(location: "/properties/type (again)")
        let table = PropertyTable(Array(zip(names, nodes)) + [("type", repeated)])
        for (name, node) in zip(names, nodes) where name != "type" { #expect(table.node(named: name) === node, "\(name)") }
        #expect(table.node(named: "type") === repeated)
        for absent in ["a00600z", "a0000z", "b00000z", "typ", "types", "x", "e\u{301}"] { #expect(table.node(named: absent) == nil, "\(absent)") }
        #expect(PropertyTable([]).node(named: "type") == nil)
    }
}
