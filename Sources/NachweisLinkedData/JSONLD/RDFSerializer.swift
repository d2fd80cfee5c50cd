import Foundation
import NachweisJSON

/// Node map generation (§7.2) and deserialization to RDF (§8.1) of an expanded document.
struct RDFSerializer {
    let processor: JSONLDProcessor

    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let xsd = "http://www.w3.org/2001/XMLSchema#"
    static let rdfType = RDFTerm.iri(rdf + "type")
    static let rdfFirst = RDFTerm.iri(rdf + "first")
    static let rdfRest = RDFTerm.iri(rdf + "rest")
    static let rdfNil = RDFTerm.iri(rdf + "nil")
    static let xsdBoolean = xsd + "boolean"
    static let nodeKeywords: Set<String> = ["@id", "@type", "@index", "@reverse", "@graph", "@included"]
    static let xsdInteger = xsd + "integer"
    static let xsdDouble = xsd + "double"

    /// One value in the node map.
    indirect enum Item {
        case value(JSONObject)
        case reference(String)
        case list(ListBox)
    }

    final class ListBox {
        var items: [Item] = []
    }

    final class Node {
        var types: [String] = []
        /// Properties in the order first seen: nodes have a handful, so a list searched by comparison beats a
        /// dictionary (no hashing, no table to allocate and grow).
        /// From 16 properties on, an index by name keeps a hostile node with thousands of them linear.
        var properties: [(name: String, items: [Item])] = []
        private var index: [String: Int]?

        private func position(of property: String) -> Int? {
            if let index { return index[property] }
            if properties.count >= 16 {
                var built: [String: Int] = [:]
                for (offset, entry) in properties.enumerated() { built[entry.name] = offset }
                index = built
                return built[property]
            }
            return properties.firstIndex(where: { $0.name == property })
        }

        func add(_ property: String, _ item: Item, unique: Bool) {
            if let index = position(of: property) {
                if unique, properties[index].items.contains(where: { RDFSerializer.same($0, item) }) { return }
                properties[index].items.append(item)
            } else {
                index?[property] = properties.count
                properties.append((property, [item]))
            }
        }
    }

    final class Graph {
        var nodes: [String: Node] = [:]
    }

    final class NodeMap {
        var graphs: [String: Graph] = [:]
        var issuer = IdentifierIssuer(prefix: "b")

        func node(_ graph: String, _ id: String) -> Node {
            let nodes: Graph
            if let existing = graphs[graph] { nodes = existing } else { nodes = Graph(); graphs[graph] = nodes }
            if let n = nodes.nodes[id] { return n }
            let n = Node()
            nodes.nodes[id] = n
            return n
        }

        /// Relabels a document blank node, or makes a new one (new ones need no lookup later).
        func blank(_ label: String?) -> String {
            if let label { return "_:" + issuer.issue(label) }
            return "_:" + issuer.issueFresh()
        }
    }

    static func same(_ a: Item, _ b: Item) -> Bool {
        switch (a, b) {
        case (.reference(let x), .reference(let y)): x == y
        case (.value(let x), .value(let y)): x == y
        default: false
        }
    }

    // MARK: Node map generation

    /// `subject` is the node the values are properties of (passed as the node itself, not looked up by id again).
    func generate(_ element: JSONValue, _ map: NodeMap, graph: String, subject: Node?, reverseSubject: String? = nil,
                  property: String?, list: ListBox?) throws(LinkedDataError) {
        if let items = element.arrayValue {
            for item in items { try generate(item, map, graph: graph, subject: subject, reverseSubject: reverseSubject, property: property, list: list) }
            return
        }
        guard let object = element.objectValue else { return }
        // The keyword members, found in one pass (each lookup by name would scan the members again).
        var valueObject = false
        var listValue, idValue, typeValue, reverseValue, graphValue, includedValue: JSONValue?
        for member in object where member.key.utf8.first == UInt8(ascii: "@") {
            switch member.key {
            case "@value": valueObject = true
            case "@list": listValue = member.value
            case "@id": idValue = member.value
            case "@type": typeValue = member.value
            case "@reverse": reverseValue = member.value
            case "@graph": graphValue = member.value
            case "@included": includedValue = member.value
            default: break
            }
        }
        if valueObject {
            let item = Item.value(object)
            if let list { list.items.append(item) } else if let subject, let property { subject.add(property, item, unique: true) }
            return
        }
        if let inner = listValue {
            let box = ListBox()
            try generate(inner, map, graph: graph, subject: subject, property: property, list: box)
            if let list { list.items.append(.list(box)) } else if let subject, let property { subject.add(property, .list(box), unique: false) }
            return
        }
        // A node object.
        let id: String
        if let given = idValue?.stringValue {
            id = given.hasPrefix("_:") ? map.blank(given) : given
        } else {
            id = map.blank(nil)
        }
        let node = map.node(graph, id)
        if let reverseSubject, let property {
            node.add(property, .reference(reverseSubject), unique: true)
        } else if let property {
            if let list { list.items.append(.reference(id)) } else if let subject { subject.add(property, .reference(id), unique: true) }
        }
        for type in (typeValue?.arrayValue ?? typeValue.map { [$0] } ?? []).compactMap(\.stringValue) {
            let t = type.hasPrefix("_:") ? map.blank(type) : type
            if !node.types.contains(t) { node.types.append(t) }
        }
        if let reverse = reverseValue?.objectValue {
            for member in reverse {
                for value in member.value.arrayValue ?? [member.value] {
                    try generate(value, map, graph: graph, subject: nil, reverseSubject: id, property: member.key, list: nil)
                }
            }
        }
        if let inner = graphValue { try generate(inner, map, graph: id, subject: nil, property: nil, list: nil) }
        if let included = includedValue { try generate(included, map, graph: graph, subject: nil, property: nil, list: nil) }
        for member in object {
            let key = member.key
            if key.utf8.first == UInt8(ascii: "@") && Self.nodeKeywords.contains(key) { continue }
            let property = key.hasPrefix("_:") ? map.blank(key) : key
            // (An empty property is not entered: it yields no quads.)
            try generate(member.value, map, graph: graph, subject: node, property: property, list: nil)
        }
    }

    // MARK: Deserialization

    func quads(from expanded: [JSONValue]) throws(LinkedDataError) -> [RDFQuad] {
        let map = NodeMap()
        map.graphs["@default"] = Graph()
        try generate(.array(expanded), map, graph: "@default", subject: nil, property: nil, list: nil)
        var quads: [RDFQuad] = []
        for graphName in map.graphs.keys.sorted() {
            let graphTerm: RDFTerm?
            if graphName == "@default" {
                graphTerm = nil
            } else if let term = term(graphName) {
                graphTerm = term
            } else {
                continue
            }
            let graph = map.graphs[graphName]!.nodes
            for (subjectName, node) in graph.sorted(by: { $0.key < $1.key }) {
                guard let subject = term(subjectName) else { continue }
                for type in node.types {
                    guard let object = term(type) else { continue }
                    quads.append(RDFQuad(subject, Self.rdfType, object, graphTerm))
                }
                for (property, items) in node.properties.sorted(by: { $0.name < $1.name }) {
                    guard !Keywords.isKeyword(property), !property.hasPrefix("_:"), IRI.isAbsolute(property) else { continue }
                    for item in items {
                        var extra: [RDFQuad] = []
                        if let object = try objectTerm(item, map: map, graph: graphTerm, extra: &extra) {
                            quads.append(RDFQuad(subject, .iri(property), object, graphTerm))
                        }
                        quads.append(contentsOf: extra)
                    }
                }
            }
        }
        return quads
    }

    /// An IRI or blank node term, or nil when the identifier is not well formed (relative IRIs drop out).
    func term(_ id: String) -> RDFTerm? {
        if id.hasPrefix("_:") { return .blank(String(id.dropFirst(2))) }
        return IRI.isAbsolute(id) ? .iri(id) : nil
    }

    func objectTerm(_ item: Item, map: NodeMap, graph: RDFTerm?, extra: inout [RDFQuad]) throws(LinkedDataError) -> RDFTerm? {
        switch item {
        case .reference(let id): return term(id)
        case .list(let box): return try listTerm(box.items, map: map, graph: graph, extra: &extra)
        case .value(let object): return try literal(object)
        }
    }

    /// rdf:first / rdf:rest ladders (§8.1.2 step for lists).
    func listTerm(_ items: [Item], map: NodeMap, graph: RDFTerm?, extra: inout [RDFQuad]) throws(LinkedDataError) -> RDFTerm {
        guard !items.isEmpty else { return Self.rdfNil }
        let nodes = items.map { _ in RDFTerm.blank(String(map.blank(nil).dropFirst(2))) }
        for (index, item) in items.enumerated() {
            var nested: [RDFQuad] = []
            if let object = try objectTerm(item, map: map, graph: graph, extra: &nested) {
                extra.append(RDFQuad(nodes[index], Self.rdfFirst, object, graph))
            }
            extra.append(contentsOf: nested)
            let rest: RDFTerm = index + 1 < nodes.count ? nodes[index + 1] : Self.rdfNil
            extra.append(RDFQuad(nodes[index], Self.rdfRest, rest, graph))
        }
        return nodes[0]
    }

    /// A value object as a literal (§8.1.2 "object to RDF").
    func literal(_ object: JSONObject) throws(LinkedDataError) -> RDFTerm? {
        let value = object["@value"] ?? .null
        var datatype = object["@type"]?.stringValue
        if let datatype, datatype != "@json", !IRI.isAbsolute(datatype) { return nil }
        if datatype == "@json" {
            let text: String
            do { text = try value.canonicalText() } catch { throw processor.fail("invalid JSON literal", error.message) }
            return .literal(text, datatype: Self.rdf + "JSON", language: nil)
        }
        var lexical: String
        switch value {
        case .bool(let b):
            lexical = b ? "true" : "false"
            if datatype == nil { datatype = Self.xsdBoolean }
        case .number(let n):
            let d = n.doubleValue
            let isInteger = d.isFinite && d.rounded() == d && abs(d) < 1e21
            if !isInteger || datatype == Self.xsdDouble {
                lexical = Self.canonicalDouble(d)
                if datatype == nil { datatype = Self.xsdDouble }
            } else {
                let plainInteger = !n.text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
                lexical = plainInteger ? n.text : String(format: "%.0f", d)
                if lexical == "-0" { lexical = "0" }
                if datatype == nil { datatype = Self.xsdInteger }
            }
        case .string(let s):
            lexical = s
        default:
            return nil
        }
        if let language = object["@language"]?.stringValue, datatype == nil {
            return .literal(lexical, datatype: RDFTerm.rdfLangString, language: language)
        }
        return .literal(lexical, datatype: datatype ?? RDFTerm.xsdString, language: nil)
    }

    /// XSD canonical double as JSON-LD processors write it: `1.1E0`, `1.0E21`, 15 fractional digits at most.
    static func canonicalDouble(_ d: Double) -> String {
        let formatted = String(format: "%.15E", d)
        let parts = formatted.split(separator: "E")
        var mantissa = String(parts[0])
        let exponent = Int(parts[1]) ?? 0
        while mantissa.hasSuffix("0") && !mantissa.hasSuffix(".0") { mantissa.removeLast() }
        return mantissa + "E" + String(exponent)
    }
}
