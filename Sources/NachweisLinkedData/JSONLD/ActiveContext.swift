import NachweisJSON

/// A term definition (JSON-LD 1.1 Processing Algorithms §4.1).
struct TermDefinition: Sendable, Equatable {
    /// The IRI mapping: an IRI, a blank node identifier or a keyword; nil for a term mapped to null.
    var iri: String?
    var prefix = false
    var protected = false
    var reverse = false
    var baseURL: String?
    /// The scoped context, kept as JSON and processed when used.
    var context: JSONValue?
    var container: Set<String> = []
    /// `.none` = not set; `.some(nil)` = explicitly null.
    var language: String??
    var direction: String??
    var index: String?
    var nest: String?
    var typeMapping: String?

    /// Equality for protected-term redefinition: everything but `protected`.
    func sameDefinition(as other: TermDefinition) -> Bool {
        var a = self, b = other
        a.protected = false
        b.protected = false
        return a == b
    }
}

/// The active context (§4.1).
struct ActiveContext: Sendable {
    var terms: [String: TermDefinition] = [:]
    var base: String?
    var originalBase: String?
    var vocab: String?
    var defaultLanguage: String?
    var defaultDirection: String?
    /// The context to return to when a type-scoped context does not propagate.
    var previous: Box<ActiveContext>?

    init(base: String?) {
        self.base = base
        self.originalBase = base
    }

    var hasProtectedTerms: Bool { terms.values.contains { $0.protected } }
}

/// A reference box so a struct can hold a value of its own type.
final class Box<T: Sendable>: Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

enum Keywords {
    static let all: Set<String> = [
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import", "@included", "@index", "@json",
        "@language", "@list", "@nest", "@none", "@prefix", "@propagate", "@protected", "@reverse", "@set", "@type",
        "@value", "@version", "@vocab",
    ]

    static func isKeyword(_ s: String) -> Bool { all.contains(s) }

    /// `@` followed by one or more ALPHA: reserved for future keywords, ignored with a warning.
    static func hasKeywordForm(_ s: String) -> Bool {
        guard s.hasPrefix("@"), s.count > 1 else { return false }
        return s.dropFirst().allSatisfy { $0.isASCII && $0.isLetter }
    }
}
