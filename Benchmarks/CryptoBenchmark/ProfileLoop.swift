// `nachweis-bench profile-verify --seconds N`: N eddsa-rdfc-2022 verifications of the 1EdTech vector, for profilers
// (perf, valgrind --tool=callgrind) — no timing, no peers. `profile-parts`: time per stage.
import Foundation
import NachweisJSON
import NachweisLinkedData

func runProfileLoop(_ options: Options) throws {
    let reference = URL(fileURLWithPath: options.reference)
    let loader = try ShippedContexts.loader()
    let signed = try JSONParser().parse(Array(FileManager.default.contents(atPath:
        reference.appendingPathComponent("openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/signed-credential.json").path)!))
    let di = DataIntegrity(processor: JSONLDProcessor(loader: loader), resolver: CachingResolver(wrapping: BenchResolver()))
    for _ in 0..<Int(options.seconds) { precondition(di.verify(signed)[0].isValid) }
}

/// `nachweis-bench profile-parts`: microseconds per stage of one verification (document and proof configuration
/// to RDF, their canonicalization, both together, the whole verification), to see where a verification goes.
func runProfileParts(_ options: Options) throws {
    let reference = URL(fileURLWithPath: options.reference)
    let loader = try ShippedContexts.loader()
    let signed = try JSONParser().parse(Array(FileManager.default.contents(atPath:
        reference.appendingPathComponent("openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/signed-credential.json").path)!))
    var document = signed.objectValue!
    let proof = document["proof"]!.objectValue!
    document["proof"] = nil
    var config = proof
    config["proofValue"] = nil
    config["@context"] = document["@context"]
    let processor = JSONLDProcessor(loader: loader)
    let di = DataIntegrity(processor: processor, resolver: CachingResolver(wrapping: BenchResolver()))
    let n = 20000
    func time(_ name: String, _ body: () throws -> Void) rethrows {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<n { try body() }
        let us = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(n) / 1000
        print(name, String(format: "%.1f µs", us))
    }
    let docQuads = try processor.toRDF(.object(document))
    let cfgQuads = try processor.toRDF(.object(config))
    try time("expand doc") { _ = try processor.expand(.object(document)) }
    try time("toRDF doc") { _ = try processor.toRDF(.object(document)) }
    try time("canon doc quads") { _ = try RDFCanonicalizer().canonicalize(docQuads, distinct: true) }
    try time("toRDF cfg") { _ = try processor.toRDF(.object(config)) }
    try time("canon cfg quads") { _ = try RDFCanonicalizer().canonicalize(cfgQuads, distinct: true) }
    try time("hashData") { _ = try di.hashData(document: .object(document), proofConfiguration: proof, suite: .eddsaRdfc2022) }
    time("verify") { precondition(di.verify(signed)[0].isValid) }
}
