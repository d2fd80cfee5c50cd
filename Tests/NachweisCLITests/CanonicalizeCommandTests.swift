import Foundation
import NachweisJSON
import NachweisTestSupport
import Testing

@Suite("nachweis canonicalize")
struct CanonicalizeCommandTests {
    /// An operator's context folder: one context of their own and the `contexts.json` map naming it.
    static func contextFolder() throws -> URL {
        let dir = try TestEnvironment.temporaryDirectory()
        try Data(#"{"@context": {"@protected": true, "skill": "https://example.org/vocab#skill"}}"#.utf8)
            .write(to: dir.appendingPathComponent("skills.jsonld"))
        try Data(#"{"https://example.org/skills/v1": "skills.jsonld"}"#.utf8).write(to: dir.appendingPathComponent("contexts.json"))
        return dir
    }

    @Test("a JSON-LD credential and an N-Quads dataset canonicalize to the W3C expected output")
    func canonicalForms() throws {
        let document = try runProcess(CLITests.executable, ["canonicalize", try TestEnvironment.reference("w3c/vc-di-eddsa/TestVectors/unsigned.json").path])
        #expect(document.status == 0, "\(document.standardError)")
        #expect(document.output == (try String(contentsOf: try TestEnvironment.reference("w3c/vc-di-eddsa/TestVectors/eddsa-rdfc-2022/canonDocDataInt.txt"), encoding: .utf8)))
        // Without a map: the shipped contexts (OB 3.0.3, VC 2.0, Data Integrity) alone.
        let vector = "openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/"
        let badge = try runProcess(CLITests.executable, ["canonicalize", try TestEnvironment.reference(vector + "unsigned-credential.json").path])
        #expect(badge.status == 0, "\(badge.standardError)")
        #expect(badge.output == (try String(contentsOf: try TestEnvironment.reference(vector + "document-canon.txt"), encoding: .utf8)))
        // An operator's own context, from their folder (--contexts) or the environment.
        let folder = try Self.contextFolder()
        let custom = folder.appendingPathComponent("doc.json")
        try Data(#"{"@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/skills/v1"], "id": "urn:x:1", "skill": "welding"}"#.utf8)
            .write(to: custom)
        let expected = "<urn:x:1> <https://example.org/vocab#skill> \"welding\" .\n"
        #expect(try runProcess(CLITests.executable, ["canonicalize", "--contexts", folder.path, custom.path]).output == expected)
        #expect(try runProcess(CLITests.executable, ["canonicalize", custom.path], environment: ["NACHWEIS_CONTEXTS": folder.path]).output == expected)
        let dataset = try runProcess(CLITests.executable, ["canonicalize", "--hash", "sha384",
                                                           try TestEnvironment.reference("w3c/rdf-canon/tests/rdfc10/test075-in.nq").path])
        #expect(dataset.output == (try String(contentsOf: try TestEnvironment.reference("w3c/rdf-canon/tests/rdfc10/test075-rdfc10.nq"), encoding: .utf8)))
    }

    @Test("a poison graph exits 1 with the work bound named; unusable input exits 2")
    func failures() throws {
        let poison = try runProcess(CLITests.executable, ["canonicalize", try TestEnvironment.reference("w3c/rdf-canon/tests/rdfc10/test074-in.nq").path])
        #expect(poison.status == 1)
        #expect(poison.standardError.contains("work bound"))
        let dir = try TestEnvironment.temporaryDirectory()
        try Data("<a> <b> .".utf8).write(to: dir.appendingPathComponent("bad.nq"))
        #expect(try runProcess(CLITests.executable, ["canonicalize", "bad.nq"], directory: dir).status == 2)
        try Data(#"{"@context":"https://unknown.example/c","name":"x"}"#.utf8).write(to: dir.appendingPathComponent("doc.json"))
        let unknown = try runProcess(CLITests.executable, ["canonicalize", "--contexts", try Self.contextFolder().path, "doc.json"], directory: dir)
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("not available offline"))
        let unmapped = try runProcess(CLITests.executable, ["canonicalize", "doc.json"], directory: dir)
        #expect(unmapped.status == 1)
        #expect(unmapped.standardError.contains("not available offline"))
        #expect(try runProcess(CLITests.executable, ["canonicalize", "--contexts", "missing-map.json", "doc.json"], directory: dir).status == 2)
    }
}
