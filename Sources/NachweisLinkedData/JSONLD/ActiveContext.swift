import Foundation
import NachweisJSON

/// A term definition (JSON-LD 1.1 Processing Algorithms §4.1).
///
/// A value type over one shared, copy-on-write storage object: expansion looks terms up constantly, and a copy of
/// twelve separately reference-counted fields on every lookup was a tenth of a verification's time.
struct TermDefinition: Sendable, Equatable {
    private final class Storage: @unchecked Sendable {  // mutated only while uniquely referenced
        var iri: String? = nil
        var iriWellFormed = false
        var prefix: Bool = false
        var protected: Bool = false
        var reverse: Bool = false
        var baseURL: String? = nil
        var context: ScopedContext? = nil
        var container: Set<String> = []
        var language: String?? = nil
        var direction: String?? = nil
        var index: String? = nil
        var nest: String? = nil
        var typeMapping: String? = nil

        init() {}

        func copy() -> Storage {
            let c = Storage()
            c.iri = iri
            c.iriWellFormed = iriWellFormed
            c.prefix = prefix
            c.protected = protected
            c.reverse = reverse
            c.baseURL = baseURL
            c.context = context
            c.container = container
            c.language = language
            c.direction = direction
            c.index = index
            c.nest = nest
            c.typeMapping = typeMapping
            return c
        }
    }

    private var storage = Storage()

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// The IRI mapping: an IRI, a blank node identifier or a keyword; nil for a term mapped to null.
    var iri: String? {
        get { storage.iri }
        set {
            let s = unique()
            s.iri = newValue
            s.iriWellFormed = newValue.map { IRI.isWellFormed($0) } ?? false
        }
    }
    /// Whether the IRI mapping is a well-formed absolute IRI (RFC 3987), worked out once when it is set.
    var iriWellFormed: Bool { storage.iriWellFormed }
    var prefix: Bool { get { storage.prefix } set { unique().prefix = newValue } }
    var protected: Bool { get { storage.protected } set { unique().protected = newValue } }
    var reverse: Bool { get { storage.reverse } set { unique().reverse = newValue } }
    var baseURL: String? { get { storage.baseURL } set { unique().baseURL = newValue } }
    /// The scoped context, kept as JSON and processed when used (boxed: its identity keys the context cache).
    var context: ScopedContext? { get { storage.context } set { unique().context = newValue } }
    var container: Set<String> { get { storage.container } set { unique().container = newValue } }
    /// `.none` = not set; `.some(nil)` = explicitly null.
    var language: String?? { get { storage.language } set { unique().language = newValue } }
    var direction: String?? { get { storage.direction } set { unique().direction = newValue } }
    var index: String? { get { storage.index } set { unique().index = newValue } }
    var nest: String? { get { storage.nest } set { unique().nest = newValue } }
    var typeMapping: String? { get { storage.typeMapping } set { unique().typeMapping = newValue } }

    static func == (a: TermDefinition, b: TermDefinition) -> Bool {
        a.storage === b.storage || (a.protected == b.protected && a.sameDefinition(as: b))
    }

    /// Equality for protected-term redefinition: everything but `protected`.
    func sameDefinition(as other: TermDefinition) -> Bool {
        let x = storage, y = other.storage
        return x.iri == y.iri && x.prefix == y.prefix && x.reverse == y.reverse && x.baseURL == y.baseURL &&
            x.context == y.context && x.container == y.container && x.language == y.language &&
            x.direction == y.direction && x.index == y.index && x.nest == y.nest && x.typeMapping == y.typeMapping
    }
}

/// A term's scoped context. Compared by value; its object identity keys the processed-context cache, so that a
/// large scoped context is not hashed every time a node uses it.
final class ScopedContext: Sendable, Equatable {
    let value: JSONValue
    init(_ value: JSONValue) { self.value = value }
    static func == (a: ScopedContext, b: ScopedContext) -> Bool { a === b || a.value == b.value }
}

/// A term's name, equal to another only with the same code points (JSON-LD compares terms as strings of code points).
typealias TermName = ExactName

/// The term definitions of an active context, by exact name.
struct TermTable: Sendable {
    private var definitions: [TermName: TermDefinition] = [:]

    subscript(_ term: String) -> TermDefinition? {
        get { definitions[TermName(text: term)] }
        set { definitions[TermName(text: term)] = newValue }
    }

    mutating func removeValue(forKey term: String) -> TermDefinition? { definitions.removeValue(forKey: TermName(text: term)) }

    var keys: [String] { definitions.keys.map(\.text) }
    var values: Dictionary<TermName, TermDefinition>.Values { definitions.values }
}

/// The active context (§4.1).
struct ActiveContext: Sendable {
    /// Identity for the processed-context cache: 0 for a fresh context, otherwise issued by ``ContextCache``.
    var id = 0
    var terms = TermTable()
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

    static func isKeyword(_ s: String) -> Bool { s.utf8.first == UInt8(ascii: "@") && all.contains(s) }

    /// `@` followed by one or more ALPHA: reserved for future keywords, ignored with a warning.
    static func hasKeywordForm(_ s: String) -> Bool {
        let bytes = s.utf8
        guard bytes.first == UInt8(ascii: "@"), bytes.count > 1 else { return false }
        return bytes.dropFirst().allSatisfy { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }
    }
}

/// Processed contexts, so that the large VC and OB 3.0 contexts (and their scoped contexts) are processed once per
/// (active context, local context) pair instead of once per document.
///
/// `@unchecked Sendable` invariant: all state is behind `lock`; cached contexts are immutable values.
final class ContextCache: @unchecked Sendable {
    struct Key: Hashable {
        let active: Int
        let local: Local
        let base: String?
        let flags: Int
    }

    /// A local context: by value (inline and top-level contexts, usually small), or by the identity of a term's
    /// scoped context (the term definition keeps it alive, and cached contexts share it).
    enum Local: Hashable {
        case value(JSONValue)
        case scoped(ObjectIdentifier)
    }

    private let lock = NSLock()
    private var entries: [Key: ActiveContext] = [:]
    private var nextID = 1
    /// Bound on entries; the cache is cleared when it is reached (contexts are few in practice).
    static let capacity = 4096

    func get(_ key: Key) -> ActiveContext? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    /// Gives result a fresh identity and stores it under key.
    func store(_ result: ActiveContext, for key: Key) -> ActiveContext {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= ContextCache.capacity { entries.removeAll() }
        var stored = result
        stored.id = nextID
        nextID += 1
        entries[key] = stored
        return stored
    }
}
