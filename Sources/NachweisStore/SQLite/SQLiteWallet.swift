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
            var request = WalletCredential.filter(Column("learnerID") == learnerID)
            if let v = query.issuer { request = request.filter(Column("issuerName") == v || Column("issuerID") == v) }
            if let v = query.achievementType { request = request.filter(Column("achievementType") == v) }
            if let v = query.eqfLevel { request = request.filter(Column("eqfLevel") == v) }
            if let v = query.issuedFrom { request = request.filter(Column("issuedAt") >= v.storageMilliseconds) }
            if let v = query.issuedUntil { request = request.filter(Column("issuedAt") <= v.storageMilliseconds) }
            if let v = query.status { request = request.filter(Column("status") == v) }
            if let v = query.verdict { request = request.filter(Column("verdict") == v) }
            if let v = query.text, !v.isEmpty {
                // LIKE with the user's text as a literal (its own % and _ escaped).
                let pattern = "%" + v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_") + "%"
                request = request.filter(sql: #"(title LIKE ? ESCAPE '\' OR issuerName LIKE ? ESCAPE '\')"#, arguments: [pattern, pattern])
            }
            let total = try request.fetchCount(db)
            let page = try request.order(Column("importedAt").desc, Column("id").desc).limit(query.limit, offset: query.offset).fetchAll(db)
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
