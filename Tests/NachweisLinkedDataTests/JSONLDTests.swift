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

    @Test("1EdTech OB 3.0 vector: the unsigned credential's canonical form, byte for byte")
    func openBadgesVector() throws {
        let base = "openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/"
        #expect(try canonical(base + "unsigned-credential.json") == (try ReferenceContexts.read(base + "document-canon.txt")))
    }
}
