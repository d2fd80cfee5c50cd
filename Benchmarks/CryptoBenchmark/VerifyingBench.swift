// `nachweis-bench verifying`: full verifications per second (format, schema, proof, key binding, claims, validity,
// both status entries with the status lists cached after the first fetch, EU elements) of an OB 3.0 VC-JWT EdDSA and
// an eddsa-rdfc-2022 credential issued by an in-process server, next to openbadgeslib verifying the same credentials
// and `openssl speed ed25519` verify, in the same run.
import Foundation
import Logging
import NachweisCrypto
import NachweisJSON
import NachweisServer
import NachweisStore
import NachweisVerifier

/// An in-process server on a free loopback port, its public base URL its own address (so that the verifier fetches the
/// documents credentials point to from it); cancel the task to stop it.
enum BenchServer {
    static func start(_ storage: SQLiteStorage) async throws -> (settings: ServerConfiguration, task: Task<Void, any Error>) {
        let port = try ServerConfiguration.freeLoopbackPort()
        var settings = ServerConfiguration()
        settings.port = port
        settings.publicBaseURL = "http://127.0.0.1:\(port)"
        settings.trustAnchorDirectory = ""
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let (ready, signal) = AsyncStream.makeStream(of: Int.self)
        let app = NachweisServer.application(configuration: settings, storage: storage, logger: logger) { signal.yield($0) }
        let task = Task { try await app.run() }
        var waiting = ready.makeAsyncIterator()
        _ = await waiting.next()
        return (settings, task)
    }
}

func runVerifyingBenchmark(_ options: Options) async throws {
    let storage = try SQLiteStorage.inMemory()
    let (settings, server) = try await BenchServer.start(storage)
    defer { server.cancel() }

    let directory = try BenchIssuer.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let bench = try await BenchIssuer.make(storage, directory: directory)
    let (issuer, key, achievement) = (bench.issuer, bench.key, bench.achievement)
    let service = try IssuingService(storage: storage, publicBaseURL: settings.publicBaseURL)
    let jwt = try await service.issue(issuer: issuer, .init(achievementID: achievement.id, recipient: .did("did:example:ada"), format: .ob3JWT(.eddsa)))
    let di = try await service.issue(issuer: issuer, .init(achievementID: achievement.id, recipient: .did("did:example:ada"), format: .ob3DataIntegrity))
    let verifier = try Verifier(fetcher: HTTPFetcher(limits: .init(publicOnly: false)))
    let jwtBytes = Array(jwt.credential.document.utf8), diBytes = Array(di.credential.document.utf8)
    for bytes in [jwtBytes, diBytes] {
        let report = await verifier.verify(bytes)
        guard report.verdict == .valid else { print(report.text); return }
    }

    if options.mode.hasPrefix("profile-report") {
        // For profilers: full reports of one kind for --seconds, no peers, no figures.
        let bytes = options.mode == "profile-report-di" ? diBytes : jwtBytes
        let start = Date()
        var count = 0
        while Date().timeIntervalSince(start) < options.seconds {
            _ = await verifier.verify(bytes)
            count += 1
        }
        print("\(count) reports, \(String(format: "%.1f", 1e6 * Date().timeIntervalSince(start) / Double(count))) µs each")
        return
    }

    /// Reports per second of the process's CPU time (all its threads: the verification hops between the pool's
    /// threads at its awaits), like `openssl speed`, which divides by user CPU time: time the VM's host takes away
    /// (steal) counts for neither side.
    func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    func rate(_ bytes: [UInt8], seconds: Double) async -> Double {
        var count = 0
        let start = Date(), cpuStart = processCPUSeconds()
        repeat {
            for _ in 0..<8 {
                _ = await verifier.verify(bytes)
                count += 1
            }
        } while Date().timeIntervalSince(start) < seconds
        return Double(count) / (processCPUSeconds() - cpuStart)
    }
    // Interleaved rounds (OpenSSL, VC-JWT, Data Integrity, one right after the other): this VM's speed drifts within
    // a minute, so each round's shares are taken against the OpenSSL figure of the same round, and the median round
    // is reported with the range.
    struct Round { let openssl: Double, jwt: Double, di: Double }
    var rounds: [Round] = []
    for _ in 0..<options.rounds {
        let openssl = opensslSpeed(["ed25519"], seconds: options.seconds)["ed25519"]?.verify ?? 0
        let jwtRate = await rate(jwtBytes, seconds: options.seconds)
        let diRate = await rate(diBytes, seconds: options.seconds)
        rounds.append(Round(openssl: openssl, jwt: jwtRate, di: diRate))
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    let openssl = median(rounds.map(\.openssl))
    let jwtRate = median(rounds.map(\.jwt)), diRate = median(rounds.map(\.di))
    let jwtShares = rounds.map { $0.openssl > 0 ? $0.jwt / $0.openssl : 0 }, diShares = rounds.map { $0.openssl > 0 ? $0.di / $0.openssl : 0 }

    // The peer, on the same two credentials.
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("python/verify_bench.py").path
    let input: JSONValue = ["jwt": .string(jwt.credential.document), "di": try JSONParser().parse(diBytes),
                            "public_key_pem": .string(try key.publicKey.pemRepresentation()), "seconds": .number(JSONNumber(Int(options.seconds * 2)))]
    let process = Process()
    process.executableURL = URL(fileURLWithPath: options.python)
    process.arguments = [script]
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.compactText.utf8))
    try stdin.fileHandleForWriting.close()
    let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    var peer: [String: Double] = [:]
    for line in output.split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 2, let value = Double(parts[1]) { peer[String(parts[0])] = value }
    }
    let peerVersion = output.split(separator: "\n").first { $0.hasPrefix("versions ") }.map { String($0.dropFirst(9)) } ?? "openbadgeslib"

    print("nachweis-bench verifying · \(ProcessInfo.processInfo.activeProcessorCount) cores · one task · \(rounds.count) interleaved rounds of \(options.seconds) s; per second of CPU time on both sides; status lists and DID document cached after the first fetch")
    for (index, round) in rounds.enumerated() {
        print(String(format: "  round %d: openssl %7.0f /s · VC-JWT %6.0f /s (%4.1f%%) · eddsa-rdfc-2022 %6.0f /s (%4.1f%%)", index + 1, round.openssl,
                     round.jwt, 100 * jwtShares[index], round.di, 100 * diShares[index]))
    }
    func line(_ label: String, _ value: Double, share: String, _ goal: String = "") {
        print(label.padding(toLength: 60, withPad: " ", startingAt: 0) + String(format: " %9.0f /s  ", value) + share + (goal.isEmpty ? "" : "  (goal ≥ \(goal))"))
    }
    func range(_ shares: [Double]) -> String {
        String(format: "%5.1f%% of OpenSSL verify (median round; rounds %.1f–%.1f%%)", 100 * median(shares), 100 * shares.min()!, 100 * shares.max()!)
    }
    line("openssl speed ed25519: raw verify (median)", openssl, share: "100.0%")
    line("Nachweis: VC-JWT EdDSA, full report (median)", jwtRate, share: range(jwtShares), "60%")
    line("Nachweis: eddsa-rdfc-2022, full report (median)", diRate, share: range(diShares), "40%")
    func peerLine(_ label: String, _ value: Double) {
        line(label, value, share: openssl > 0 ? String(format: "%5.1f%% of the median OpenSSL verify", 100 * value / openssl) : "")
    }
    peerLine("\(peerVersion): VC-JWT verify (no status)", peer["openbadgeslib_jwt"] ?? 0)
    peerLine("\(peerVersion): verify_data_integrity_proof (no status)", peer["openbadgeslib_di"] ?? 0)
}
