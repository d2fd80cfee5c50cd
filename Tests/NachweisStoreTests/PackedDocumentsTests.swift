import Foundation
import GRDB
import NachweisCrypto
@testable import NachweisStore
import NachweisTestSupport
import Testing

/// Issued documents packed at rest (``DocumentPacking``, ``DocumentDictionaries``): exact round trips, small rows,
/// damaged values refused, rows from before v14 still read.
@Suite("Packed documents")
struct PackedDocumentsTests {
    /// A VC-JWT-shaped compact JWS: a JSON payload with the given id and recipient hash, an Ed25519-sized signature.
    static func jws(id: String, hash: String, name: String = "Data Literacy für KMU",
                    description: String = "Read, question and present data.") -> String {
        let header = Base64URL.encode(Array(#"{"alg":"EdDSA","kid":"did:web:uni.example#key-1","typ":"JWT"}"#.utf8))
        let payload = #"{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"# +
            #""id":"urn:uuid:\#(id)","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"did:web:uni.example","type":["Profile"],"# +
            #""name":"Universität Beispiel","url":"https://uni.example"},"validFrom":"2026-11-22T13:30:48Z","name":"\#(name)","# +
            #""credentialSubject":{"type":["AchievementSubject"],"identifier":[{"type":"IdentityObject","hashed":true,"# +
            #""identityHash":"sha256$\#(hash)","identityType":"emailAddress"}],"achievement":{"id":"https://uni.example/achievements/1","# +
            #""type":["Achievement"],"name":"\#(name)","description":"\#(description)","criteria":{"narrative":"Final project"}}},"# +
            #""iss":"did:web:uni.example","jti":"urn:uuid:\#(id)","nbf":1795354248}"#
        let signature = Base64URL.encode((0..<64).map { _ in UInt8.random(in: 0...255) })
        return header + "." + Base64URL.encode(Array(payload.utf8)) + "." + signature
    }

    static func randomHex(_ bytes: Int) -> String { (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined() }

    static func packed(_ document: String, jws: Bool, dictionary: [UInt8]) -> [UInt8] {
        let (layout, plain) = DocumentPacking.plain(document, jws: jws)
        return DocumentPacking.pack(layout, plain, dictionary: dictionary, index: DocumentPacking.index(dictionary))
    }

    @Test("round trips byte for byte: a compact JWS (payload decoded), JSON, text that only looks like a JWS, empty and huge dictionaries")
    func roundTrips() throws {
        let earlier = Self.jws(id: UUID().uuidString.lowercased(), hash: Self.randomHex(32))
        let dictionary = DocumentPacking.plain(earlier, jws: true).1
        let documents: [(String, Bool, DocumentPacking.Layout)] = [
            (Self.jws(id: UUID().uuidString.lowercased(), hash: Self.randomHex(32)), true, .compactJWS),
            (#"{"id":"urn:uuid:1","name":"Ünïcödé ✓","n":[1,2.50,3e2]}"#, false, .text),
            ("eyJhbGciOiJub25lIn0.eyJ9.", true, .compactJWS),  // an empty signature segment
            ("eyJhbGciOiJFZERTQSJ9.e31.c2ln", true, .text),  // "e31": unused bits set, not canonical — kept as text
            ("a.b.c.d", true, .text),  // four segments
            ("no dots at all", true, .text),
            ("", false, .text),
        ]
        for (document, jws, layout) in documents {
            #expect(DocumentPacking.plain(document, jws: jws).0 == layout, "\(document)")
            for dictionary in [dictionary, [], Array(repeating: UInt8(ascii: "a"), count: 40_000)] {
                let packed = Self.packed(document, jws: jws, dictionary: dictionary)
                #expect(try DocumentPacking.unpack(packed, dictionary: dictionary) == document)
            }
        }
    }

    @Test("against an earlier credential of the same achievement, a VC-JWT packs to under a fifth of its size")
    func small() throws {
        let first = Self.jws(id: UUID().uuidString.lowercased(), hash: Self.randomHex(32))
        let second = Self.jws(id: UUID().uuidString.lowercased(), hash: Self.randomHex(32))
        let dictionary = DocumentPacking.plain(first, jws: true).1
        let packed = Self.packed(second, jws: true, dictionary: dictionary)
        #expect(packed.count * 5 < second.utf8.count, "\(packed.count) of \(second.utf8.count) bytes")
        // Without the dictionary it is still smaller than its base64url text, but far from that.
        #expect(Self.packed(second, jws: true, dictionary: []).count > 2 * packed.count)
    }

    @Test("damaged values and the wrong dictionary are typed errors, never another document")
    func damaged() throws {
        let document = Self.jws(id: UUID().uuidString.lowercased(), hash: Self.randomHex(32))
        let dictionary = DocumentPacking.plain(Self.jws(id: "x", hash: "y"), jws: true).1
        let packed = Self.packed(document, jws: true, dictionary: dictionary)
        func refused(_ value: [UInt8], dictionary: [UInt8] = dictionary, _ comment: Comment) {
            #expect(throws: StoreError.self, comment) { try DocumentPacking.unpack(value, dictionary: dictionary) }
        }
        var another = dictionary
        another[another.count / 2] ^= 1
        refused(packed, dictionary: another, "another dictionary (one byte differs)")
        refused(packed, dictionary: [], "no dictionary")
        refused(Array(packed.dropLast()), "cut short")
        refused(Array(packed.prefix(3)), "cut to its header")
        var flipped = packed
        flipped[packed.count / 2] ^= 0x40
        refused(flipped, "one bit flipped in the runs")
        var layout = packed
        layout[0] = 9
        refused(layout, "an unknown layout")
        refused([1, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F] + packed.dropFirst(2), "a plain length of terabytes")
        refused([1, 0x80, 0x80], "a length cut short")
        refused([], "nothing")
        // The layout byte alone changed (JWS read as text): its checksum covers it (this once read as another document).
        for other: UInt8 in [0, 1, 2] {
            var relabelled = packed
            relabelled[0] = other
            refused(relabelled, "layout \(other)")
        }
        // A plain length one byte off: the stream ends elsewhere.
        var length = packed
        length[1] ^= 1
        refused(length, "a length one off")
    }

    @Test("random bytes and randomly mutated values never crash the reader: a typed error, or (checksum holding) the very document")
    func hostileValues() throws {
        let document = Self.jws(id: UUID().uuidString.lowercased(), hash: Self.randomHex(32))
        let dictionary = DocumentPacking.plain(Self.jws(id: "x", hash: "y"), jws: true).1
        let packed = Self.packed(document, jws: true, dictionary: dictionary)
        var generator = SystemRandomNumberGenerator()
        var refused = 0
        for round in 0..<20_000 {
            var value: [UInt8]
            if round % 2 == 0 {
                value = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                value.insert(UInt8.random(in: 0...1, using: &generator), at: 0)  // a known layout, to reach the runs
            } else {
                value = packed
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    value[Int.random(in: 0..<value.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            do {
                let text = try DocumentPacking.unpack(value, dictionary: dictionary)
                if round % 2 == 1 { #expect(text == document, "a mutated value read as another document") }
            } catch {
                refused += 1
            }
        }
        #expect(refused > 15_000)
    }

    @Test("through the store: the first credential of an achievement and format is stored as text and, once stored, makes the dictionary the rest are packed against — one however many issue at once, taken up again after reopening; a refused first one leaves nothing")
    func throughTheStore() async throws {
        let path = try TestEnvironment.temporaryDirectory().appendingPathComponent("nachweis.sqlite").path
        let storage = try SQLiteStorage.open(path: path)
        let (tu, _) = try await StatusListStoreTests.issuers(storage)
        let achievement = AchievementStoreTests.microCredential(tu.id)
        try await storage.achievements.create(achievement)
        let f = CredentialStoreTests.Fixture(storage: storage, issuer: tu, achievement: achievement)
        let revocations = try await storage.statusLists.reserve(issuerID: tu.id, purpose: .revocation, count: 61, size: 131_072)
        let suspensions = try await storage.statusLists.reserve(issuerID: tu.id, purpose: .suspension, count: 61, size: 131_072)
        let credentials = (0..<61).map { i in
            var credential = CredentialStoreTests.credential(f, key: "k\(i)", revocation: revocations[i], suspension: suspensions[i])
            credential.document = Self.jws(id: credential.id.uuidString.lowercased(), hash: Self.randomHex(32))
            return credential
        }
        let count = { (sql: String) in try await storage.writer.read { db in try Int.fetchOne(db, sql: sql) ?? -1 } }

        // A first credential refused (its achievement archived meanwhile): no dictionary from what it sent.
        var archived = achievement
        archived.archived = true
        try await storage.achievements.update(archived)
        await #expect(throws: StoreError.self) { try await storage.credentials.add(credentials[0]) }
        #expect(try await count("SELECT count(*) FROM documentDictionary") == 0)
        try await storage.achievements.update(achievement)

        try await storage.credentials.add(credentials[0])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for credential in credentials.dropFirst() { group.addTask { try await storage.credentials.add(credential) } }
            try await group.waitForAll()
        }
        for credential in credentials {
            #expect(try await storage.credentials.credential(id: credential.id, issuerID: tu.id) == credential)
        }
        let (rows, textRows, dictionaries, largest) = try await storage.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM credential")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM credential WHERE document IS NOT NULL")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM documentDictionary")!,
             try Int.fetchOne(db, sql: "SELECT max(length(packedDocument)) FROM credential")!)
        }
        #expect(rows == 61 && textRows == 1, "the first as text, 60 concurrent ones packed")
        #expect(dictionaries == 1, "60 concurrent adds made \(dictionaries) dictionaries")
        #expect(largest * 4 < credentials[0].document.utf8.count, "\(largest) bytes packed")

        // A second store on the same file takes the stored dictionary up (its first credential stored as text) rather
        // than making another.
        let reopened = try SQLiteStorage.open(path: path)
        // (Status entries are reserved by the store that stores the credential.)
        let revocation = try await reopened.statusLists.reserve(issuerID: tu.id, purpose: .revocation, count: 2, size: 131_072)
        let suspension = try await reopened.statusLists.reserve(issuerID: tu.id, purpose: .suspension, count: 2, size: 131_072)
        for i in 0..<2 {
            var last = CredentialStoreTests.credential(f, key: "last\(i)", revocation: revocation[i], suspension: suspension[i])
            last.document = Self.jws(id: last.id.uuidString.lowercased(), hash: Self.randomHex(32))
            try await reopened.credentials.add(last)
            #expect(try await reopened.credentials.credential(id: last.id, issuerID: tu.id) == last)
        }
        #expect(try await count("SELECT count(*) FROM documentDictionary") == 1)
        #expect(try await count("SELECT count(*) FROM credential WHERE idempotencyKey = 'last1' AND dictionaryID IS NOT NULL") == 1)
        // Revoking changes the state of a packed row, and its document stays as it was.
        let revoked = try await reopened.credentials.setState(.revoked, reason: "test", id: credentials[0].id, issuerID: tu.id)
        #expect(revoked.document == credentials[0].document && revoked.state == .revoked)
    }

    @Test("a large JSON document (a Europass credential's size and more) and an empty one store and read back; the dictionary keeps the last 64 KiB")
    func largeAndEmpty() async throws {
        let f = try await CredentialStoreTests.fixture()
        let revocations = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .revocation, count: 3, size: 131_072)
        let suspensions = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .suspension, count: 3, size: 131_072)
        let members = (0..<2_000).map { #""m\#($0)":"\#(Self.randomHex(20))""# }.joined(separator: ",")
        let documents = ["{" + members + "}", "{" + members + #","x":1}"#, ""]
        for (i, document) in documents.enumerated() {
            var credential = CredentialStoreTests.credential(f, key: "big\(i)", revocation: revocations[i], suspension: suspensions[i])
            credential.format = i < 2 ? .ob3DataIntegrity : .ob3JWT
            credential.document = document
            try await f.storage.credentials.add(credential)
            #expect(try await f.storage.credentials.credential(id: credential.id, issuerID: f.issuer.id).document == document)
        }
        let sizes = try await f.storage.writer.read { db in try Int.fetchAll(db, sql: "SELECT length(bytes) FROM documentDictionary ORDER BY id") }
        #expect(sizes == [DocumentPacking.maximumDictionary, 0])
        let second = try await f.storage.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT length(packedDocument) FROM credential WHERE idempotencyKey = 'big1'")
        }
        #expect((second ?? .max) < documents[1].utf8.count / 2, "the second large document copies the last 64 KiB of the first")
    }

    @Test("documents unlike their dictionary make a new one after it was used 100 times (replacementAfter); every document still reads back")
    func replacement() async throws {
        let f = try await CredentialStoreTests.fixture()
        let count = DocumentDictionaries.replacementAfter + 10
        let revocations = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .revocation, count: count, size: 131_072)
        let suspensions = try await f.storage.statusLists.reserve(issuerID: f.issuer.id, purpose: .suspension, count: count, size: 131_072)
        var credentials: [IssuedCredential] = []
        for i in 0..<count {
            var credential = CredentialStoreTests.credential(f, key: "k\(i)", revocation: revocations[i], suspension: suspensions[i])
            // From the 100th on, the achievement's description changed to a long new text: packed against the first
            // dictionary these are poor (more than half their size).
            let description = i < DocumentDictionaries.replacementAfter
                ? "Read, question and present data." : Base64URL.encode((0..<3_000).map { _ in UInt8.random(in: 0...255) })
            credential.document = Self.jws(id: credential.id.uuidString.lowercased(), hash: Self.randomHex(32), description: description)
            try await f.storage.credentials.add(credential)
            credentials.append(credential)
        }
        for credential in credentials {
            #expect(try await f.storage.credentials.credential(id: credential.id, issuerID: f.issuer.id).document == credential.document)
        }
        let dictionaries = try await f.storage.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(DISTINCT dictionaryID) FROM credential") }
        #expect(dictionaries == 2)
    }

    /// An in-memory database migrated up to `migration`, with an issuer, an achievement and `entries` reserved status
    /// entries of each purpose (for the migration tests).
    static func database(upTo migration: String, entries: Int) async throws
        -> (DatabaseQueue, Issuer, Achievement, [StatusAllocation], [StatusAllocation], ReservedEntries) {
        SQLiteStorage.configureSQLite()  // before this process's first connection, as every store does (see CredentialStoreTests)
        let queue = try DatabaseQueue()
        try SQLiteMigrations.migrator.migrate(queue, upTo: migration)
        let tu = Issuer(slug: "tu-berlin", name: "TU Berlin", country: "DE", homepage: "https://www.tu.berlin")
        try await SQLiteIssuerStore(writer: queue).create(tu)
        let achievement = AchievementStoreTests.microCredential(tu.id)
        try await SQLiteAchievementStore(writer: queue).create(achievement)
        let reserved = ReservedEntries()
        let lists = SQLiteStatusListStore(writer: queue, reserved: reserved)
        let revocations = try await lists.reserve(issuerID: tu.id, purpose: .revocation, count: entries, size: 131_072)
        let suspensions = try await lists.reserve(issuerID: tu.id, purpose: .suspension, count: entries, size: 131_072)
        return (queue, tu, achievement, revocations, suspensions, reserved)
    }

    @Test("migration v14 keeps every credential stored before it as text, which reads, revokes and sits beside packed rows")
    func migration() async throws {
        let (queue, tu, achievement, revocation, suspension, _) = try await Self.database(upTo: "v13-wallet-listing-index", entries: 1)
        let old = IssuedCredential(id: UUID(), issuerID: tu.id, achievementID: achievement.id, format: .ob3JWT, recipient: "did:example:ada",
                                   idempotencyKey: "old", document: Self.jws(id: "old", hash: "00"), revocation: revocation[0], suspension: suspension[0])
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO credential (id, issuerID, achievementID, format, recipient, idempotencyKey, document, revocationListID, revocationIndex,
                                        suspensionListID, suspensionIndex, state, revocationReason, createdAt)
                VALUES (?, ?, ?, 'ob3-jwt', ?, ?, ?, ?, ?, ?, ?, 'active', NULL, ?)
                """, arguments: [old.id, old.issuerID, old.achievementID, old.recipient, old.idempotencyKey, old.document, old.revocationListID,
                                 old.revocationIndex, old.suspensionListID, old.suspensionIndex, old.createdAt.storageMilliseconds])
        }
        let storage = try SQLiteStorage(writer: queue)
        #expect(try await storage.appliedMigrations().contains("v14-packed-documents"))
        #expect(try await storage.credentials.credential(id: old.id, issuerID: tu.id) == old)
        #expect(try await storage.credentials.credential(idempotencyKey: "old", issuerID: tu.id) == old)
        // Two credentials stored now (entries reserved by this store): the first as text, making the dictionary, the
        // second packed. All three read; the old one revokes.
        let newRevocations = try await storage.statusLists.reserve(issuerID: tu.id, purpose: .revocation, count: 2, size: 131_072)
        let newSuspensions = try await storage.statusLists.reserve(issuerID: tu.id, purpose: .suspension, count: 2, size: 131_072)
        let added = (0..<2).map { i in
            IssuedCredential(id: UUID(), issuerID: tu.id, achievementID: achievement.id, format: .ob3JWT, recipient: "did:example:bo",
                             idempotencyKey: "new\(i)", document: Self.jws(id: "new\(i)", hash: "11"), revocation: newRevocations[i],
                             suspension: newSuspensions[i])
        }
        for credential in added {
            try await storage.credentials.add(credential)
            #expect(try await storage.credentials.credential(id: credential.id, issuerID: tu.id) == credential)
        }
        let new = added[1]
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM credential WHERE packedDocument IS NOT NULL") } == 1)
        _ = try await storage.credentials.setState(.revoked, reason: "test", id: old.id, issuerID: tu.id)
        let revoked = try await storage.credentials.revoked(issuerID: tu.id, formats: [.ob3JWT])
        #expect(revoked.map(\.id) == [old.id] && revoked[0].document == old.document)
        // The schema keeps one representation per row.
        await #expect(throws: (any Error).self) {
            try await queue.write { db in try db.execute(sql: "UPDATE credential SET document = 'x' WHERE id = ?", arguments: [new.id]) }
        }
        await #expect(throws: (any Error).self) {
            try await queue.write { db in try db.execute(sql: "UPDATE credential SET document = NULL WHERE id = ?", arguments: [old.id]) }
        }
    }

    @Test("migration v15 (the credential CHECKs without IN lists) keeps text and packed rows, and refuses what the table refused before")
    func migrationWithoutLists() async throws {
        let (queue, tu, achievement, revocations, suspensions, reserved) = try await Self.database(upTo: "v14-packed-documents", entries: 3)
        // Stored at v14 by the store itself: the first as text (it makes the dictionary), the others packed.
        let before = SQLiteCredentialStore(writer: queue, reserved: reserved, checkpointer: nil)
        let credentials = (0..<3).map { i in
            IssuedCredential(id: UUID(), issuerID: tu.id, achievementID: achievement.id, format: .ob3JWT, recipient: "did:example:ada",
                             idempotencyKey: "k\(i)", document: Self.jws(id: "c\(i)", hash: "0\(i)"), revocation: revocations[i],
                             suspension: suspensions[i])
        }
        for credential in credentials { try await before.add(credential) }
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM credential WHERE packedDocument IS NOT NULL") } == 2)

        try SQLiteMigrations.migrator.migrate(queue)
        let storage = try SQLiteStorage(writer: queue)
        #expect(try await storage.appliedMigrations().last == "v15-credential-checks-without-lists")
        for credential in credentials { #expect(try await storage.credentials.credential(id: credential.id, issuerID: tu.id) == credential) }
        let schema = try await queue.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'credential'") }
        #expect(schema?.contains(" IN (") == false)
        // The index and the trigger came back with the table.
        let objects = try await queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE tbl_name = 'credential' ORDER BY name") }
        #expect(objects.contains("credential_issuer") && objects.contains("credential_needsLiveAchievement"))
        // Refused as before: an unknown format or state, a suspended credential without a suspension entry, a JWS
        // format's revocation entry on an OB 2.0 row.
        for change in ["format = 'ob3-jwtx'", "state = 'lost'", "state = 'suspended', suspensionListID = NULL, suspensionIndex = NULL",
                       "format = 'ob2-signed'"] {
            await #expect(throws: (any Error).self, "\(change)") {
                try await queue.write { db in try db.execute(sql: "UPDATE credential SET \(change) WHERE id = ?", arguments: [credentials[0].id]) }
            }
        }
        // Allowed as before: every state a credential with both entries may have.
        for state in ["suspended", "revoked", "active"] {
            try await queue.write { db in try db.execute(sql: "UPDATE credential SET state = ? WHERE id = ?", arguments: [state, credentials[1].id]) }
        }
    }
}
