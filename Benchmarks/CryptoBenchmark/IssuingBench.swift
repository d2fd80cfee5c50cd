// `nachweis-bench issuing`: OB 3.0 credentials issued per second through the service layer — built, schema-checked,
// given two status entries, signed (VC-JWT EdDSA, and eddsa-rdfc-2022) and committed to a SQLite file in WAL mode — next to
// `openssl speed ed25519` signing in the same run.
import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisServer
import NachweisStore

/// What every issuing and verifying benchmark starts from: a temporary folder, an issuer with a fresh Ed25519 key
/// (its PEM in the folder) and a micro-credential achievement, in the given store.
struct BenchIssuer {
    let directory: URL
    let issuer: Issuer
    let key: PrivateKey
    let achievement: NachweisStore.Achievement

    static func make(_ storage: some Storage, directory: URL) async throws -> BenchIssuer {
        let issuer = Issuer(slug: "bench", name: "Benchmark University", country: "DE", homepage: "https://bench.example")
        try await storage.issuers.create(issuer)
        let key = try PrivateKey.generate(.ed25519)
        let keyFile = directory.appendingPathComponent("issuer.pem")
        try Data(try key.pemRepresentation().utf8).write(to: keyFile)
        try await storage.signingKeys.add(SigningKey(issuerID: issuer.id, algorithm: "EdDSA", publicJWK: try JWK(publicKey: key.publicKey).jsonText,
                                                     privateKeyPath: keyFile.path))
        let achievement = NachweisStore.Achievement(issuerID: issuer.id, name: "Data Literacy", description: "Read and present data.",
                                      achievementType: "MicroCredential", criteriaNarrative: "Final project", ects: 5)
        try await storage.achievements.create(achievement)
        return BenchIssuer(directory: directory, issuer: issuer, key: key, achievement: achievement)
    }

    /// A fresh temporary folder (removed by the caller).
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nachweis-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

func runIssuingBenchmark(_ options: Options) async throws {
    let directory = try BenchIssuer.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let storage = try SQLiteStorage.open(path: directory.appendingPathComponent("nachweis.sqlite").path)
    let bench = try await BenchIssuer.make(storage, directory: directory)
    let (issuer, achievement) = (bench.issuer, bench.achievement)
    let service = try IssuingService(storage: storage, publicBaseURL: "https://bench.example")

    let runs = Counter()
    /// Credentials per second from `tasks` concurrent issuing loops (every credential to its own email, with its own
    /// idempotency key), after a warm-up; with the process's CPU time and file writes per credential.
    func issueRate(_ format: IssuingService.Format, tasks: Int, seconds: Double) async throws -> Round {
        let run = runs.next()
        for i in 0..<20 {
            _ = try await service.issue(issuer: issuer, .init(achievementID: achievement.id, recipient: .did("did:example:\(i)"), format: format))
        }
        let before = ProcessCounters.now()
        let start = Date()
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var count = 0
                    repeat {
                        for _ in 0..<16 {
                            _ = try await service.issue(issuer: issuer, .init(achievementID: achievement.id, recipient: .email("l\(task)-\(count)@example.org"),
                                                                              format: format, idempotencyKey: "bench-\(run)-\(task)-\(count)"))
                            count += 1
                        }
                    } while Date().timeIntervalSince(start) < seconds
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = Date().timeIntervalSince(start)
        return Round(rate: Double(count) / elapsed, perCredential: ProcessCounters.now().minus(before, per: count))
    }

    let cores = ProcessInfo.processInfo.activeProcessorCount
    let concurrent = Int(ProcessInfo.processInfo.environment["NACHWEIS_BENCH_TASKS"] ?? "") ?? 16 * cores
    // A loaded server or a bulk run has hundreds of requests in flight: group commit then fills its batches.
    let many = 256 * cores
    let speedMulti = opensslSpeed(["ed25519"], seconds: options.seconds, multi: cores)["ed25519"]?.sign ?? 0
    // Each round of each row is paired with `openssl speed ed25519` run just before it: this VM's speed moves by tens of
    // percent within minutes, and a ratio of two figures taken minutes apart measured the VM as much as Nachweis. The
    // row reports its median round (its rate, that round's OpenSSL figure and their ratio) and the range of the ratios.
    var rounds: [String: [(round: Round, openssl: Double)]] = [:]
    let only = ProcessInfo.processInfo.environment["NACHWEIS_BENCH_ONLY"]  // e.g. jwt-n, to profile one configuration
    for _ in 0..<3 {
        for (name, format, tasks) in [("jwt-1", IssuingService.Format.ob3JWT(.eddsa), 1), ("di-1", .ob3DataIntegrity, 1),
                                      ("jwt-n", .ob3JWT(.eddsa), concurrent), ("di-n", .ob3DataIntegrity, concurrent),
                                      ("jwt-many", .ob3JWT(.eddsa), many), ("di-many", .ob3DataIntegrity, many)] where only == nil || only == name {
            let openssl = opensslSpeed(["ed25519"], seconds: options.seconds)["ed25519"]?.sign ?? 0
            let round = try await issueRate(format, tasks: tasks, seconds: options.seconds * 2)
            rounds[name, default: []].append((round, openssl))
        }
    }
    print("nachweis-bench issuing · \(cores) cores · 3 rounds per row, each after its own openssl speed run · SQLite file, WAL, synchronous FULL")
    let allOpenSSL = rounds.values.flatMap { $0.map(\.openssl) }.sorted()
    print(String(format: "openssl speed ed25519: raw sign, one process (median of %2d runs)      %10.0f /s (%.0f–%.0f)", allOpenSSL.count,
                 allOpenSSL.isEmpty ? 0 : allOpenSSL[allOpenSSL.count / 2], allOpenSSL.first ?? 0, allOpenSSL.last ?? 0))
    print(String(format: "openssl speed -multi %d ed25519: raw sign, all cores                %10.0f /s", cores, speedMulti))
    for (label, name) in [("VC-JWT EdDSA, one issuing task", "jwt-1"), ("eddsa-rdfc-2022, one issuing task", "di-1"),
                          ("VC-JWT EdDSA, \(concurrent) concurrent tasks", "jwt-n"), ("eddsa-rdfc-2022, \(concurrent) concurrent tasks", "di-n"),
                          ("VC-JWT EdDSA, \(many) concurrent tasks", "jwt-many"), ("eddsa-rdfc-2022, \(many) concurrent tasks", "di-many")] {
        guard let paired = rounds[name], !paired.isEmpty else { continue }
        let ratios = paired.map { $0.round.rate / max($0.openssl, 1) }
        let order = paired.indices.sorted { ratios[$0] < ratios[$1] }
        let middle = order[order.count / 2], median = paired[middle]
        let goal = name.hasPrefix("jwt") ? 50 : 20
        print(String(format: "Nachweis %-40@ %8.0f /s = %5.1f%% of that round's one-process signing (%5.0f /s); rounds %.1f–%.1f%% (goal ≥ %d%%)",
                     label as NSString, median.round.rate, 100 * ratios[middle], median.openssl,
                     100 * ratios[order.first!], 100 * ratios[order.last!], goal))
        let cost = median.round.perCredential
        print(String(format: "         per credential:   %5.0f µs CPU (%3.0f µs in the kernel), %4.1f KiB written in %4.1f writes",
                     cost.cpu * 1e6, cost.system * 1e6, cost.written / 1024, cost.writes))
    }
}

struct Round {
    let rate: Double
    let perCredential: ProcessCounters
}

/// The process's CPU time (getrusage) and its bytes and calls written (/proc/self/io: `wchar`, `syscw`; the database's
/// WAL and checkpoints, nearly all of it), for costs per credential.
struct ProcessCounters {
    var cpu = 0.0, system = 0.0, written = 0.0, writes = 0.0

    static func now() -> ProcessCounters {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        var counters = ProcessCounters(cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime), system: seconds(usage.ru_stime))
        if let io = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) {
            for line in io.split(separator: "\n") {
                let parts = line.split(separator: ":")
                guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { continue }
                if parts[0] == "wchar" { counters.written = value }
                if parts[0] == "syscw" { counters.writes = value }
            }
        }
        return counters
    }

    func minus(_ earlier: ProcessCounters, per count: Int) -> ProcessCounters {
        let n = Double(max(count, 1))
        return ProcessCounters(cpu: (cpu - earlier.cpu) / n, system: (system - earlier.system) / n, written: (written - earlier.written) / n,
                               writes: (writes - earlier.writes) / n)
    }
}

final class Counter: @unchecked Sendable {
    private var value = 0
    func next() -> Int { value += 1; return value }
}

/// `nachweis-bench profile-render --rounds N`: VC-JWT credentials rendered on one thread (built, checked against our
/// schema, signed; not stored) in N batches of 100, and the fastest batch: this VM's swings (other guests taking the
/// CPU) only ever slow a batch down, so the fastest of many says what the code costs better than any mean. For A/B
/// comparisons of small changes, run two binaries interleaved.
func runProfileRender(_ options: Options) async throws {
    let directory = try BenchIssuer.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let storage = try SQLiteStorage.open(path: directory.appendingPathComponent("nachweis.sqlite").path)
    let bench = try await BenchIssuer.make(storage, directory: directory)
    let service = try IssuingService(storage: storage, publicBaseURL: "https://bench.example")
    for (name, format) in [("VC-JWT EdDSA", IssuingService.Format.ob3JWT(.eddsa)), ("eddsa-rdfc-2022", .ob3DataIntegrity)] {
        var fastest = Double.infinity
        for _ in 0..<options.rounds {
            let start = ContinuousClock.now
            try await service.renderForBenchmark(issuer: bench.issuer, achievementID: bench.achievement.id, format: format, count: 100)
            fastest = min(fastest, (ContinuousClock.now - start) / .microseconds(1) / 100)
        }
        print(String(format: "render %@, fastest of %d batches of 100: %.1f µs", name, options.rounds, fastest))
    }
    // Every core rendering at once (one service shared, as in the server): wall time per credential, so a perfect
    // spread over the cores shows the one-thread figure divided by their number.
    let cores = ProcessInfo.processInfo.activeProcessorCount
    for (name, format) in [("VC-JWT EdDSA", IssuingService.Format.ob3JWT(.eddsa)), ("eddsa-rdfc-2022", .ob3DataIntegrity)] {
        var fastest = Double.infinity
        for _ in 0..<options.rounds {
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<cores {
                    group.addTask { try await service.renderForBenchmark(issuer: bench.issuer, achievementID: bench.achievement.id, format: format, count: 100) }
                }
                try await group.waitForAll()
            }
            fastest = min(fastest, (ContinuousClock.now - start) / .microseconds(1) / Double(100 * cores))
        }
        print(String(format: "render %@ on %d cores, fastest of %d batches: %.1f µs a credential (wall)", name, cores, options.rounds, fastest))
    }
    // Ed25519 alone, the same way, to tell the VM's state: of 64 bytes (as `openssl speed`) and of a VC-JWT's signing
    // input (Ed25519 hashes the message twice).
    let key = try PrivateKey.generate(.ed25519)
    for size in [64, 2_300] {
        let message = [UInt8](repeating: 7, count: size)
        var fastest = Double.infinity
        for _ in 0..<options.rounds {
            let start = ContinuousClock.now
            for _ in 0..<100 { _ = try key.signature(for: message, algorithm: .eddsa) }
            fastest = min(fastest, (ContinuousClock.now - start) / .microseconds(1) / 100)
        }
        print(String(format: "Ed25519 signature of %d bytes, fastest of %d batches of 100: %.1f µs", size, options.rounds, fastest))
    }
}

/// `nachweis-bench issuing-parts`: microseconds per store call on the issuing path (a SQLite file in WAL mode).
func runIssuingParts(_ options: Options) async throws {
    let directory = try BenchIssuer.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let storage = try SQLiteStorage.open(path: directory.appendingPathComponent("nachweis.sqlite").path)
    let bench = try await BenchIssuer.make(storage, directory: directory)
    let (issuer, achievement) = (bench.issuer, bench.achievement)
    let n = 1000
    func time(_ name: String, _ body: (Int) async throws -> Void) async throws {
        let start = Date()
        for i in 0..<n { try await body(i) }
        print(String(format: "%-40@ %8.1f µs", name as NSString, Date().timeIntervalSince(start) * 1e6 / Double(n)))
    }
    try await time("issuer(slug:)") { _ in _ = try await storage.issuers.issuer(slug: "bench") }
    try await time("achievement(id:)") { _ in _ = try await storage.achievements.achievement(id: achievement.id, issuerID: issuer.id) }
    try await time("activeKeys") { _ in _ = try await storage.signingKeys.activeKeys(issuerID: issuer.id) }
    try await time("credential(idempotencyKey:)") { i in _ = try await storage.credentials.credential(idempotencyKey: "k\(i)", issuerID: issuer.id) }
    try await time("statusLists.allocate") { _ in
        _ = try await storage.statusLists.allocate(issuerID: issuer.id, purpose: .revocation, credentialID: UUID(), size: 131_072)
    }
    let revocations = try await storage.statusLists.reserve(issuerID: issuer.id, purpose: .revocation, count: n, size: 131_072)
    let suspensions = try await storage.statusLists.reserve(issuerID: issuer.id, purpose: .suspension, count: n, size: 131_072)
    let service = try IssuingService(storage: storage, publicBaseURL: "https://bench.example")
    for (name, format) in [("render VC-JWT EdDSA (no store)", IssuingService.Format.ob3JWT(.eddsa)), ("render eddsa-rdfc-2022 (no store)", .ob3DataIntegrity)] {
        try await service.renderForBenchmark(issuer: issuer, achievementID: achievement.id, format: format, count: 50)
        let start = Date()
        try await service.renderForBenchmark(issuer: issuer, achievementID: achievement.id, format: format, count: n)
        print(String(format: "%-40@ %8.1f µs", name as NSString, Date().timeIntervalSince(start) * 1e6 / Double(n)))
    }
    let document = String(repeating: "x", count: 3000)  // about the size of an issued VC-JWT
    // Our OB 3.0 schema on one issued credential (the VC-JWT claims), alone.
    let issued = try await service.issue(issuer: issuer, .init(achievementID: achievement.id, recipient: .email("a@example.org"), format: .ob3JWT(.eddsa)))
    let claims = try JSONParser().parse(try Base64URL.decode(String(issued.credential.document.split(separator: ".")[1])))
    let schema = try ShippedSchemas.schema(ShippedSchemas.ob3AchievementCredential)
    let rounds = Int(ProcessInfo.processInfo.environment["NACHWEIS_BENCH_SCHEMA_ROUNDS"] ?? "") ?? n
    var start = Date()
    for _ in 0..<rounds where !schema.validate(claims).isEmpty { print("the issued credential fails our schema") }
    print(String(format: "%-40@ %8.1f µs (%d bytes)", "OB 3.0 schema, one issued credential" as NSString, Date().timeIntervalSince(start) * 1e6 / Double(rounds),
                 claims.compactBytes.count))
    // The same with the issuer and the achievement shared (as issuing shares them), their findings remembered.
    let memo = SchemaMemo(sharing: [claims["issuer"]?.objectValue, claims["credentialSubject"]?["achievement"]?.objectValue].compactMap { $0 })
    start = Date()
    for _ in 0..<rounds where !schema.validate(claims, memo: memo).isEmpty { print("the issued credential fails our schema") }
    print(String(format: "%-40@ %8.1f µs (%d findings remembered)", "… issuer and achievement shared" as NSString,
                 Date().timeIntervalSince(start) * 1e6 / Double(rounds), memo.findings))
    start = Date()
    var serialized = 0
    for _ in 0..<rounds { serialized &+= claims.compactBytes.count }
    print(String(format: "%-40@ %8.1f µs (%d bytes)", "compact JSON, one issued credential" as NSString, Date().timeIntervalSince(start) * 1e6 / Double(rounds),
                 serialized / max(rounds, 1)))
    try await time("credentials.add (one at a time)") { i in
        try await storage.credentials.add(IssuedCredential(id: UUID(), issuerID: issuer.id, achievementID: achievement.id, format: .ob3JWT,
                                                           recipient: "did:example:\(i)", idempotencyKey: "k\(i)", document: document,
                                                           revocation: revocations[i], suspension: suspensions[i]))
    }
    // The same with 8 concurrent writers (group commit), and rendering on every core.
    let more = 8 * n
    let revocations8 = try await storage.statusLists.reserve(issuerID: issuer.id, purpose: .revocation, count: more, size: 131_072)
    let suspensions8 = try await storage.statusLists.reserve(issuerID: issuer.id, purpose: .suspension, count: more, size: 131_072)
    start = Date()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<8 {
            group.addTask {
                for j in 0..<n {
                    let i = task * n + j
                    try await storage.credentials.add(IssuedCredential(id: UUID(), issuerID: issuer.id, achievementID: achievement.id, format: .ob3JWT,
                                                                       recipient: "did:example:\(i)", idempotencyKey: "c\(i)", document: document,
                                                                       revocation: revocations8[i], suspension: suspensions8[i]))
                }
            }
        }
        try await group.waitForAll()
    }
    print(String(format: "%-40@ %8.1f µs", "credentials.add (8 concurrent), per item" as NSString, Date().timeIntervalSince(start) * 1e6 / Double(more)))
    let cores = ProcessInfo.processInfo.activeProcessorCount
    start = Date()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<cores {
            group.addTask { try await service.renderForBenchmark(issuer: issuer, achievementID: achievement.id, format: .ob3JWT(.eddsa), count: n) }
        }
        try await group.waitForAll()
    }
    print(String(format: "%-40@ %8.1f µs", "render VC-JWT on \(cores) cores, per item" as NSString, Date().timeIntervalSince(start) * 1e6 / Double(cores * n)))
    // eddsa-rdfc-2022 on every core: one service shared, and one service (own JSON-LD processor) per task.
    let services = try (0..<cores).map { _ in try IssuingService(storage: storage, publicBaseURL: "https://bench.example") }
    for (label, shared) in [("shared service", true), ("a service per task", false)] {
        start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<cores {
                let chosen = shared ? service : services[task]
                group.addTask { try await chosen.renderForBenchmark(issuer: issuer, achievementID: achievement.id, format: .ob3DataIntegrity, count: n / 2) }
            }
            try await group.waitForAll()
        }
        print(String(format: "%-40@ %8.1f µs", "render eddsa-rdfc-2022 on \(cores) cores, \(label)" as NSString,
                     Date().timeIntervalSince(start) * 1e6 / Double(cores * (n / 2))))
    }
}
