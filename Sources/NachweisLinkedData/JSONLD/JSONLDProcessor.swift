import NachweisJSON

/// A JSON-LD 1.1 processor: context processing, expansion and deserialization to RDF, following the JSON-LD 1.1
/// Processing Algorithms (W3C Recommendation 2020). Contexts come only from its ``DocumentLoader``.
///
/// In safe mode (the default) anything that would silently drop out of the RDF dataset is an error naming its JSON
/// pointer: a member no context defines (`jsonld.undefined_term`); an id, type, datatype or reference that is not a
/// well-formed absolute IRI, a reserved `@`-form, an invalid language tag, an index, a free-floating or empty value
/// (`jsonld.unsigned_member`). What is not in the dataset is not covered by a Data Integrity signature, so it must
/// not be accepted as signed.
public struct JSONLDProcessor: Sendable {
    public let loader: any DocumentLoader
    public var safeMode: Bool
    let cache = ContextCache()

    public init(loader: any DocumentLoader, safeMode: Bool = true) {
        self.loader = loader
        self.safeMode = safeMode
    }

    /// Expands a document (§5.1). The result is always an array of node objects.
    public func expand(_ document: JSONValue, base: String? = nil, expandContext: JSONValue? = nil) throws(LinkedDataError) -> [JSONValue] {
        var active = ActiveContext(base: base)
        if let expandContext { active = try processContext(active, expandContext, base: base) }
        let expanded: JSONValue
        do { expanded = try expand(active, activeProperty: nil, document, baseURL: base) } catch { throw error.located() }
        switch expanded {
        case .null: return []
        case .array(let items): return items
        case .object(let object) where object.count == 1 && object["@graph"] != nil:
            return object["@graph"]!.arrayValue ?? []
        default: return [expanded]
        }
    }

    /// Deserializes a document to RDF quads (§8.1), after expansion. The quads are distinct (the node map merges
    /// repeated values), so they may be canonicalized with `distinct: true`.
    public func toRDF(_ document: JSONValue, base: String? = nil, expandContext: JSONValue? = nil) throws(LinkedDataError) -> [RDFQuad] {
        let expanded = try expand(document, base: base, expandContext: expandContext)
        return try RDFSerializer(processor: self).quads(from: expanded)
    }

    /// A safe-mode refusal of something that would drop out of the RDF data.
    func unsigned(_ what: String) -> LinkedDataError {
        LinkedDataError(.unsignedMember, "\(what): it would not be part of the RDF data (and so not covered by a signature)")
    }

    func undefined(_ what: String) -> LinkedDataError {
        LinkedDataError(.undefinedTerm, "\(what) is not defined by any context: it would not be part of the RDF data (and so not covered by a signature)")
    }
}
