import Foundation
import NachweisJSON

/// Schema documents by URI, and the compiled schemas built from them.
///
/// Register every document a schema refers to (`$ref` across files resolves against the referring
/// document's `$id`), then ask for the compiled ``JSONSchema``. Nothing is ever fetched.
///
/// Supports draft 2019-09 (and the 2020-12 core they share): `type`, `enum`, `const`, `properties`,
/// `patternProperties`, `additionalProperties`, `required`, `minProperties`, `maxProperties`, `propertyNames`,
/// `dependentRequired`, `dependentSchemas`, `items` (schema or tuple), `additionalItems`, `contains`, `minContains`,
/// `maxContains`, `minItems`, `maxItems`, `uniqueItems`, `minLength`, `maxLength`, `pattern`, `format`, `minimum`,
/// `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `allOf`, `anyOf`, `oneOf`, `not`,
/// `if`/`then`/`else`, `$ref`, `$defs`/`definitions`. Keywords it cannot honour (`unevaluatedProperties`,
/// `unevaluatedItems`, `$recursiveRef`, `$dynamicRef`) make compilation fail rather than be ignored.
///
/// `@unchecked Sendable` invariant: all state is behind `lock`.
public final class SchemaRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: JSONValue] = [:]
    private var compiled: [String: SchemaNode] = [:]

    public init() {}

    /// Registers a schema document under its `$id` (or uri when given). Returns the URI used.
    @discardableResult
    public func register(_ document: JSONValue, as uri: String? = nil) throws(DocumentError) -> String {
        guard let key = uri ?? document["$id"]?.stringValue else {
            throw DocumentError(.invalidSchema, "a schema document needs an $id or a URI to register it under")
        }
        let base = SchemaRegistry.stripFragment(key)
        lock.lock()
        documents[base] = document
        lock.unlock()
        return base
    }

    /// Registers every `*.json` file below a folder.
    public func registerDirectory(_ url: URL) throws(DocumentError) {
        guard let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) else {
            throw DocumentError(.unknownSchema, "cannot read schema folder \(url.path)")
        }
        for case let file as URL in enumerator where file.pathExtension == "json" {
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            let value: JSONValue
            do { value = try JSONParser().parse(Array(data)) } catch {
                throw DocumentError(.invalidSchema, "\(file.lastPathComponent) is not valid JSON: \(error)")
            }
            try register(value, as: value["$id"]?.stringValue ?? file.absoluteString)
        }
    }

    /// The compiled schema at uri (a document URI, optionally with a `#/pointer` fragment).
    public func schema(_ uri: String) throws(DocumentError) -> JSONSchema {
        lock.lock()
        defer { lock.unlock() }
        var compiler = SchemaCompiler(documents: documents, cache: compiled)
        let root = try compiler.node(for: uri, base: nil)
        compiled = compiler.cache
        return JSONSchema(root: root, uri: uri)
    }

    static func stripFragment(_ uri: String) -> String {
        uri.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
    }
}

/// Turns schema JSON into ``SchemaNode`` graphs, resolving references.
struct SchemaCompiler {
    let documents: [String: JSONValue]
    var cache: [String: SchemaNode]

    /// The node for a reference, relative to base (a document URI).
    mutating func node(for reference: String, base: String?) throws(DocumentError) -> SchemaNode {
        let absolute: String
        if let base {
            absolute = reference.hasPrefix("#") ? base + reference : (URL(string: reference, relativeTo: URL(string: base))?.absoluteString ?? reference)
        } else {
            absolute = reference
        }
        let parts = absolute.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let documentURI = String(parts[0])
        let fragment = parts.count > 1 ? String(parts[1]) : ""
        guard let document = documents[documentURI] else {
            throw DocumentError(.unresolvedReference, "no schema registered at \(documentURI)")
        }
        guard fragment.isEmpty || fragment.hasPrefix("/") else {
            throw DocumentError(.unresolvedReference, "anchors are not supported (\(absolute))")
        }
        let pointer = JSONPointer(fragment.removingPercentEncoding ?? fragment)
        let key = documentURI + "#" + pointer.description
        if let cached = cache[key] { return cached }
        guard let value = document[pointer] else {
            throw DocumentError(.unresolvedReference, "\(absolute) points at nothing")
        }
        return try compile(value, documentURI: documentURI, pointer: pointer)
    }

    mutating func compile(_ value: JSONValue, documentURI: String, pointer: JSONPointer) throws(DocumentError) -> SchemaNode {
        let key = documentURI + "#" + pointer.description
        if let cached = cache[key] { return cached }
        let node = SchemaNode(location: pointer.description)
        cache[key] = node  // before the children, so recursive references find it
        if case .bool(let b) = value {
            node.constant = b
            return node
        }
        guard let object = value.objectValue else {
            throw DocumentError(.invalidSchema, "schema at \(key) is neither an object nor a boolean")
        }
        func sub(_ name: String, _ v: JSONValue) throws(DocumentError) -> SchemaNode {
            try compile(v, documentURI: documentURI, pointer: pointer.appending(name))
        }
        func list(_ name: String, _ v: JSONValue) throws(DocumentError) -> [SchemaNode] {
            guard let array = v.arrayValue, !array.isEmpty else { throw DocumentError(.invalidSchema, "\(name) at \(key) must be a non-empty array") }
            var nodes: [SchemaNode] = []
            for (i, element) in array.enumerated() {
                nodes.append(try compile(element, documentURI: documentURI, pointer: pointer.appending(name).appending(i)))
            }
            return nodes
        }
        func integer(_ name: String, _ v: JSONValue) throws(DocumentError) -> Int {
            guard let n = v.numberValue, let i = Int(exactly: n.doubleValue), i >= 0 else {
                throw DocumentError(.invalidSchema, "\(name) at \(key) must be a non-negative integer")
            }
            return i
        }
        func number(_ name: String, _ v: JSONValue) throws(DocumentError) -> Double {
            guard let n = v.numberValue else { throw DocumentError(.invalidSchema, "\(name) at \(key) must be a number") }
            return n.doubleValue
        }
        for member in object {
            let v = member.value
            switch member.key {
            case "type":
                if let s = v.stringValue {
                    node.types = [s]
                } else if let a = v.arrayValue {
                    node.types = Set(a.compactMap(\.stringValue))
                } else {
                    throw DocumentError(.invalidSchema, "type at \(key) must be a string or an array")
                }
            case "enum":
                guard let a = v.arrayValue else { throw DocumentError(.invalidSchema, "enum at \(key) must be an array") }
                node.enumValues = a
            case "const": node.constValue = v
            case "properties":
                guard let o = v.objectValue else { throw DocumentError(.invalidSchema, "properties at \(key) must be an object") }
                for p in o {
                    let child = try compile(p.value, documentURI: documentURI, pointer: pointer.appending("properties").appending(p.key))
                    node.properties.append((p.key, child))
                }
            case "patternProperties":
                guard let o = v.objectValue else { throw DocumentError(.invalidSchema, "patternProperties at \(key) must be an object") }
                for p in o {
                    let child = try compile(p.value, documentURI: documentURI, pointer: pointer.appending("patternProperties").appending(p.key))
                    node.patternProperties.append((try Pattern(p.key), child))
                }
            case "additionalProperties": node.additionalProperties = try sub("additionalProperties", v)
            case "required":
                guard let a = v.arrayValue else { throw DocumentError(.invalidSchema, "required at \(key) must be an array") }
                node.required = a.compactMap(\.stringValue)
            case "minProperties": node.minProperties = try integer("minProperties", v)
            case "maxProperties": node.maxProperties = try integer("maxProperties", v)
            case "propertyNames": node.propertyNames = try sub("propertyNames", v)
            case "dependentRequired":
                for p in v.objectValue ?? JSONObject() { node.dependentRequired[p.key] = p.value.arrayValue?.compactMap(\.stringValue) ?? [] }
            case "dependentSchemas":
                for p in v.objectValue ?? JSONObject() {
                    node.dependentSchemas[p.key] = try compile(p.value, documentURI: documentURI, pointer: pointer.appending("dependentSchemas").appending(p.key))
                }
            case "items":
                if v.arrayValue != nil { node.tupleItems = try list("items", v) } else { node.items = try sub("items", v) }
            case "prefixItems": node.tupleItems = try list("prefixItems", v)
            case "additionalItems": node.additionalItems = try sub("additionalItems", v)
            case "contains": node.contains = try sub("contains", v)
            case "minContains": node.minContains = try integer("minContains", v)
            case "maxContains": node.maxContains = try integer("maxContains", v)
            case "minItems": node.minItems = try integer("minItems", v)
            case "maxItems": node.maxItems = try integer("maxItems", v)
            case "uniqueItems": node.uniqueItems = v.boolValue ?? false
            case "minLength": node.minLength = try integer("minLength", v)
            case "maxLength": node.maxLength = try integer("maxLength", v)
            case "pattern":
                guard let s = v.stringValue else { throw DocumentError(.invalidSchema, "pattern at \(key) must be a string") }
                node.pattern = try Pattern(s)
            case "format": node.format = v.stringValue
            case "minimum": node.minimum = try number("minimum", v)
            case "maximum": node.maximum = try number("maximum", v)
            case "exclusiveMinimum": node.exclusiveMinimum = try number("exclusiveMinimum", v)
            case "exclusiveMaximum": node.exclusiveMaximum = try number("exclusiveMaximum", v)
            case "multipleOf":
                let m = try number("multipleOf", v)
                guard m > 0 else { throw DocumentError(.invalidSchema, "multipleOf at \(key) must be positive") }
                node.multipleOf = m
            case "allOf": node.allOf = try list("allOf", v)
            case "anyOf": node.anyOf = try list("anyOf", v)
            case "oneOf": node.oneOf = try list("oneOf", v)
            case "not": node.not = try sub("not", v)
            case "if": node.ifSchema = try sub("if", v)
            case "then": node.thenSchema = try sub("then", v)
            case "else": node.elseSchema = try sub("else", v)
            case "$ref":
                guard let reference = v.stringValue else { throw DocumentError(.invalidSchema, "$ref at \(key) must be a string") }
                node.reference = try self.node(for: reference, base: documentURI)
            case "unevaluatedProperties", "unevaluatedItems", "$recursiveRef", "$dynamicRef":
                throw DocumentError(.invalidSchema, "keyword \(member.key) (at \(key)) is not supported")
            default:
                break  // annotations ($id, $schema, title, description, $comment, $defs, examples…) and unknown keywords
            }
        }
        node.seal()
        return node
    }
}
