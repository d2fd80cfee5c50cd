import Foundation
import GRDB
import GRDBSQLite

/// A prepared statement bound and run through SQLite's C API, for the one statement that runs for every credential
/// issued (on the committing thread, which every request of a batch waits for): GRDB's arguments convert each value
/// to a `DatabaseValue` first — a UUID to a `Data`, each string copied — which was about a tenth of the commit thread's
/// work. Errors come back as GRDB's `DatabaseError`s with SQLite's extended code, like every other statement's.
struct DirectStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private var index: Int32 = 0
    /// SQLite copies what is bound (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement, _ db: Database) {
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private mutating func next() -> Int32 {
        index += 1
        return index
    }

    mutating func bind(_ value: UUID) {
        let position = next()
        withUnsafeBytes(of: value.uuid) { bytes in _ = sqlite3_bind_blob(handle, position, bytes.baseAddress, 16, Self.transient) }
    }

    mutating func bind(_ value: UUID?) {
        if let value { bind(value) } else { _ = sqlite3_bind_null(handle, next()) }
    }

    mutating func bind(_ value: String) {
        let position = next()
        var text = value
        text.withUTF8 { bytes in
            if let base = bytes.baseAddress {
                _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { sqlite3_bind_text(handle, position, $0, Int32(bytes.count), Self.transient) }
            } else {
                _ = sqlite3_bind_text(handle, position, "", 0, Self.transient)  // empty, not NULL
            }
        }
    }

    mutating func bind(_ value: String?) {
        if let value { bind(value) } else { _ = sqlite3_bind_null(handle, next()) }
    }

    mutating func bind(_ value: [UInt8]) {
        let position = next()
        value.withUnsafeBytes { bytes in _ = sqlite3_bind_blob(handle, position, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), Self.transient) }
    }

    mutating func bind(_ value: Int64) {
        _ = sqlite3_bind_int64(handle, next(), value)
    }

    mutating func bind(_ value: Int?) {
        if let value { bind(Int64(value)) } else { _ = sqlite3_bind_null(handle, next()) }
    }

    /// Runs the statement to its end (an insert or update) and resets it.
    func run() throws {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        guard code == SQLITE_DONE else {
            // The connection's extended code (SQLITE_CONSTRAINT_UNIQUE rather than SQLITE_CONSTRAINT), read before the reset.
            let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
            let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message)
        }
    }
}
