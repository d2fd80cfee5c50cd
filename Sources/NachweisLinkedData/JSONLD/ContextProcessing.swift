import Foundation
import NachweisJSON

extension JSONLDProcessor {
    func fail(_ code: String, _ detail: String = "") -> LinkedDataError {
        LinkedDataError(.jsonLD, detail.isEmpty ? code : "\(code): \(detail)")
    }

    // MARK: Context processing (§4.1.2)

    /// Processes a term's scoped context (cached by the scoped context's identity).
    func processContext(_ active: ActiveContext, scoped: ScopedContext, base: String?, overrideProtected: Bool = false,
                        propagate: Bool = true) throws(LinkedDataError) -> ActiveContext {
        try processContext(active, scoped.value, base: base, overrideProtected: overrideProtected, propagate: propagate,
                           cacheKey: .scoped(ObjectIdentifier(scoped)))
    }

    func processContext(_ active: ActiveContext, _ local: JSONValue, base: String?, remoteContexts: [String] = [],
                        overrideProtected: Bool = false, propagate: Bool = true, validateScoped: Bool = true,
                        cacheKey: ContextCache.Local? = nil) throws(LinkedDataError) -> ActiveContext {
        // Processing depends only on these inputs (remote contexts only guard recursion), so results are cached.
        let flags = (overrideProtected ? 1 : 0) | (propagate ? 2 : 0) | (validateScoped ? 4 : 0)
        let key = ContextCache.Key(active: active.id, local: cacheKey ?? .value(local), base: base, flags: flags)
        if active.id != 0 || remoteContexts.isEmpty, let cached = cache.get(key) { return cached }
        let result = try processContextUncached(active, local, base: base, remoteContexts: remoteContexts, overrideProtected: overrideProtected,
                                                propagate: propagate, validateScoped: validateScoped)
        return cache.store(result, for: key)
    }

    private func processContextUncached(_ active: ActiveContext, _ local: JSONValue, base: String?, remoteContexts: [String],
                                        overrideProtected: Bool, propagate: Bool, validateScoped: Bool) throws(LinkedDataError) -> ActiveContext {
        var result = active
        var propagate = propagate
        if let p = local["@propagate"] {
            guard let flag = p.boolValue else { throw fail("invalid @propagate value") }
            propagate = flag
        }
        if !propagate && result.previous == nil { result.previous = Box(active) }
        let contexts = local.arrayValue ?? [local]
        for context in contexts {
            switch context {
            case .null:
                if !overrideProtected && result.hasProtectedTerms { throw fail("invalid context nullification") }
                let previous = result
                result = ActiveContext(base: active.originalBase)
                if !propagate { result.previous = Box(previous) }
                continue
            case .string(let reference):
                let url = resolve(reference, against: base)
                if !validateScoped && remoteContexts.contains(url) { continue }
                guard remoteContexts.count < 32 else { throw fail("context overflow", url) }
                let document: JSONValue
                do { document = try loader.load(url) } catch {
                    throw LinkedDataError(.loadingDocumentFailed, "loading remote context failed: \(error.message)")
                }
                guard let loaded = document["@context"] else { throw fail("invalid remote context", "\(url) has no @context") }
                result = try processContext(result, loaded, base: url, remoteContexts: remoteContexts + [url], validateScoped: validateScoped)
                continue
            case .object:
                break
            default:
                throw fail("invalid local context")
            }
            var object = context.objectValue!
            if let version = object["@version"] {
                guard version.numberValue?.doubleValue == 1.1 else { throw fail("invalid @version value") }
            }
            if let importValue = object["@import"] {
                guard let reference = importValue.stringValue else { throw fail("invalid @import value") }
                let url = resolve(reference, against: base)
                let document = try loader.load(url)
                guard let imported = document["@context"]?.objectValue else { throw fail("invalid remote context", "\(url) @import") }
                guard imported["@import"] == nil else { throw fail("invalid context entry", "@import inside an imported context") }
                var merged = imported
                for member in object where member.key != "@import" { merged[member.key] = member.value }
                object = merged
            }
            if let baseValue = object["@base"], remoteContexts.isEmpty {
                switch baseValue {
                case .null: result.base = nil
                case .string(let iri):
                    if IRI.isAbsolute(iri) { result.base = iri } else if let current = result.base { result.base = resolve(iri, against: current) } else {
                        throw fail("invalid base IRI", iri)
                    }
                default: throw fail("invalid base IRI")
                }
            }
            if let vocab = object["@vocab"] {
                switch vocab {
                case .null: result.vocab = nil
                case .string(let value):
                    var defined: [TermName: Bool] = [:]
                    let expanded = try expandIRI(&result, value, documentRelative: true, vocab: true, local: nil, defined: &defined)
                    guard let expanded, IRI.isAbsolute(expanded) || expanded.hasPrefix("_:") else { throw fail("invalid vocab mapping", value) }
                    result.vocab = expanded
                default: throw fail("invalid vocab mapping")
                }
            }
            if let language = object["@language"] {
                switch language {
                case .null: result.defaultLanguage = nil
                case .string(let tag): result.defaultLanguage = tag.lowercased()
                default: throw fail("invalid default language")
                }
            }
            if let direction = object["@direction"] {
                switch direction {
                case .null: result.defaultDirection = nil
                case .string(let d) where d == "ltr" || d == "rtl": result.defaultDirection = d
                default: throw fail("invalid base direction")
                }
            }
            if let p = object["@propagate"], p.boolValue == nil { throw fail("invalid @propagate value") }
            let protected = object["@protected"]?.boolValue ?? false
            var defined: [TermName: Bool] = [:]
            let skip: Set<String> = ["@base", "@direction", "@import", "@language", "@propagate", "@protected", "@version", "@vocab"]
            for member in object where !skip.contains(member.key) {
                try createTermDefinition(&result, local: object, term: member.key, defined: &defined, base: base, protected: protected,
                                         overrideProtected: overrideProtected, remoteContexts: remoteContexts, validateScoped: validateScoped)
            }
        }
        return result
    }

    // MARK: Term definitions (§4.2.2)

    func createTermDefinition(_ active: inout ActiveContext, local: JSONObject, term: String, defined: inout [TermName: Bool], base: String?,
                              protected: Bool, overrideProtected: Bool, remoteContexts: [String], validateScoped: Bool) throws(LinkedDataError) {
        if let state = defined[TermName(text: term)] {
            if state { return }
            throw fail("cyclic IRI mapping", term)
        }
        guard !term.isEmpty else { throw fail("invalid term definition", "empty term") }
        defined[TermName(text: term)] = false
        var value = local[term] ?? .null
        if term == "@type" {
            guard let object = value.objectValue, !object.members.isEmpty,
                  object.allSatisfy({ ($0.key == "@container" && $0.value == "@set") || $0.key == "@protected" }) else {
                throw fail("keyword redefinition", term)
            }
        } else if Keywords.isKeyword(term) {
            throw fail("keyword redefinition", term)
        } else if Keywords.hasKeywordForm(term) {
            defined[TermName(text: term)] = true
            return
        }
        let previous = active.terms.removeValue(forKey: term)
        var simpleTerm = false
        switch value {
        case .null: value = ["@id": .null]
        case .string(let s):
            value = ["@id": .string(s)]
            simpleTerm = true
        case .object: break
        default: throw fail("invalid term definition", term)
        }
        let entries = value.objectValue!
        var definition = TermDefinition()
        definition.protected = protected
        if let p = entries["@protected"] {
            guard let flag = p.boolValue else { throw fail("invalid @protected value", term) }
            definition.protected = flag
        }
        if let typeValue = entries["@type"] {
            guard let type = typeValue.stringValue else { throw fail("invalid type mapping", term) }
            let expanded = try expandIRI(&active, type, vocab: true, local: local, defined: &defined)
            guard let expanded, ["@id", "@json", "@none", "@vocab"].contains(expanded) || IRI.isWellFormed(expanded) else {
                throw fail("invalid type mapping", "\(term): \(type)")
            }
            definition.typeMapping = expanded
        }
        if let reverse = entries["@reverse"] {
            guard entries["@id"] == nil, entries["@nest"] == nil else { throw fail("invalid reverse property", term) }
            guard let reverseIRI = reverse.stringValue else { throw fail("invalid IRI mapping", term) }
            if Keywords.hasKeywordForm(reverseIRI) {
                defined[TermName(text: term)] = true
                return
            }
            let expanded = try expandIRI(&active, reverseIRI, vocab: true, local: local, defined: &defined)
            guard let expanded, IRI.isWellFormed(expanded) || expanded.hasPrefix("_:") else { throw fail("invalid IRI mapping", term) }
            definition.iri = expanded
            if let container = entries["@container"] {
                guard container == .null || container == "@set" || container == "@index" else { throw fail("invalid reverse property", term) }
                if let c = container.stringValue { definition.container = [c] }
            }
            definition.reverse = true
            active.terms[term] = definition
            defined[TermName(text: term)] = true
            return
        }
        if let idValue = entries["@id"], idValue != .string(term) {
            if idValue == .null {
                definition.iri = nil
            } else {
                guard let id = idValue.stringValue else { throw fail("invalid IRI mapping", term) }
                if !Keywords.isKeyword(id) && Keywords.hasKeywordForm(id) {
                    defined[TermName(text: term)] = true
                    return
                }
                let expanded = try expandIRI(&active, id, vocab: true, local: local, defined: &defined)
                guard let expanded, Keywords.isKeyword(expanded) || IRI.isWellFormed(expanded) || expanded.hasPrefix("_:") else {
                    throw fail("invalid IRI mapping", "\(term): \(id)")
                }
                guard expanded != "@context" else { throw fail("invalid keyword alias", term) }
                definition.iri = expanded
                let colon = term.utf8.dropFirst().dropLast().contains(UInt8(ascii: ":"))
                if colon || term.utf8.contains(UInt8(ascii: "/")) {
                    defined[TermName(text: term)] = true
                    let termIRI = try expandIRI(&active, term, vocab: true, local: local, defined: &defined)
                    guard termIRI == expanded else { throw fail("invalid IRI mapping", "\(term) does not expand to \(expanded)") }
                }
                if !term.utf8.contains(UInt8(ascii: ":")) && !term.utf8.contains(UInt8(ascii: "/")) && simpleTerm,
                   let last = expanded.last, ":/?#[]@".contains(last) || expanded.hasPrefix("_:") {
                    definition.prefix = true
                }
            }
        } else if let colonIndex = term.dropFirst().firstIndex(of: ":") {
            let prefix = String(term[..<colonIndex])
            let suffix = String(term[term.index(after: colonIndex)...])
            if local[prefix] != nil {
                try createTermDefinition(&active, local: local, term: prefix, defined: &defined, base: base, protected: protected,
                                         overrideProtected: overrideProtected, remoteContexts: remoteContexts, validateScoped: validateScoped)
            }
            if let prefixDefinition = active.terms[prefix], let prefixIRI = prefixDefinition.iri {
                definition.iri = prefixIRI + suffix
            } else {
                definition.iri = term
            }
        } else if term.utf8.contains(UInt8(ascii: "/")) {
            // A relative IRI reference as a term: expanded as it stands (it defines itself, nothing to define on demand).
            let expanded = try expandIRI(active, term, vocab: true)
            guard let expanded, IRI.isAbsolute(expanded) else { throw fail("invalid IRI mapping", term) }
            definition.iri = expanded
        } else if term == "@type" {
            definition.iri = "@type"
        } else {
            guard let vocab = active.vocab else { throw fail("invalid IRI mapping", "\(term): no @vocab") }
            definition.iri = vocab + term
        }
        if let containerValue = entries["@container"] {
            let values = containerValue.arrayValue ?? [containerValue]
            var container = Set<String>()
            for v in values {
                guard let s = v.stringValue, ["@graph", "@id", "@index", "@language", "@list", "@set", "@type"].contains(s) else {
                    throw fail("invalid container mapping", term)
                }
                container.insert(s)
            }
            let valid: Bool
            if container.contains("@list") {
                valid = container.count == 1
            } else if container.contains("@graph") {
                valid = container.isSubset(of: ["@graph", "@id", "@index", "@set"]) && !(container.contains("@id") && container.contains("@index"))
            } else {
                valid = container.count == 1 || (container.contains("@set") && container.count == 2)
            }
            guard valid else { throw fail("invalid container mapping", term) }
            definition.container = container
            if container.contains("@type") {
                if definition.typeMapping == nil { definition.typeMapping = "@id" }
                guard definition.typeMapping == "@id" || definition.typeMapping == "@vocab" else { throw fail("invalid type mapping", term) }
            }
        }
        if let index = entries["@index"] {
            guard definition.container.contains("@index"), let name = index.stringValue, !Keywords.isKeyword(name) else {
                throw fail("invalid term definition", "\(term): @index")
            }
            definition.index = name
        }
        if let scoped = entries["@context"] {
            do {
                _ = try processContext(active, scoped, base: base, remoteContexts: remoteContexts, overrideProtected: true, validateScoped: false)
            } catch {
                throw fail("invalid scoped context", "\(term): \(error.message)")
            }
            definition.context = ScopedContext(scoped)
            definition.baseURL = base
        }
        if let language = entries["@language"], entries["@type"] == nil {
            switch language {
            case .null: definition.language = .some(nil)
            case .string(let tag): definition.language = .some(tag.lowercased())
            default: throw fail("invalid language mapping", term)
            }
        }
        if let direction = entries["@direction"], entries["@type"] == nil {
            switch direction {
            case .null: definition.direction = .some(nil)
            case .string(let d) where d == "ltr" || d == "rtl": definition.direction = .some(d)
            default: throw fail("invalid base direction", term)
            }
        }
        if let nest = entries["@nest"] {
            guard let name = nest.stringValue, name == "@nest" || !Keywords.isKeyword(name) else { throw fail("invalid @nest value", term) }
            definition.nest = name
        }
        if let prefix = entries["@prefix"] {
            guard !term.utf8.contains(UInt8(ascii: ":")), !term.utf8.contains(UInt8(ascii: "/")) else { throw fail("invalid term definition", "\(term): @prefix") }
            guard let flag = prefix.boolValue else { throw fail("invalid @prefix value", term) }
            definition.prefix = flag
            if flag, let iri = definition.iri, Keywords.isKeyword(iri) { throw fail("invalid term definition", term) }
        }
        let allowed: Set<String> = ["@id", "@reverse", "@container", "@context", "@direction", "@index", "@language", "@nest", "@prefix", "@protected", "@type"]
        if let unknown = entries.keys.first(where: { !allowed.contains($0) }) { throw fail("invalid term definition", "\(term): \(unknown)") }
        if !overrideProtected, let previous, previous.protected {
            guard definition.sameDefinition(as: previous) else { throw fail("protected term redefinition", term) }
            definition = previous
        }
        active.terms[term] = definition
        defined[TermName(text: term)] = true
    }

    // MARK: IRI expansion (§4.3.2)

    /// IRI expansion during context processing: a term of the local context that `value` (or its prefix) names is
    /// defined on demand first, then the expansion is the one below.
    func expandIRI(_ active: inout ActiveContext, _ value: String, documentRelative: Bool = false, vocab: Bool = false,
                   local: JSONObject?, defined: inout [TermName: Bool]) throws(LinkedDataError) -> String? {
        if let local, !Keywords.isKeyword(value), !Keywords.hasKeywordForm(value) {
            // A term defined on demand keeps its context's @protected flag, whatever order the context lists its terms
            // in; the algorithm text passes no flag here, but jsonld.js and pyld (and so every published signature) do.
            func defineOnDemand(_ term: String) throws(LinkedDataError) {
                guard local[term] != nil, defined[TermName(text: term)] != true else { return }
                try createTermDefinition(&active, local: local, term: term, defined: &defined, base: active.base,
                                         protected: local["@protected"]?.boolValue ?? false,
                                         overrideProtected: false, remoteContexts: [], validateScoped: true)
            }
            try defineOnDemand(value)
            let definition = active.terms[value]
            let settled = (definition?.iri).map(Keywords.isKeyword) == true || (vocab && definition != nil)
            // The prefix before a colon is defined on demand unless the value is settled before it is looked at
            // (a keyword mapping, a vocabulary term) or is a blank node identifier or an IRI with an authority.
            let utf8 = value.utf8
            if !settled, let colon = utf8.dropFirst().firstIndex(of: UInt8(ascii: ":")),
               !(utf8.index(after: utf8.startIndex) == colon && utf8.first == UInt8(ascii: "_")),
               !utf8[utf8.index(after: colon)...].starts(with: "//".utf8) {
                try defineOnDemand(String(value[..<colon]))
            }
        }
        return try expandIRI(active, value, documentRelative: documentRelative, vocab: vocab)
    }

    /// IRI expansion (§4.3.2) with nothing to define on demand: no copy of the active context, one term lookup, the
    /// colon found by bytes (IRIs are compared as code points, not graphemes).
    func expandIRI(_ active: ActiveContext, _ value: String, documentRelative: Bool = false, vocab: Bool = false) throws(LinkedDataError) -> String? {
        if value.utf8.first == UInt8(ascii: "@") {
            if Keywords.isKeyword(value) { return value }
            if Keywords.hasKeywordForm(value) { return nil }
        }
        let definition = active.terms[value]
        if let definition, let iri = definition.iri, Keywords.isKeyword(iri) { return iri }
        if vocab, let definition { return definition.iri }
        let utf8 = value.utf8
        if let colon = utf8.dropFirst().firstIndex(of: UInt8(ascii: ":")) {
            let afterColon = utf8.index(after: colon)
            if (utf8.index(after: utf8.startIndex) == colon && utf8.first == UInt8(ascii: "_")) || utf8[afterColon...].starts(with: "//".utf8) {
                return value
            }
            if let prefixDefinition = active.terms[String(value[..<colon])], let iri = prefixDefinition.iri, prefixDefinition.prefix {
                return iri + value[afterColon...]
            }
            if IRI.isAbsolute(value) { return value }
        }
        if vocab, let vocabIRI = active.vocab { return vocabIRI + value }
        if documentRelative, let base = active.base { return resolve(value, against: base) }
        return value
    }

    func resolve(_ reference: String, against base: String?) -> String {
        guard let base, !IRI.isAbsolute(reference) else { return reference }
        return IRI.resolve(reference, against: base)
    }
}
