import NachweisJSON

extension JSONLDProcessor {
    /// A canonical description of every term a context defines (IRI mapping, type mapping, containers, language,
    /// direction, prefix and protected flags, and scoped contexts in RFC 8785 form), sorted by term. Two context
    /// documents with equal descriptions give every document the same expansion. For diagnostics and for proving the
    /// shipped contexts equivalent to their published originals.
    public func describeContext(_ url: String) throws(LinkedDataError) -> JSONValue {
        let active = try processContext(ActiveContext(base: nil), .string(url), base: nil)
        var terms = JSONObject()
        for name in active.terms.keys.sorted() {
            let t = active.terms[name]!
            var d = JSONObject()
            d["iri"] = t.iri.map(JSONValue.string) ?? .null
            if t.prefix { d["prefix"] = true }
            if t.protected { d["protected"] = true }
            if t.reverse { d["reverse"] = true }
            if !t.container.isEmpty { d["container"] = .array(t.container.sorted().map(JSONValue.string)) }
            if let language = t.language { d["language"] = language.map(JSONValue.string) ?? .null }
            if let direction = t.direction { d["direction"] = direction.map(JSONValue.string) ?? .null }
            if let index = t.index { d["index"] = .string(index) }
            if let nest = t.nest { d["nest"] = .string(nest) }
            if let type = t.typeMapping { d["type"] = .string(type) }
            if let scoped = t.context {
                do { d["context"] = .string(try scoped.value.canonicalText()) } catch { throw fail("invalid scoped context", name) }
            }
            terms[name] = .object(d)
        }
        var description = JSONObject()
        description["vocab"] = active.vocab.map(JSONValue.string) ?? .null
        description["language"] = active.defaultLanguage.map(JSONValue.string) ?? .null
        description["terms"] = .object(terms)
        return .object(description)
    }
}
