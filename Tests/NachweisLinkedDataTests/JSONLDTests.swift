import Foundation
import NachweisJSON
import NachweisLinkedData
import NachweisTestSupport
import Testing

@Suite("JSON-LD to RDF")
struct JSONLDTests {
    static let vectors = "w3c/vc-di-eddsa/TestVectors/"

    func canonical(_ path: String) throws -> String {
        let document = try JSONParser().parse(Array(try ReferenceContexts.read(path).utf8))
        let quads = try JSONLDProcessor(loader: try ReferenceContexts.loader()).toRDF(document)
        return try RDFCanonicalizer().canonicalize(quads).nquads
    }

    @Test("vc-di-eddsa: the unsigned credential's canonical form, byte for byte")
    func unsignedDocument() throws {
        #expect(try canonical(Self.vectors + "unsigned.json") == (try ReferenceContexts.read(Self.vectors + "eddsa-rdfc-2022/canonDocDataInt.txt")))
    }

    @Test("vc-di-eddsa: the proof configuration's canonical form, byte for byte")
    func proofConfiguration() throws {
        #expect(try canonical(Self.vectors + "eddsa-rdfc-2022/proofConfigDataInt.json")
            == (try ReferenceContexts.read(Self.vectors + "eddsa-rdfc-2022/proofCanonDataInt.txt")))
    }

    @Test("a dataset is a set: JSON values that make one literal, a node met twice, a reference repeated, rdf:type twice — each quad once")
    func distinctQuads() throws {
        let document = try JSONParser().parse(Array(#"""
            {"@context": {"@vocab": "http://example.org/v#", "ref": {"@type": "@id"}},
             "@graph": [{"@id": "http://example.org/a", "n": [1, 1.0, {"@value": "1", "@type": "http://www.w3.org/2001/XMLSchema#integer"}],
                         "ref": ["http://example.org/b", "http://example.org/b"], "type": ["T", "T"]},
                        {"@id": "http://example.org/a", "n": 1, "ref": "http://example.org/b", "type": "T"},
                        {"@id": "http://example.org/c", "many": [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3]},
                        {"@id": "http://example.org/d", "@type": "http://example.org/T",
                         "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": {"@id": "http://example.org/T"}}]}
            """#.utf8))
        let quads = try JSONLDProcessor(loader: try ReferenceContexts.loader()).toRDF(document)
        #expect(quads.count == Set(quads).count, "\(quads)")
        let lines = try RDFCanonicalizer().canonicalize(quads, distinct: true).nquads.split(separator: "\n")
        #expect(lines == [
            #"<http://example.org/a> <http://example.org/v#n> "1"^^<http://www.w3.org/2001/XMLSchema#integer> ."#,
            #"<http://example.org/a> <http://example.org/v#ref> <http://example.org/b> ."#,
            #"<http://example.org/a> <http://example.org/v#type> "T" ."#,
        ] + (1...9).map { #"<http://example.org/c> <http://example.org/v#many> "\#($0)"^^<http://www.w3.org/2001/XMLSchema#integer> ."# } + [
            "<http://example.org/d> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/T> .",
        ])
    }

    @Test("a dataset is a set when many nodes are met twice (past the short list of subjects to check)")
    func distinctManyRepeats() throws {
        let nodes = (0..<12).map { #"{"@id": "http://example.org/n\#($0)", "name": "N\#($0)"}"# }
        let document = try JSONParser().parse(Array(#"{"@context": {"@vocab": "http://example.org/v#"}, "@graph": [\#((nodes + nodes).joined(separator: ", "))]}"#.utf8))
        let quads = try JSONLDProcessor(loader: try ReferenceContexts.loader()).toRDF(document)
        #expect(quads.count == 12 && Set(quads).count == 12, "\(quads.count)")
    }

    @Test("1EdTech OB 3.0 vector: the unsigned credential's canonical form, byte for byte")
    func openBadgesVector() throws {
        let base = "openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/"
        #expect(try canonical(base + "unsigned-credential.json") == (try ReferenceContexts.read(base + "document-canon.txt")))
    }
}

@Suite("Offline document loader")
struct DocumentLoaderTests {
    @Test("pinned digests are checked; a changed file is refused by name")
    func integrity() throws {
        // Digests published in ../shared/reference/w3c/README.md.
        let v2 = try TestEnvironment.reference("w3c/contexts/credentials-v2.jsonld")
        let pinned = ["https://www.w3.org/ns/credentials/v2": "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"]
        try OfflineDocumentLoader(files: ["https://www.w3.org/ns/credentials/v2": v2], digests: pinned).checkIntegrity()
        let dir = try TestEnvironment.temporaryDirectory()
        let changed = dir.appendingPathComponent("v2.jsonld")
        var bytes = Array(try Data(contentsOf: v2))
        bytes.append(0x0A)
        try Data(bytes).write(to: changed)
        let error = #expect(throws: LinkedDataError.self) {
            try OfflineDocumentLoader(files: ["https://www.w3.org/ns/credentials/v2": changed], digests: pinned).checkIntegrity()
        }
        #expect(error?.message.contains("does not match its pinned SHA-256") == true)
    }

    @Test("only listed URLs load; fragments are ignored")
    func offlineOnly() throws {
        let loader = try ReferenceContexts.loader()
        _ = try loader.load("https://www.w3.org/ns/credentials/v2#fragment")
        #expect((#expect(throws: LinkedDataError.self) { try loader.load("https://example.org/context") })?.code == .loadingDocumentFailed)
    }
}

@Suite("JSON-LD context processing")
struct ContextProcessingTests {
    static func expand(_ text: String) throws -> [JSONValue] {
        try JSONLDProcessor(loader: OfflineDocumentLoader(files: [:])).expand(try JSONParser().parse(Array(text.utf8)))
    }

    @Test("a term defined on demand by another term's @id keeps the context's @protected flag, whatever the order")
    func onDemandTermsStayProtected() throws {
        // OB 3.0's "AchievementCredential": {"@id": "OpenBadgeCredential"} depends on a term listed before or after it.
        for terms in [#""A": {"@id": "B"}, "B": {"@id": "http://example.com/B"}"#, #""B": {"@id": "http://example.com/B"}, "A": {"@id": "B"}"#] {
            let document = #"{"@context": [{"@protected": true, \#(terms)}, {"B": "http://example.com/other"}], "@type": "A"}"#
            let error = #expect(throws: LinkedDataError.self, "\(terms)") { try Self.expand(document) }
            #expect(error?.code == .jsonLD && error?.message.hasPrefix("protected term redefinition") == true)
        }
        let allowed = try Self.expand(#"{"@context": [{"A": {"@id": "B"}, "B": {"@id": "http://example.com/B"}}, {"B": "http://example.com/other"}], "@type": "A"}"#)
        #expect(allowed.first?["@type"] == .array([.string("http://example.com/B")]))
    }
}
