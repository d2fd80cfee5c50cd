// `nachweis-bench linkeddata`: RDFC-1.0 canonicalizations per second of the 1EdTech OB 3.0 sample credential next to
// pyld, and full eddsa-rdfc-2022 verifications per second next to openbadgeslib and `openssl speed ed25519`
// verify, in the same run.
import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData

func runLinkedDataBenchmark(_ options: Options) throws {
    let reference = URL(fileURLWithPath: options.reference)
    let vector = reference.appendingPathComponent("openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022")
    // Nachweis reads its shipped contexts (the production path); pyld gets the reference copies, proven equivalent.
    let loader = try ShippedContexts.loader()
    guard let unsignedBytes = FileManager.default.contents(atPath: vector.appendingPathComponent("unsigned-credential.json").path),
          let signedBytes = FileManager.default.contents(atPath: vector.appendingPathComponent("signed-credential.json").path) else {
        print("reference data not found at \(reference.path) (use --reference DIR)")
        exit(2)
    }
    let unsigned = try JSONParser().parse(Array(unsignedBytes))
    let signed = try JSONParser().parse(Array(signedBytes))
    let processor = JSONLDProcessor(loader: loader)
    let di = DataIntegrity(processor: processor, resolver: CachingResolver(wrapping: BenchResolver()))
    precondition(di.verify(signed).map(\.isValid) == [true])

    print("nachweis-bench linkeddata · \(ProcessInfo.processInfo.activeProcessorCount) cores · single thread · best of 3 rounds (Nachweis), of 2 runs (openssl speed)")
    let opensslBefore = opensslSpeed(["ed25519"], seconds: options.seconds)["ed25519"]?.verify ?? 0
    print("document: 1EdTech OB 3.0 eddsa-rdfc-2022 test vector (\(unsignedBytes.count) bytes unsigned)")
    var canonicalizations = 0.0, verifications = 0.0
    for _ in 0..<3 {
        canonicalizations = max(canonicalizations, try rate(seconds: options.seconds) {
            _ = try RDFCanonicalizer().canonicalize(try processor.toRDF(unsigned))
        })
        verifications = max(verifications, rate(seconds: options.seconds) { precondition(di.verify(signed)[0].isValid) })
    }

    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("python/linkeddata_bench.py").path
    var pythonFigures: [String: Double] = [:]
    let process = Process()
    process.executableURL = URL(fileURLWithPath: options.python)
    process.arguments = [script, reference.path, String(options.seconds * 3)]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    for line in output.split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count >= 2, let value = Double(parts[1]) { pythonFigures[String(parts[0])] = value }
    }
    let openssl = max(opensslBefore, opensslSpeed(["ed25519"], seconds: options.seconds)["ed25519"]?.verify ?? 0)

    func line(_ label: String, _ value: Double) { print(label.padding(toLength: 64, withPad: " ", startingAt: 0) + String(format: " %12.0f", value)) }
    print("")
    print("measure".padding(toLength: 64, withPad: " ", startingAt: 0) + "   per second")
    print(String(repeating: "-", count: 78))
    line("Nachweis: JSON-LD to RDF + RDFC-1.0, unsigned credential", canonicalizations)
    let versions = output.split(separator: "\n").first { $0.hasPrefix("versions ") }.map { $0.dropFirst(9).split(separator: ", ") } ?? []
    let pyldVersion = versions.first { $0.hasPrefix("pyld ") }.map(String.init) ?? "pyld"
    line("\(pyldVersion): normalize (URDNA2015)", pythonFigures["pyld"] ?? 0)
    line("Nachweis: full eddsa-rdfc-2022 verification", verifications)
    let peerVersion = versions.first { $0.hasPrefix("openbadgeslib ") }.map(String.init) ?? "openbadgeslib"
    line("\(peerVersion): verify_data_integrity_proof", pythonFigures["openbadgeslib"] ?? 0)
    line("openssl speed ed25519: raw verify", openssl)
    if let pyld = pythonFigures["pyld"], pyld > 0 { print(String(format: "\nNachweis / pyld canonicalization: %.1f×", canonicalizations / pyld)) }
    if openssl > 0 { print(String(format: "Nachweis full verification / raw OpenSSL Ed25519 verify: %.1f%%", 100 * verifications / openssl)) }
    if let obl = pythonFigures["openbadgeslib"], obl > 0, openssl > 0 {
        print(String(format: "openbadgeslib full verification / raw OpenSSL Ed25519 verify: %.1f%%\n", 100 * obl / openssl))
    }
}

/// The vector's verification method is an HTTPS URL whose fragment is the Multikey.
struct BenchResolver: VerificationMethodResolver {
    func publicKey(for verificationMethod: String) throws(LinkedDataError) -> PublicKey {
        guard let fragment = verificationMethod.split(separator: "#").last, let key = try? Multikey.decodePublicKey(fragment) else {
            throw LinkedDataError(.verificationMethodUnresolved, verificationMethod)
        }
        return key
    }
}
