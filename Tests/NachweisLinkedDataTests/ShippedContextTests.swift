import Foundation
import NachweisJSON
import NachweisLinkedData
import NachweisTestSupport
import Testing

/// The contexts in Schemas/ are the project's own files: these tests prove each equivalent to its published original
/// (../shared/reference), term by term and on every reference document that uses it.
@Suite("Shipped JSON-LD contexts")
struct ShippedContextTests {
    static let urls = ShippedContexts.entries.keys.sorted()

    @Test("the pinned digests match the shipped files (the start-up check passes)")
    func integrity() throws {
        _ = try ShippedContexts.loader()
    }

    @Test("every shipped context defines the same terms as its original", arguments: urls)
    func sameTerms(url: String) throws {
        let ours = try JSONLDProcessor(loader: try ShippedContexts.loader()).describeContext(url)
        let theirs = try JSONLDProcessor(loader: try ReferenceContexts.loader()).describeContext(url)
        let ourTerms = ours["terms"]?.objectValue, theirTerms = theirs["terms"]?.objectValue
        let names = Set(ourTerms?.keys ?? []).union(theirTerms?.keys ?? []).sorted()
        let differing = names.filter { ourTerms?[$0] != theirTerms?[$0] }
        #expect(differing.isEmpty, "\(url): \(differing.map { "\($0): ours \(ourTerms?[$0].map(\.compactText) ?? "-") theirs \(theirTerms?[$0].map(\.compactText) ?? "-")" })")
        #expect(ours == theirs, "\(url)")
        #expect((ours["terms"]?.objectValue?.count ?? 0) > 0 || url.hasSuffix("examples/v2"))
    }

    @Test("an operator's context directory adds contexts; other URLs are refused by name; shipped URLs cannot be replaced")
    func operatorContexts() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        try Data(#"{"@context": {"@protected": true, "skill": "https://example.org/vocab#skill"}}"#.utf8)
            .write(to: dir.appendingPathComponent("skills.jsonld"))
        try Data(#"{"https://example.org/skills/v1": "skills.jsonld"}"#.utf8).write(to: dir.appendingPathComponent("contexts.json"))
        let document = try JSONParser().parse(Array(#"""
            {"@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/skills/v1"],
             "type": "VerifiableCredential", "skill": "welding"}
            """#.utf8))
        let quads = try JSONLDProcessor(loader: try ShippedContexts.loader(adding: dir)).toRDF(document)
        #expect(quads.contains { $0.predicate == .iri("https://example.org/vocab#skill") && $0.object == .string("welding") })
        let refused = #expect(throws: LinkedDataError.self) { try JSONLDProcessor(loader: try ShippedContexts.loader()).toRDF(document) }
        #expect(refused?.code == .loadingDocumentFailed && refused?.message.contains("https://example.org/skills/v1") == true)
        try Data(#"{"https://www.w3.org/ns/credentials/v2": "skills.jsonld"}"#.utf8).write(to: dir.appendingPathComponent("contexts.json"))
        let replaced = #expect(throws: LinkedDataError.self) { try ShippedContexts.loader(adding: dir) }
        #expect(replaced?.message.contains("ships pinned") == true)
    }

    /// Shipped contexts where we have them, the reference copies for the rest.
    static func mixedLoader() throws -> OfflineDocumentLoader {
        var files: [String: URL] = [:]
        for (url, path) in ReferenceContexts.files { files[url] = try TestEnvironment.reference(path) }
        for (url, entry) in ShippedContexts.entries { files[url] = ShippedContexts.directory.appendingPathComponent(entry.file) }
        return OfflineDocumentLoader(files: files)
    }

    /// Every JSON document under the reference folders whose @context names a shipped context.
    static func documentsUsingShippedContexts() throws -> [(String, JSONValue)] {
        let root = try TestEnvironment.reference("")
        var found: [(String, JSONValue)] = []
        for folder in ["w3c/vc-di-eddsa", "openbadges/ob3/validator-samples", "openbadges/ob3/test-vectors", "openbadges/ob2/validator-samples",
                       "europass/elm-v3/samples", "europass/ebsi-edc-jsonschema/examples", "europass/mynextid", "europass/obv3"] {
            let dir = root.appendingPathComponent(folder)
            for name in try FileManager.default.subpathsOfDirectory(atPath: dir.path).sorted() {
                guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path),
                      let value = try? JSONParser().parse(Array(data)) else { continue }
                let document = value["payload"]?.stringValue.flatMap { try? JSONParser().parse($0) } ?? value
                let contexts = (document["@context"]?.arrayValue ?? document["@context"].map { [$0] } ?? []).compactMap(\.stringValue)
                guard contexts.contains(where: { ShippedContexts.entries[$0] != nil }),
                      contexts.allSatisfy({ ReferenceContexts.files[$0] != nil }) else { continue }
                found.append((folder + "/" + name, document))
            }
        }
        return found
    }

    @Test("every reference document using a shipped context gives the same RDF with ours as with the original")
    func sameRDF() throws {
        let documents = try Self.documentsUsingShippedContexts()
        #expect(documents.count >= 20)
        let ours = JSONLDProcessor(loader: try Self.mixedLoader(), safeMode: false)
        let theirs = JSONLDProcessor(loader: try ReferenceContexts.loader(), safeMode: false)
        var compared = 0
        for (name, document) in documents {
            let expected: String
            do { expected = try RDFCanonicalizer().canonicalize(try theirs.toRDF(document)).nquads } catch {
                // A document the original contexts refuse (an undefined term, say) is refused with ours as well.
                #expect(throws: LinkedDataError.self, "\(name)") { try ours.toRDF(document) }
                continue
            }
            let actual = try RDFCanonicalizer().canonicalize(try ours.toRDF(document)).nquads
            #expect(actual == expected, "\(name)")
            #expect(try ours.expand(document) == (try theirs.expand(document)), "\(name): expansion differs")
            compared += 1
        }
        #expect(compared >= 20)
    }
}
