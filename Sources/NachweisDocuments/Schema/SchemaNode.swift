import Foundation
import NachweisJSON

/// One compiled schema (or sub-schema). Built by ``SchemaCompiler``, then read-only.
///
/// `@unchecked Sendable` invariant: every stored property is written only while the compiler builds the
/// graph (nodes are created before their children so that recursive `$ref`s can point back); a compiled
/// ``JSONSchema`` is published only after compilation finished, and nothing writes to its nodes again.
final class SchemaNode: @unchecked Sendable {
    /// `true`/`false` schemas.
    var constant: Bool?
    /// Where the node sits in its document, for keyword locations in errors.
    let location: String

    var types: Set<String>? { didSet { typeMask = JSONType.mask(types ?? []) } }
    /// `types` as bits (see ``JSONType/mask(_:)``), so the check compares no strings.
    private(set) var typeMask: UInt8 = 0
    var enumValues: [JSONValue]?
    var constValue: JSONValue?

    var properties: [(String, SchemaNode)] = []
    var propertyIndex: [String: SchemaNode] = [:]
    var patternProperties: [(Pattern, SchemaNode)] = []
    var additionalProperties: SchemaNode?
    var required: [String] = []
    var minProperties: Int?
    var maxProperties: Int?
    var propertyNames: SchemaNode?
    var dependentRequired: [String: [String]] = [:]
    var dependentSchemas: [String: SchemaNode] = [:]

    var items: SchemaNode?
    var tupleItems: [SchemaNode]?
    var additionalItems: SchemaNode?
    var contains: SchemaNode?
    var minContains: Int?
    var maxContains: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false

    var minLength: Int?
    var maxLength: Int?
    var pattern: Pattern?
    var format: String?

    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?

    var allOf: [SchemaNode] = []
    var anyOf: [SchemaNode] = []
    var oneOf: [SchemaNode] = []
    var not: SchemaNode?
    var ifSchema: SchemaNode?
    var thenSchema: SchemaNode?
    var elseSchema: SchemaNode?
    var reference: SchemaNode?

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
