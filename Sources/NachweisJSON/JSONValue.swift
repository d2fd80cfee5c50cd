/// A JSON value that keeps what a byte-faithful credential store needs:
/// object members in the order received and numbers as their exact text.
///
/// ```swift
/// let value = try JSONParser().parse(Array(#"{"b":1.10,"a":true}"#.utf8))
/// value.compactText  // {"b":1.10,"a":true}
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The boolean, when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The number, when this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// Member lookup for objects; nil for anything else or a missing member.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// A short name of the kind of value, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// `["a": 1]` as an object, members in the written order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension JSONValue {
    /// Equality as JSON has it: strings by their code points, not by Swift's canonical equivalence ("é" is not
    /// "e\u{301}"), so that a schema's `const` and `enum`, a cached context and a duplicate check see what was sent.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x.hasSameCodePoints(as: y)
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .number(let n): hasher.combine(2); hasher.combine(n)
        case .string(let s): hasher.combine(3); s.hashCodePoints(into: &hasher)
        case .array(let a): hasher.combine(4); hasher.combine(a)
        case .object(let o): hasher.combine(5); hasher.combine(o)
        }
    }
}

extension String {
    /// Hashes the UTF-8 bytes (see ``hasSameCodePoints(as:)``).
    @inlinable
    public func hashCodePoints(into hasher: inout Hasher) {
        let bytes = utf8
        hasher.combine(bytes.count)
        if bytes.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            for byte in bytes { hasher.combine(byte) }
        }
    }
}

/// A name (a JSON member's, a JSON-LD term's) hashed and compared by its code points, as dictionary and set key:
/// Swift's `String` takes canonically equivalent spellings as one key.
public struct ExactName: Hashable, Sendable {
    public let text: String

    // Inlinable: term tables and parsers look names up on every member (a call across modules each time would cost).
    @inlinable public init(text: String) { self.text = text }

    @inlinable public static func == (a: ExactName, b: ExactName) -> Bool { a.text.hasSameCodePoints(as: b.text) }

    @inlinable public func hash(into hasher: inout Hasher) { text.hashCodePoints(into: &hasher) }
}
