/// An RDF term: an IRI, a blank node, or a literal.
public enum RDFTerm: Sendable, Hashable {
    case iri(String)
    /// A blank node, by its label (without `_:`).
    case blank(String)
    /// A literal with its datatype IRI, and a language tag for `rdf:langString`.
    case literal(String, datatype: String, language: String?)

    public static let xsdString = "http://www.w3.org/2001/XMLSchema#string"
    public static let rdfLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

    /// A plain string literal (`xsd:string`).
    public static func string(_ value: String) -> RDFTerm { .literal(value, datatype: xsdString, language: nil) }

    public var isBlank: Bool {
        if case .blank = self { return true }
        return false
    }

    public var blankLabel: String? {
        if case .blank(let label) = self { return label }
        return nil
    }
}

/// A quad: a triple and the graph it is in (nil for the default graph).
public struct RDFQuad: Sendable, Hashable {
    public var subject: RDFTerm
    public var predicate: RDFTerm
    public var object: RDFTerm
    public var graph: RDFTerm?

    public init(_ subject: RDFTerm, _ predicate: RDFTerm, _ object: RDFTerm, _ graph: RDFTerm? = nil) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
        self.graph = graph
    }
}
