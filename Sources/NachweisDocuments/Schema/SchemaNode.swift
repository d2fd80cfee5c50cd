import Foundation
import NachweisJSON

/// One compiled schema (or sub-schema). Built by ``SchemaCompiler``, then read-only.
///
/// `@unchecked Sendable` invariant: every stored property is written only while the compiler builds the
/// graph (nodes are created before their children so that recursive `$ref`s can point back); a compiled
/// ``JSONSchema`` is published only after compilation finished, and nothing writes to its nodes again. For the same
/// reason their properties skip Swift's run-time exclusivity checks (a begin and an end access for every keyword read,
/// a tenth of a validation).
final class SchemaNode: @unchecked Sendable {
    /// `true`/`false` schemas.
    @exclusivity(unchecked) var constant: Bool?
    /// Where the node sits in its document, for keyword locations in errors.
    let location: String

    @exclusivity(unchecked) var types: Set<String>? { didSet { typeMask = types.map { JSONType.mask($0) | JSONType.present } ?? 0 } }
    /// `types` as bits (see ``JSONType/mask(_:)``), so the check compares no strings; 0 when `types` is not set (a
    /// set `types` has ``JSONType/present`` too, even if it names no known type), so that the check reads no set.
    @exclusivity(unchecked) private(set) var typeMask: UInt8 = 0
    @exclusivity(unchecked) var enumValues: [JSONValue]?
    @exclusivity(unchecked) var constValue: JSONValue?

    /// `properties` while the compiler collects them; ``seal()`` moves them into `propertyTable`.
    @exclusivity(unchecked) var properties: [(String, SchemaNode)] = []
    /// `properties` by name, made by ``seal()``.
    @exclusivity(unchecked) private(set) var propertyTable = PropertyTable([])
    @exclusivity(unchecked) var patternProperties: [(Pattern, SchemaNode)] = []
    @exclusivity(unchecked) var additionalProperties: SchemaNode?
    @exclusivity(unchecked) var required: [String] = []
    @exclusivity(unchecked) var minProperties: Int?
    @exclusivity(unchecked) var maxProperties: Int?
    @exclusivity(unchecked) var propertyNames: SchemaNode?
    @exclusivity(unchecked) var dependentRequired: [String: [String]] = [:]
    @exclusivity(unchecked) var dependentSchemas: [String: SchemaNode] = [:]

    @exclusivity(unchecked) var items: SchemaNode?
    @exclusivity(unchecked) var tupleItems: [SchemaNode]?
    @exclusivity(unchecked) var additionalItems: SchemaNode?
    @exclusivity(unchecked) var contains: SchemaNode?
    @exclusivity(unchecked) var minContains: Int?
    @exclusivity(unchecked) var maxContains: Int?
    @exclusivity(unchecked) var minItems: Int?
    @exclusivity(unchecked) var maxItems: Int?
    @exclusivity(unchecked) var uniqueItems = false

    @exclusivity(unchecked) var minLength: Int?
    @exclusivity(unchecked) var maxLength: Int?
    @exclusivity(unchecked) var pattern: Pattern?
    @exclusivity(unchecked) var format: String?

    @exclusivity(unchecked) var minimum: Double?
    @exclusivity(unchecked) var maximum: Double?
    @exclusivity(unchecked) var exclusiveMinimum: Double?
    @exclusivity(unchecked) var exclusiveMaximum: Double?
    @exclusivity(unchecked) var multipleOf: Double?

    @exclusivity(unchecked) var allOf: [SchemaNode] = []
    @exclusivity(unchecked) var anyOf: [SchemaNode] = []
    @exclusivity(unchecked) var oneOf: [SchemaNode] = []
    @exclusivity(unchecked) var not: SchemaNode?
    @exclusivity(unchecked) var ifSchema: SchemaNode?
    @exclusivity(unchecked) var thenSchema: SchemaNode?
    @exclusivity(unchecked) var elseSchema: SchemaNode?
    @exclusivity(unchecked) var reference: SchemaNode?

    /// Which keywords the node has, by kind, made by ``seal()``: a check skips a kind the node lacks without reading
    /// its keywords (each read of an array or dictionary out of a node is a retain and a release on storage every
    /// validating thread shares).
    @exclusivity(unchecked) private(set) var kinds: KeywordKinds = []

    init(location: String) { self.location = location }

    /// Called by the compiler once the node's own keywords are set (its children may still be under way).
    func seal() {
        propertyTable = PropertyTable(properties)
        var kinds: KeywordKinds = []
        if enumValues != nil || constValue != nil { kinds.insert(.values) }
        if !required.isEmpty || minProperties != nil || maxProperties != nil || !dependentRequired.isEmpty || !dependentSchemas.isEmpty {
            kinds.insert(.objectShape)
        }
        if !properties.isEmpty { kinds.insert(.properties) }
        if !patternProperties.isEmpty { kinds.insert(.patternProperties) }
        if additionalProperties != nil { kinds.insert(.additionalProperties) }
        if propertyNames != nil { kinds.insert(.propertyNames) }
        if tupleItems != nil || items != nil || contains != nil || minItems != nil || maxItems != nil || uniqueItems { kinds.insert(.array) }
        if minLength != nil || maxLength != nil || pattern != nil || format != nil { kinds.insert(.string) }
        if minimum != nil || maximum != nil || exclusiveMinimum != nil || exclusiveMaximum != nil || multipleOf != nil { kinds.insert(.number) }
        if !allOf.isEmpty || !anyOf.isEmpty || !oneOf.isEmpty || not != nil || ifSchema != nil { kinds.insert(.applicators) }
        self.kinds = kinds
        properties = []  // kept once, in the table
    }
}

/// The kinds of keywords a node has (see ``SchemaNode/kinds``).
struct KeywordKinds: OptionSet {
    let rawValue: UInt16
    /// `enum`, `const`.
    static let values = KeywordKinds(rawValue: 1 << 0)
    /// `required`, `minProperties`, `maxProperties`, `dependentRequired`, `dependentSchemas`.
    static let objectShape = KeywordKinds(rawValue: 1 << 1)
    static let properties = KeywordKinds(rawValue: 1 << 2)
    static let patternProperties = KeywordKinds(rawValue: 1 << 3)
    static let additionalProperties = KeywordKinds(rawValue: 1 << 4)
    static let propertyNames = KeywordKinds(rawValue: 1 << 5)
    /// The keywords read member by member.
    static let members: KeywordKinds = [.properties, .patternProperties, .additionalProperties, .propertyNames]
    static let object: KeywordKinds = [.objectShape, .members]
    static let array = KeywordKinds(rawValue: 1 << 6)
    static let string = KeywordKinds(rawValue: 1 << 7)
    static let number = KeywordKinds(rawValue: 1 << 8)
    /// `allOf`, `anyOf`, `oneOf`, `not`, `if`.
    static let applicators = KeywordKinds(rawValue: 1 << 9)
}

/// A node's `properties` by name, found without hashing the name: an open-addressed table indexed by the name's
/// length and its first and last bytes, the candidate compared in full (`==`). Names are found by their bytes: a
/// canonically equivalent spelling of another length ("e\u{301}" for "é"), which a dictionary of names took as the
/// same name, is another name here, as JSON has it (the names of the schemas we ship are ASCII either way). `String`'s
/// hashing (SipHash over the bytes, a seed, a finalization) for every member of every object checked was a fifth of a
/// validation. A class with constant storage: a check reads the node's reference to it, not (and not retaining) each
/// of its arrays.
final class PropertyTable: Sendable {
    private let names: [String]
    private let nodes: [SchemaNode]
    /// Index into `names` plus one; 0 for an empty slot.
    private let slots: [UInt32]
    private let mask: Int

    init(_ properties: [(String, SchemaNode)]) {
        names = properties.map(\.0)
        nodes = properties.map(\.1)
        var size = 4
        while size < 2 * properties.count { size *= 2 }
        mask = size - 1
        var slots = [UInt32](repeating: 0, count: properties.isEmpty ? 0 : size)
        for (index, name) in names.enumerated() {
            var slot = Self.hash(name) & mask
            // A repeated name takes the slot over: the last wins, as in a dictionary built in order.
            while slots[slot] != 0, names[Int(slots[slot]) - 1] != name { slot = (slot + 1) & mask }
            slots[slot] = UInt32(index + 1)
        }
        self.slots = slots
    }

    func node(named name: String) -> SchemaNode? {
        if slots.isEmpty { return nil }
        var slot = Self.hash(name) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if names[entry - 1] == name { return nodes[entry - 1] }
            slot = (slot + 1) & mask
        }
    }

    /// Length, first and last byte (each O(1) on a native string's UTF-8 view).
    static func hash(_ name: String) -> Int {
        let utf8 = name.utf8
        guard !utf8.isEmpty else { return 0 }
        let first = utf8[utf8.startIndex], last = utf8[utf8.index(before: utf8.endIndex)]
        var h = utf8.count &* 0x9E37_79B1
        h ^= Int(first) &* 0x85EB_CA6B
        h ^= Int(last) &* 0xC2B2_AE35
        return h ^ (h >> 15)
    }
}

/// A compiled ECMA-262-style regular expression (ICU underneath), matched anywhere in the string.
///
/// `@unchecked Sendable` invariant: NSRegularExpression is immutable and documented as safe to use
/// from several threads at once.
struct Pattern: @unchecked Sendable {
    let source: String
    let expression: NSRegularExpression

    init(_ source: String) throws(DocumentError) {
        self.source = source
        do { expression = try NSRegularExpression(pattern: source) } catch {
            throw DocumentError(.invalidSchema, "pattern \(source) is not a valid regular expression")
        }
    }

    /// Answers for strings seen before (short ones): the same context URLs, type names and codes come back in every
    /// document.
    private let memo = BoundedCache<Bool>(capacity: 1024)
    static let longestRemembered = 256

    func matches(_ string: String) -> Bool {
        let remembered = string.utf8.count <= Self.longestRemembered
        if remembered, let known = memo.value(string) { return known }
        let answer = expression.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
        if remembered { memo.store(string, answer) }
        return answer
    }
}
