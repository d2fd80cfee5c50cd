import Foundation
import NachweisJSON

/// A typed view of a JSON object: typed accessors over the members, while the object itself, with every
/// member it came with (extensions, unknown members, their order and number text), is what is stored.
/// Decoding then encoding therefore never loses or reorders anything.
public protocol JSONModel: Codable, Sendable, Hashable {
    /// Every member, as received or as set.
    var json: JSONObject { get set }
    init(json: JSONObject)
}

extension JSONModel {
    public init(from decoder: any Decoder) throws { self.init(json: try JSONObject(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }

    /// Wraps a JSON value; throws `document.wrong_shape` unless it is an object.
    public init(_ value: JSONValue) throws(DocumentError) {
        guard let object = value.objectValue else {
            throw DocumentError(.wrongShape, "\(Self.self) must be a JSON object, not \(value.kindName)")
        }
        self.init(json: object)
    }

    /// Parses JSON text (strictly) into the model.
    public init(parsing bytes: [UInt8]) throws(DocumentError) {
        do { try self.init(try JSONParser().parse(bytes)) } catch let error as JSONError {
            throw DocumentError(.malformedJSON, "malformed JSON: \(error)")
        } catch let error as DocumentError {
            throw error
        } catch {
            throw DocumentError(.malformedJSON, "\(error)")
        }
    }

    /// The model as a JSON value.
    public var value: JSONValue { .object(json) }

    /// Compact JSON, members in order.
    public var compactText: String { value.compactText }

    // MARK: Member helpers for conforming types

    public subscript(member key: String) -> JSONValue? {
        get { json[key] }
        set { json[key] = newValue }
    }

    /// `id`, when a string.
    public var id: String? {
        get { json["id"]?.stringValue }
        set { json["id"] = newValue.map(JSONValue.string) }
    }

    /// `type` as a list (a single string becomes a one-element list).
    public var types: [String] {
        get { JSONModelAccess.strings(json["type"]) }
        set { json["type"] = newValue.count == 1 ? .string(newValue[0]) : .array(newValue.map(JSONValue.string)) }
    }

    public func string(_ key: String) -> String? { json[key]?.stringValue }

    public mutating func setString(_ key: String, _ value: String?) { json[key] = value.map(JSONValue.string) }

    public func number(_ key: String) -> Double? { json[key]?.numberValue?.doubleValue }

    /// A date-time member (RFC 3339 / ISO 8601), nil when absent or unparsable.
    public func date(_ key: String) -> Date? { json[key]?.stringValue.flatMap(JSONModelAccess.parseDate) }

    /// A nested model (an object member).
    public func model<T: JSONModel>(_ key: String, as type: T.Type = T.self) -> T? {
        json[key]?.objectValue.map(T.init(json:))
    }

    /// Models of a member that may hold one object or an array of them (JSON-LD compaction).
    public func models<T: JSONModel>(_ key: String, as type: T.Type = T.self) -> [T] {
        switch json[key] {
        case .object(let o)?: [T(json: o)]
        case .array(let a)?: a.compactMap { $0.objectValue.map(T.init(json:)) }
        default: []
        }
    }

    /// Strings of a member that may hold one string or an array.
    public func strings(_ key: String) -> [String] { JSONModelAccess.strings(json[key]) }
}

enum JSONModelAccess {
    static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let s)?: [s]
        case .array(let a)?: a.compactMap(\.stringValue)
        default: []
        }
    }

    static func parseDate(_ text: String) -> Date? { RFC3339.parse(text) }
}

/// A language map (ELM `LangString`): `{"en": "…", "de": "…"}`.
public struct LangString: Sendable, Hashable {
    public let values: [(language: String, text: String)]

    public init?(_ value: JSONValue?) {
        switch value {
        case .string(let s)?: values = [("", s)]
        case .object(let o)?:
            values = o.members.compactMap { m in
                if let s = m.value.stringValue { return (m.key, s) }
                if let first = m.value.arrayValue?.first?.stringValue { return (m.key, first) }
                return nil
            }
            if values.isEmpty { return nil }
        default: return nil
        }
    }

    /// The text in a language (default English), else the first.
    public func text(_ language: String = "en") -> String {
        values.first { $0.language == language }?.text ?? values.first?.text ?? ""
    }

    public static func == (a: LangString, b: LangString) -> Bool { a.values.map { "\($0.language)=\($0.text)" } == b.values.map { "\($0.language)=\($0.text)" } }
    public func hash(into hasher: inout Hasher) { for v in values { hasher.combine(v.language); hasher.combine(v.text) } }
}
