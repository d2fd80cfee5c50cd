import Foundation
import GRDB

/// A record in the SQLite store. Times are integer milliseconds since 1970 in every table (records round their
/// dates to that on creation, so what is read back equals what was written).
protocol StoredRecord: FetchableRecord, PersistableRecord {}

extension StoredRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .millisecondsSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .millisecondsSince1970 }
}

extension Issuer: StoredRecord {
    public static let databaseTableName = "issuer"
}

extension SigningKey: StoredRecord {
    public static let databaseTableName = "signingKey"
}

extension APIToken: StoredRecord {
    public static let databaseTableName = "apiToken"
}

struct SQLiteIssuerStore: IssuerStore {
    let writer: any DatabaseWriter

    func create(_ issuer: Issuer) async throws(StoreError) {
        try await SQLiteErrors.write(writer, "creating issuer \(issuer.slug)") { db in try issuer.insert(db) }
    }

    func update(_ issuer: Issuer) async throws(StoreError) {
        let found = try await SQLiteErrors.write(writer, "updating issuer \(issuer.slug)") { db -> Bool in
            guard try Issuer.exists(db, key: issuer.id) else { return false }
            try issuer.update(db)
            return true
        }
        guard found else { throw StoreError(.notFound, "no issuer \(issuer.id)") }
    }

    func issuer(id: UUID) async throws(StoreError) -> Issuer {
        let found = try await SQLiteErrors.read(writer, "reading issuer \(id)") { db in try Issuer.fetchOne(db, key: id) }
        guard let found else { throw StoreError(.notFound, "no issuer \(id)") }
        return found
    }

    func issuer(slug: String) async throws(StoreError) -> Issuer {
        let found = try await SQLiteErrors.read(writer, "reading issuer \(slug)") { db in
            try Issuer.filter(Column("slug") == slug).fetchOne(db)
        }
        guard let found else { throw StoreError(.notFound, "no issuer \(slug)") }
        return found
    }

    func issuers() async throws(StoreError) -> [Issuer] {
        try await SQLiteErrors.read(writer, "listing issuers") { db in try Issuer.order(Column("slug")).fetchAll(db) }
    }
}

struct SQLiteSigningKeyStore: SigningKeyStore {
    let writer: any DatabaseWriter

    func add(_ key: SigningKey) async throws(StoreError) {
        try await SQLiteErrors.write(writer, "adding a signing key") { db in
            if key.active {
                try db.execute(sql: "UPDATE signingKey SET active = 0, retiredAt = ? WHERE issuerID = ? AND purpose = ? AND algorithm = ? AND active",
                               arguments: [key.createdAt.storageMilliseconds, key.issuerID, key.purpose.rawValue, key.algorithm])
            }
            try key.insert(db)
        }
    }

    func activeKeys(issuerID: UUID) async throws(StoreError) -> [SigningKey] {
        try await SQLiteErrors.read(writer, "reading the active keys") { db in
            try SigningKey.filter(Column("issuerID") == issuerID && Column("active") == true).order(Column("createdAt")).fetchAll(db)
        }
    }

    func keys(issuerID: UUID) async throws(StoreError) -> [SigningKey] {
        try await SQLiteErrors.read(writer, "listing signing keys") { db in
            try SigningKey.filter(Column("issuerID") == issuerID).order(Column("createdAt").desc).fetchAll(db)
        }
    }
}

struct SQLiteAPITokenStore: APITokenStore {
    let writer: any DatabaseWriter

    func add(_ token: APIToken) async throws(StoreError) {
        try await SQLiteErrors.write(writer, "adding an API token") { db in try token.insert(db) }
    }

    func token(secretHash: String) async throws(StoreError) -> APIToken? {
        try await SQLiteErrors.read(writer, "looking up an API token") { db in
            try APIToken.filter(Column("secretHash") == secretHash).fetchOne(db)
        }
    }

    func tokens(issuerID: UUID) async throws(StoreError) -> [APIToken] {
        try await SQLiteErrors.read(writer, "listing API tokens") { db in
            try APIToken.filter(Column("issuerID") == issuerID).order(Column("createdAt")).fetchAll(db)
        }
    }

    func revoke(tokenID: UUID, issuerID: UUID, at date: Date) async throws(StoreError) {
        let changed = try await SQLiteErrors.write(writer, "revoking an API token") { db -> Bool in
            guard try APIToken.filter(Column("id") == tokenID && Column("issuerID") == issuerID).fetchCount(db) == 1 else { return false }
            try db.execute(sql: "UPDATE apiToken SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL", arguments: [date.storageMilliseconds, tokenID])
            return true
        }
        guard changed else { throw StoreError(.notFound, "issuer \(issuerID) has no token \(tokenID)") }
    }
}

extension Achievement: StoredRecord {
    public static let databaseTableName = "achievement"
}

struct SQLiteAchievementStore: AchievementStore {
    let writer: any DatabaseWriter

    func create(_ achievement: Achievement) async throws(StoreError) {
        try await SQLiteErrors.write(writer, "creating achievement \(achievement.name)") { db in try achievement.insert(db) }
    }

    func update(_ achievement: Achievement) async throws(StoreError) {
        let found = try await SQLiteErrors.write(writer, "updating achievement \(achievement.id)") { db -> Bool in
            let scoped = Achievement.filter(Column("id") == achievement.id && Column("issuerID") == achievement.issuerID)
            guard try scoped.fetchCount(db) == 1 else { return false }
            try achievement.update(db)
            return true
        }
        guard found else { throw StoreError(.notFound, "no achievement \(achievement.id) for that issuer") }
    }

    func achievement(id: UUID, issuerID: UUID) async throws(StoreError) -> Achievement {
        let found = try await SQLiteErrors.read(writer, "reading achievement \(id)") { db in
            try Achievement.filter(Column("id") == id && Column("issuerID") == issuerID).fetchOne(db)
        }
        guard let found else { throw StoreError(.notFound, "no achievement \(id) for that issuer") }
        return found
    }

    func achievements(issuerID: UUID, includingArchived: Bool) async throws(StoreError) -> [Achievement] {
        try await SQLiteErrors.read(writer, "listing achievements") { db in
            var request = Achievement.filter(Column("issuerID") == issuerID)
            if !includingArchived { request = request.filter(Column("archived") == false) }
            return try request.order(Column("createdAt").desc, Column("name")).fetchAll(db)
        }
    }
}

extension StatusList: StoredRecord {
    public static let databaseTableName = "statusList"
}

struct SQLiteStatusListStore: StatusListStore {
    let writer: any DatabaseWriter
    let reserved: ReservedEntries

    /// A reserved entry given to `credentialID` at once (it never enters the pool of entries credentials can take).
    func allocate(issuerID: UUID, purpose: StatusList.Purpose, credentialID: UUID, size: Int) async throws(StoreError) -> StatusAllocation {
        try await SQLiteErrors.write(writer, "allocating a status entry") { db in
            try Self.reserve(db, issuerID: issuerID, purpose: purpose, count: 1, size: size)[0]
        }
    }

    func reserve(issuerID: UUID, purpose: StatusList.Purpose, count: Int, size: Int) async throws(StoreError) -> [StatusAllocation] {
        let entries = try await SQLiteErrors.write(writer, "reserving status entries") { db in
            try Self.reserve(db, issuerID: issuerID, purpose: purpose, count: count, size: size)
        }
        reserved.add(entries)  // committed: credentials may take them now
        return entries
    }

    /// `count` random unused indices of the issuer's current list for the purpose (a new list once it is half used),
    /// recorded as reserved, in the caller's transaction.
    static func reserve(_ db: Database, issuerID: UUID, purpose: StatusList.Purpose, count: Int, size: Int) throws -> [StatusAllocation] {
        var result: [StatusAllocation] = []
        while result.count < count {
            var list = try StatusList.filter(Column("issuerID") == issuerID && Column("purpose") == purpose.rawValue)
                .filter(sql: "used * 2 < size").order(Column("updatedAt").desc).fetchOne(db)
            if list == nil {
                let fresh = StatusList(issuerID: issuerID, purpose: purpose, size: size)
                try fresh.insert(db)
                list = fresh
            }
            guard let current = list else { throw StoreError(.database, "no status list") }
            let here = min(count - result.count, current.size / 2 - current.used)
            for index in try StatusBitmaps.reserve(db, list: current.id, size: current.size, count: here) {
                result.append(StatusAllocation(listID: current.id, index: index))
            }
            try db.execute(sql: "UPDATE statusList SET used = used + ? WHERE id = ?", arguments: [here, current.id])
        }
        return result
    }

    func setStatus(_ value: Bool, at allocation: StatusAllocation, issuerID: UUID) async throws(StoreError) {
        let found = try await SQLiteErrors.write(writer, "changing a status bit") { db -> Bool in
            guard try StatusList.filter(Column("id") == allocation.listID && Column("issuerID") == issuerID).fetchCount(db) == 1,
                  try StatusBitmaps.isReserved(db, allocation) else { return false }
            try SQLiteCredentialStore.setBit(db, allocation, value)
            return true
        }
        guard found else { throw StoreError(.notFound, "no status entry \(allocation.index) in list \(allocation.listID) for that issuer") }
    }

    func list(id: UUID) async throws(StoreError) -> StatusList {
        let found = try await SQLiteErrors.read(writer, "reading status list \(id)") { db in try StatusList.fetchOne(db, key: id) }
        guard let found else { throw StoreError(.notFound, "no status list \(id)") }
        return found
    }

    func lists(issuerID: UUID) async throws(StoreError) -> [StatusList] {
        try await SQLiteErrors.read(writer, "listing status lists") { db in
            try StatusList.filter(Column("issuerID") == issuerID).order(Column("purpose"), Column("updatedAt")).fetchAll(db)
        }
    }
}

/// A credential's row: the record's columns, with its document as text (rows stored before v14, and the first of an
/// achievement and format in a process, which then makes the dictionary) or packed against a dictionary (``DocumentPacking``).
private struct CredentialRow: FetchableRecord, TableRecord, Decodable {
    static let databaseTableName = "credential"
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .millisecondsSince1970 }

    var id: UUID
    var issuerID: UUID
    var achievementID: UUID
    var format: IssuedCredential.Format
    var recipient: String
    var idempotencyKey: String?
    var document: String?
    var packedDocument: Data?
    var dictionaryID: Int64?
    var revocationListID: UUID?
    var revocationIndex: Int?
    var suspensionListID: UUID?
    var suspensionIndex: Int?
    var state: IssuedCredential.State
    var revocationReason: String?
    var createdAt: Date

    /// The record, its document unpacked (the dictionary read in the same transaction when not held).
    func credential(_ db: Database, _ dictionaries: DocumentDictionaries) throws -> IssuedCredential {
        let text: String
        if let document {
            text = document
        } else if let packedDocument, let dictionaryID {
            text = try DocumentPacking.unpack(Array(packedDocument), dictionary: try dictionaries.bytes(id: dictionaryID, db))
        } else {
            throw StoreError(.database, "credential \(id) has no document")
        }
        var credential = IssuedCredential(id: id, issuerID: issuerID, achievementID: achievementID, format: format, recipient: recipient,
                                          idempotencyKey: idempotencyKey, document: text,
                                          revocation: revocationListID.flatMap { list in revocationIndex.map { StatusAllocation(listID: list, index: $0) } },
                                          suspension: suspensionListID.flatMap { list in suspensionIndex.map { StatusAllocation(listID: list, index: $0) } },
                                          createdAt: createdAt)
        credential.state = state
        credential.revocationReason = revocationReason
        return credential
    }
}

/// A credential on its way into the table: the record and its document packed (or nil: stored as text).
struct PackedCredential: Sendable {
    let credential: IssuedCredential
    let packed: (bytes: [UInt8], dictionaryID: Int64)?
}

struct SQLiteCredentialStore: CredentialStore {
    let writer: any DatabaseWriter
    let batches: GroupCommit<PackedCredential, Void>
    let dictionaries: DocumentDictionaries

    init(writer: any DatabaseWriter, reserved: ReservedEntries, checkpointer: Checkpointer?) {
        self.writer = writer
        dictionaries = DocumentDictionaries(writer: writer)
        batches = GroupCommit(writer: writer, describe: { "storing credential \($0.credential.id)" }, committed: { checkpointer?.committed($0) },
                              gathering: .init()) { db, item in
            try SQLiteCredentialStore.insert(db, item, reserved: reserved)
        }
    }

    func expect() { batches.expect() }
    func settled() { batches.settled() }

    /// Concurrent adds are committed together (group commit): one transaction for whatever is waiting; a refused
    /// credential is refused alone. The document is packed first, on the caller's thread, not the committing one.
    func add(_ credential: IssuedCredential) async throws(StoreError) {
        let key = DocumentDictionaries.Key(achievementID: credential.achievementID, format: credential.format)
        let packing = try dictionaries.pack(credential.document, key: key)
        do {
            try await batches.submit(PackedCredential(credential: credential, packed: packing.packed))
        } catch {
            if let maker = packing.maker { await dictionaries.settle(maker: maker, of: packing, key: key, stored: false) }
            throw error
        }
        if let maker = packing.maker { await dictionaries.settle(maker: maker, of: packing, key: key, stored: true) }
    }

    /// Stores the credential, which takes its status entries: they must be entries this store reserved and no
    /// credential has taken. Checks first, then writes, so that a refusal changes nothing (what ``GroupCommit`` asks
    /// of its bodies).
    static func insert(_ db: Database, _ item: PackedCredential, reserved: ReservedEntries) throws {
        let credential = item.credential
        let entries = [credential.revocation, credential.suspension].compactMap { $0 }
        if let revocation = credential.revocation, let suspension = credential.suspension, revocation.listID == suspension.listID {
            throw StoreError(.constraint, "a credential's revocation and suspension entries are in lists of their own purposes, not one list")
        }
        // Taken already is fine only for this very credential stored again: the insert below then refuses it as a
        // conflict (what a repeated idempotency key answers with).
        for entry in entries where !reserved.contains(entry) {
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM credential WHERE id = ?", arguments: [credential.id]) != nil else {
                throw StoreError(.constraint, "status entry \(entry.index) of list \(entry.listID) is not one reserved for a new credential")
            }
        }
        // A prepared statement bound directly rather than the Codable record insert: this runs for every credential
        // issued. When it fails (a reused idempotency key, an archived achievement), SQLite has undone it and nothing
        // else was written. The columns are bound as GRDB would store them (UUIDs as 16-byte blobs, dates in ms).
        var insert = DirectStatement(try db.cachedStatement(sql: """
            INSERT INTO credential (id, issuerID, achievementID, format, recipient, idempotencyKey, document, packedDocument, dictionaryID,
                                    revocationListID, revocationIndex, suspensionListID, suspensionIndex, state, revocationReason, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """), db)
        insert.bind(credential.id)
        insert.bind(credential.issuerID)
        insert.bind(credential.achievementID)
        insert.bind(credential.format.rawValue)
        insert.bind(credential.recipient)
        insert.bind(credential.idempotencyKey)
        if let packed = item.packed {
            insert.bind(nil as String?)
            insert.bind(packed.bytes)
            insert.bind(Int(packed.dictionaryID))
        } else {
            insert.bind(credential.document)
            insert.bind(nil as String?)
            insert.bind(nil as Int?)
        }
        insert.bind(credential.revocationListID)
        insert.bind(credential.revocationIndex)
        insert.bind(credential.suspensionListID)
        insert.bind(credential.suspensionIndex)
        insert.bind(credential.state.rawValue)
        insert.bind(credential.revocationReason)
        insert.bind(credential.createdAt.storageMilliseconds)
        try insert.run()
        reserved.take(entries)
    }

    private func fetchOne(_ db: Database, _ request: QueryInterfaceRequest<CredentialRow>) throws -> IssuedCredential? {
        try request.fetchOne(db)?.credential(db, dictionaries)
    }

    func credential(id: UUID, issuerID: UUID) async throws(StoreError) -> IssuedCredential {
        let found = try await SQLiteErrors.read(writer, "reading credential \(id)") { [self] db in
            try fetchOne(db, CredentialRow.filter(Column("id") == id && Column("issuerID") == issuerID))
        }
        guard let found else { throw StoreError(.notFound, "no credential \(id) for that issuer") }
        return found
    }

    func credential(idempotencyKey: String, issuerID: UUID) async throws(StoreError) -> IssuedCredential? {
        try await SQLiteErrors.read(writer, "looking up an idempotency key") { [self] db in
            try fetchOne(db, CredentialRow.filter(Column("idempotencyKey") == idempotencyKey && Column("issuerID") == issuerID))
        }
    }

    func revoked(issuerID: UUID, formats: Set<IssuedCredential.Format>) async throws(StoreError) -> [IssuedCredential] {
        try await SQLiteErrors.read(writer, "listing revoked credentials") { db in
            try CredentialRow.filter(Column("issuerID") == issuerID && Column("state") == IssuedCredential.State.revoked.rawValue
                                     && formats.map(\.rawValue).contains(Column("format")))
                .order(Column("createdAt")).fetchAll(db).map { try $0.credential(db, dictionaries) }
        }
    }

    func setState(_ state: IssuedCredential.State, reason: String?, id: UUID, issuerID: UUID) async throws(StoreError) -> IssuedCredential {
        try await SQLiteErrors.write(writer, "changing credential \(id)") { [self] db in
            guard var credential = try fetchOne(db, CredentialRow.filter(Column("id") == id && Column("issuerID") == issuerID)) else {
                throw StoreError(.notFound, "no credential \(id) for that issuer")
            }
            if credential.state == .revoked && state != .revoked {
                throw StoreError(.constraint, "credential \(id) is revoked; revocation is final")
            }
            if credential.state == state { return credential }
            credential.state = state
            if state == .suspended && credential.suspension == nil {
                throw StoreError(.constraint, "credential \(id) (\(credential.format.rawValue)) cannot be suspended: its format has no suspension")
            }
            if state == .revoked { credential.revocationReason = reason }
            try db.execute(sql: "UPDATE credential SET state = ?, revocationReason = ? WHERE id = ?",
                           arguments: [credential.state.rawValue, credential.revocationReason, credential.id])
            if let entry = credential.revocation { try Self.setBit(db, entry, state == .revoked) }
            if let entry = credential.suspension { try Self.setBit(db, entry, state == .suspended) }
            return credential
        }
    }

    /// One bit of a list, in the caller's transaction; the list's version grows when the bit changes.
    static func setBit(_ db: Database, _ entry: StatusAllocation, _ value: Bool) throws {
        guard var list = try StatusList.fetchOne(db, key: entry.listID) else { throw StoreError(.notFound, "no status list \(entry.listID)") }
        let mask = UInt8(0x80) >> UInt8(entry.index % 8)
        let byte = list.bits[entry.index / 8]
        let changed = value ? byte | mask : byte & ~mask
        guard changed != byte else { return }
        list.bits[entry.index / 8] = changed
        list.version += 1
        list.updatedAt = Date().storagePrecision
        try list.update(db)
    }
}
