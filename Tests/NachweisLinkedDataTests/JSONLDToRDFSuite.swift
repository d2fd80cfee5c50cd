import Foundation
import NachweisJSON
import NachweisLinkedData
import NachweisTestSupport
import Testing

/// The official JSON-LD 1.1 toRdf suite (../shared/reference/w3c/json-ld-api), driven by its manifest. Every entry
/// runs except the JSON-LD-1.0-only and non-normative ones, which are counted and listed with their reason; a
/// positive test passes when its dataset is isomorphic to the expected N-Quads (both through RDFC-1.0), a negative
/// one when processing fails with the expected JSON-LD error code.
@Suite("W3C JSON-LD 1.1 toRdf suite")
struct JSONLDToRDFSuite {
    static let prefix = "https://w3c.github.io/json-ld-api/tests/"

    struct Entry: Sendable {
        let id: String, name: String, kind: Kind, input: String, expect: String?, errorCode: String?
        let base: String?, expandContext: String?, skip: String?

        enum Kind: Sendable { case evaluation, negative, syntax }
    }

    static func entries(root: URL) throws -> [Entry] {
        let manifest = try JSONParser().parse(Array(try Data(contentsOf: root.appendingPathComponent("toRdf-manifest.jsonld"))))
        return (manifest["sequence"]?.arrayValue ?? []).compactMap { entry in
            guard let id = entry["@id"]?.stringValue, let input = entry["input"]?.stringValue else { return nil }
            let types = (entry["@type"]?.arrayValue ?? []).compactMap(\.stringValue)
            let kind: Entry.Kind = types.contains("jld:NegativeEvaluationTest") ? .negative
                : types.contains("jld:PositiveSyntaxTest") ? .syntax : .evaluation
            let option = entry["option"]?.objectValue ?? JSONObject()
            var skip: String?
            if option["specVersion"]?.stringValue == "json-ld-1.0" { skip = "JSON-LD 1.0 only (specVersion json-ld-1.0)" }
            else if option["processingMode"]?.stringValue == "json-ld-1.0" { skip = "JSON-LD 1.0 processing mode" }
            else if option["normative"]?.boolValue == false { skip = "non-normative (rdfDirection)" }
            else if option["produceGeneralizedRdf"]?.boolValue == true { skip = "generalized RDF" }
            return Entry(id: id, name: entry["name"]?.stringValue ?? "", kind: kind, input: input, expect: entry["expect"]?.stringValue,
                         errorCode: entry["expectErrorCode"]?.stringValue, base: option["base"]?.stringValue,
                         expandContext: option["expandContext"]?.stringValue, skip: skip)
        }
    }

    /// Every file of the suite, under the URL the tests name it by.
    static func loader(root: URL) throws -> OfflineDocumentLoader {
        var files: [String: URL] = [:]
        for folder in ["toRdf", "expand"] {
            let directory = root.appendingPathComponent(folder)
            guard let walk = FileManager.default.enumerator(atPath: directory.path) else { continue }
            for case let path as String in walk where path.hasSuffix(".jsonld") || path.hasSuffix(".json") {
                files[prefix + folder + "/" + path] = directory.appendingPathComponent(path)
            }
        }
        return OfflineDocumentLoader(files: files)
    }

    /// Runs one entry; nil when it passed, otherwise what went wrong.
    static func run(_ entry: Entry, root: URL, loader: OfflineDocumentLoader) -> String? {
        let processor = JSONLDProcessor(loader: loader, safeMode: false)
        let base = entry.base ?? prefix + entry.input
        let quads: [RDFQuad]
        do {
            let document = try loader.load(prefix + entry.input)
            let expandContext = try entry.expandContext.map { path throws -> JSONValue in
                let context = try loader.load(prefix + path)
                return context["@context"] ?? context
            }
            quads = try processor.toRDF(document, base: base, expandContext: expandContext)
        } catch let error as LinkedDataError {
            switch entry.kind {
            case .negative:
                let code = entry.errorCode ?? ""
                return error.message.hasPrefix(code) ? nil : "expected \(code), got \(error.message)"
            case .evaluation, .syntax:
                return "failed: \(error.message)"
            }
        } catch {
            return "unexpected error \(error)"
        }
        switch entry.kind {
        case .negative: return "expected \(entry.errorCode ?? "an error"), got \(quads.count) quads"
        case .syntax: return nil
        case .evaluation:
            do {
                let expected = try String(contentsOf: root.appendingPathComponent(entry.expect ?? ""), encoding: .utf8)
                let want = try RDFCanonicalizer().canonicalize(try NQuads.parse(expected), distinct: false).nquads
                let got = try RDFCanonicalizer().canonicalize(quads, distinct: false).nquads
                return want == got ? nil : "dataset differs:\n--- expected\n\(want)--- got\n\(got)"
            } catch {
                return "comparison failed: \(error)"
            }
        }
    }

    @Test("every normative JSON-LD 1.1 toRdf test passes; skipped ones are listed with their reason")
    func suite() throws {
        let root = try TestEnvironment.reference("w3c/json-ld-api/tests")
        let entries = try Self.entries(root: root)
        #expect(entries.count == 467, "the manifest's entries")
        let loader = try Self.loader(root: root)
        var passed = 0
        var skipped: [String: [String]] = [:]
        for entry in entries {
            if let reason = entry.skip {
                skipped[reason, default: []].append(entry.id)
                continue
            }
            if let failure = Self.run(entry, root: root, loader: loader) {
                Issue.record("toRdf \(entry.id) \(entry.name): \(failure)")
            } else {
                passed += 1
            }
        }
        let reasons = skipped.keys.sorted().map { "\($0): \(skipped[$0]!.joined(separator: " "))" }.joined(separator: "; ")
        let run = entries.count - skipped.values.map(\.count).reduce(0, +)
        print("toRdf: \(passed) passed, \(entries.count - run) skipped (\(reasons))")
        #expect(passed == run)
    }
}
