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

    @exclusivity(unchecked) var properties: [(String, SchemaNode)] = []
    @exclusivity(unchecked) var propertyIndex: [String: SchemaNode] = [:]
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

    init(location: String) { self.location = location }
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
