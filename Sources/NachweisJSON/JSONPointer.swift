/// A JSON Pointer (RFC 6901): `/credentialSubject/achievement/name`, `""` for the whole document.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// Unescaped reference tokens.
    public let tokens: [String]

    public init(tokens: [String] = []) { self.tokens = tokens }

    /// Parses pointer text; tokens are unescaped (`~1` → `/`, `~0` → `~`). Text not starting with `/` is the root.
    public init(_ text: String) {
        guard text.hasPrefix("/") else {
            tokens = []
            return
        }
        tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    public init(stringLiteral value: String) { self.init(value) }

    public static let root = JSONPointer()

    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens: tokens + [token]) }
    public func appending(_ index: Int) -> JSONPointer { JSONPointer(tokens: tokens + [String(index)]) }

    /// Whether self is other or lies below it.
    public func hasPrefix(_ other: JSONPointer) -> Bool { tokens.starts(with: other.tokens) }

    public var description: String {
        tokens.map { "/" + $0.replacing("~", with: "~0").replacing("/", with: "~1") }.joined()
    }
}

extension JSONValue {
    /// The value at pointer, or nil when any step is missing.
    public subscript(pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), index >= 0, index < elements.count, String(index) == token else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Replaces (or with nil removes) the value at pointer; returns false when the parent is missing.
    @discardableResult
    public mutating func set(_ pointer: JSONPointer, to newValue: JSONValue?) -> Bool {
        guard let first = pointer.tokens.first else {
            if let newValue { self = newValue }
            return newValue != nil
        }
        let rest = JSONPointer(tokens: Array(pointer.tokens.dropFirst()))
        switch self {
        case .object(var object):
            if rest.tokens.isEmpty {
                object[first] = newValue
            } else {
                guard var child = object[first], child.set(rest, to: newValue) else { return false }
                object[first] = child
            }
            self = .object(object)
            return true
        case .array(var elements):
            guard let index = Int(first), index >= 0, index < elements.count else { return false }
            if rest.tokens.isEmpty {
                if let newValue { elements[index] = newValue } else { elements.remove(at: index) }
            } else {
                guard elements[index].set(rest, to: newValue) else { return false }
            }
            self = .array(elements)
            return true
        default:
            return false
        }
    }
}
