import Foundation
import NachweisCrypto
import NachweisLinkedData
import NachweisJSON
import NachweisStore
import NachweisTestSupport
import Testing

/// One answer everywhere: a server verifying credentials it issued reads their status from its own store.
@Suite("One answer: this server's own documents, fresh", .timeLimit(.minutes(3)))
struct OneAnswerTests {
    @Test("POST /verify says revoked the moment the issuer revokes (was valid for the HTTP cache's five minutes)", arguments: ["ob3-di", "ob3-jwt", "ob2-signed", "ob2-hosted"])
    func verifyAfterRevoke(format: String) async throws {
        let s = try await IssuingFormatTests.setUp(seal: false)
        defer { s.server.stop() }
        let issued = try await IssuingFormatTests.issue(s, #", "format": "\#(format)""#)
        let before = try await s.server.request("POST", "/verify", body: issued.body, contentType: "application/octet-stream")
        #expect(try JSONParser().parse(Array(before.body.utf8))["verdict"] == "valid", "\(before.body)")
        let revoked = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(IssuingFormatTests.credentialID(issued))/revoke",
                                                 token: s.f.tuToken, body: #"{"reason": "issued in error"}"#)
        #expect(revoked.status == 200, "\(revoked.body)")
        let after = try await s.server.request("POST", "/verify", body: issued.body, contentType: "application/octet-stream")
        let report = try JSONParser().parse(Array(after.body.utf8))
        #expect(report["verdict"] == "invalid", "\(after.body)")
        #expect(report["steps"]?.arrayValue?.contains { $0["code"] == "status.revoked" || $0["code"] == "ob2.revoked" || $0["code"]?.stringValue?.contains("revoked") == true } == true,
                "\(after.body)")
    }
}

@Suite("One answer: the wallet's listing re-checks what it shows", .timeLimit(.minutes(3)))
struct WalletRecheckTests {
    typealias W = WalletAPITests

    static func listed(_ server: LiveServer, _ token: String) async throws -> [JSONValue] {
        let reply = try await server.request("GET", "/api/v1/wallet/credentials", token: token)
        return W.json(reply.body)["items"]?.arrayValue ?? []
    }

    @Test("a revoked credential is listed as revoked once its report is older than the setting; within it, the listing reads the store only")
    func revokedShowsRevoked() async throws {
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let token = try await W.session(s.f.server, "ada@example.org")
        let issued = try await W.issue(s, format: "ob3-di")
        let imported = try await s.f.server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: Array(issued.document.utf8))
        let id = try #require(W.json(imported.body)["id"]?.stringValue)
        var items = try await Self.listed(s.f.server, token)
        #expect(items.first?["status"] == "active" && items.first?["verdict"] == "valid", "\(items)")
        _ = try await s.f.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(issued.id)/revoke", token: s.f.tuToken, body: "{}")
        items = try await Self.listed(s.f.server, token)
        #expect(items.first?["status"] == "active", "checked less than five minutes ago: not verified again")
        // Five minutes and more later (the report's time moved back), the listing verifies it again and keeps the result.
        let learner = try #require(try await s.f.server.storage.wallet.learner(email: "ada@example.org"))
        let held = try await s.f.server.storage.wallet.credential(id: try #require(UUID(uuidString: id)), learnerID: learner.id)
        try await s.f.server.storage.wallet.updateVerification(id: held.id, learnerID: learner.id, report: held.report, verdict: held.verdict,
                                                               status: held.status, at: Date().addingTimeInterval(-301))
        items = try await Self.listed(s.f.server, token)
        #expect(items.first?["status"] == "revoked" && items.first?["verdict"] == "invalid", "\(items)")
        let stored = try await s.f.server.storage.wallet.credential(id: held.id, learnerID: learner.id)
        #expect(stored.status == "revoked" && Date().timeIntervalSince(stored.verifiedAt) < 60)
    }

    @Test("an expired credential is listed as expired")
    func expiredShowsExpired() async throws {
        let server = try await LiveServer.start(storage: try SQLiteStorage.inMemory())
        defer { server.stop() }
        let token = try await W.session(server, "ada@example.org")
        let key = try PrivateKey.generate(.ed25519)
        let did = try DIDKey(publicKey: key.publicKey)
        let credential: JSONValue = [
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:6b1f5c2e-8d0a-4c1e-9e7a-3f2b1c0d9e8f", "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": ["id": .string(did.did), "type": ["Profile"], "name": "Kammer Test"],
            "validFrom": "2020-01-01T00:00:00Z", "validUntil": "2021-01-01T00:00:00Z", "name": "Welding I",
            "credentialSubject": ["id": "did:example:learner", "type": ["AchievementSubject"],
                                  "achievement": ["id": "urn:uuid:8a7f0c44-1c55-4d0e-9a34-64c1d2a0e5b1", "type": ["Achievement"], "name": "Welding I",
                                                  "description": "MIG welding basics", "criteria": ["narrative": "Practical exam"]]],
        ]
        let integrity = DataIntegrity(processor: JSONLDProcessor(loader: try ShippedContexts.loader()))
        let signed = try integrity.sign(credential, key: key, options: .init(verificationMethod: did.verificationMethod, created: "2020-01-01T00:00:00Z"))
        _ = try await server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: signed.compactBytes)
        let items = try await Self.listed(server, token)
        #expect(items.first?["expired"] == true && items.first?["verdict"] == "invalid", "\(items)")
    }
}
