import NachweisJSON

/// Maps an OB 3.0 or Europass EDC credential to the EU micro-credential elements.
///
/// Each element has an ordered list of places it may be (docs/micro-credentials.md); the first that holds a
/// non-empty value wins. Arrays on the way are searched element by element.
///
/// ```swift
/// let report = MicroCredentialMapping.report(for: credential)
/// report.missingMandatory   // [] for a complete micro-credential
/// ```
public enum MicroCredentialMapping {
    /// The report for a credential (the EDC payload or the OB 3.0 credential JSON).
    public static func report(for credential: JSONValue) -> MicroCredentialReport {
        let types = credential["type"].map(Locator.strings) ?? []
        let rules = types.contains("EuropeanDigitalCredential") ? edcRules : ob3Rules
        var present: [MicroCredentialReport.Found] = []
        var missing: [MicroCredentialElement] = []
        let alignments = AlignmentIndex()
        for element in MicroCredentialElement.allCases {
            if let hit = rules[element]?.lazy.compactMap({ $0.find(in: credential, alignments: alignments) }).first {
                present.append(MicroCredentialReport.Found(element: element, pointer: hit.0, value: Locator.display(hit.1)))
            } else {
                missing.append(element)
            }
        }
        return MicroCredentialReport(present: present, missing: missing)
    }

    // MARK: Europass EDC (ELM v3)

    static let claim = ["credentialSubject", "hasClaim"]
    static let spec = claim + ["specifiedBy"]
    static let edcRules: [MicroCredentialElement: [Locator]] = [
        .learner: [.path(["credentialSubject", "fullName"]), .path(["credentialSubject", "givenName"]),
                   .path(["credentialSubject", "familyName"]), .path(["credentialSubject", "id"])],
        .title: [.path(claim + ["title"]), .path(spec + ["title"]), .path(["displayParameter", "title"])],
        .issuerCountry: [.path(["issuer", "location", "address", "countryCode"]), .path(["issuer", "eIDASIdentifier", "spatial"]),
                         .path(["issuer", "location", "spatialCode"])],
        .awardingBody: [.path(claim + ["awardedBy", "awardingBody", "legalName"]), .path(claim + ["awardedBy", "awardingBody"])],
        .issueDate: [.path(["issued"]), .path(["issuanceDate"]), .path(["validFrom"]), .path(claim + ["awardedBy", "awardingDate"])],
        .learningOutcomes: [.path(spec + ["learningOutcome"]), .path(claim + ["learningOutcome"])],
        .workload: [.path(spec + ["creditPoint"]), .path(claim + ["creditReceived"]), .path(spec + ["volumeOfLearning"])],
        .level: [.path(spec + ["eqfLevel"]), .path(spec + ["nqfLevel"])],
        .assessmentType: [.path(claim + ["provenBy", "specifiedBy", "dcType"])],
        .participationForm: [.path(spec + ["mode"]), .path(claim + ["influencedBy", "specifiedBy", "mode"]), .path(spec + ["learningSetting"])],
        .qualityAssurance: [.path(spec + ["accreditation"]), .path(claim + ["awardedBy", "awardingBody", "accreditation"]),
                            .path(["issuer", "accreditation"])],
        .prerequisites: [.path(spec + ["entryRequirement"]), .path(spec + ["prerequisite"])],
        .supervision: [.path(claim + ["provenBy", "idVerification"])],
        .grade: [.path(claim + ["provenBy", "grade"])],
        .stackability: [.path(spec + ["isPartialQualification"]), .path(claim + ["isPartOf"]), .path(claim + ["hasPart"]),
                        .path(claim + ["entitlesTo"]), .path(spec + ["entitlesTo"])],
        .furtherInformation: [.path(claim + ["additionalNote"]), .path(spec + ["additionalNote"]), .path(spec + ["homepage"]),
                              .path(claim + ["supplementaryDocument"])],
    ]

    // MARK: Open Badges 3.0

    static let achievement = ["credentialSubject", "achievement"]
    static func alignment(urlPrefixes: [String] = [], targetTypes: Set<String> = []) -> Locator {
        .alignment(achievement + ["alignment"], urlPrefixesAfterScheme: urlPrefixes.compactMap { Locator.afterScheme($0).flatMap { String($0) } },
                   targetTypes: targetTypes)
    }
    static let eu = "http://data.europa.eu/"
    static let ob3Rules: [MicroCredentialElement: [Locator]] = [
        .learner: [.path(["credentialSubject", "id"]), .path(["credentialSubject", "identifier"])],
        .title: [.path(achievement + ["name"]), .path(["name"])],
        .issuerCountry: [.path(["issuer", "address", "addressCountryCode"]), .path(["issuer", "address", "addressCountry"])],
        .awardingBody: [.path(["issuer", "name"]), .string(["issuer"]), .path(achievement + ["creator", "name"])],
        .issueDate: [.path(["validFrom"]), .path(["issuanceDate"]), .path(["awardedDate"])],
        .learningOutcomes: [alignment(urlPrefixes: [eu + "esco/"], targetTypes: ["ceasn:Competency", "CFItem", "ext:LearningOutcome"])],
        .workload: [.path(achievement + ["creditsAvailable"]), .path(["credentialSubject", "creditsEarned"]),
                    alignment(urlPrefixes: [eu + "snb/education-credit/"], targetTypes: ["ext:Workload"])],
        .level: [alignment(urlPrefixes: [eu + "snb/eqf/", eu + "snb/qdr/"], targetTypes: ["ext:QualificationLevel"])],
        .assessmentType: [alignment(urlPrefixes: [eu + "snb/assessment/"], targetTypes: ["ext:AssessmentType"])],
        .participationForm: [alignment(urlPrefixes: [eu + "snb/learning-assessment/"], targetTypes: ["ext:ParticipationForm"])],
        .qualityAssurance: [alignment(urlPrefixes: [eu + "snb/accreditation/"], targetTypes: ["ext:QualityAssurance"])],
        .prerequisites: [alignment(targetTypes: ["ext:Prerequisite"])],
        .supervision: [alignment(urlPrefixes: [eu + "snb/supervision-verification/"], targetTypes: ["ext:Supervision"])],
        .grade: [.path(["credentialSubject", "result"])],
        .stackability: [.path(achievement + ["related"]), alignment(targetTypes: ["ext:Stackability"])],
        .furtherInformation: [.path(achievement + ["criteria", "id"]), alignment(targetTypes: ["ext:FurtherInformation"])],
    ]
}

/// A place an element may be.
enum Locator: Sendable {
    /// Member names from the root; arrays on the way are searched in order.
    case path([String])
    /// Like `path`, but only a string value counts (an issuer given as a bare IRI).
    case string([String])
    /// An entry of the alignment list at path whose targetUrl starts with a prefix (http or https alike: the
    /// prefixes are kept without their scheme) or whose targetType is listed.
    case alignment([String], urlPrefixesAfterScheme: [String], targetTypes: Set<String>)

    func find(in root: JSONValue, alignments: AlignmentIndex = AlignmentIndex()) -> (JSONPointer, JSONValue)? {
        switch self {
        case .path(let names):
            return Locator.first(root, names) { Locator.isPresent($0) }
        case .string(let names):
            return Locator.first(root, names) { $0.stringValue != nil && Locator.isPresent($0) }
        case .alignment(let names, let prefixes, let targetTypes):
            // Prefixes compared as bytes (String.hasPrefix would compare graphemes); the entries are read once per
            // credential, for all the elements that look at them.
            for entry in alignments.entries(root, names) {
                if let type = entry.type, targetTypes.contains(type) { return (entry.pointer, entry.value) }
                if let rest = entry.urlAfterScheme, prefixes.contains(where: { rest.starts(with: $0.utf8) }) {
                    return (entry.pointer, entry.value)
                }
            }
            return nil
        }
    }

    /// A URL after its `http://` or `https://`; nil for other URLs.
    static func afterScheme(_ url: String) -> Substring.UTF8View? {
        if url.utf8.starts(with: "https://".utf8) { return url.utf8.dropFirst(8) }
        if url.utf8.starts(with: "http://".utf8) { return url.utf8.dropFirst(7) }
        return nil
    }

    /// Follows names from value, fanning out over arrays in order, and hands each value reached to `visit` with the
    /// member names and indices on the way, until `visit` says stop (true). Returns whether it stopped.
    @discardableResult
    static func walk(_ value: JSONValue, _ names: ArraySlice<String>, tokens: inout [String],
                     _ visit: (JSONValue, [String]) -> Bool) -> Bool {
        if case .array(let elements) = value, !names.isEmpty {
            for (offset, element) in elements.enumerated() {
                tokens.append(String(offset))
                defer { tokens.removeLast() }
                if walk(element, names, tokens: &tokens, visit) { return true }
            }
            return false
        }
        guard let name = names.first else { return visit(value, tokens) }
        guard let next = value[name] else { return false }
        tokens.append(name)
        defer { tokens.removeLast() }
        return walk(next, names.dropFirst(), tokens: &tokens, visit)
    }

    /// The first value at names that `accept` takes, with its pointer (built only for the hit).
    static func first(_ root: JSONValue, _ names: [String], where accept: (JSONValue) -> Bool) -> (JSONPointer, JSONValue)? {
        var tokens: [String] = [], hit: (JSONPointer, JSONValue)?
        walk(root, names[...], tokens: &tokens) { value, tokens in
            guard accept(value) else { return false }
            hit = (JSONPointer(tokens: tokens), value)
            return true
        }
        return hit
    }

    /// Every value at names, with its pointer, in document order.
    static func all(_ root: JSONValue, _ names: [String]) -> [(JSONPointer, JSONValue)] {
        var tokens: [String] = [], found: [(JSONPointer, JSONValue)] = []
        walk(root, names[...], tokens: &tokens) { value, tokens in
            found.append((JSONPointer(tokens: tokens), value))
            return false
        }
        return found
    }

    /// Something besides white space: any ASCII byte that is not white space decides at once; only text of white
    /// space and non-ASCII characters is read as Characters.
    static func hasText(_ s: String) -> Bool {
        var onlyASCII = true
        for byte in s.utf8 {
            if byte >= 0x80 { onlyASCII = false; continue }
            if !(byte == 0x20 || (0x09...0x0D).contains(byte)) { return true }
        }
        return onlyASCII ? false : s.contains { !$0.isWhitespace }
    }

    static func isPresent(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case .string(let s): hasText(s)
        case .array(let a): !a.isEmpty
        case .object(let o): o.count > 0
        default: true
        }
    }

    static func strings(_ value: JSONValue) -> [String] {
        if let s = value.stringValue { return [s] }
        return value.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// A short human rendering: language maps by their English (or first) text, concepts by their label.
    static func display(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        case .array(let a): return a.map(display).joined(separator: "; ")
        case .object(let o):
            if let label = o["prefLabel"] ?? o["noteLiteral"] ?? o["legalName"] ?? o["title"] ?? o["targetName"] ?? o["name"] { return display(label) }
            if let point = o["point"], let framework = o["framework"] { return display(point) + " " + display(framework) }
            if let en = o["en"] { return display(en) }
            if o.count > 0, o.allSatisfy({ $0.key.count <= 3 && $0.value.stringValue != nil }) { return display(o.members[0].value) }
            if let id = o["id"] { return display(id) }
            if let v = o["value"] { return display(v) }
            return String(JSONValue.object(o).compactText.prefix(120))
        }
    }
}

/// The alignment entries of a credential, read once per report: each entry with its pointer, `targetType` and the
/// `targetUrl` after its http(s) scheme.
final class AlignmentIndex {
    struct Entry {
        let pointer: JSONPointer
        let value: JSONValue
        let type: String?
        let urlAfterScheme: Substring.UTF8View?
    }

    private var byPath: [[String]: [Entry]] = [:]

    func entries(_ root: JSONValue, _ names: [String]) -> [Entry] {
        if let known = byPath[names] { return known }
        var entries: [Entry] = []
        for (pointer, value) in Locator.all(root, names) {
            let list: [(JSONPointer, JSONValue)] = value.arrayValue.map { items in items.enumerated().map { (pointer.appending($0.offset), $0.element) } }
                ?? [(pointer, value)]
            for (entryPointer, entry) in list {
                entries.append(Entry(pointer: entryPointer, value: entry, type: entry["targetType"]?.stringValue,
                                     urlAfterScheme: entry["targetUrl"]?.stringValue.flatMap(Locator.afterScheme)))
            }
        }
        byPath[names] = entries
        return entries
    }
}
