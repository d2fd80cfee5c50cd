import Foundation
import NachweisJSON
import Synchronization

/// One schema violation: where in the instance, which keyword, and why.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// JSON Pointer to the offending value in the instance.
    public let pointer: JSONPointer
    /// JSON Pointer to the keyword in its schema document.
    public let keywordLocation: String
    public let keyword: String
    public let message: String

    public var description: String { "\(pointer.description.isEmpty ? "/" : pointer.description): \(message) [\(keyword)]" }
}

/// A compiled JSON Schema (see ``SchemaRegistry`` for the keywords it supports).
///
/// ```swift
/// let violations = schema.validate(credential)   // empty when valid
/// ```
public struct JSONSchema: Sendable {
    let root: SchemaNode
    /// The URI it was compiled from.
    public let uri: String
    /// Whether `format` asserts (`date-time`, `date`, `time`, `email`, `uri`, `uri-reference`, `iri`, `iri-reference`,
    /// `uuid`, `duration`, `hostname`, `ipv4`, `ipv6`; see docs/schemas.md) or only
    /// annotates. Default true: a credential's dates must be real dates.
    public var assertsFormats = true

    /// Every violation, in document order of the checks; empty when the instance is valid.
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        // Most instances are valid: a quiet pass first (no messages, no paths), the full one only when it fails.
        if isValid(instance) { return [] }
        var run = ValidationRun(assertsFormats: assertsFormats, collecting: true)
        run.check(instance, root, at: InstancePath.root)
        return run.violations
    }

    /// Every violation, as ``validate(_:)``; objects of the memo that were found valid against a sub-schema before are
    /// not checked against it again (see ``SchemaMemo``).
    public func validate(_ instance: JSONValue, memo: SchemaMemo) -> [SchemaViolation] {
        if isValid(instance, memo: memo) { return [] }
        return validate(instance)  // the reporting pass checks everything
    }

    /// Whether the instance is valid (stops at the first violation).
    public func isValid(_ instance: JSONValue, memo: SchemaMemo? = nil) -> Bool {
        var run = ValidationRun(assertsFormats: assertsFormats, collecting: false, quiet: true)
        run.memo = memo
        run.check(instance, root, at: InstancePath.root)
        return !run.failed
    }
}

/// Objects a caller embeds in many instances it validates — the issuer's profile and the achievement in every
/// credential issued for it — and the sub-schemas each was found valid against, so that a shared object is checked
/// against a sub-schema once rather than in every instance.
///
/// Objects are recognised by identity (``JSONObject/isIdentical(to:)``: the same storage, not equal members), and the
/// memo keeps them: while it exists their storage can neither change (a copy would be made) nor be reused for another
/// value. The validity of a value against a sub-schema depends on nothing but the two here (no keyword this validator
/// supports reads annotations of other locations), and a value of one storage is one value — so a remembered answer
/// is the answer. Only valid findings are kept; an invalid object is checked, and reported, every time.
public final class SchemaMemo: Sendable {
    private let shared: [JSONObject]
    private let valid = Mutex<Set<Finding>>([])

    struct Finding: Hashable {
        let node: ObjectIdentifier
        let object: Int
    }

    /// A memo for these objects (shared storage: values embedded as they are, not rebuilt per instance).
    public init(sharing objects: [JSONObject]) { shared = objects }

    /// Where a shared object is in ``shared``, nil for any other object.
    func slot(of object: JSONObject) -> Int? {
        for index in shared.indices where shared[index].isIdentical(to: object) { return index }
        return nil
    }

    func isKnownValid(_ node: SchemaNode, _ slot: Int) -> Bool {
        valid.withLock { $0.contains(Finding(node: ObjectIdentifier(node), object: slot)) }
    }

    /// Kept alive by the compiled schema the node belongs to, which outlives the memo's use (nodes are never freed
    /// while a schema using them is).
    func recordValid(_ node: SchemaNode, _ slot: Int) {
        _ = valid.withLock { $0.insert(Finding(node: ObjectIdentifier(node), object: slot)) }
    }

    /// How many (object, sub-schema) findings are remembered (tests).
    public var findings: Int { valid.withLock { $0.count } }
}

/// Where the validator is in the instance: a list from the leaf up, made only of what is needed (appending is one
/// small allocation, not a copy of the whole path); turned into a ``JSONPointer`` only when a violation is reported.
final class InstancePath: @unchecked Sendable {
    let parent: InstancePath?
    let key: String?
    let index: Int

    static let root = InstancePath(parent: nil, key: nil, index: -1)

    init(parent: InstancePath?, key: String?, index: Int) {
        self.parent = parent
        self.key = key
        self.index = index
    }

    func appending(_ key: String) -> InstancePath { InstancePath(parent: self, key: key, index: -1) }
    func appending(_ index: Int) -> InstancePath { InstancePath(parent: self, key: nil, index: index) }

    var pointer: JSONPointer {
        var tokens: [String] = []
        var node: InstancePath? = self
        while let current = node, current.parent != nil {
            tokens.append(current.key ?? String(current.index))
            node = current.parent
        }
        return JSONPointer(tokens: tokens.reversed())
    }
}

/// One validation pass. In non-collecting mode it stops recording after the first violation; a quiet pass records
/// only that something failed (no message, no pointer: nothing is built that nobody reads).
struct ValidationRun {
    let assertsFormats: Bool
    let collecting: Bool
    var quiet = false
    var violations: [SchemaViolation] = []
    /// Shared objects already found valid (quiet runs only: a reporting run checks everything).
    var memo: SchemaMemo?

    init(assertsFormats: Bool, collecting: Bool, quiet: Bool = false) {
        self.assertsFormats = assertsFormats
        self.collecting = collecting
        self.quiet = quiet
    }

    /// A quiet run's only finding (nothing allocated for it).
    private var failedQuietly = false

    var failed: Bool { failedQuietly || !violations.isEmpty }

    mutating func report(_ node: SchemaNode, _ keyword: String, _ pointer: InstancePath, _ message: @autoclosure () -> String) {
        if quiet {
            failedQuietly = true
            return
        }
        violations.append(SchemaViolation(pointer: pointer.pointer, keywordLocation: node.location + "/" + keyword, keyword: keyword, message: message()))
    }

    /// Validates into a separate run; returns its violations (for applicators that combine results).
    /// Only in a run that reports (not quiet): a quiet one would give no violations for a failure.
    func trial(_ instance: JSONValue, _ node: SchemaNode, at pointer: InstancePath, collecting: Bool = false) -> [SchemaViolation] {
        assert(!quiet)
        var run = ValidationRun(assertsFormats: assertsFormats, collecting: collecting, quiet: false)
        run.check(instance, node, at: pointer)
        return run.violations
    }

    mutating func check(_ instance: JSONValue, _ node: SchemaNode, at pointer: InstancePath) {
        if let memo, quiet, case .object(let object) = instance, let slot = memo.slot(of: object) {
            if failed || memo.isKnownValid(node, slot) { return }
            checkEvery(instance, node, at: pointer)
            if !failed { memo.recordValid(node, slot) }
            return
        }
        checkEvery(instance, node, at: pointer)
    }

    /// Every keyword of the node on the instance.
    mutating func checkEvery(_ instance: JSONValue, _ node: SchemaNode, at pointer: InstancePath) {
        if let constant = node.constant {
            if !constant { report(node, "false", pointer, "no value is allowed here") }
            return
        }
        if !collecting && failed { return }
        if let target = node.reference { check(instance, target, at: pointer) }
        // Keywords a node lacks are skipped on flags and counts: copying a set, an array or a dictionary out of a node
        // only to find it empty is a retain and a release on storage every validating thread shares.
        if node.typeMask != 0, !JSONType.matches(instance, mask: node.typeMask) {
            report(node, "type", pointer, "expected \((node.types ?? []).sorted().joined(separator: " or ")), found \(instance.kindName)")
            return  // the remaining keywords would only repeat the mismatch
        }
        let kinds = node.kinds
        if kinds.contains(.values) {
            if let values = node.enumValues, !values.contains(where: { JSONType.equal($0, instance) }) {
                let shown = values.prefix(8).map(\.compactText).joined(separator: ", ")
                report(node, "enum", pointer, "must be one of \(shown)\(values.count > 8 ? ", …" : "")")
            }
            if let value = node.constValue, !JSONType.equal(value, instance) {
                report(node, "const", pointer, "must be \(value.compactText)")
            }
        }
        switch instance {
        case .object(let object) where !kinds.isDisjoint(with: .object): checkObject(object, node, at: pointer)
        case .array(let elements) where kinds.contains(.array): checkArray(elements, node, at: pointer)
        case .string(let string) where kinds.contains(.string): checkString(string, node, at: pointer)
        case .number(let number) where kinds.contains(.number): checkNumber(number.doubleValue, node, at: pointer)
        default: break
        }
        if kinds.contains(.applicators) { checkApplicators(instance, node, at: pointer) }
    }

    mutating func checkObject(_ object: JSONObject, _ node: SchemaNode, at pointer: InstancePath) {
        let kinds = node.kinds
        if kinds.contains(.objectShape) {
            if !node.required.isEmpty {
                for name in node.required where !object.contains(key: name) {
                    report(node, "required", pointer, "required member \(name) is missing")
                }
            }
            if let min = node.minProperties, object.count < min { report(node, "minProperties", pointer, "needs at least \(min) members") }
            if let max = node.maxProperties, object.count > max { report(node, "maxProperties", pointer, "allows at most \(max) members") }
            if !node.dependentRequired.isEmpty {
                for (name, names) in node.dependentRequired where object.contains(key: name) {
                    for other in names where !object.contains(key: other) { report(node, "dependentRequired", pointer, "\(other) is required with \(name)") }
                }
            }
            if !node.dependentSchemas.isEmpty {
                for (name, schema) in node.dependentSchemas where object.contains(key: name) { check(.object(object), schema, at: pointer) }
            }
        }
        guard !kinds.isDisjoint(with: .members) else { return }
        let table = kinds.contains(.properties) ? node.propertyTable : nil
        let byPattern = kinds.contains(.patternProperties)
        let members = object.members
        // By position, reading each member in place: a loop binding each member copied its name and value (a retain and
        // a release of each) for every member of every object checked.
        for index in members.indices {
            let child = quiet ? pointer : pointer.appending(members[index].key)  // a quiet run never reports where
            if kinds.contains(.propertyNames), let names = node.propertyNames, !passes(.string(members[index].key), names, at: child) {
                report(node, "propertyNames", child, "member name \(members[index].key) is not allowed")
            }
            var matched = false
            if let table, let schema = table.node(named: members[index].key) {
                matched = true
                check(members[index].value, schema, at: child)
            }
            if byPattern {
                for (pattern, schema) in node.patternProperties where pattern.matches(members[index].key) {
                    matched = true
                    check(members[index].value, schema, at: child)
                }
            }
            if !matched, kinds.contains(.additionalProperties), let additional = node.additionalProperties {
                if additional.constant == false {
                    report(node, "additionalProperties", child, "member \(members[index].key) is not allowed here")
                } else {
                    check(members[index].value, additional, at: child)
                }
            }
        }
    }

    mutating func checkArray(_ elements: [JSONValue], _ node: SchemaNode, at pointer: InstancePath) {
        if let min = node.minItems, elements.count < min { report(node, "minItems", pointer, "needs at least \(min) items, has \(elements.count)") }
        if let max = node.maxItems, elements.count > max { report(node, "maxItems", pointer, "allows at most \(max) items, has \(elements.count)") }
        if node.uniqueItems {
            outer: for i in elements.indices {
                for j in elements.indices where j > i && JSONType.equal(elements[i], elements[j]) {
                    report(node, "uniqueItems", pointer, "items \(i) and \(j) are equal")
                    break outer
                }
            }
        }
        if let tuple = node.tupleItems {
            for (i, element) in elements.enumerated() {
                if i < tuple.count {
                    check(element, tuple[i], at: pointer.appending(i))
                } else if let additional = node.additionalItems {
                    check(element, additional, at: pointer.appending(i))
                }
            }
        } else if let items = node.items {
            for i in elements.indices { check(elements[i], items, at: quiet ? pointer : pointer.appending(i)) }
        }
        if let contains = node.contains {
            let count = elements.filter { passes($0, contains, at: pointer) }.count
            let min = node.minContains ?? 1
            if count < min {
                report(node, "contains", pointer, min == 1 ? "no item matches the required value (\(Self.summary(contains)))" : "only \(count) items match, \(min) needed")
            }
            if let max = node.maxContains, count > max { report(node, "maxContains", pointer, "\(count) items match, at most \(max) allowed") }
        }
    }

    mutating func checkString(_ string: String, _ node: SchemaNode, at pointer: InstancePath) {
        if node.minLength != nil || node.maxLength != nil {
            let length = string.unicodeScalars.count
            if let min = node.minLength, length < min { report(node, "minLength", pointer, "shorter than \(min) characters") }
            if let max = node.maxLength, length > max { report(node, "maxLength", pointer, "longer than \(max) characters") }
        }
        if let pattern = node.pattern, !pattern.matches(string) {
            report(node, "pattern", pointer, "does not match the pattern \(pattern.source)")
        }
        if assertsFormats, let format = node.format, let problem = FormatCheck.problem(string, format: format) {
            report(node, "format", pointer, problem)
        }
    }

    mutating func checkNumber(_ value: Double, _ node: SchemaNode, at pointer: InstancePath) {
        if let min = node.minimum, value < min { report(node, "minimum", pointer, "less than \(min)") }
        if let max = node.maximum, value > max { report(node, "maximum", pointer, "greater than \(max)") }
        if let min = node.exclusiveMinimum, value <= min { report(node, "exclusiveMinimum", pointer, "not greater than \(min)") }
        if let max = node.exclusiveMaximum, value >= max { report(node, "exclusiveMaximum", pointer, "not less than \(max)") }
        if let m = node.multipleOf {
            let quotient = value / m
            if !quotient.isFinite || abs(quotient - quotient.rounded()) > 1e-9 { report(node, "multipleOf", pointer, "not a multiple of \(m)") }
        }
    }

    /// Whether the instance passes a subschema, in a quiet sub-run (no messages, no paths, no arrays kept).
    func passes(_ instance: JSONValue, _ node: SchemaNode, at pointer: InstancePath) -> Bool {
        var run = ValidationRun(assertsFormats: assertsFormats, collecting: false, quiet: true)
        run.memo = memo
        run.check(instance, node, at: pointer)
        return !run.failed
    }

    mutating func checkApplicators(_ instance: JSONValue, _ node: SchemaNode, at pointer: InstancePath) {
        if !node.allOf.isEmpty {
            for schema in node.allOf { check(instance, schema, at: pointer) }
        }
        if quiet {
            // Only whether: anyOf stops at the first alternative that passes, oneOf at the second.
            if !node.anyOf.isEmpty, !node.anyOf.contains(where: { passes(instance, $0, at: pointer) }) {
                report(node, "anyOf", pointer, "")
            }
            if !node.oneOf.isEmpty {
                var passing = 0
                for alternative in node.oneOf where passes(instance, alternative, at: pointer) {
                    passing += 1
                    if passing > 1 { break }
                }
                if passing != 1 { report(node, "oneOf", pointer, "") }
            }
            if let not = node.not, passes(instance, not, at: pointer) { report(node, "not", pointer, "") }
            if let condition = node.ifSchema {
                if passes(instance, condition, at: pointer) {
                    if let then = node.thenSchema { check(instance, then, at: pointer) }
                } else if let otherwise = node.elseSchema {
                    check(instance, otherwise, at: pointer)
                }
            }
            return
        }
        if !node.anyOf.isEmpty {
            let outcomes = node.anyOf.map { trial(instance, $0, at: pointer, collecting: collecting) }
            if !outcomes.contains(where: \.isEmpty) {
                report(node, "anyOf", pointer, "matches none of the \(node.anyOf.count) alternatives")
                if !quiet { violations.append(contentsOf: Self.closest(outcomes, at: pointer)) }
            }
        }
        if !node.oneOf.isEmpty {
            let outcomes = node.oneOf.map { trial(instance, $0, at: pointer, collecting: collecting) }
            let passing = outcomes.filter(\.isEmpty).count
            if passing == 0 {
                report(node, "oneOf", pointer, "matches none of the \(node.oneOf.count) alternatives")
                if !quiet { violations.append(contentsOf: Self.closest(outcomes, at: pointer)) }
            } else if passing > 1 {
                report(node, "oneOf", pointer, "matches \(passing) alternatives where exactly one is allowed")
            }
        }
        if let not = node.not, passes(instance, not, at: pointer) {
            report(node, "not", pointer, "matches a schema it must not match")
        }
        if let condition = node.ifSchema {
            if passes(instance, condition, at: pointer) {
                if let then = node.thenSchema { check(instance, then, at: pointer) }
            } else if let otherwise = node.elseSchema {
                check(instance, otherwise, at: pointer)
            }
        }
    }

    /// Of failed alternatives, the violations of the one that got furthest (did not fail on the value's
    /// own type), so that an error deep inside, e.g. `/issuer/type`, is reported where it is.
    static func closest(_ outcomes: [[SchemaViolation]], at pointer: InstancePath) -> [SchemaViolation] {
        let candidates = outcomes.filter { violations in
            !violations.contains { $0.pointer == pointer.pointer && $0.keyword == "type" }
        }
        guard candidates.count == 1 else { return [] }
        return candidates[0]
    }

    static func summary(_ node: SchemaNode) -> String {
        if let values = node.enumValues { return values.map(\.compactText).joined(separator: " or ") }
        if let value = node.constValue { return value.compactText }
        if let pattern = node.pattern { return "a string matching \(pattern.source)" }
        return "a matching item"
    }
}

/// JSON data model helpers: type names and equality (numbers by value).
enum JSONType {
    static let bits: [String: UInt8] = ["null": 1, "boolean": 2, "string": 4, "array": 8, "object": 16, "number": 32, "integer": 64]

    static func mask(_ types: Set<String>) -> UInt8 { types.reduce(0) { $0 | (bits[$1] ?? 0) } }
    /// A bit no type has: set in a node's mask when the node has a `type` keyword at all.
    static let present: UInt8 = 128

    /// `matches(value, type)` for any of the types in mask.
    static func matches(_ value: JSONValue, mask: UInt8) -> Bool {
        switch value {
        case .null: mask & 1 != 0
        case .bool: mask & 2 != 0
        case .string: mask & 4 != 0
        case .array: mask & 8 != 0
        case .object: mask & 16 != 0
        case .number(let n): mask & 32 != 0 || (mask & 64 != 0 && n.doubleValue.isFinite && n.doubleValue.rounded() == n.doubleValue)
        }
    }

    static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number): true
        case ("integer", .number(let n)):
            n.doubleValue.isFinite && n.doubleValue.rounded() == n.doubleValue
        default: false
        }
    }

    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x.text == y.text || x.doubleValue == y.doubleValue
        case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            x.count == y.count && x.allSatisfy { member in y[member.key].map { equal(member.value, $0) } ?? false }
        default: a == b
        }
    }
}
