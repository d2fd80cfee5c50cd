// `nachweis-bench issuing`: OB 3.0 credentials issued per second through the service layer — built, schema-checked,
// given two status entries, signed (VC-JWT EdDSA, and eddsa-rdfc-2022) and committed to a SQLite file in WAL mode — next to
// `openssl speed ed25519` signing in the same run.
import Foundation
import NachweisCrypto
import NachweisServer
import NachweisStore

func runIssuingBenchmark(_ options: Options) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nachweis-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let storage = try SQLiteStorage.open(path: directory.appendingPathComponent("nachweis.sqlite").path)
    let issuer = Issuer(slug: "bench", name: "Benchmark University", country: "DE", homepage: "https://bench.example")
    try await storage.issuers.create(issuer)
    let key = try PrivateKey.generate(.ed25519)
    let keyFile = directory.appendingPathComponent("issuer.pem")
    try Data(try key.pemRepresentation().utf8).write(to: keyFile)
    try await storage.signingKeys.add(SigningKey(issuerID: issuer.id, algorithm: "EdDSA", publicJWK: try JWK(publicKey: key.publicKey).jsonText,
                                                 privateKeyPath: keyFile.path))
    let achievement = Achievement(issuerID: issuer.id, name: "Data Literacy", description: "Read and present data.",
                                  achievementType: "MicroCredential", criteriaNarrative: "Final project", ects: 5)
    try await storage.achievements.create(achievement)
    let service = try IssuingService(storage: storage, publicBaseURL: "https://bench.example")

    var run = 0
    func issueRate(_ format: IssuingService.Format, seconds: Double) async throws -> Double {
        run += 1
        for i in 0..<20 {
            _ = try await service.issue(issuer: issuer, .init(achievementID: achievement.id, recipient: .did("did:example:\(i)"), format: format))
        }
        var count = 0
        let start = Date()
        repeat {
            for _ in 0..<16 {
                _ = try await service.issue(issuer: issuer, .init(achievementID: achievement.id, recipient: .email("learner\(count)@example.org"),
                                                                  format: format, idempotencyKey: "bench-\(run)-\(count)"))
                count += 1
            }
        } while Date().timeIntervalSince(start) < seconds
        return Double(count) / Date().timeIntervalSince(start)
    }

    let before = opensslSpeed(["ed25519"], seconds: options.seconds)["ed25519"]?.sign ?? 0
    var dataIntegrity = 0.0, jwt = 0.0
    for _ in 0..<3 {
        dataIntegrity = max(dataIntegrity, try await issueRate(.ob3DataIntegrity, seconds: options.seconds * 2))
        jwt = max(jwt, try await issueRate(.ob3JWT(.eddsa), seconds: options.seconds * 2))
    }
    let after = opensslSpeed(["ed25519"], seconds: options.seconds)["ed25519"]?.sign ?? 0
    let openssl = max(before, after)
    print("nachweis-bench issuing · \(ProcessInfo.processInfo.activeProcessorCount) cores · one issuing task · best of 3 rounds (wall clock), openssl best of 2")
    print(String(format: "Nachweis: OB 3.0 VC-JWT EdDSA issued and committed (SQLite WAL)     %10.0f /s", jwt))
    print(String(format: "Nachweis: OB 3.0 eddsa-rdfc-2022 issued and committed (SQLite WAL)  %10.0f /s", dataIntegrity))
    print(String(format: "openssl speed ed25519: raw sign                                    %10.0f /s", openssl))
    if openssl > 0 {
        print(String(format: "VC-JWT EdDSA / raw OpenSSL Ed25519 signing:    %5.1f%% (goal ≥ 50%%)", 100 * jwt / openssl))
        print(String(format: "eddsa-rdfc-2022 / raw OpenSSL Ed25519 signing: %5.1f%% (goal ≥ 20%%)", 100 * dataIntegrity / openssl))
    }
}

/// `nachweis-bench issuing-parts`: microseconds per store call on the issuing path (a SQLite file in WAL mode).
func runIssuingParts(_ options: Options) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nachweis-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let storage = try SQLiteStorage.open(path: directory.appendingPathComponent("nachweis.sqlite").path)
    let issuer = Issuer(slug: "bench", name: "Benchmark University", country: "DE", homepage: "https://bench.example")
    try await storage.issuers.create(issuer)
    let achievement = Achievement(issuerID: issuer.id, name: "Data Literacy", description: "Read and present data.",
                                  achievementType: "MicroCredential", criteriaNarrative: "Final project", ects: 5)
    try await storage.achievements.create(achievement)
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
    var allocations: [StatusAllocation] = []
    try await time("statusLists.allocate") { _ in
        allocations.append(try await storage.statusLists.allocate(issuerID: issuer.id, purpose: .revocation, credentialID: UUID(), size: 131_072))
    }
    try await time("credentials.add") { i in
        try await storage.credentials.add(IssuedCredential(id: UUID(), issuerID: issuer.id, achievementID: achievement.id, format: .ob3JWT,
                                                           recipient: "did:example:\(i)", idempotencyKey: "k\(i)", document: "x.y.z",
                                                           revocation: allocations[i], suspension: allocations[i]))
    }
}
