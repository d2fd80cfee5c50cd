import NachweisJSON

extension JSONLDProcessor {
    // MARK: Expansion (§5.1.2)

    func expand(_ activeIn: ActiveContext, activeProperty: String?, _ element: JSONValue, baseURL: String?,
                fromMap: Bool = false) throws(LinkedDataError) -> JSONValue {
        if element == .null { return .null }
        let propertyDefinition = activeProperty.flatMap { activeIn.terms[$0] }
        let propertyScoped = propertyDefinition?.context
        switch element {
        case .string, .number, .bool:
            guard let activeProperty, activeProperty != "@graph" else {
                if safeMode { throw unsigned("a value outside any node (free-floating)") }
                return .null
            }
            if let propertyScoped {
                let scoped = try processContext(activeIn, scoped: propertyScoped, base: propertyDefinition?.baseURL)
                return try expandValue(scoped, activeProperty: activeProperty, element, definition: scoped.terms[activeProperty])
            }
            // (No copy of the context for a value: most calls end here.)
            return try expandValue(activeIn, activeProperty: activeProperty, element, definition: propertyDefinition)
        case .array(let items):
            var result: [JSONValue] = []
            let listContainer = propertyDefinition.map { !$0.container.isEmpty && $0.container.contains("@list") } ?? false
            for (index, item) in items.enumerated() {
                var expanded: JSONValue
                do { expanded = try expand(activeIn, activeProperty: activeProperty, item, baseURL: baseURL, fromMap: fromMap) } catch {
                    throw error.within(String(index))
                }
                if listContainer, case .array = expanded {
                    expanded = ["@list": expanded]
                }
                switch expanded {
                case .array(let inner): result.append(contentsOf: inner)
                case .null: break
                default: result.append(expanded)
                }
            }
            return .array(result)
        default:
            break
        }
        let object = element.objectValue!
        var active = activeIn
        // Revert a non-propagated (type-scoped) context when entering a new node object.
        if let previous = active.previous, !fromMap {
            var revert = true
            for member in object {
                let keyword = Self.keyword(of: member.key, in: active)
                if keyword == "@value" { revert = false }
                if keyword == "@id" && object.count == 1 { revert = false }
            }
            if revert { active = previous.value }
        }
        if let propertyScoped {
            active = try processContext(active, scoped: propertyScoped, base: propertyDefinition?.baseURL, overrideProtected: true)
        }
        if let local = object["@context"] {
            active = try processContext(active, local, base: baseURL)
        }
        let typeScoped = active
        var inputType: String?
        // Keys standing for @type (usually one), in lexicographic order.
        var typeKeys: [String] = []
        for member in object where Self.keyword(of: member.key, in: active) == "@type" { typeKeys.append(member.key) }
        for key in typeKeys.sorted() {
            let value = object[key]!
            let types = (value.arrayValue ?? [value]).compactMap(\.stringValue).sorted()
            for term in types {
                if let definition = typeScoped.terms[term], let scoped = definition.context {
                    active = try processContext(active, scoped: scoped, base: definition.baseURL, propagate: false)
                }
            }
            if let last = types.last { inputType = try expandIRI(active, last, vocab: true) }
        }
        var result = JSONObject()
        var nests: [String] = []
        try expandEntries(object, into: &result, nests: &nests, active: active, typeScoped: typeScoped, activeProperty: activeProperty,
                          inputType: inputType, baseURL: baseURL)
        // Nested properties (§5.1.2 step 14), each nesting key with its own scoped context where its term has one.
        for key in nests {
            do throws(LinkedDataError) {
                try expandNested(key, object[key], into: &result, active: active, typeScoped: typeScoped, activeProperty: activeProperty,
                                 inputType: inputType, baseURL: baseURL)
            } catch { throw error.within(key) }
        }
        return try finish(result, activeProperty: activeProperty)
    }

    private func expandNested(_ key: String, _ value: JSONValue?, into result: inout JSONObject, active: ActiveContext,
                              typeScoped: ActiveContext, activeProperty: String?, inputType: String?, baseURL: String?) throws(LinkedDataError) {
        var nestedActive = active
        if let definition = active.terms[key], let scoped = definition.context {
            nestedActive = try processContext(active, scoped: scoped, base: definition.baseURL, overrideProtected: true)
        }
        let values = value.map { $0.arrayValue ?? [$0] } ?? []
        for (index, nested) in values.enumerated() {
            do throws(LinkedDataError) {
                guard let nestedObject = nested.objectValue else { throw fail("invalid @nest value", key) }
                for member in nestedObject where try expandIRI(nestedActive, member.key, vocab: true) == "@value" {
                    throw fail("invalid @nest value", key)
                }
                var innerNests: [String] = []
                try expandEntries(nestedObject, into: &result, nests: &innerNests, active: nestedActive, typeScoped: typeScoped,
                                  activeProperty: activeProperty, inputType: inputType, baseURL: baseURL, nestedIn: nestedObject)
                for inner in innerNests {
                    do throws(LinkedDataError) {
                        try expandNested(inner, nestedObject[inner], into: &result, active: nestedActive, typeScoped: typeScoped,
                                         activeProperty: activeProperty, inputType: inputType, baseURL: baseURL)
                    } catch { throw error.within(inner) }
                }
            } catch { throw value?.arrayValue != nil ? error.within(String(index)) : error }
        }
    }

    /// Post-processing of an expanded map (§5.1.2 steps 15–20).
    private func finish(_ resultIn: JSONObject, activeProperty: String?) throws(LinkedDataError) -> JSONValue {
        var result = resultIn
        if let value = result["@value"] {
            guard result.keys.allSatisfy({ Self.valueObjectKeys.contains($0) }) else { throw fail("invalid value object") }
            if result["@type"] != nil && (result["@language"] != nil || result["@direction"] != nil) { throw fail("invalid value object") }
            if result["@type"] == "@json" {
                // any JSON value
            } else if value == .null || (value.arrayValue?.isEmpty ?? false) {
                if safeMode { throw unsigned("a value of null") }
                return .null
            } else if value.stringValue == nil && result["@language"] != nil {
                throw fail("invalid language-tagged value")
            } else if let type = result["@type"] {
                guard let iri = type.stringValue, IRI.isWellFormed(iri) else {
                    if safeMode { throw unsigned("the value type \(type.compactText) is not an absolute IRI") }
                    throw fail("invalid typed value")
                }
            }
        } else if let type = result["@type"], type.arrayValue == nil {
            result["@type"] = [type]
        } else if result["@set"] != nil || result["@list"] != nil {
            guard result.count <= 2, result.keys.allSatisfy({ $0 == "@set" || $0 == "@list" || $0 == "@index" }),
                  !(result["@set"] != nil && result["@list"] != nil) else { throw fail("invalid set or list object") }
            if let set = result["@set"] { return set }
        }
        if result.count == 1 && result["@language"] != nil {
            if safeMode { throw unsigned("an object with only a language") }
            return .null
        }
        if activeProperty == nil || activeProperty == "@graph" {
            var dropped = result.count == 0 || result["@value"] != nil || result["@list"] != nil
            dropped = dropped || (result.count == 1 && result["@id"] != nil)
            if dropped {
                if safeMode { throw unsigned("a node or value with no statement of its own at the top level") }
                return .null
            }
        }
        return .object(result)
    }

    /// §5.1.2 step 13: one pass over the entries of element.
    private func expandEntries(_ element: JSONObject, into result: inout JSONObject, nests: inout [String], active: ActiveContext,
                               typeScoped: ActiveContext, activeProperty: String?, inputType: String?, baseURL: String?,
                               nestedIn: JSONObject? = nil) throws(LinkedDataError) {
        for member in element {
            let key = member.key, value = member.value
            if key == "@context" { continue }
            do throws(LinkedDataError) {
                // A term's IRI mapping is its expansion (vocab-relative); only other keys need full IRI expansion.
                let definition = active.terms[key]
                let expandedProperty: String?
                if let definition, key.utf8.first != UInt8(ascii: "@") {
                    expandedProperty = definition.iri
                } else {
                    expandedProperty = try expandIRI(active, key, vocab: true)
                }
                guard let expandedProperty, expandedProperty.utf8.contains(UInt8(ascii: ":")) || Keywords.isKeyword(expandedProperty) else {
                    if safeMode {
                        if Keywords.hasKeywordForm(key) { throw unsigned("the member \"\(key)\" has the form of a reserved keyword") }
                        throw undefined("the member \"\(key)\"")
                    }
                    continue
                }
                // A term's IRI was checked once when its definition was made; any other key is checked here.
                if safeMode, !Keywords.isKeyword(expandedProperty),
                   !((definition != nil && key.utf8.first != UInt8(ascii: "@")) ? definition!.iriWellFormed : IRI.isWellFormed(expandedProperty)) {
                    throw unsigned(expandedProperty.utf8.starts(with: "_:".utf8) ? "the property \"\(key)\" is a blank node"
                                   : "the property \"\(key)\" is not a well-formed absolute IRI")
                }
                if Keywords.isKeyword(expandedProperty) {
                    if activeProperty == "@reverse" { throw fail("invalid reverse property map") }
                    if result[expandedProperty] != nil && expandedProperty != "@included" && expandedProperty != "@type" {
                        throw fail("colliding keywords", expandedProperty)
                    }
                    var expandedValue: JSONValue?
                    switch expandedProperty {
                    case "@id":
                        guard let id = value.stringValue else { throw fail("invalid @id value") }
                        let iri = try expandIRI(active, id, documentRelative: true)
                        try requireIdentifier(iri, "the id \"\(id)\"")
                        expandedValue = iri.map(JSONValue.string) ?? .null
                    case "@type":
                        let values = value.arrayValue ?? [value]
                        var types: [JSONValue] = []
                        for v in values {
                            guard let s = v.stringValue else { throw fail("invalid type value") }
                            let iri = try expandIRI(typeScoped, s, documentRelative: true, vocab: true)
                            guard let iri, IRI.isWellFormed(iri) || iri.hasPrefix("_:") || Keywords.isKeyword(iri) else {
                                if safeMode {
                                    let malformed = iri.map(IRI.isAbsolute) ?? true
                                    throw malformed ? unsigned("the type \"\(s)\" is not a well-formed IRI") : undefined("the type \"\(s)\"")
                                }
                                if let iri { types.append(.string(iri)) }
                                continue
                            }
                            types.append(.string(iri))
                        }
                        if let existing = result["@type"] {
                            expandedValue = .array((existing.arrayValue ?? [existing]) + types)
                        } else {
                            expandedValue = value.arrayValue == nil && types.count == 1 ? types[0] : .array(types)
                        }
                    case "@graph":
                        let graph = try expand(active, activeProperty: "@graph", value, baseURL: baseURL)
                        expandedValue = graph.arrayValue == nil ? [graph] : graph
                    case "@included":
                        let included = try expand(active, activeProperty: nil, value, baseURL: baseURL)
                        let items = included.arrayValue ?? [included]
                        guard items.allSatisfy({ $0.objectValue != nil && $0["@value"] == nil && $0["@list"] == nil }) else {
                            throw fail("invalid @included value")
                        }
                        expandedValue = .array((result["@included"]?.arrayValue ?? []) + items)
                    case "@value":
                        if inputType == "@json" {
                            expandedValue = value
                        } else {
                            switch value {
                            case .object, .array: throw fail("invalid value object value")
                            default: expandedValue = value
                            }
                        }
                        if expandedValue == .null {
                            result["@value"] = .null
                            continue
                        }
                    case "@language":
                        guard let tag = value.stringValue else { throw fail("invalid language-tagged string") }
                        if safeMode, !LanguageTag.isWellFormed(tag) { throw unsigned("the language tag \"\(tag)\" is not well formed") }
                        expandedValue = .string(tag.lowercased())
                    case "@direction":
                        guard value == "ltr" || value == "rtl" else { throw fail("invalid base direction") }
                        expandedValue = value
                    case "@index":
                        guard value.stringValue != nil else { throw fail("invalid @index value") }
                        if safeMode { throw unsigned("an index (@index)") }
                        expandedValue = value
                    case "@list":
                        if activeProperty == nil || activeProperty == "@graph" { continue }
                        let list = try expand(active, activeProperty: activeProperty, value, baseURL: baseURL)
                        expandedValue = list.arrayValue == nil ? [list] : list
                    case "@set":
                        expandedValue = try expand(active, activeProperty: activeProperty, value, baseURL: baseURL)
                    case "@reverse":
                        guard value.objectValue != nil else { throw fail("invalid @reverse value") }
                        let reversed = try expand(active, activeProperty: "@reverse", value, baseURL: baseURL)
                        guard let reversedObject = reversed.objectValue else { continue }
                        if let inner = reversedObject["@reverse"]?.objectValue {
                            for property in inner { addValues(&result, property.key, property.value) }
                        }
                        var reverseMap = result["@reverse"]?.objectValue ?? JSONObject()
                        for property in reversedObject where property.key != "@reverse" {
                            for item in property.value.arrayValue ?? [property.value] {
                                if item["@value"] != nil || item["@list"] != nil { throw fail("invalid reverse property value") }
                                var existing = reverseMap[property.key]?.arrayValue ?? []
                                existing.append(item)
                                reverseMap[property.key] = .array(existing)
                            }
                        }
                        if reverseMap.count > 0 { result["@reverse"] = .object(reverseMap) }
                        continue
                    case "@nest":
                        nests.append(key)
                        continue
                    default:
                        continue
                    }
                    if let expandedValue { result[expandedProperty] = expandedValue }
                    continue
                }
                // A property.
                let container = definition?.container ?? []
                var expandedValue: JSONValue
                if definition?.typeMapping == "@json" {
                    expandedValue = ["@value": value, "@type": "@json"]
                } else if !container.isEmpty, container.contains("@language"), let map = value.objectValue {
                    var items: [JSONValue] = []
                    let direction = definition?.direction ?? active.defaultDirection
                    for language in map.keys.sorted() {
                        for item in map[language]!.arrayValue ?? [map[language]!] {
                            if item == .null { continue }
                            guard item.stringValue != nil else { throw fail("invalid language map value") }
                            var v: JSONObject = ["@value": item]
                            if try expandIRI(active, language, vocab: true) != "@none" {
                                if safeMode, !LanguageTag.isWellFormed(language) {
                                    throw unsigned("the language tag \"\(language)\" is not well formed").within(language)
                                }
                                v["@language"] = .string(language.lowercased())
                            }
                            if let direction { v["@direction"] = .string(direction) }
                            items.append(.object(v))
                        }
                    }
                    expandedValue = .array(items)
                } else if !container.isEmpty, !container.isDisjoint(with: Self.mapContainers), let map = value.objectValue {
                    var items: [JSONValue] = []
                    let indexKey = definition?.index ?? "@index"
                    for index in map.keys.sorted() {
                        var mapContext = active
                        if container.contains("@id") || container.contains("@type") { mapContext = active.previous?.value ?? active }
                        if container.contains("@type"), let indexDefinition = mapContext.terms[index], let scoped = indexDefinition.context {
                            mapContext = try processContext(mapContext, scoped: scoped, base: indexDefinition.baseURL)
                        }
                        let expandedIndex = try expandIRI(active, index, vocab: true)
                        let indexValue = try expand(mapContext, activeProperty: key, .array(map[index]!.arrayValue ?? [map[index]!]), baseURL: baseURL,
                                                    fromMap: true)
                        for var item in indexValue.arrayValue ?? [] {
                            if container.contains("@graph") && item["@graph"] == nil { item = ["@graph": .array(item.arrayValue ?? [item])] }
                            if container.contains("@index") && indexKey != "@index" && expandedIndex != "@none" {
                                let reExpanded = try expandValue(active, activeProperty: indexKey, .string(index), definition: active.terms[indexKey])
                                guard let propertyIRI = try expandIRI(active, indexKey, vocab: true) else { continue }
                                var obj = item.objectValue ?? JSONObject()
                                let existing = obj[propertyIRI].map { $0.arrayValue ?? [$0] } ?? []
                                obj[propertyIRI] = .array([reExpanded] + existing)
                                if obj["@value"] != nil { throw fail("invalid value object") }
                                item = .object(obj)
                            } else if container.contains("@index") && item["@index"] == nil && expandedIndex != "@none" {
                                if safeMode { throw unsigned("the index \"\(index)\"").within(index) }
                                item.set(JSONPointer(tokens: ["@index"]), to: .string(index))
                            } else if container.contains("@id") && item["@id"] == nil && expandedIndex != "@none" {
                                let id = try expandIRI(active, index, documentRelative: true)
                                do throws(LinkedDataError) { try requireIdentifier(id, "the map key \"\(index)\"") } catch { throw error.within(index) }
                                item.set(JSONPointer(tokens: ["@id"]), to: id.map(JSONValue.string) ?? .null)
                            } else if container.contains("@type") && expandedIndex != "@none", let expandedIndex {
                                do throws(LinkedDataError) { try requireIdentifier(expandedIndex, "the type map key \"\(index)\"") } catch {
                                    throw error.within(index)
                                }
                                let existing = item["@type"].map { $0.arrayValue ?? [$0] } ?? []
                                item.set(JSONPointer(tokens: ["@type"]), to: .array([.string(expandedIndex)] + existing))
                            }
                            items.append(item)
                        }
                    }
                    expandedValue = .array(items)
                } else {
                    expandedValue = try expand(active, activeProperty: key, value, baseURL: baseURL)
                }
                if expandedValue == .null { continue }
                if !container.isEmpty && container.contains("@list") && expandedValue["@list"] == nil {
                    expandedValue = ["@list": .array(expandedValue.arrayValue ?? [expandedValue])]
                }
                if !container.isEmpty && container.contains("@graph") && !container.contains("@id") && !container.contains("@index") {
                    expandedValue = .array((expandedValue.arrayValue ?? [expandedValue]).map { ["@graph": .array($0.arrayValue ?? [$0])] })
                }
                if definition?.reverse == true {
                    var reverseMap = result["@reverse"]?.objectValue ?? JSONObject()
                    var existing = reverseMap[expandedProperty]?.arrayValue ?? []
                    for item in expandedValue.arrayValue ?? [expandedValue] {
                        if item["@value"] != nil || item["@list"] != nil { throw fail("invalid reverse property value") }
                        existing.append(item)
                    }
                    reverseMap[expandedProperty] = .array(existing)
                    result["@reverse"] = .object(reverseMap)
                } else {
                    addValues(&result, expandedProperty, expandedValue)
                }
            } catch { throw error.within(key) }
        }
    }

    static let valueObjectKeys: Set<String> = ["@direction", "@index", "@language", "@type", "@value"]
    static let mapContainers: Set<String> = ["@index", "@type", "@id"]

    /// The keyword a key stands for (itself, or a term aliasing a keyword), without full IRI expansion: only
    /// keywords matter to the callers, and a keyword can only come from the key or a term's IRI mapping.
    static func keyword(of key: String, in active: ActiveContext) -> String? {
        if key.utf8.first == UInt8(ascii: "@") { return Keywords.isKeyword(key) ? key : nil }
        guard let iri = active.terms[key]?.iri, iri.utf8.first == UInt8(ascii: "@") else { return nil }
        return iri
    }

    func addValues(_ object: inout JSONObject, _ key: String, _ value: JSONValue) {
        let items = value.arrayValue ?? [value]
        var existing = object[key]?.arrayValue ?? (object[key].map { [$0] } ?? [])
        existing.append(contentsOf: items)
        object[key] = .array(existing)
    }

    // MARK: Value expansion (§5.3.2)

    /// In safe mode, an expanded identifier must make a statement: a blank node or a well-formed absolute IRI, not a
    /// reserved `@` form (nil) — one rule for ids, references and the keys of id and type maps.
    func requireIdentifier(_ iri: String?, _ what: @autoclosure () -> String) throws(LinkedDataError) {
        guard safeMode else { return }
        guard let iri else { throw unsigned("\(what()) has the form of a reserved keyword") }
        guard iri.hasPrefix("_:") || IRI.isWellFormed(iri) else { throw unsigned("\(what()) is not a well-formed absolute IRI") }
    }

    /// `definition` is the active property's term definition in `active` (the caller has looked it up).
    func expandValue(_ active: ActiveContext, activeProperty: String, _ value: JSONValue, definition: TermDefinition?) throws(LinkedDataError) -> JSONValue {
        if let mapping = definition?.typeMapping, mapping == "@id" || mapping == "@vocab", let s = value.stringValue {
            let iri = try expandIRI(active, s, documentRelative: true, vocab: mapping == "@vocab")
            try requireIdentifier(iri, "the reference \"\(s)\"")
            return ["@id": iri.map(JSONValue.string) ?? .null]
        }
        var result: JSONObject = ["@value": value]
        if let type = definition?.typeMapping, type != "@id", type != "@vocab", type != "@none" {
            result["@type"] = .string(type)
        } else if value.stringValue != nil {
            let language: String? = definition?.language ?? active.defaultLanguage
            let direction: String? = definition?.direction ?? active.defaultDirection
            if let language {
                if safeMode, !LanguageTag.isWellFormed(language) { throw unsigned("the language tag \"\(language)\" is not well formed") }
                result["@language"] = .string(language)
            }
            if let direction { result["@direction"] = .string(direction) }
        }
        return .object(result)
    }
}
