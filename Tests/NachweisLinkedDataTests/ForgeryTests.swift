import Foundation
import NachweisCrypto
import NachweisJSON
@testable import NachweisLinkedData
import NachweisTestSupport
import Testing

/// Forgeries through linked data: signed statements moved into an IRI, members that make no statement. Each of these
/// verified as valid before IRIs were checked and safe mode covered every member.
@Suite("Forgery through linked data")
struct ForgeryTests {
    static let v = DataIntegrityTests.v
    static let forgedIRIError: Set<ErrorCode<LinkedDataDomain>> = [.unsignedMember]

    @Test("the W3C vector with validFrom moved into the issuer IRI does not verify, and says where")
    func validFromInIssuer() throws {
        var forged = try DataIntegrityTests.json(Self.v + "eddsa-rdfc-2022/signedDataInt.json")
        let di = try DataIntegrityTests.integrity()
        #expect(di.verify(forged).map(\.isValid) == [true])
        forged.set(JSONPointer("/validFrom"), to: nil)
        forged.set(JSONPointer("/issuer"), to: .string("https://vc.example/issuers/5678> .\n<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> "
            + "<https://www.w3.org/2018/credentials#validFrom> \"2023-01-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime"))
        let result = try #require(di.verify(forged).first)
        #expect(!result.isValid)
        #expect(result.error?.code == .unsignedMember)
        #expect(result.error?.pointer == JSONPointer("/issuer"))
        #expect(result.error?.message.contains("(at /issuer)") == true, "\(result.error?.message ?? "")")
        // Without safe mode the IRI is dropped (JSON-LD 1.1 §8.1) and the statement it carried is gone: the signature fails.
        let lenient = DataIntegrity(processor: JSONLDProcessor(loader: try ReferenceContexts.loader(), safeMode: false),
                                    resolver: DIDKeyResolver(next: FragmentMultikeyResolver()))
        #expect(lenient.verify(forged).first?.error?.code == .proofInvalid)
    }

    @Test("the N-Quads writer never lets an IRI or a literal end its term or its line")
    func writerEscapes() throws {
        let hostile = "urn:a> .\n<urn:b> <urn:c> \"x\" .\r\t{}|^`\\ \u{0}"
        let line = NQuads.line(RDFQuad(.iri(hostile), .iri("urn:p"), .literal(hostile, datatype: hostile, language: nil), .iri(hostile)))
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix(" .\n"))
        #expect(!line.dropLast().contains("\r"))
        // Every IRI is one term: what is between < and > has no other angle bracket.
        let parsed = try NQuads.parse(line)
        #expect(parsed.count == 1)
        #expect(line.split(separator: " ").first == "<urn:a\\u003E\\u0020.\\u000A\\u003Curn:b\\u003E\\u0020\\u003Curn:c\\u003E\\u0020\\u0022x\\u0022\\u0020.\\u000D\\u0009\\u007B\\u007D\\u007C\\u005E\\u0060\\u005C\\u0020\\u0000>")
        let language = NQuads.line(RDFQuad(.iri("urn:s"), .iri("urn:p"), .literal("x", datatype: RDFTerm.rdfLangString, language: "en> .\n<urn:x")))
        #expect(language == "<urn:s> <urn:p> \"x\"@enurnx .\n")
    }

    @Test("terms match by exact code points: canonically equivalent spellings are different terms, JSON names and values")
    func exactCodePoints() throws {
        let composed = "\u{E9}", decomposed = "e\u{301}"
        #expect(composed == decomposed, "Swift's String == takes them as one")
        #expect(JSONValue.string(composed) != JSONValue.string(decomposed))
        #expect(Set([JSONValue.string(composed), JSONValue.string(decomposed)]).count == 2)
        let document = try JSONParser().parse(Array(#"""
            {"@context": {"\#(composed)": "http://example.org/composed", "\#(decomposed)": "http://example.org/decomposed"},
             "@id": "http://example.org/s", "\#(decomposed)": "d", "\#(composed)": "c"}
            """#.utf8))
        #expect(document.objectValue?.count == 4, "two members, not one")
        let quads = try JSONLDProcessor(loader: try ReferenceContexts.loader()).toRDF(document)
        let lines = Set(quads.map(NQuads.line))
        #expect(lines == ["<http://example.org/s> <http://example.org/composed> \"c\" .\n",
                          "<http://example.org/s> <http://example.org/decomposed> \"d\" .\n"])
        // A context that defines only one spelling leaves the other undefined (safe mode refuses it).
        let other = try JSONParser().parse(Array(#"{"@context": {"\#(composed)": "http://example.org/composed"}, "@id": "http://example.org/s", "\#(decomposed)": "d"}"#.utf8))
        let error = #expect(throws: LinkedDataError.self) { try JSONLDProcessor(loader: try ReferenceContexts.loader()).toRDF(other) }
        #expect(error?.code == .undefinedTerm)
    }

    // MARK: Generated over every IRI-valued term of the VC 2.0 and OB 3.0 contexts

    /// An IRI-valued term and where it can stand: `steps` lead from the credential subject to the node that takes it
    /// (a type whose scoped context defines it, or a property whose scoped context does); empty for the credential.
    struct Placement: Sendable, CustomTestStringConvertible {
        enum Step: Sendable { case type(String), property(String) }
        let term: String
        let iri: String
        let steps: [Step]
        let context: [String]
        var testDescription: String {
            let path = steps.map { step -> String in
                switch step {
                case .type(let t): return "(\(t))"
                case .property(let p): return p
                }
            }
            return ([context.last == Self.ob3 ? "OB 3.0" : "VC 2.0"] + path + [term]).joined(separator: " › ")
        }
        static let vc2 = "https://www.w3.org/ns/credentials/v2"
        static let ob3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    }

    static let placements: [Placement] = {
        guard let loader = try? ReferenceContexts.loader() else { return [] }
        let processor = JSONLDProcessor(loader: loader)
        var found: [Placement] = []
        var seen = Set<String>()
        for contexts in [[Placement.vc2], [Placement.vc2, Placement.ob3]] {
            guard let active = try? processor.processContext(ActiveContext(base: nil), .array(contexts.map(JSONValue.string)), base: nil) else {
                continue
            }
            // Breadth first, so that each term is placed where it is reached first (a type's scoped context repeats
            // every term around it); a type step is not followed by another (types name one node).
            var level: [(ActiveContext, [Placement.Step])] = [(active, [])]
            for _ in 0..<3 {
                var next: [(ActiveContext, [Placement.Step])] = []
                for (active, steps) in level {
                    for name in active.terms.keys.sorted() {
                        guard let definition = active.terms[name], let iri = definition.iri, !Keywords.isKeyword(iri), !definition.reverse else { continue }
                        if let mapping = definition.typeMapping, mapping == "@id" || mapping == "@vocab",
                           definition.container.isDisjoint(with: ["@list", "@graph", "@language", "@index", "@id", "@type"]),
                           seen.insert(name + " " + iri).inserted {
                            found.append(Placement(term: name, iri: iri, steps: steps, context: contexts))
                        }
                        guard let scoped = definition.context else { continue }
                        let isType = definition.typeMapping == nil && name.first?.isUppercase == true
                        if isType, case .type? = steps.last { continue }
                        guard let inner = try? processor.processContext(active, scoped: scoped, base: definition.baseURL, overrideProtected: !isType,
                                                                        propagate: !isType) else { continue }
                        next.append((inner, steps + [isType ? .type(name) : .property(name)]))
                    }
                }
                level = next
            }
        }
        return found
    }()

    /// A credential with `term` set to the values at its placement, every node with an id; the id of the node that
    /// holds the term.
    static func credential(_ placement: Placement, _ values: JSONValue) -> (JSONValue, String) {
        var root: JSONObject = [
            "@context": .array(placement.context.map(JSONValue.string)), "id": "urn:example:credential",
            "type": placement.context.count > 1 ? ["VerifiableCredential", "OpenBadgeCredential"] : ["VerifiableCredential"],
            "issuer": "did:example:issuer", "validFrom": "2026-01-01T00:00:00Z",
        ]
        guard !placement.steps.isEmpty else {
            root[placement.term] = values
            if root["credentialSubject"] == nil { root["credentialSubject"] = ["id": "urn:example:subject"] }
            return (.object(root), "urn:example:credential")
        }
        // Built inside out: the innermost node holds the term.
        var nodes: [JSONObject] = [["id": "urn:example:n0"]]
        for step in placement.steps {
            switch step {
            case .type(let type): nodes[nodes.count - 1]["type"] = .string(type)
            case .property: nodes.append(["id": .string("urn:example:n\(nodes.count)")])
            }
        }
        nodes[nodes.count - 1][placement.term] = values
        let holder = nodes[nodes.count - 1]["id"]!.stringValue!
        var properties = placement.steps.compactMap { step -> String? in if case .property(let p) = step { return p } else { return nil } }
        var node = nodes.removeLast()
        while let outer = nodes.popLast() {
            var parent = outer
            parent[properties.removeLast()] = .object(node)
            node = parent
        }
        root["credentialSubject"] = .object(node)
        return (.object(root), holder)
    }

    static func pointer(to placement: Placement) -> [String] {
        guard !placement.steps.isEmpty else { return [placement.term] }
        return ["credentialSubject"] + placement.steps.compactMap { step -> String? in if case .property(let p) = step { return p } else { return nil } } + [placement.term]
    }

    @Test("the generator finds the IRI-valued terms of both contexts")
    func generated() throws {
        _ = try ReferenceContexts.loader()
        let names = Set(Self.placements.map(\.term))
        #expect(Self.placements.count >= 20, "\(Self.placements.map(\.testDescription))")
        #expect(names.isSuperset(of: ["issuer", "credentialSubject", "credentialStatus", "credentialSchema", "evidence", "relatedResource", "criteria"]),
                "\(names.sorted())")
    }

    @Test("a signed statement moved into an IRI-valued member never verifies", arguments: placements)
    func movedStatement(_ placement: Placement) throws {
        let di = try DataIntegrityTests.integrity()
        let key = try DataIntegrityTests.w3cKey()
        let method = try DIDKey(publicKey: key.publicKey).verificationMethod
        let (unsigned, holder) = Self.credential(placement, ["urn:example:a", "urn:example:b"])
        let signed = try di.sign(unsigned, key: key, options: .init(verificationMethod: method, created: "2026-01-01T00:00:00Z"))
        #expect(di.verify(signed).map(\.isValid) == [true], "\(di.verify(signed).first?.error?.description ?? "")")
        // The second value's statement, spelled into the first value: one line to a naive writer, the same canonical bytes.
        let smuggled = "urn:example:a> .\n<\(holder)> <\(placement.iri)> <urn:example:b"
        var forged = signed
        forged.set(JSONPointer(tokens: Self.pointer(to: placement)), to: .string(smuggled))
        let result = try #require(di.verify(forged).first)
        #expect(!result.isValid)
        #expect(result.error?.code == .unsignedMember, "\(result.error?.description ?? "valid")")
        #expect(result.error?.pointer == JSONPointer(tokens: Self.pointer(to: placement)))
    }

    @Test("a relative or empty reference added to a signed credential is refused, not dropped", arguments: placements)
    func relativeReference(_ placement: Placement) throws {
        let di = try DataIntegrityTests.integrity()
        let key = try DataIntegrityTests.w3cKey()
        let method = try DIDKey(publicKey: key.publicKey).verificationMethod
        let (unsigned, _) = Self.credential(placement, ["urn:example:a"])
        let signed = try di.sign(unsigned, key: key, options: .init(verificationMethod: method, created: "2026-01-01T00:00:00Z"))
        for reference in ["../x", "schema.json", ""] {
            var forged = signed
            forged.set(JSONPointer(tokens: Self.pointer(to: placement)), to: ["urn:example:a", .string(reference)])
            let result = try #require(di.verify(forged).first)
            #expect(result.error?.code == .unsignedMember, "\(reference): \(result.error?.description ?? "valid")")
            #expect(result.error?.pointer == JSONPointer(tokens: Self.pointer(to: placement) + ["1"]))
            // Issuing refuses it too.
            var document = forged
            document.set(JSONPointer("/proof"), to: nil)
            #expect(throws: LinkedDataError.self) { try di.sign(document, key: key, options: .init(verificationMethod: method)) }
        }
    }
}
