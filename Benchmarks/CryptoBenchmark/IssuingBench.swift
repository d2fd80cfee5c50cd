// `nachweis-bench issuing`: OB 3.0 credentials issued per second through the service layer — built, schema-checked,
// given two status entries, signed eddsa-rdfc-2022 and committed to a SQLite file in WAL mode — next to
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

    func issueRate(seconds: Double) async throws -> Double {
        for i in 0..<20 { _ = try await service.issue(issuer: issuer, achievementID: achievement.id, recipient: .did("did:example:\(i)"), idempotencyKey: nil) }
        var count = 0
        let start = Date()
        repeat {
            for _ in 0..<16 {
                _ = try await service.issue(issuer: issuer, achievementID: achievement.id, recipient: .email("learner\(count)@example.org"),
                                            idempotencyKey: "bench-\(count)")
                count += 1
            }
        } while Date().timeIntervalSince(start) < seconds
        return Double(count) / Date().timeIntervalSince(start)
    }

    let before = opensslSpeed(["ed25519"], seconds: options.seconds)["ed25519"]?.sign ?? 0
    var best = 0.0
    for _ in 0..<3 { best = max(best, try await issueRate(seconds: options.seconds * 2)) }
    let after = opensslSpeed(["ed25519"], seconds: options.seconds)["ed25519"]?.sign ?? 0
    let openssl = max(before, after)
    print("nachweis-bench issuing · \(ProcessInfo.processInfo.activeProcessorCount) cores · one issuing task · best of 3 rounds (wall clock), openssl best of 2")
    print(String(format: "Nachweis: OB 3.0 eddsa-rdfc-2022 issued and committed (SQLite WAL)  %10.0f /s", best))
    print(String(format: "openssl speed ed25519: raw sign                                    %10.0f /s", openssl))
    if openssl > 0 { print(String(format: "issuing / raw OpenSSL Ed25519 signing: %.1f%% (goal ≥ 20%%)", 100 * best / openssl)) }
}
