import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData
import NachweisTestSupport
import Testing

/// eddsa-rdfc-2022 interop: Nachweis's proofs verify in openbadgeslib and in a pyld-based check; openbadgeslib's
/// proofs verify in Nachweis; tampering fails everywhere.
@Suite("Data Integrity interop (openbadgeslib, pyld)")
struct DataIntegrityInteropTests {
    static func peer(_ tasks: [JSONValue]) throws -> [JSONValue] {
        var contexts = JSONObject()
        for (url, path) in ReferenceContexts.files { contexts[url] = .string(try TestEnvironment.reference(path).path) }
        let request: JSONValue = ["contexts": .object(contexts), "tasks": .array(tasks)]
        let result = try runProcess(try TestEnvironment.python(), [TestEnvironment.interopScript("ldp_peer.py")], input: Data(request.compactText.utf8))
        guard result.status == 0 else { throw LinkedDataError(.jsonLD, "ldp_peer.py failed: \(result.standardError)") }
        return try JSONParser().parse(Array(result.standardOutput))["results"]?.arrayValue ?? []
    }

    static func credential() throws -> JSONValue {
        try JSONParser().parse(Array(try ReferenceContexts.read("openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/unsigned-credential.json").utf8))
    }

    @Test("both directions, and tampering")
    func bothDirections() throws {
        let key = try PrivateKey.generate(.ed25519)
        let did = try DIDKey(publicKey: key.publicKey)
        let di = DataIntegrity(processor: JSONLDProcessor(loader: try ReferenceContexts.loader()))
        let signed = try di.sign(try Self.credential(), key: key, options: .init(verificationMethod: did.verificationMethod, created: "2026-11-21T10:00:00Z"))
        var tampered = signed
        tampered.set(JSONPointer("/credentialSubject/achievement/name"), to: "Another achievement")
        let publicPEM = JSONValue.string(try key.publicKey.pemRepresentation())
        let raw = JSONValue.string(try key.publicKey.ed25519Bytes().map { String(format: "%02x", $0) }.joined())
        let results = try Self.peer([
            ["op": "obl_verify", "document": signed, "public_key_pem": publicPEM],
            ["op": "pyld_verify", "document": signed, "public_key_raw_hex": raw],
            ["op": "obl_verify", "document": tampered, "public_key_pem": publicPEM],
            ["op": "pyld_verify", "document": tampered, "public_key_raw_hex": raw],
            ["op": "obl_sign", "document": try Self.credential(), "private_key_pem": .string(try key.pemRepresentation()),
             "verification_method": .string(did.verificationMethod), "created": "2026-11-21T11:00:00Z"],
        ])
        try #require(results.count == 5)
        #expect(results[0]["valid"] == true, "openbadgeslib: \(results[0])")
        #expect(results[1]["valid"] == true, "pyld: \(results[1])")
        #expect(results[2]["valid"] == false)
        #expect(results[3]["valid"] == false)
        let theirs = try #require(results[4]["document"], "\(results[4])")
        #expect(theirs["proof"]?["cryptosuite"] == "eddsa-rdfc-2022")
        #expect(di.verify(theirs).map(\.isValid) == [true], "\(di.verify(theirs).map { $0.error?.description ?? "ok" })")
        var theirsTampered = theirs
        theirsTampered.set(JSONPointer("/issuer/name"), to: "Someone else")
        #expect(di.verify(theirsTampered).map(\.isValid) == [false])
    }

    @Test("JSON-LD to RDF and RDFC-1.0 agree with pyld byte for byte on every OB 3.0 validator sample, test vector and Europass sample")
    func canonicalFormsAgreeWithPyld() throws {
        var documents: [(String, JSONValue)] = []
        let root = try TestEnvironment.reference("")
        for folder in ["openbadges/ob3/validator-samples", "openbadges/ob3/test-vectors", "europass/elm-v3/samples"] {
            let base = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let file as String in files where file.hasSuffix(".json") || file.hasSuffix(".jsonld") {
                guard let value = try? JSONParser().parse(Array(try Data(contentsOf: base.appendingPathComponent(file)))),
                      value["@context"] != nil else { continue }
                documents.append(("\(folder)/\(file)", value))
            }
        }
        // A node with many properties (past the node map's switch to an index) and repeated values, nested nodes too.
        var wide = JSONObject()
        wide["@context"] = ["@vocab": "http://example.org/vocab#"]
        wide["id"] = "http://example.org/wide"
        for i in 0..<40 { wide["p\(i)"] = i % 3 == 0 ? [.string("v\(i)"), .string("v\(i)"), ["q": .string("n\(i % 5)")]] : .string("v\(i % 7)") }
        wide["p0"] = ["v0", "v0", ["q": "n0"], ["q": "n0"]]
        documents.append(("generated wide node", .object(wide)))
        // The shapes where deserialization has to merge, drop or reverse (vocabulary inline, nothing to fetch).
        for (name, text) in Self.edgeCases {
            documents.append(("edge case: \(name)", try JSONParser().parse(Array(text.utf8))))
        }
        // One base IRI for both: undefined types are relative IRIs, resolved against it (the samples have some).
        let base = "https://nachweis.invalid/base/"
        let results = try Self.peer(documents.map { ["op": "pyld_normalize", "document": $0.1, "base": .string(base)] })
        try #require(results.count == documents.count)
        // Not in safe mode: pyld drops undefined terms, and so does the algorithm as specified.
        let processor = JSONLDProcessor(loader: try ReferenceContexts.loader(), safeMode: false)
        var compared = 0
        for ((name, document), result) in zip(documents, results) {
            guard let theirs = result["nquads"]?.stringValue else { continue }  // pyld could not (a context it lacks offline)
            let ours = try RDFCanonicalizer().canonicalize(try processor.toRDF(document, base: base), distinct: true).nquads
            let onlyOurs = Set(ours.split(separator: "\n")).subtracting(theirs.split(separator: "\n"))
            let onlyTheirs = Set(theirs.split(separator: "\n")).subtracting(ours.split(separator: "\n"))
            #expect(ours == theirs, "\(name): only Nachweis \(onlyOurs.sorted().prefix(4)), only pyld \(onlyTheirs.sorted().prefix(4))")
            compared += 1
        }
        #expect(compared >= 40, "compared \(compared) of \(documents.count)")
        #expect(results.suffix(Self.edgeCases.count + 1).allSatisfy { $0["nquads"]?.stringValue != nil }, "the generated documents are compared")
    }

    /// Documents that exercise JSON-LD to RDF where a straight walk differs from the node map: one node in two places,
    /// reverse properties, named graphs (with and without an id, and one named by a relative IRI, whose quads drop out),
    /// included blocks, lists (nested, under a dropped property), relative subjects and properties, values that are
    /// equal as RDF but not as JSON, repeated types, shared blank node labels, JSON literals, language strings.
    static let edgeCases: [(String, String)] = [
        ("one node in two places", #"""
        {"@context": {"@vocab": "http://example.org/v#", "knows": {"@type": "@id"}},
         "@graph": [{"@id": "http://example.org/a", "name": "A", "type": ["T", "T"], "knows": "http://example.org/b"},
                    {"@id": "http://example.org/b", "name": "B", "friend": {"@id": "http://example.org/a", "name": "A", "age": 3, "type": "T"}},
                    {"@id": "http://example.org/a", "knows": "http://example.org/b", "age": 3}]}
        """#),
        ("reverse properties", #"""
        {"@context": {"@vocab": "http://example.org/v#", "parentOf": {"@reverse": "http://example.org/v#childOf"}},
         "@id": "http://example.org/p", "parentOf": [{"@id": "http://example.org/c1", "name": "C1"}, {"name": "anonymous child"},
                                                    {"@id": "http://example.org/c1"}],
         "likes": {"@id": "http://example.org/c1", "likes": {"@id": "http://example.org/p"},
                   "@reverse": {"http://example.org/v#likes": {"@id": "http://example.org/p"}}}}
        """#),
        ("named graphs", #"""
        {"@context": {"@vocab": "http://example.org/v#"},
         "@id": "http://example.org/g1", "label": "graph one",
         "@graph": [{"@id": "http://example.org/x", "name": "X", "in": {"@graph": {"@id": "http://example.org/y", "name": "Y"}}},
                    {"@id": "relative-graph", "@graph": {"@id": "http://example.org/z", "name": "Z",
                                                         "nested": {"@id": "http://example.org/g2", "@graph": {"@id": "http://example.org/w", "name": "W"}}}}]}
        """#),
        ("included, lists, relative subjects and properties", #"""
        {"@context": {"@vocab": "http://example.org/v#", "@base": null, "items": {"@container": "@list"},
                      "rel": {"@id": "relative-property"}},
         "@id": "relative-subject", "name": "dropped", "child": {"@id": "http://example.org/kept", "name": "kept"},
         "@included": [{"@id": "http://example.org/inc", "items": ["a", {"@list": ["b", "c"]}, {"@id": "http://example.org/li", "name": "in a list"}, []]}],
         "rel": {"@list": [{"@id": "http://example.org/under-dropped", "name": "still a node"}]}}
        """#),
        ("values equal as RDF, shared blank labels, JSON and language literals", #"""
        {"@context": {"@vocab": "http://example.org/v#", "data": {"@type": "@json"}, "ref": {"@type": "@id"}},
         "@id": "_:shared", "n": [1, 1.0, {"@value": 1}, 2.5, 2.50, true, "1"],
         "label": [{"@value": "Hallo", "@language": "de"}, {"@value": "Hallo", "@language": "de"}, "Hallo"],
         "data": {"b": [1, 2.0], "a": null}, "ref": ["_:shared", "_:other"],
         "other": {"@id": "_:other", "ref": "_:shared", "type": "_:shared"}}
        """#),
    ]
}
