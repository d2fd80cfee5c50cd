import Foundation
import GRDB

extension Learner: StoredRecord {
    public static let databaseTableName = "learner"
}

extension LearnerSession: StoredRecord {
    public static let databaseTableName = "learnerSession"
}

extension WalletCredential: StoredRecord {
    public static let databaseTableName = "walletCredential"
}

struct SQLiteWalletStore: WalletStore {
    let writer: any DatabaseWriter

    func createLearner(_ learner: Learner) async throws(StoreError) {
        try await SQLiteErrors.write(writer, "creating an account") { db in try learner.insert(db) }
    }

    func learner(email: String) async throws(StoreError) -> Learner? {
        try await SQLiteErrors.read(writer, "looking up an account") { db in
            try Learner.filter(Column("email") == email.lowercased()).fetchOne(db)
        }
    }

    func learner(id: UUID) async throws(StoreError) -> Learner {
        let found = try await SQLiteErrors.read(writer, "reading an account") { db in try Learner.fetchOne(db, key: id) }
        guard let found else { throw StoreError(.notFound, "no account \(id)") }
        return found
    }

    func setPassword(learnerID: UUID, hash: String, keeping: UUID?, at date: Date) async throws(StoreError) {
        let found = try await SQLiteErrors.write(writer, "changing a password") { db -> Bool in
            try db.execute(sql: "UPDATE learner SET passwordHash = ? WHERE id = ?", arguments: [hash, learnerID])
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: "UPDATE learnerSession SET revokedAt = ? WHERE learnerID = ? AND revokedAt IS NULL AND id IS NOT ?",
                           arguments: [date.storageMilliseconds, learnerID, keeping])
            return true
        }
        guard found else { throw StoreError(.notFound, "no account \(learnerID)") }
    }

    func deleteLearner(id: UUID) async throws(StoreError) {
        let found = try await SQLiteErrors.write(writer, "deleting an account") { db -> Bool in try Learner.deleteOne(db, key: id) }
        guard found else { throw StoreError(.notFound, "no account \(id)") }
    }

    func addSession(_ session: LearnerSession) async throws(StoreError) {
        try await SQLiteErrors.write(writer, "starting a session") { db in try session.insert(db) }
    }

    func session(tokenHash: String) async throws(StoreError) -> LearnerSession? {
        try await SQLiteErrors.read(writer, "looking up a session") { db in
            try LearnerSession.filter(Column("tokenHash") == tokenHash).fetchOne(db)
        }
    }

    func revokeSession(id: UUID, at date: Date) async throws(StoreError) {
        try await SQLiteErrors.write(writer, "ending a session") { db in
            try db.execute(sql: "UPDATE learnerSession SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL", arguments: [date.storageMilliseconds, id])
        }
    }

    func add(_ credential: WalletCredential) async throws(StoreError) -> (credential: WalletCredential, created: Bool) {
        try await SQLiteErrors.write(writer, "importing a credential") { db -> (WalletCredential, Bool) in
            if let held = try WalletCredential.filter(Column("learnerID") == credential.learnerID && Column("digest") == credential.digest).fetchOne(db) {
                return (held, false)
            }
            try credential.insert(db)
            return (credential, true)
        }
    }

    func credentials(learnerID: UUID, _ query: WalletQuery) async throws(StoreError) -> (page: [WalletCredential], total: Int) {
        try await SQLiteErrors.read(writer, "listing a wallet") { db -> ([WalletCredential], Int) in
            // Filters and order on the listing index alone (v13), then only the page's rows are read.
            var conditions = ["learnerID = ?"]
            var arguments: StatementArguments = [learnerID]
            func add(_ condition: String, _ values: any DatabaseValueConvertible...) {
                conditions.append(condition)
                for value in values { _ = arguments.append(contentsOf: [value]) }
            }
            if let v = query.issuer { add("(issuerName = ? OR issuerID = ?)", v, v) }
            if let v = query.achievementType { add("achievementType = ?", v) }
            if let v = query.eqfLevel { add("eqfLevel = ?", v) }
            if let v = query.issuedFrom { add("issuedAt >= ?", v.storageMilliseconds) }
            if let v = query.issuedUntil { add("issuedAt <= ?", v.storageMilliseconds) }
            if let v = query.status { add("status = ?", v) }
            if let v = query.verdict { add("verdict = ?", v) }
            if let v = query.text, !v.isEmpty {
                // LIKE with the user's text as a literal (its own % and _ escaped).
                let pattern = "%" + v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_") + "%"
                add(#"(title LIKE ? ESCAPE '\' OR issuerName LIKE ? ESCAPE '\')"#, pattern, pattern)
            }
            let filter = conditions.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM walletCredential INDEXED BY walletCredential_listing WHERE \(filter)",
                                         arguments: arguments) ?? 0
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [query.limit, query.offset])
            let page = try WalletCredential.fetchAll(db, sql: """
                SELECT * FROM walletCredential WHERE rowid IN (
                    SELECT rowid FROM walletCredential INDEXED BY walletCredential_listing WHERE \(filter)
                    ORDER BY importedAt DESC, id DESC LIMIT ? OFFSET ?)
                ORDER BY importedAt DESC, id DESC
                """, arguments: pageArguments)
            return (page, total)
        }
    }

    func credential(id: UUID, learnerID: UUID) async throws(StoreError) -> WalletCredential {
        let found = try await SQLiteErrors.read(writer, "reading a wallet credential") { db in
            try WalletCredential.filter(Column("id") == id && Column("learnerID") == learnerID).fetchOne(db)
        }
        guard let found else { throw StoreError(.notFound, "no credential \(id) in this wallet") }
        return found
    }

    func updateVerification(id: UUID, learnerID: UUID, report: String, verdict: String, status: String, at date: Date) async throws(StoreError) {
        let found = try await SQLiteErrors.write(writer, "storing a verification") { db -> Bool in
            try db.execute(sql: "UPDATE walletCredential SET report = ?, verdict = ?, status = ?, verifiedAt = ? WHERE id = ? AND learnerID = ?",
                           arguments: [report, verdict, status, date.storageMilliseconds, id, learnerID])
            return db.changesCount == 1
        }
        guard found else { throw StoreError(.notFound, "no credential \(id) in this wallet") }
    }

    func deleteCredential(id: UUID, learnerID: UUID) async throws(StoreError) {
        let found = try await SQLiteErrors.write(writer, "removing a wallet credential") { db -> Bool in
            try WalletCredential.filter(Column("id") == id && Column("learnerID") == learnerID).deleteAll(db) == 1
        }
        guard found else { throw StoreError(.notFound, "no credential \(id) in this wallet") }
    }
}

extension ShareLink: StoredRecord {
    public static let databaseTableName = "shareLink"
}

extension ShareAccess: StoredRecord {
    public static let databaseTableName = "shareAccess"
}

struct SQLiteShareLinkStore: ShareLinkStore {
    let writer: any DatabaseWriter
    /// Views wait for one transaction together (group commit): every view is counted and logged, durably, and a link
    /// opened many times at once costs a commit per batch rather than per view.
    let views: GroupCommit<View, (link: ShareLink, credentialIDs: [UUID])?>

    /// One view in flight: the token's hash, and when and by what it was opened (time, browser family, address).
    struct View: Sendable {
        let tokenHash: String
        let access: (Date, String?, String?)
    }

    init(writer: any DatabaseWriter) {
        self.writer = writer
        views = GroupCommit(writer: writer, describe: { _ in "opening a share link" }) { db, view in try Self.view(db, view) }
    }

    /// Reads first (the link, then its credentials when it is live), writes last (the count and the log): a failing
    /// read changes nothing, as ``GroupCommit`` asks.
    static func view(_ db: Database, _ view: View) throws -> (link: ShareLink, credentialIDs: [UUID])? {
        guard var link = try ShareLink.filter(Column("tokenHash") == view.tokenHash).fetchOne(db) else { return nil }
        guard link.ended(at: view.access.0) == nil else { return (link, []) }
        let credentials = try UUID.fetchAll(db, sql: "SELECT credentialID FROM shareLinkCredential WHERE linkID = ? ORDER BY position",
                                            arguments: [link.id])
        try db.execute(sql: "UPDATE shareLink SET views = views + 1 WHERE id = ?", arguments: [link.id])
        try ShareAccess(linkID: link.id, at: view.access.0, userAgent: view.access.1, address: view.access.2).insert(db)
        link.views += 1
        return (link, credentials)
    }

    func create(_ link: ShareLink, credentialIDs: [UUID]) async throws(StoreError) {
        let missing = try await SQLiteErrors.write(writer, "making a share link") { db -> UUID? in
            for id in credentialIDs where try WalletCredential.filter(Column("id") == id && Column("learnerID") == link.learnerID).fetchCount(db) == 0 {
                return id
            }
            try link.insert(db)
            for (position, id) in credentialIDs.enumerated() {
                try db.execute(sql: "INSERT INTO shareLinkCredential (linkID, credentialID, position) VALUES (?, ?, ?)", arguments: [link.id, id, position])
            }
            return nil
        }
        if let missing { throw StoreError(.notFound, "no credential \(missing) in this wallet") }
    }

    func links(learnerID: UUID) async throws(StoreError) -> [ShareLink] {
        try await SQLiteErrors.read(writer, "listing share links") { db in
            try ShareLink.filter(Column("learnerID") == learnerID).order(Column("createdAt").desc).fetchAll(db)
        }
    }

    func link(id: UUID, learnerID: UUID) async throws(StoreError) -> ShareLink {
        let found = try await SQLiteErrors.read(writer, "reading a share link") { db in
            try ShareLink.filter(Column("id") == id && Column("learnerID") == learnerID).fetchOne(db)
        }
        guard let found else { throw StoreError(.notFound, "no share link \(id) of this learner") }
        return found
    }

    func credentialIDs(linkID: UUID) async throws(StoreError) -> [UUID] {
        try await SQLiteErrors.read(writer, "reading a share link's credentials") { db in
            try UUID.fetchAll(db, sql: "SELECT credentialID FROM shareLinkCredential WHERE linkID = ? ORDER BY position", arguments: [linkID])
        }
    }

    func revoke(id: UUID, learnerID: UUID, at date: Date) async throws(StoreError) {
        let found = try await SQLiteErrors.write(writer, "revoking a share link") { db -> Bool in
            guard try ShareLink.filter(Column("id") == id && Column("learnerID") == learnerID).fetchCount(db) == 1 else { return false }
            try db.execute(sql: "UPDATE shareLink SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL", arguments: [date.storageMilliseconds, id])
            return true
        }
        guard found else { throw StoreError(.notFound, "no share link \(id) of this learner") }
    }

    func accesses(linkID: UUID, learnerID: UUID) async throws(StoreError) -> [ShareAccess] {
        _ = try await link(id: linkID, learnerID: learnerID)
        return try await SQLiteErrors.read(writer, "reading a share link's views") { db in
            try ShareAccess.filter(Column("linkID") == linkID).order(Column("at").desc, Column("id").desc).fetchAll(db)
        }
    }

    func view(tokenHash: String, access: (Date, String?, String?)) async throws(StoreError) -> (link: ShareLink, credentialIDs: [UUID])? {
        try await views.submit(View(tokenHash: tokenHash, access: access))
    }
}

extension WalletCollection: StoredRecord {
    public static let databaseTableName = "collection"
}

struct SQLiteCollectionStore: CollectionStore {
    let writer: any DatabaseWriter

    /// The first of `ids` that is not a credential of the learner.
    static func foreign(_ db: Database, _ ids: [UUID], learnerID: UUID) throws -> UUID? {
        for id in ids where try WalletCredential.filter(Column("id") == id && Column("learnerID") == learnerID).fetchCount(db) == 0 { return id }
        return nil
    }

    static func insertMembers(_ db: Database, _ collectionID: UUID, _ ids: [UUID]) throws {
        for (position, id) in ids.enumerated() {
            try db.execute(sql: "INSERT INTO collectionCredential (collectionID, credentialID, position) VALUES (?, ?, ?)",
                           arguments: [collectionID, id, position])
        }
    }

    static func members(_ db: Database, _ collectionID: UUID) throws -> [UUID] {
        try UUID.fetchAll(db, sql: "SELECT credentialID FROM collectionCredential WHERE collectionID = ? ORDER BY position", arguments: [collectionID])
    }

    func create(_ collection: WalletCollection, credentialIDs: [UUID]) async throws(StoreError) {
        let missing = try await SQLiteErrors.write(writer, "making a collection") { db -> UUID? in
            if let missing = try Self.foreign(db, credentialIDs, learnerID: collection.learnerID) { return missing }
            try collection.insert(db)
            try Self.insertMembers(db, collection.id, credentialIDs)
            return nil
        }
        if let missing { throw StoreError(.notFound, "no credential \(missing) in this wallet") }
    }

    func collections(learnerID: UUID) async throws(StoreError) -> [(collection: WalletCollection, credentialIDs: [UUID])] {
        try await SQLiteErrors.read(writer, "listing collections") { db in
            try WalletCollection.filter(Column("learnerID") == learnerID).order(Column("createdAt").desc).fetchAll(db).map { ($0, try Self.members(db, $0.id)) }
        }
    }

    func collection(id: UUID, learnerID: UUID) async throws(StoreError) -> (collection: WalletCollection, credentialIDs: [UUID]) {
        let found = try await SQLiteErrors.read(writer, "reading a collection") { db -> (WalletCollection, [UUID])? in
            guard let collection = try WalletCollection.filter(Column("id") == id && Column("learnerID") == learnerID).fetchOne(db) else { return nil }
            return (collection, try Self.members(db, id))
        }
        guard let found else { throw StoreError(.notFound, "no collection \(id) of this learner") }
        return found
    }

    func setCredentials(collectionID: UUID, learnerID: UUID, credentialIDs: [UUID]) async throws(StoreError) {
        let problem = try await SQLiteErrors.write(writer, "changing a collection") { db -> String? in
            guard try WalletCollection.filter(Column("id") == collectionID && Column("learnerID") == learnerID).fetchCount(db) == 1 else {
                return "no collection \(collectionID) of this learner"
            }
            if let missing = try Self.foreign(db, credentialIDs, learnerID: learnerID) { return "no credential \(missing) in this wallet" }
            try db.execute(sql: "DELETE FROM collectionCredential WHERE collectionID = ?", arguments: [collectionID])
            try Self.insertMembers(db, collectionID, credentialIDs)
            return nil
        }
        if let problem { throw StoreError(.notFound, problem) }
    }

    func delete(id: UUID, learnerID: UUID) async throws(StoreError) {
        let found = try await SQLiteErrors.write(writer, "deleting a collection") { db -> Bool in
            try WalletCollection.filter(Column("id") == id && Column("learnerID") == learnerID).deleteAll(db) == 1
        }
        guard found else { throw StoreError(.notFound, "no collection \(id) of this learner") }
    }
}
