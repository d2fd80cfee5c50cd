import Foundation
import NachweisCrypto
@testable import NachweisStore
import NachweisTestSupport
import Testing

/// Storing issued credentials: reserved status entries, group commit, the schema's own refusals.
@Suite("Credential storage")
struct CredentialStoreTests {
    struct Fixture {
        let storage: SQLiteStorage
        let issuer: Issuer
        let achievement: Achievement
    }

    static func fixture(file: Bool = false) async throws -> Fixture {
        let storage = file
            ? try SQLiteStorage.open(path: try TestEnvironment.temporaryDirectory().appendingPathComponent("nachweis.sqlite").path)
            : try SQLiteStorage.inMemory()
        let (tu, _) = try await StatusListStoreTests.issuers(storage)
        let achievement = AchievementStoreTests.microCredential(tu.id)
        try await storage.achievements.create(achievement)
        return Fixture(storage: storage, issuer: tu, achievement: achievement)
    }

    static func credential(_ f: Fixture, key: String?, revocation: StatusAllocation, suspension: StatusAllocation) -> IssuedCredential {
        IssuedCredential(id: UUID(), issuerID: f.issuer.id, achievementID: f.achievement.id, format: .ob3JWT, recipient: "did:example:ada",
                         idempotencyKey: key, document: "eyJhbGciOiJFZERTQSJ9.e30.c2ln", revocation: revocation, suspension: suspension)
    }

    @Test("time-ordered ids (UUID version 7): version and variant bits, the time in front, ordered by time, random after it")
    func timeOrderedIDs() throws {
        let early = Date(timeIntervalSince1970: 1_790_000_000.123), later = early.addingTimeInterval(0.001)
        let a = UUID.timeOrdered(at: early), b = UUID.timeOrdered(at: later), c = UUID.timeOrdered(at: later)
        for id in [a, b, c] {
            let text = id.uuidString.lowercased()
            #expect(Array(text)[14] == "7", "\(text)")  // version
            #expect("89ab".contains(Array(text)[19]), "\(text)")  // variant 10
        }
        // The first 48 bits are the milliseconds since 1970.
        #expect(a.uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12) == String(1_790_000_000_123, radix: 16).leftPadded(12))
        #expect(a.uuidString < b.uuidString && a.uuidString < c.uuidString)
        #expect(b != c)
        #expect(Set((0..<1000).map { _ in UUID.timeOrdered(at: early) }).count == 1000)
    }

    @Test("reserved entries: unique, random, counted as used; a credential takes two of them, and no one else can take them")
    func reservations() async throws {
        let f = try await Self.fixture()
        let revocations = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .revocation, count: 100, size: 256)
        let suspensions = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .suspension, count: 100, size: 256)
        #expect(Set(revocations).count == 100 && Set(suspensions).count == 100)
        let lists = try await f.storage.statusLists.lists(issuerID: f.issuer.id)
        #expect(lists.count == 2 && lists.allSatisfy { $0.used == 100 })
        // 100 more revocation entries: 28 fit in the half-used first list, the rest start a second one.
        let more = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .revocation, count: 100, size: 256)
        #expect(Set(more.map(\.listID)).count == 2 && Set(more + revocations).count == 200)

        let first = Self.credential(f, key: "a", revocation: revocations[0], suspension: suspensions[0])
        try await f.storage.credentials.add(first)
        #expect(try await f.storage.credentials.credential(id: first.id, issuerID: f.issuer.id) == first)
        // The same entries for another credential: refused, nothing stored.
        let thief = Self.credential(f, key: "b", revocation: revocations[0], suspension: suspensions[1])
        await #expect(throws: StoreError.self) { try await f.storage.credentials.add(thief) }
        await #expect(throws: StoreError.self) { _ = try await f.storage.credentials.credential(id: thief.id, issuerID: f.issuer.id) }
        // An index never handed out: refused too.
        let handedOut = Set(revocations + more)
        let free = try #require((0..<256).map { StatusAllocation(listID: revocations[1].listID, index: $0) }.first { !handedOut.contains($0) })
        let invented = Self.credential(f, key: "c", revocation: free, suspension: suspensions[2])
        await #expect(throws: StoreError.self) { try await f.storage.credentials.add(invented) }
        // The entry of the refused thief is still free for its rightful owner.
        try await f.storage.credentials.add(Self.credential(f, key: "d", revocation: revocations[1], suspension: suspensions[1]))
    }

    @Test("an entry is taken only from this store's own reservations: not one reserved before a restart, not one given out by allocate")
    func reservationsOfThisStore() async throws {
        let path = try TestEnvironment.temporaryDirectory().appendingPathComponent("nachweis.sqlite").path
        let before = try SQLiteStorage.open(path: path)
        let (tu, _) = try await StatusListStoreTests.issuers(before)
        let achievement = AchievementStoreTests.microCredential(tu.id)
        try await before.achievements.create(achievement)
        let revocations = try await before.statusLists.reserve(issuerID: tu.id, purpose: .revocation, count: 2, size: 256)
        let suspensions = try await before.statusLists.reserve(issuerID: tu.id, purpose: .suspension, count: 2, size: 256)
        // The same database opened again (a restart): the earlier reservations are not this store's.
        let after = try SQLiteStorage.open(path: path)
        let f = Fixture(storage: after, issuer: tu, achievement: achievement)
        let stale = Self.credential(f, key: "stale", revocation: revocations[0], suspension: suspensions[0])
        let error = await #expect(throws: StoreError.self) { try await after.credentials.add(stale) }
        #expect(error?.code == .constraint)
        await #expect(throws: StoreError.self) { _ = try await after.credentials.credential(id: stale.id, issuerID: tu.id) }
        // The store that reserved them still can.
        try await before.credentials.add(Self.credential(Fixture(storage: before, issuer: tu, achievement: achievement), key: "fresh",
                                                         revocation: revocations[1], suspension: suspensions[1]))
        // An allocated entry belongs to the credential named when it was allocated, not to whoever stores one.
        let allocated = try await after.statusLists.allocate(issuerID: tu.id, purpose: .revocation, credentialID: UUID(), size: 256)
        let ownSuspension = try await after.statusLists.reserve(issuerID: tu.id, purpose: .suspension, count: 1, size: 256)[0]
        await #expect(throws: StoreError.self) {
            try await after.credentials.add(Self.credential(f, key: "x", revocation: allocated, suspension: ownSuspension))
        }
        let ownRevocation = try await after.statusLists.reserve(issuerID: tu.id, purpose: .revocation, count: 1, size: 256)[0]
        try await after.credentials.add(Self.credential(f, key: "x", revocation: ownRevocation, suspension: ownSuspension))
    }

    @Test("SQLite's memory statistics are off (each allocation otherwise takes a process-wide mutex): configured before the first connection")
    func memoryStatisticsOff() async throws {
        let storage = try SQLiteStorage.open(path: try TestEnvironment.temporaryDirectory().appendingPathComponent("nachweis.sqlite").path)
        _ = try await StatusListStoreTests.issuers(storage)
        #expect(SQLiteStorage.configureSQLite() == 0, "SQLITE_OK: no connection was opened before the settings")
        #expect(SQLiteStorage.sqliteMemoryCounted() == 0)
    }

    @Test("checkpoints off the committing thread: the log's pages reach the database file long before the writer's own checkpoint would run")
    func backgroundCheckpoints() async throws {
        let path = try TestEnvironment.temporaryDirectory().appendingPathComponent("nachweis.sqlite").path
        let storage = try SQLiteStorage.open(path: path, checkpointInterval: 20)
        let (tu, _) = try await StatusListStoreTests.issuers(storage)
        let achievement = AchievementStoreTests.microCredential(tu.id)
        try await storage.achievements.create(achievement)
        let f = Fixture(storage: storage, issuer: tu, achievement: achievement)
        let size = { (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        let before = try size()
        let revocations = try await storage.statusLists.reserve(issuerID: tu.id, purpose: .revocation, count: 200, size: 131_072)
        let suspensions = try await storage.statusLists.reserve(issuerID: tu.id, purpose: .suspension, count: 200, size: 131_072)
        let credentials = (0..<200).map { i in
            var credential = Self.credential(f, key: "k\(i)", revocation: revocations[i], suspension: suspensions[i])
            // Random base64url: stored packed, it still takes about 3 KB (what an issued VC-JWT took before packing).
            credential.document = Base64URL.encode((0..<3000).map { _ in UInt8.random(in: 0...255) })
            return credential
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for credential in credentials { group.addTask { try await storage.credentials.add(credential) } }
            try await group.waitForAll()
        }
        storage.checkpointer?.settle()
        // 200 credentials of 3 KB are about 600 log pages, under the writer's own threshold: only the checkpointer copies them.
        #expect(SQLiteStorage.writerCheckpointPages > 1000)
        let after = try size()
        #expect(after > before + 200 * 3000, "database file \(after) bytes, \(before) before")
        // Everything reads back, from a second store on the same file too.
        let reopened = try SQLiteStorage.open(path: path)
        for credential in credentials.prefix(20) {
            #expect(try await reopened.credentials.credential(id: credential.id, issuerID: tu.id).document == credential.document)
        }
    }

    @Test("group commit: 40 concurrent adds to a file database, two of them reusing a key — those two alone are refused")
    func groupCommit() async throws {
        let f = try await Self.fixture(file: true)
        let revocations = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .revocation, count: 40, size: 131_072)
        let suspensions = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .suspension, count: 40, size: 131_072)
        let credentials = (0..<40).map { i in
            Self.credential(f, key: i == 17 || i == 33 ? "k3" : "k\(i)", revocation: revocations[i], suspension: suspensions[i])
        }
        let outcomes = await withTaskGroup(of: (Int, StoreError?).self) { group in
            for (i, credential) in credentials.enumerated() {
                group.addTask {
                    do throws(StoreError) { try await f.storage.credentials.add(credential); return (i, nil) } catch { return (i, error) }
                }
            }
            return await group.reduce(into: [Int: StoreError?]()) { $0[$1.0] = $1.1 }
        }
        let refused = outcomes.filter { $0.value != nil }
        // k3 is used by three credentials (3, 17, 33): whichever came first is stored, the other two are conflicts.
        #expect(refused.count == 2 && refused.allSatisfy { $0.value?.code == .conflict && [3, 17, 33].contains($0.key) }, "\(refused)")
        for (i, credential) in credentials.enumerated() where outcomes[i] ?? nil == nil {
            #expect(try await f.storage.credentials.credential(id: credential.id, issuerID: f.issuer.id).document == credential.document)
        }
        // The refused ones' entries stay unclaimed: a later credential can take them.
        let (loser, _) = try #require(refused.first)
        try await f.storage.credentials.add(Self.credential(f, key: "late", revocation: revocations[loser], suspension: suspensions[loser]))
    }

    @Test("no credential for an archived achievement, whatever the caller believed; nothing stored")
    func archivedAchievement() async throws {
        let f = try await Self.fixture()
        var archived = f.achievement
        archived.archived = true
        try await f.storage.achievements.update(archived)
        let revocation = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .revocation, count: 1, size: 256)[0]
        let suspension = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .suspension, count: 1, size: 256)[0]
        let credential = Self.credential(f, key: nil, revocation: revocation, suspension: suspension)
        let error = await #expect(throws: StoreError.self) { try await f.storage.credentials.add(credential) }
        #expect(error?.code == .constraint && error?.message.contains("archived") == true)
        await #expect(throws: StoreError.self) { _ = try await f.storage.credentials.credential(id: credential.id, issuerID: f.issuer.id) }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
