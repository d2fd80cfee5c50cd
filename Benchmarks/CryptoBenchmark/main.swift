// nachweis-bench: Nachweis's figures next to a peer measured in the same run on the same machine.
//
//   swift run -c release nachweis-bench [crypto|documents|linkeddata] [--seconds S] [--reference DIR]
//
//   crypto     sign/verify per algorithm next to `openssl speed` (default)
//   documents  parse + JSON Schema validation of the 1EdTech OB 3.0 sample next to python-jsonschema
//   linkeddata RDFC-1.0 canonicalization next to pyld; eddsa-rdfc-2022 verification next to openbadgeslib and OpenSSL
//   issuing    OB 3.0 credentials (VC-JWT, eddsa-rdfc-2022) issued and committed through the service layer next to OpenSSL signing
//   verifying  full verification reports of the same two kinds next to openbadgeslib and OpenSSL verify
import Foundation
import NachweisServer

struct Options {
    var mode = "crypto"
    var seconds = 1.0
    var rounds = 5
    var reference = "../shared/reference"
    var python = ProcessInfo.processInfo.environment["NACHWEIS_PYTHON"] ?? ".venv/bin/python"

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "crypto", "documents", "linkeddata", "issuing", "issuing-parts", "verifying", "profile-verify", "profile-parts", "profile-report-jwt", "profile-report-di", "profile-render", "wallet": mode = argument
            case "--seconds": seconds = Double(iterator.next() ?? "") ?? seconds
            case "--rounds": rounds = max(1, Int(iterator.next() ?? "") ?? rounds)
            case "--reference": reference = iterator.next() ?? reference
            case "--python": python = iterator.next() ?? python
            case "-h", "--help":
                print("usage: nachweis-bench [crypto|documents|linkeddata|issuing|issuing-parts|verifying|profile-verify|profile-parts|profile-report-jwt|profile-report-di|profile-render|wallet] [--seconds S] [--rounds N] [--reference DIR] [--python PATH]")
                exit(0)
            default:
                print("unknown argument \(argument)")
                exit(2)
            }
        }
    }
}

let options = Options(CommandLine.arguments)
ProcessTuning.allocator()  // as `nachweis serve` does
do {
    switch options.mode {
    case "documents": try runDocumentsBenchmark(options)
    case "linkeddata": try runLinkedDataBenchmark(options)
    case "issuing": try await runIssuingBenchmark(options)
    case "issuing-parts": try await runIssuingParts(options)
    case "verifying", "profile-report-jwt", "profile-report-di": try await runVerifyingBenchmark(options)
    case "profile-verify": try runProfileLoop(options)
    case "profile-parts": try runProfileParts(options)
    case "profile-render": try await runProfileRender(options)
    case "wallet": try await runWalletBenchmark(options)
    default: try runCryptoBenchmark(options)
    }
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}
