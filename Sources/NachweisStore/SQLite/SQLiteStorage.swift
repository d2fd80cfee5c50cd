import CNachweisSQLite
import Foundation
import GRDB
import GRDBSQLite

/// The embedded default store: SQLite through GRDB, in WAL mode, with the schema's own constraints
/// (see ``SQLiteMigrations``). A file database for the server, an in-memory one for tests.
public final class SQLiteStorage: Storage {
    let writer: any DatabaseWriter
    /// Checkpoints off the committing thread (file databases).
    let checkpointer: Checkpointer?
    /// The log size (pages) at which the writer checkpoints by itself, after the checkpointer's copies: SQLite's default
    /// is 1 000, which the checkpointer keeps the log under while issuing runs steadily.
    public static let writerCheckpointPages = 8_000

    public let issuers: any IssuerStore
    public let signingKeys: any SigningKeyStore
    public let apiTokens: any APITokenStore
    public let achievements: any AchievementStore
    public let statusLists: any StatusListStore
    public let credentials: any CredentialStore
    public let wallet: any WalletStore
    public let shareLinks: any ShareLinkStore
    public let collections: any CollectionStore

    init(writer: any DatabaseWriter, checkpointer: Checkpointer? = nil) throws(StoreError) {
        self.writer = writer
        self.checkpointer = checkpointer
        issuers = SQLiteIssuerStore(writer: writer)
        signingKeys = SQLiteSigningKeyStore(writer: writer)
        apiTokens = SQLiteAPITokenStore(writer: writer)
        achievements = SQLiteAchievementStore(writer: writer)
        let reserved = ReservedEntries()
        statusLists = SQLiteStatusListStore(writer: writer, reserved: reserved)
        credentials = SQLiteCredentialStore(writer: writer, reserved: reserved, checkpointer: checkpointer)
        wallet = SQLiteWalletStore(writer: writer)
        shareLinks = SQLiteShareLinkStore(writer: writer)
        collections = SQLiteCollectionStore(writer: writer)
        do { try SQLiteMigrations.migrator.migrate(writer) } catch { throw SQLiteErrors.map(error, "migrating the database") }
    }

    /// Process-wide SQLite settings, made once before the first connection opens (SQLite accepts them only before it
    /// initializes): no memory statistics — with them every allocation SQLite makes takes one process-wide mutex,
    /// about 1.4% of all the CPU time of issuing under load, on the committing thread. Nothing here reads them.
    /// Returns SQLite's result code (`SQLITE_MISUSE` when a connection was opened earlier in the process).
    @discardableResult
    static func configureSQLite() -> Int32 { processSettings }

    private static let processSettings: Int32 = nw_sqlite_disable_memory_statistics()

    /// What SQLite counts as allocated (`sqlite3_memory_used`): 0 while its memory statistics are off.
    static func sqliteMemoryCounted() -> Int64 { sqlite3_memory_used() }

    /// Opens (creating when needed) the database file at `path`, in WAL mode, and brings its schema up to date.
    /// `checkpointInterval`: credentials committed between two background checkpoints (``Checkpointer``).
    public static func open(path: String, checkpointInterval: Int = 2_000) throws(StoreError) -> SQLiteStorage {
        configureSQLite()
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // Every commit reaches the disk before it returns (group commit makes that one fsync per batch): a
            // credential handed out is never lost, so its status entries can never go back to the pool. Set on the
            // writer connection after GRDB has opened it: GRDB puts a pool's writer at NORMAL when it enables WAL,
            // after `prepareDatabase` has run (a commit then is not synced, and power loss can take it back).
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(writerCheckpointPages)")
                try db.execute(sql: "PRAGMA cache_size = -\(writerCacheKiB)")
            }
        } catch {
            throw SQLiteErrors.map(error, "opening \(path)")
        }
        let checkpointer: Checkpointer
        do { checkpointer = try Checkpointer(path: path, interval: checkpointInterval) } catch {
            throw SQLiteErrors.map(error, "opening \(path) for checkpoints")
        }
        return try SQLiteStorage(writer: pool, checkpointer: checkpointer)
    }

    /// The writer's page cache, KiB (SQLite's default is 2 000). Every credential stored adds an entry at a random
    /// place of the idempotency-key index (keys are the client's); with 2 MB the writer kept reading those index pages
    /// back from the log and the file.
    static let writerCacheKiB = 32 << 10

    /// A private in-memory database (tests, one-off tools).
    public static func inMemory() throws(StoreError) -> SQLiteStorage {
        configureSQLite()
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        do { return try SQLiteStorage(writer: try DatabaseQueue(configuration: configuration)) } catch let error as StoreError {
            throw error
        } catch {
            throw SQLiteErrors.map(error, "opening an in-memory database")
        }
    }

    public func ping() async throws(StoreError) {
        _ = try await SQLiteErrors.read(writer, "pinging the database") { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// The journal mode SQLite reports (`wal` for file databases).
    public func journalMode() async throws(StoreError) -> String {
        try await SQLiteErrors.read(writer, "reading the journal mode") { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
        }
    }

    /// `PRAGMA synchronous` of the connection that commits (2 is FULL: every commit synced before it returns). Read
    /// on the writer: a reader connection's setting says nothing about commits.
    public func synchronousLevel() async throws(StoreError) -> Int {
        try await SQLiteErrors.write(writer, "reading the synchronous level") { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await SQLiteErrors.read(writer, "reading the applied migrations") { db in
            try SQLiteMigrations.migrator.appliedMigrations(db)
        }
    }
}

/// GRDB errors as ``StoreError``s, and typed-throwing wrappers around reads and writes.
enum SQLiteErrors {
    static func map(_ error: any Error, _ doing: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else { return StoreError(.database, "\(doing): \(error)") }
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return StoreError(.conflict, "\(doing): \(error.message ?? "a unique value is taken")")
        case .SQLITE_CONSTRAINT_CHECK, .SQLITE_CONSTRAINT_FOREIGNKEY, .SQLITE_CONSTRAINT_NOTNULL, .SQLITE_CONSTRAINT_TRIGGER:
            return StoreError(.constraint, "\(doing): \(error.message ?? "constraint failed")")
        default:
            return StoreError(.database, "\(doing): \(error.message ?? "\(error.resultCode)")")
        }
    }

    static func read<T: Sendable>(_ writer: any DatabaseWriter, _ doing: String,
                                  _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await writer.read(body) } catch { throw map(error, doing) }
    }

    static func write<T: Sendable>(_ writer: any DatabaseWriter, _ doing: String,
                                   _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await writer.write(body) } catch { throw map(error, doing) }
    }
}
