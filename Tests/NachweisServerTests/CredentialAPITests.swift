import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NachweisDocuments
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData
@testable import NachweisServer
import NachweisStatus
import NachweisStore
import NachweisTestSupport
import Testing

/// Issuing OB 3.0 credentials through a live server, and their revocation, suspension and reinstatement.
@Suite("Issuing and revocation API", .timeLimit(.minutes(3)))
struct CredentialAPITests {
    struct Setup {
        let f: IssuerAPITests.Fixture
        let key: PrivateKey
        let achievementID: String
    }

    static func setUp(selfAddressed: Bool = false) async throws -> Setup {
        let f = try await IssuerAPITests.fixture(selfAddressed: selfAddressed)
        let key = try PrivateKey.generate(.ed25519)
        let keyFile = try TestEnvironment.temporaryDirectory().appendingPathComponent("issuer.pem")
        try Data(try key.pemRepresentation().utf8).write(to: keyFile)
        try await f.server.storage.signingKeys.add(SigningKey(issuerID: f.tu.id, algorithm: "EdDSA",
                                                              publicJWK: try JWK(publicKey: key.publicKey).jsonText, privateKeyPath: keyFile.path))
        let created = try await f.server.request("POST", "/api/v1/issuers/tu-berlin/achievements", token: f.tuToken,
                                                 body: AchievementAPITests.microCredential)
        let id = try #require(try JSONParser().parse(Array(created.body.utf8))["id"]?.stringValue)
        return Setup(f: f, key: key, achievementID: id)
    }

    static func verifier(_ server: LiveServer) async throws -> DataIntegrity {
        let did = try JSONParser().parse(Array(try await server.request("GET", "/issuers/tu-berlin/did.json").body.utf8))
        var methods: [String: String] = [:]
        for method in did["verificationMethod"]?.arrayValue ?? [] {
            if let id = method["id"]?.stringValue, let key = method["publicKeyMultibase"]?.stringValue { methods[id] = key }
        }
        return DataIntegrity(processor: JSONLDProcessor(loader: try ShippedContexts.loader()),
                             resolver: StatusListDocumentTests.DocumentResolver(methods: methods))
    }

    /// openbadgeslib's verdict on a credential, with the shipped contexts as its only documents.
    static func openbadgeslib(_ credential: JSONValue, key: PrivateKey) async throws -> JSONValue {
        var contexts = JSONObject()
        for (url, entry) in ShippedContexts.entries { contexts[url] = .string(ShippedContexts.directory.appendingPathComponent(entry.file).path) }
        let request: JSONValue = ["contexts": .object(contexts), "tasks": [["op": "obl_verify", "document": credential,
                                                                             "public_key_pem": .string(try key.publicKey.pemRepresentation())]]]
        let result = try await runProcessOffPool(try TestEnvironment.python(), [TestEnvironment.interopScript("ldp_peer.py")], input: Data(request.compactText.utf8))
        #expect(result.status == 0, "\(result.standardError)")
        return try JSONParser().parse(Array(result.standardOutput))["results"]?.arrayValue?.first ?? .null
    }

    @Test("an OB 3.0 credential to a hashed email: schema-valid, verifies here and in openbadgeslib; the same Idempotency-Key never issues twice")
    func issue() async throws {
        let s = try await Self.setUp()
        defer { s.f.server.stop() }
        let body = #"{"achievement": "\#(s.achievementID)", "recipient": {"email": "Ada@Example.org"}}"#
        let first = try await s.f.server.request("POST", "/api/v1/issuers/tu-berlin/credentials", token: s.f.tuToken, body: body,
                                                 headers: ["Idempotency-Key": "enrolment-4711"])
        #expect(first.status == 201, "\(first.body)")
        #expect(first.headers["content-type"] == "application/vc+ld+json")
        let credential = try JSONParser().parse(Array(first.body.utf8))
        #expect(!first.body.lowercased().contains("ada@example.org"))
        let identity = try #require(credential["credentialSubject"]?["identifier"]?.arrayValue?.first)
        #expect(RecipientHash.matchesForTest(identity))
        #expect(credential["credentialStatus"]?.arrayValue?.count == 2)
        let results = try await Self.verifier(s.f.server).verify(credential)
        #expect(results.count == 1 && results.allSatisfy(\.isValid), "\(results)")
        let peer = try await Self.openbadgeslib(credential, key: s.key)
        #expect(peer["valid"] == true, "\(peer)")

        let again = try await s.f.server.request("POST", "/api/v1/issuers/tu-berlin/credentials", token: s.f.tuToken, body: body,
                                                 headers: ["Idempotency-Key": "enrolment-4711"])
        #expect(again.status == 200 && again.body == first.body)
        let other = try await s.f.server.request("POST", "/api/v1/issuers/tu-berlin/credentials", token: s.f.tuToken, body: body,
                                                 headers: ["Idempotency-Key": "enrolment-4712"])
        #expect(other.status == 201 && other.body != first.body)
    }

    @Test("revoke (final, with reason), suspend and reinstate set exactly the right bits in the served status lists")
    func lifecycle() async throws {
        let s = try await Self.setUp()
        defer { s.f.server.stop() }
        func issue() async throws -> JSONValue {
            let reply = try await s.f.server.request("POST", "/api/v1/issuers/tu-berlin/credentials", token: s.f.tuToken,
                                                     body: #"{"achievement": "\#(s.achievementID)", "recipient": {"did": "did:example:learner"}}"#)
            #expect(reply.status == 201, "\(reply.body)")
            return try JSONParser().parse(Array(reply.body.utf8))
        }
        let a = try await issue(), b = try await issue()
        func path(_ credential: JSONValue, _ action: String) -> String {
            "/api/v1/issuers/tu-berlin/credentials/\(credential["id"]!.stringValue!.dropFirst("urn:uuid:".count))/\(action)"
        }
        func bit(_ credential: JSONValue, _ purpose: String) async throws -> Bool {
            let entry = try #require(credential["credentialStatus"]?.arrayValue?.first { $0["statusPurpose"]?.stringValue == purpose })
            let listURL = try #require(entry["statusListCredential"]?.stringValue)
            let url = try #require(URL(string: listURL))
            let list = try JSONParser().parse(Array(try await s.f.server.request("GET", url.path).body.utf8))
            let encoded = try #require(list["credentialSubject"]?["encodedList"]?.stringValue)
            let index = try #require(entry["statusListIndex"]?.stringValue.flatMap { Int($0) })
            return try Bitstring(encoded: encoded)[index]
        }
        let revoked = try await s.f.server.request("POST", path(a, "revoke"), token: s.f.tuToken, body: #"{"reason": "issued in error"}"#)
        #expect(revoked.status == 200 && revoked.body.contains(#""state":"revoked""#) && revoked.body.contains("issued in error"))
        let aRevoked = try await bit(a, "revocation"), bRevoked = try await bit(b, "revocation")
        #expect(aRevoked && !bRevoked)
        #expect(try await s.f.server.request("POST", path(a, "reinstate"), token: s.f.tuToken).status == 409)
        #expect(try await s.f.server.request("POST", path(b, "suspend"), token: s.f.tuToken).status == 200)
        let suspended = try await bit(b, "suspension")
        #expect(suspended)
        #expect(try await s.f.server.request("POST", path(b, "reinstate"), token: s.f.tuToken).status == 200)
        let stillSuspended = try await bit(b, "suspension")
        #expect(!stillSuspended)
        // Another issuer's token, or another issuer's path: nothing changes.
        #expect(try await s.f.server.request("POST", path(b, "revoke"), token: s.f.ihkToken).status == 403)
        let foreign = path(b, "revoke").replacingOccurrences(of: "tu-berlin", with: "ihk-muenchen")
        #expect(try await s.f.server.request("POST", foreign, token: s.f.ihkToken).status == 404)
        let finallyRevoked = try await bit(b, "revocation")
        #expect(!finallyRevoked)
    }

    @Test("concurrent revocations and suspensions of different credentials all land: an independent decoder sees exactly their bits")
    func concurrentChanges() async throws {
        let s = try await Self.setUp()
        defer { s.f.server.stop() }
        var credentials: [JSONValue] = []
        for n in 0..<12 {
            let reply = try await s.f.server.request("POST", "/api/v1/issuers/tu-berlin/credentials", token: s.f.tuToken,
                                                     body: #"{"achievement": "\#(s.achievementID)", "recipient": {"did": "did:example:learner-\#(n)"}}"#)
            credentials.append(try JSONParser().parse(Array(reply.body.utf8)))
        }
        // Six revoked and four suspended at once; two left alone.
        let actions = (0..<12).map { $0 < 6 ? "revoke" : $0 < 10 ? "suspend" : nil }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for (credential, action) in zip(credentials, actions) {
                guard let action, let id = credential["id"]?.stringValue?.dropFirst("urn:uuid:".count) else { continue }
                group.addTask { try await s.f.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(id)/\(action)", token: s.f.tuToken).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 10 && statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        for (purpose, expected) in [("revocation", 0..<6), ("suspension", 6..<10)] {
            let entries = credentials.compactMap { $0["credentialStatus"]?.arrayValue?.first { $0["statusPurpose"]?.stringValue == purpose } }
            let listURL = try #require(entries.first?["statusListCredential"]?.stringValue)
            #expect(entries.allSatisfy { $0["statusListCredential"]?.stringValue == listURL })
            let list = try JSONParser().parse(Array(try await s.f.server.request("GET", try #require(URL(string: listURL)).path).body.utf8))
            let encoded = try #require(list["credentialSubject"]?["encodedList"]?.stringValue)
            let indices = entries.compactMap { $0["statusListIndex"]?.stringValue.flatMap { Int($0) } }
            let request: JSONValue = ["encodedList": .string(encoded), "indices": .array(indices.map { .number(JSONNumber($0)) })]
            let peer = try await runProcessOffPool(try TestEnvironment.python(), [TestEnvironment.interopScript("status_peer.py")], input: Data(request.compactText.utf8))
            let decoded = try JSONParser().parse(Array(peer.standardOutput))
            let set = Set(decoded["all"]?.arrayValue?.compactMap { $0.numberValue?.intValue } ?? [])
            #expect(set == Set(expected.map { indices[$0] }), "\(purpose): \(set.sorted()) vs \(expected.map { indices[$0] }.sorted())")
        }
    }

    @Test("many concurrent issues share one reservation of status entries at a time: distinct entries, lists not filled by a herd")
    func concurrentReservations() async throws {
        let s = try await Self.setUp()
        defer { s.f.server.stop() }
        let storage = s.f.server.storage
        let service = try IssuingService(storage: storage, publicBaseURL: s.f.server.baseURL)
        let achievement = try #require(UUID(uuidString: s.achievementID))
        let issued = try await withThrowingTaskGroup(of: IssuedCredential.self) { group in
            for n in 0..<300 {
                group.addTask {
                    try await service.issue(issuer: s.f.tu, .init(achievementID: achievement, recipient: .did("did:example:learner-\(n)"), format: .ob3JWT(.eddsa))).credential
                }
            }
            return try await group.reduce(into: [IssuedCredential]()) { $0.append($1) }
        }
        #expect(issued.count == 300)
        #expect(Set(issued.compactMap(\.revocation)).count == 300 && Set(issued.compactMap(\.suspension)).count == 300)
        // One batch of 2 048 per purpose covers them (each of 300 requests reserving its own batch reserved 614 400).
        let used = try await storage.statusLists.lists(issuerID: s.f.tu.id).reduce(into: [StatusList.Purpose: Int]()) { $0[$1.purpose, default: 0] += $1.used }
        #expect(used[.revocation] == 2_048 && used[.suspension] == 2_048, "\(used)")
    }

    @Test("a repeated idempotency key answers with the first credential, and the entries the repeat took go back to the pool")
    func refusedEntriesReturn() async throws {
        let s = try await Self.setUp()
        defer { s.f.server.stop() }
        let service = try IssuingService(storage: s.f.server.storage, publicBaseURL: s.f.server.baseURL)
        let achievement = try #require(UUID(uuidString: s.achievementID))
        func issue(_ key: String) async throws -> IssuingService.Issued {
            try await service.issue(issuer: s.f.tu, .init(achievementID: achievement, recipient: .did("did:example:ada"), format: .ob3JWT(.eddsa),
                                                          idempotencyKey: key))
        }
        let first = try await issue("k1")
        #expect(first.created)
        let pooled = (service.cache.pooled(issuerID: s.f.tu.id, purpose: .revocation), service.cache.pooled(issuerID: s.f.tu.id, purpose: .suspension))
        for _ in 0..<3 {
            let repeated = try await issue("k1")
            #expect(!repeated.created && repeated.credential.id == first.credential.id && repeated.credential.revocation == first.credential.revocation)
        }
        // Each repeat took two entries and gave them back: the pools are as they were, and the next credential gets
        // distinct entries that still store (they were reserved by this store and never taken).
        #expect(service.cache.pooled(issuerID: s.f.tu.id, purpose: .revocation) == pooled.0)
        #expect(service.cache.pooled(issuerID: s.f.tu.id, purpose: .suspension) == pooled.1)
        let next = try await issue("k2")
        #expect(next.created && next.credential.revocation != first.credential.revocation && next.credential.suspension != first.credential.suspension)
    }

    @Test("credentials of one achievement embed one copy of its issuer and achievement, found valid by our schema once; an edit builds them again")
    func sharedParts() async throws {
        let s = try await Self.setUp()
        defer { s.f.server.stop() }
        let service = try IssuingService(storage: s.f.server.storage, publicBaseURL: s.f.server.baseURL)
        let achievementID = try #require(UUID(uuidString: s.achievementID))
        var documents: [JSONValue] = []
        for _ in 0..<2 {
            let issued = try await service.issue(issuer: s.f.tu, .init(achievementID: achievementID, recipient: .email("ada@example.org"),
                                                                      format: .ob3JWT(.eddsa)))
            documents.append(try JSONParser().parse(try Base64URL.decode(String(issued.credential.document.split(separator: ".")[1]))))
        }
        let achievement = try await service.cache.achievement(achievementID, issuerID: s.f.tu.id, storage: s.f.server.storage)
        var built = 0
        let build = { (issuer: Issuer, achievement: NachweisStore.Achievement) in
            built += 1
            return service.builder.sharedParts(issuer, achievement)
        }
        let parts = service.cache.sharedParts(s.f.tu, achievement, build: build)
        #expect(built == 0 && parts.memo.findings > 0)
        for document in documents {
            #expect(document["credentialSubject"]?["achievement"] == .object(parts.achievementObject))
            #expect(document["issuer"] == .object(parts.profile))
        }
        var edited = achievement
        edited.name = "Renamed"
        let rebuilt = service.cache.sharedParts(s.f.tu, edited, build: build)
        #expect(built == 1 && rebuilt.achievementObject["name"] == "Renamed" && rebuilt.memo.findings == 0)
    }

    @Test("issuing refusals: unknown or archived achievement 422, bad recipient 400, unknown field 400; nothing stored")
    func refusals() async throws {
        let s = try await Self.setUp()
        defer { s.f.server.stop() }
        _ = try await s.f.server.request("POST", "/api/v1/issuers/tu-berlin/achievements/\(s.achievementID)/archive", token: s.f.tuToken)
        for (body, status) in [(#"{"achievement": "\#(UUID().uuidString)", "recipient": {"did": "did:example:x"}}"#, 422),
                               (#"{"achievement": "\#(s.achievementID)", "recipient": {"did": "did:example:x"}}"#, 422),
                               (#"{"achievement": "\#(s.achievementID)", "recipient": {"email": "nobody"}}"#, 400),
                               (#"{"achievement": "\#(s.achievementID)", "recipient": {"email": "a@b.c", "did": "did:x:y"}}"#, 400),
                               (#"{"achievement": "\#(s.achievementID)", "recipient": {"did": "did:example:x"}, "validUntil": "2030"}"#, 400)] {
            let reply = try await s.f.server.request("POST", "/api/v1/issuers/tu-berlin/credentials", token: s.f.tuToken, body: body)
            #expect(reply.status == status, "\(body): \(reply.status) \(reply.body)")
        }
        #expect(try await s.f.server.storage.statusLists.lists(issuerID: s.f.tu.id).allSatisfy { $0.used == 0 })
    }
}

extension RecipientHash {
    /// Whether an IdentityObject hashes "ada@example.org" with its salt (the address is lower-cased before hashing).
    static func matchesForTest(_ identity: JSONValue) -> Bool {
        matches(identity: "ada@example.org", hashed: identity["hashed"] == true, value: identity["identityHash"]?.stringValue,
                salt: identity["salt"]?.stringValue)
    }
}
