// `nachweis-bench wallet`: with 10 000 credentials in one learner's wallet (a SQLite file, as the server keeps it),
// p50 and p99 of listing a page of 50 over HTTP; then a share link's JSON and HTML answered per second under `wrk` on
// 127.0.0.1 (bounded runs of --seconds), each view verified, counted and logged as in service.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NachweisCrypto
import NachweisJSON
import NachweisServer
import NachweisStore
import NachweisVerifier

func runWalletBenchmark(_ options: Options) async throws {
    let directory = try BenchIssuer.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let storage = try SQLiteStorage.open(path: directory.appendingPathComponent("nachweis.sqlite").path)
    let (settings, server) = try await BenchServer.start(storage)
    defer { server.cancel() }
    let base = settings.publicBaseURL

    // 10 000 real VC-JWTs of the bench issuer, each in the wallet with its summary and a verification report.
    let count = Int(ProcessInfo.processInfo.environment["NACHWEIS_BENCH_WALLET"] ?? "") ?? 10_000
    let bench = try await BenchIssuer.make(storage, directory: directory)
    let service = try IssuingService(storage: storage, publicBaseURL: base)
    let learner = Learner(email: "ada@example.org", passwordHash: try PasswordHash.make("benchmark password"))
    try await storage.wallet.createLearner(learner)
    let token = "nws_" + Base64URL.encode(try SecureRandom.bytes(32))
    try await storage.wallet.addSession(LearnerSession(learnerID: learner.id, tokenHash: Hex.encode(DigestAlgorithm.sha256.hash(Array(token.utf8))),
                                                       expiresAt: Date() + 86_400))
    let verifier = try Verifier(fetcher: HTTPFetcher(limits: .init(publicOnly: false)))
    let start = Date()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<32 {
            group.addTask {
                for i in stride(from: task, to: count, by: 32) {
                    let issued = try await service.issue(issuer: bench.issuer, .init(achievementID: bench.achievement.id,
                                                                                    recipient: .email("ada+\(i)@example.org"), format: .ob3JWT(.eddsa)))
                    let bytes = Array(issued.credential.document.utf8)
                    // Each verified as an import would be (the issuer's documents cached after the first fetch).
                    let report = await verifier.verify(bytes)
                    _ = try await storage.wallet.add(WalletCredential(
                        learnerID: learner.id, received: Data(bytes), mediaType: "application/jwt",
                        digest: Hex.encode(DigestAlgorithm.sha256.hash(bytes)), format: "ob3-jwt", credential: nil,
                        title: i % 3 == 0 ? "Statistics \(i)" : "Data Literacy \(i)", issuerName: bench.issuer.name, issuerID: bench.issuer.homepage,
                        achievementID: "\(base)/issuers/bench/achievements/\(bench.achievement.id.lowercasedText)", achievementType: "MicroCredential",
                        eqfLevel: 4 + i % 4, ects: 5, issuedAt: Date(), report: report.json.compactText, verdict: report.verdict.rawValue,
                        status: "active"))
                }
            }
        }
        try await group.waitForAll()
    }
    print(String(format: "nachweis-bench wallet · %d cores · %d credentials issued, verified and put in one wallet in %.1f s",
                 ProcessInfo.processInfo.activeProcessorCount, count, Date().timeIntervalSince(start)))

    // Listing a page of 50 over HTTP, one request at a time: p50 and p99 (client-side wall time).
    func get(_ path: String, accept: String = "application/json") async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: base + path)!, timeoutInterval: 30)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue(accept, forHTTPHeaderField: "Accept")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
    let rounds = max(200, options.rounds * 100)
    let middle = count / 2
    for (label, path) in [("newest page", "/api/v1/wallet/credentials?limit=50"), ("page at offset \(middle)", "/api/v1/wallet/credentials?limit=50&offset=\(middle)"),
                          ("filtered (eqf=6, q=Data)", "/api/v1/wallet/credentials?limit=50&eqf=6&q=Data")] {
        for _ in 0..<20 { _ = try await get(path) }
        var times: [Double] = []
        for _ in 0..<rounds {
            let clock = ContinuousClock.now
            let (status, data) = try await get(path)
            times.append((ContinuousClock.now - clock) / .microseconds(1) / 1000)
            guard status == 200, (try? JSONParser().parse(Array(data)))?["items"]?.arrayValue?.count == 50 else {
                print("listing failed: \(status) \(String(decoding: data.prefix(300), as: UTF8.self))")
                return
            }
        }
        times.sort()
        print(String(format: "list %@, %d requests: p50 %.2f ms, p99 %.2f ms (goal: p99 under 20 ms)", label, rounds,
                     times[times.count / 2], times[min(times.count - 1, times.count * 99 / 100)]))
    }

    // A share link of one credential, opened under wrk.
    var request = URLRequest(url: URL(string: base + "/api/v1/wallet/shares")!)
    request.httpMethod = "POST"
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    let first = try await storage.wallet.credentials(learnerID: learner.id, WalletQuery(limit: 1)).page[0]
    request.httpBody = Data(#"{"credentials": ["\#(first.id.lowercasedText)"]}"#.utf8)
    let (made, _) = try await URLSession.shared.data(for: request)
    guard let url = (try? JSONParser().parse(Array(made)))?["url"]?.stringValue else { print("no share link: \(String(decoding: made, as: UTF8.self))"); return }
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
        print("share link: wrk is not installed (apt-get install wrk): not measured")
        return
    }
    let seconds = max(3, Int(options.seconds.rounded()) * 5)
    let only = ProcessInfo.processInfo.environment["NACHWEIS_BENCH_ONLY"]  // json or html: one of them (for profilers)
    for (label, accept) in [("JSON (with a signed presentation)", "application/json"), ("HTML page", "text/html")]
        where only == nil || accept.hasSuffix(only!) {
        let result = try runTool("/usr/bin/wrk", ["-t2", "-c32", "-d\(seconds)s", "--latency", "-H", "Accept: \(accept)", url])
        let rate = result.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }.map { $0.split(separator: " ").last.map(String.init) ?? "?" } ?? "?"
        let p99 = result.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("99%") }
            .map { $0.split(separator: " ").last.map(String.init) ?? "?" } ?? "?"
        let non2xx = result.split(separator: "\n").first { $0.contains("Non-2xx") }.map { " — \($0.trimmingCharacters(in: .whitespaces))" } ?? ""
        print("share link \(label), wrk 2 threads × 32 connections, \(seconds) s: \(rate) requests/s, p99 \(p99)\(non2xx) (goal for JSON: ≥ 5 000/s)")
    }
    let views = try await storage.shareLinks.links(learnerID: learner.id).first?.views ?? 0
    print("views counted and logged: \(views)")
}

/// A tool's standard output (its standard error discarded).
func runTool(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
