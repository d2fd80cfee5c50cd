import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData
import NachweisTestSupport
import Testing

/// The W3C RDF Dataset Canonicalization test suite (../shared/reference/w3c/rdf-canon), driven by its manifest:
/// every evaluation test, every blank-node-map test, and the negative poison-graph test.
@Suite("W3C rdf-canon test suite")
struct RDFCanonTestSuite {
    struct Entry: Sendable, CustomTestStringConvertible {
        let id: String, type: String, name: String, action: String, result: String?, hash: DigestAlgorithm
        var testDescription: String { "\(id) \(name)" }
    }

    static let root = TestEnvironment.referenceRoot?.appendingPathComponent("w3c/rdf-canon/tests")

    static let entries: [Entry] = {
        guard let root, let data = FileManager.default.contents(atPath: root.appendingPathComponent("manifest.jsonld").path),
              let manifest = try? JSONParser().parse(Array(data)) else { return [] }
        return (manifest["entries"]?.arrayValue ?? []).compactMap { entry in
            guard let id = entry["id"]?.stringValue, let type = entry["type"]?.stringValue, let action = entry["action"]?.stringValue else { return nil }
            return Entry(id: id, type: type, name: entry["name"]?.stringValue ?? "", action: action, result: entry["result"]?.stringValue,
                         hash: entry["hashAlgorithm"]?.stringValue == "SHA384" ? .sha384 : .sha256)
        }
    }()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: try TestEnvironment.reference("w3c/rdf-canon/tests/" + path), encoding: .utf8)
    }

    @Test("the manifest has 64 evaluation, 21 map and 1 negative test")
    func counts() throws {
        _ = try TestEnvironment.reference("w3c/rdf-canon/tests/manifest.jsonld")
        #expect(Self.entries.filter { $0.type == "rdfc:RDFC10EvalTest" }.count == 64)
        #expect(Self.entries.filter { $0.type == "rdfc:RDFC10MapTest" }.count == 21)
        #expect(Self.entries.filter { $0.type == "rdfc:RDFC10NegativeEvalTest" }.count == 1)
    }

    @Test("evaluation tests: canonical N-Quads byte for byte", arguments: entries.filter { $0.type == "rdfc:RDFC10EvalTest" })
    func evaluation(_ entry: Entry) throws {
        let input = try NQuads.parse(try Self.read(entry.action))
        let result = try RDFCanonicalizer(hash: entry.hash).canonicalize(input)
        #expect(result.nquads == (try Self.read(try #require(entry.result))))
        #expect(NQuads.serialize(result.quads) == result.nquads, "the canonical quads are the canonical text, in order")
    }

    @Test("map tests: the issued canonical identifiers", arguments: entries.filter { $0.type == "rdfc:RDFC10MapTest" })
    func map(_ entry: Entry) throws {
        let input = try NQuads.parse(try Self.read(entry.action))
        let result = try RDFCanonicalizer(hash: entry.hash).canonicalize(input)
        let expected = try JSONParser().parse(try Self.read(try #require(entry.result)))
        let expectedMap = Dictionary(uniqueKeysWithValues: (expected.objectValue ?? JSONObject()).map { ($0.key, $0.value.stringValue ?? "") })
        #expect(result.issuedIdentifiers == expectedMap)
    }

    @Test("the poison clique stops at the work bound with a typed error", arguments: entries.filter { $0.type == "rdfc:RDFC10NegativeEvalTest" })
    func poison(_ entry: Entry) throws {
        let input = try NQuads.parse(try Self.read(entry.action))
        let error = #expect(throws: LinkedDataError.self) { try RDFCanonicalizer(hash: entry.hash).canonicalize(input) }
        #expect(error?.code == .workLimitExceeded)
    }
}
