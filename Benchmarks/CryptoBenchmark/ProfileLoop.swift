// `nachweis-bench profile-verify N`: N eddsa-rdfc-2022 verifications of the 1EdTech vector, for profilers
// (valgrind --tool=callgrind) — no timing, no peers.
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
