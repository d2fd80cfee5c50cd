import Foundation
import NachweisStore
import NachweisTestSupport
import Testing

@Suite("SQLite storage")
struct SQLiteStorageTests {
    static func issuer(_ slug: String = "tu-berlin") -> Issuer {
        Issuer(slug: slug, name: "TU Berlin", legalName: "Technische Universität Berlin", country: "DE",
               eidasIdentifier: "DE/VATDE136785011", homepage: "https://www.tu.berlin", email: "badges@tu.berlin")
    }

    static func key(_ issuerID: UUID, active: Bool = true, at date: Date = Date()) -> SigningKey {
        SigningKey(issuerID: issuerID, algorithm: "EdDSA", publicJWK: #"{"kty":"OKP","crv":"Ed25519","x":"AAAA"}"#,
                   privateKeyPath: "Keys/issuer-ed25519.pem", active: active, createdAt: date)
    }

    func expectError(_ code: StoreError.Code, _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await body()
            Issue.record("expected \(code)", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("a file database runs in WAL mode, syncing every commit, with its migrations applied, and reopens with its data")
    func fileDatabase() async throws {
        let path = try TestEnvironment.temporaryDirectory().appendingPathComponent("nachweis.sqlite").path
        let storage = try SQLiteStorage.open(path: path)
        #expect(try await storage.journalMode() == "wal")
        #expect(try await storage.synchronousLevel() == 2)  // FULL
        #expect(try await storage.appliedMigrations() == ["v1-issuers-keys-tokens", "v2-achievements", "v3-status-lists", "v4-credentials", "v5-every-format", "v6-reserved-entries", "v7-entry-claims-unindexed", "v8-status-bitmaps", "v9-reserved-bits-only", "v10-wallet", "v11-share-links", "v12-collections", "v13-wallet-listing-index", "v14-packed-documents", "v15-credential-checks-without-lists"])
        let issuer = Self.issuer()
        try await storage.issuers.create(issuer)
        let reopened = try SQLiteStorage.open(path: path)
        #expect(try await reopened.issuers.issuer(slug: "tu-berlin") == issuer)
    }

    @Test("issuers: create, read by id and slug, update, list; a taken slug is a conflict; unknown is not found")
    func issuers() async throws {
        let storage = try SQLiteStorage.inMemory()
        var issuer = Self.issuer()
        try await storage.issuers.create(issuer)
        #expect(try await storage.issuers.issuer(id: issuer.id) == issuer)
        issuer.email = "credentials@tu.berlin"
        try await storage.issuers.update(issuer)
        #expect(try await storage.issuers.issuer(slug: issuer.slug).email == "credentials@tu.berlin")
        try await storage.issuers.create(Self.issuer("ihk-muenchen"))
        #expect(try await storage.issuers.issuers().map(\.slug) == ["ihk-muenchen", "tu-berlin"])
        await expectError(.conflict) { try await storage.issuers.create(Self.issuer()) }
        await expectError(.notFound) { _ = try await storage.issuers.issuer(slug: "nobody") }
        await expectError(.notFound) { try await storage.issuers.update(Self.issuer("nobody")) }
    }

    @Test("the schema refuses bad issuer fields, and nothing is stored", arguments: [
        { (i: inout Issuer) in i.country = "Germany" }, { i in i.country = "de" }, { i in i.slug = "TU Berlin" },
        { i in i.slug = "" }, { i in i.name = "  " }, { i in i.homepage = "ftp://tu.berlin" }, { i in i.email = "nobody" },
    ] as [@Sendable (inout Issuer) -> Void])
    func issuerConstraints(change: @Sendable (inout Issuer) -> Void) async throws {
        let storage = try SQLiteStorage.inMemory()
        var issuer = Self.issuer()
        change(&issuer)
        await expectError(.constraint) { try await storage.issuers.create(issuer) }
        #expect(try await storage.issuers.issuers().isEmpty)
    }

    @Test("key rotation: a new active key retires the old one of its purpose and algorithm, which stays listed")
    func keyRotation() async throws {
        let storage = try SQLiteStorage.inMemory()
        let issuer = Self.issuer()
        try await storage.issuers.create(issuer)
        await expectError(.notFound) { _ = try await storage.signingKeys.activeKey(issuerID: issuer.id, algorithm: "EdDSA") }
        let first = Self.key(issuer.id, at: Date(timeIntervalSince1970: 1_700_000_000))
        try await storage.signingKeys.add(first)
        let second = Self.key(issuer.id, at: Date(timeIntervalSince1970: 1_800_000_000))
        try await storage.signingKeys.add(second)
        #expect(try await storage.signingKeys.activeKey(issuerID: issuer.id, algorithm: "EdDSA").id == second.id)
        let keys = try await storage.signingKeys.keys(issuerID: issuer.id)
        #expect(keys.map(\.id) == [second.id, first.id])
        #expect(keys[1].active == false && keys[1].retiredAt == second.createdAt)
        // Another algorithm, or a seal, is active beside it and retires nothing.
        var rsa = Self.key(issuer.id, at: Date(timeIntervalSince1970: 1_800_000_001))
        rsa.algorithm = "RS256"
        try await storage.signingKeys.add(rsa)
        var seal = Self.key(issuer.id, at: Date(timeIntervalSince1970: 1_800_000_002))
        (seal.algorithm, seal.purpose, seal.certificatePath) = ("ES256", .sealing, "/etc/nachweis/seal.pem")
        try await storage.signingKeys.add(seal)
        #expect(Set(try await storage.signingKeys.activeKeys(issuerID: issuer.id).map(\.id)) == [second.id, rsa.id, seal.id])
        #expect(try await storage.signingKeys.activeKey(issuerID: issuer.id, purpose: .sealing, algorithm: "ES256").id == seal.id)
        // A seal needs its certificate.
        var bare = Self.key(issuer.id, active: false)
        (bare.purpose, bare.certificatePath) = (.sealing, nil)
        await expectError(.constraint) { try await storage.signingKeys.add(bare) }
        // A key for an issuer that does not exist, or with an unknown algorithm, is refused.
        await expectError(.constraint) { try await storage.signingKeys.add(Self.key(UUID())) }
        var unknown = Self.key(issuer.id, active: false)
        unknown.algorithm = "HS256"
        await expectError(.constraint) { try await storage.signingKeys.add(unknown) }
        #expect(try await storage.signingKeys.keys(issuerID: issuer.id).count == 4)
    }

    @Test("API tokens: stored hashed, found by hash, revoked only by their own issuer")
    func tokens() async throws {
        let storage = try SQLiteStorage.inMemory()
        let issuer = Self.issuer(), other = Self.issuer("ihk-muenchen")
        try await storage.issuers.create(issuer)
        try await storage.issuers.create(other)
        let secret = try APITokenSecret.generate()
        #expect(secret.text.hasPrefix("nw_") && secret.text.count == 46)
        #expect(secret.hash.count == 64 && secret.hash != secret.text)
        let token = APIToken(issuerID: issuer.id, label: "registrar", secretHash: secret.hash)
        try await storage.apiTokens.add(token)
        #expect(try await storage.apiTokens.token(secretHash: APITokenSecret(text: secret.text).hash) == token)
        #expect(try await storage.apiTokens.token(secretHash: try APITokenSecret.generate().hash) == nil)
        await expectError(.conflict) { try await storage.apiTokens.add(APIToken(issuerID: issuer.id, label: "copy", secretHash: secret.hash)) }
        await expectError(.constraint) { try await storage.apiTokens.add(APIToken(issuerID: issuer.id, label: "raw", secretHash: secret.text)) }
        // Another issuer cannot revoke it; its own issuer can, once or twice.
        await expectError(.notFound) { try await storage.apiTokens.revoke(tokenID: token.id, issuerID: other.id, at: Date()) }
        #expect(try await storage.apiTokens.token(secretHash: secret.hash)?.isRevoked == false)
        let when = Date(timeIntervalSince1970: 1_750_000_000)
        try await storage.apiTokens.revoke(tokenID: token.id, issuerID: issuer.id, at: when)
        try await storage.apiTokens.revoke(tokenID: token.id, issuerID: issuer.id, at: Date())
        #expect(try await storage.apiTokens.token(secretHash: secret.hash)?.revokedAt == when)
        #expect(try await storage.apiTokens.tokens(issuerID: issuer.id).count == 1)
    }
}
