import Foundation
import NachweisJSON

/// Deserialization to RDF (§8.1) of an expanded document.
struct RDFSerializer {
    let processor: JSONLDProcessor

    /// Whether an IRI makes a statement. In safe mode expansion has already refused every IRI that is not well
    /// formed (with its pointer), so only the scheme is looked at here; otherwise the whole IRI is checked (§8.1). The
    /// N-Quads writer escapes what `IRIREF` excludes either way.
    func iri(_ text: String) -> Bool { processor.safeMode ? IRI.isAbsolute(text) : IRI.isWellFormed(text) }

    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let xsd = "http://www.w3.org/2001/XMLSchema#"
    static let rdfTypeIRI = rdf + "type"
    static let rdfType = RDFTerm.iri(rdfTypeIRI)
    static let rdfFirst = RDFTerm.iri(rdf + "first")
    static let rdfRest = RDFTerm.iri(rdf + "rest")
    static let rdfNil = RDFTerm.iri(rdf + "nil")
    static let xsdBoolean = xsd + "boolean"
    static let xsdInteger = xsd + "integer"
    static let xsdDouble = xsd + "double"

    /// Deserializes an expanded document to distinct quads (§8.1). The specification first builds a node map (§7.2)
    /// that merges every node's properties by identifier, then reads quads out of it; this walks the expanded tree
    /// once and writes each quad where it is found, which yields the same dataset with no node objects built. What
    /// the node map did besides is kept: one label per document blank node, nodes in a graph whose name is not well
    /// formed dropped (their named graphs inside still counted), references to relative identifiers dropped while the
    /// nodes under them are still written. A dataset is a set: a property's repeated values are written once, and
    /// the subjects that may still have a quad twice (a node met again with quads of its own, a property with many
    /// values) are noted; at the end only their quads go through a set (hashing every quad would cost more than the
    /// walk).
    func quads(from expanded: [JSONValue]) throws(LinkedDataError) -> [RDFQuad] {
        var walk = Walk(serializer: self)
        for element in expanded { try walk.free(element, graph: nil, written: true) }
        guard walk.repeatAll || !walk.mayRepeat.isEmpty else { return walk.quads }
        var seen = Set<RDFQuad>()
        return walk.quads.filter { !(walk.repeatAll || walk.mayRepeat.contains($0.subject)) || seen.insert($0).inserted }
    }

    struct Walk {
        let serializer: RDFSerializer
        var quads: [RDFQuad] = []
        var issuer = IdentifierIssuer(prefix: "b")
        /// Identifiers of the nodes met so far, with their graph (`graph name` NUL `id` for named graphs).
        var seen: Set<String> = []
        /// Subjects that may have a quad twice (usually none, or one or two); past eight, every quad is checked
        /// (a list searched for each quad must stay short).
        var mayRepeat: [RDFTerm] = []
        var repeatAll = false

        mutating func mayRepeat(_ subject: RDFTerm) {
            guard !repeatAll, !mayRepeat.contains(subject) else { return }
            if mayRepeat.count == 8 { repeatAll = true } else { mayRepeat.append(subject) }
        }

        /// A document blank node's label (one per label), or a new one.
        mutating func blank(_ label: String?) -> String {
            guard let label else { return issuer.issueFresh() }
            return issuer.issue(label)
        }

        /// An identifier as a term: blank nodes relabelled, IRIs only when well formed and absolute (relative and
        /// malformed ones drop out, §8.1: so no IRI can carry `>`, a space or a line break into N-Quads).
        mutating func term(_ id: String) -> RDFTerm? {
            if id.utf8.starts(with: "_:".utf8) { return .blank(blank(id)) }
            return serializer.iri(id) ? .iri(id) : nil
        }

        /// An element that is no property's value: node objects are written, values are not, lists are searched for
        /// the nodes they hold.
        mutating func free(_ element: JSONValue, graph: RDFTerm?, written: Bool) throws(LinkedDataError) {
            if let items = element.arrayValue {
                for item in items { try free(item, graph: graph, written: written) }
                return
            }
            guard let object = element.objectValue else { return }
            switch Self.kind(object) {
            case .value: return
            case .list(let list): try free(list, graph: graph, written: written)
            case .node: _ = try node(object, graph: graph, written: written)
            }
        }

        enum Kind {
            case value, list(JSONValue), node
        }

        /// Value object, list object or node object, from the keyword members (one pass).
        static func kind(_ object: JSONObject) -> Kind {
            var list: JSONValue?
            for member in object where member.key.utf8.first == UInt8(ascii: "@") {
                if member.key == "@value" { return .value }
                if member.key == "@list" { list = member.value }
            }
            return list.map(Kind.list) ?? .node
        }

        /// Writes `subject predicate object` unless this property already has that object (`objects`: the ones written
        /// for it so far). Past eight values the final pass removes repeats instead, as the list would grow long.
        mutating func add(_ subject: RDFTerm, _ predicate: RDFTerm, _ object: RDFTerm, graph: RDFTerm?, fresh: Bool = false,
                          values: Int, objects: inout [RDFTerm]) {
            if !fresh && values <= 8 {
                if objects.contains(object) { return }
                objects.append(object)
            }
            quads.append(RDFQuad(subject, predicate, object, graph))
        }

        /// Writes a node object's quads (when `written`: its graph's name is well formed) and returns its term, nil
        /// for a relative identifier; `repeated` when the node was met before in this graph.
        mutating func node(_ object: JSONObject, graph: RDFTerm?, written: Bool) throws(LinkedDataError) -> (term: RDFTerm?, repeated: Bool) {
            var idValue, typeValue, reverseValue, graphValue, includedValue: JSONValue?
            for member in object where member.key.utf8.first == UInt8(ascii: "@") {
                switch member.key {
                case "@id": idValue = member.value
                case "@type": typeValue = member.value
                case "@reverse": reverseValue = member.value
                case "@graph": graphValue = member.value
                case "@included": includedValue = member.value
                default: break
                }
            }
            let subject: RDFTerm?
            var repeated = false
            if let idValue, idValue.stringValue == nil {
                // An id that expanded to nothing (a reserved `@` form): the node drops out, what it holds still counts.
                subject = nil
            } else if let id = idValue?.stringValue {
                subject = term(id)
                let key: String
                switch (graph, subject) {
                case (nil, .blank(let label)?): key = "_:" + label
                case (nil, _): key = id
                case (let name?, .blank(let label)?): key = "\(name)\u{0}_:\(label)"
                case (let name?, _): key = "\(name)\u{0}\(id)"
                }
                repeated = !seen.insert(key).inserted
            } else {
                subject = .blank(blank(nil))
            }
            let start = quads.count
            if let types = typeValue, let subject, written {
                let list = types.arrayValue ?? [types]
                if list.count > 8 { mayRepeat(subject) }
                var objects: [RDFTerm] = []
                for case let type? in list.map(\.stringValue) {
                    guard let object = term(type) else { continue }
                    add(subject, RDFSerializer.rdfType, object, graph: graph, values: list.count, objects: &objects)
                }
            }
            if let reverse = reverseValue?.objectValue {
                for member in reverse {
                    let property = member.key.utf8.starts(with: "_:".utf8) ? nil : serializer.iri(member.key) ? member.key : nil
                    for case let value? in (member.value.arrayValue ?? [member.value]).map(\.objectValue) {
                        let (other, otherRepeated) = try node(value, graph: graph, written: written)
                        guard written, let subject, let property, let other else { continue }
                        quads.append(RDFQuad(other, .iri(property), subject, graph))
                        if otherRepeated { mayRepeat(other) }
                    }
                }
            }
            if let inner = graphValue { try free(inner, graph: subject, written: subject != nil) }
            if let included = includedValue { try free(included, graph: graph, written: written) }
            // In an expanded node object every member named with `@` is a keyword, handled above or without quads.
            for member in object where member.key.utf8.first != UInt8(ascii: "@") {
                let key = member.key
                let kept: Bool
                if key.utf8.starts(with: "_:".utf8) {
                    _ = blank(key)
                    kept = false
                } else {
                    kept = written && subject != nil && serializer.iri(key)
                }
                // A property that drops out writes no quads of its own; the nodes in its values still count.
                guard kept, let subject else {
                    try free(member.value, graph: graph, written: written)
                    continue
                }
                let values = member.value.arrayValue ?? [member.value]
                // (A property spelled as rdf:type can repeat what @type wrote.)
                if values.count > 8 || key == RDFSerializer.rdfTypeIRI { mayRepeat(subject) }
                var objects: [RDFTerm] = []
                let predicate = RDFTerm.iri(key)
                for value in values {
                    guard let (object, fresh) = try self.object(value, graph: graph, written: written) else { continue }
                    add(subject, predicate, object, graph: graph, fresh: fresh, values: values.count, objects: &objects)
                }
            }
            if repeated, let subject, quads.count > start { mayRepeat(subject) }
            return (subject, repeated)
        }

        /// A property value's term (nil for a value that makes no literal, or a relative reference), `fresh` when it
        /// is a new blank node (a list) that cannot repeat.
        mutating func object(_ value: JSONValue, graph: RDFTerm?, written: Bool) throws(LinkedDataError) -> (RDFTerm, Bool)? {
            guard let object = value.objectValue else { return nil }
            switch Self.kind(object) {
            case .value: return try serializer.literal(object).map { ($0, false) }
            case .list(let list): return (try self.list(list.arrayValue ?? [list], graph: graph, written: written), true)
            case .node:
                // A node met again is no repeat of this quad by itself: the caller's check within the property sees that.
                guard let term = try node(object, graph: graph, written: written).term else { return nil }
                return (term, false)
            }
        }

        /// rdf:first / rdf:rest ladders (§8.1.2, "list to RDF").
        mutating func list(_ items: [JSONValue], graph: RDFTerm?, written: Bool) throws(LinkedDataError) -> RDFTerm {
            guard !items.isEmpty else { return RDFSerializer.rdfNil }
            let nodes = items.map { _ in RDFTerm.blank(blank(nil)) }
            for (index, item) in items.enumerated() {
                if let (object, _) = try self.object(item, graph: graph, written: written) {
                    quads.append(RDFQuad(nodes[index], RDFSerializer.rdfFirst, object, graph))
                }
                quads.append(RDFQuad(nodes[index], RDFSerializer.rdfRest, index + 1 < nodes.count ? nodes[index + 1] : RDFSerializer.rdfNil, graph))
            }
            return nodes[0]
        }
    }

    /// A value object as a literal (§8.1.2 "object to RDF").
    func literal(_ object: JSONObject) throws(LinkedDataError) -> RDFTerm? {
        let value = object["@value"] ?? .null
        var datatype = object["@type"]?.stringValue
        if let datatype, datatype != "@json", !iri(datatype) { return nil }
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
            guard LanguageTag.isWellFormed(language) else { return nil }
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
