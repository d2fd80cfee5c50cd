import Foundation
import GRDB
@testable import NachweisStore
import NachweisTestSupport
import Testing

/// Migrations that move data: what was stored before comes out the same after.
@Suite("Storage migrations")
struct MigrationTests {
    @Test("v8 and v9: entries reserved or claimed as v7 rows become reserved bits; only they can be set; new reservations avoid them")
    func statusBitmaps() async throws {
        SQLiteStorage.configureSQLite()  // before any connection, as the store's own openings do
        let queue = try DatabaseQueue(configuration: { var c = Configuration(); c.foreignKeysEnabled = true; return c }())
        try SQLiteMigrations.migrator.migrate(queue, upTo: "v7-entry-claims-unindexed")
        let issuer = Issuer(slug: "tu-berlin", name: "TU Berlin", country: "DE", homepage: "https://tu.berlin")
        let list = StatusList(issuerID: issuer.id, purpose: .revocation, size: 131_072)
        let claimed = [5, 2047, 2048, 4096, 131_071], reserved = [7, 70_000]
        try await queue.write { db in
            try issuer.insert(db)
            try list.insert(db)
            for index in claimed {
                try db.execute(sql: #"INSERT INTO statusEntry (listID, "index", credentialID) VALUES (?, ?, ?)"#, arguments: [list.id, index, UUID()])
            }
            for index in reserved {
                try db.execute(sql: #"INSERT INTO statusEntry (listID, "index", credentialID) VALUES (?, ?, NULL)"#, arguments: [list.id, index])
            }
            try db.execute(sql: "UPDATE statusList SET used = ? WHERE id = ?", arguments: [claimed.count + reserved.count, list.id])
        }
        // v8 alone: the claimed bits as v8 wrote them.
        try SQLiteMigrations.migrator.migrate(queue, upTo: "v8-status-bitmaps")
        let v8 = try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT chunk, reserved, claimed FROM statusBitmap ORDER BY chunk").map { row -> (Int, [UInt8], [UInt8]) in
                (row[0], [UInt8](row[1] as Data), [UInt8](row[2] as Data))
            }
        }
        #expect(v8.map(\.0) == [0, 1, 2, 34, 63])
        let bit = { (bytes: [UInt8], index: Int) in bytes[(index % 2048) / 8] & (0x80 >> UInt8(index % 8)) != 0 }
        for (chunk, reservedBits, claimedBits) in v8 {
            for index in claimed + reserved where index / 2048 == chunk {
                #expect(bit(reservedBits, index) && bit(claimedBits, index) == claimed.contains(index), "entry \(index)")
            }
            #expect(reservedBits.map(\.nonzeroBitCount).reduce(0, +) == (claimed + reserved).filter { $0 / 2048 == chunk }.count)
        }
        let storage = try SQLiteStorage(writer: queue)  // migrates the rest
        let states = try await queue.read { db in
            try (claimed + reserved + [6, 4097]).map { try StatusBitmaps.isReserved(db, StatusAllocation(listID: list.id, index: $0)) }
        }
        #expect(states == [true, true, true, true, true, true, true, false, false])
        #expect(try await queue.read { db in try db.tableExists("statusEntry") } == false)
        #expect(try await queue.read { db in try db.columns(in: "statusBitmap").map(\.name) } == ["listID", "chunk", "reserved"])
        // Reserved entries are the ones whose bits can be set; unknown ones are not found.
        for index in [4096, 7] {
            try await storage.statusLists.setStatus(true, at: StatusAllocation(listID: list.id, index: index), issuerID: issuer.id)
        }
        let bits = try await storage.statusLists.list(id: list.id).bits
        #expect(bits[4096 / 8] == 0x80 && bits[0] == 0x01)
        await #expect(throws: StoreError.self) {
            try await storage.statusLists.setStatus(true, at: StatusAllocation(listID: list.id, index: 6), issuerID: issuer.id)
        }
        // New reservations avoid every entry taken before.
        let fresh = try await storage.statusLists.reserve(issuerID: issuer.id, purpose: .revocation, count: 2000, size: 131_072)
        #expect(Set(fresh.map(\.index)).count == 2000)
        #expect(Set(fresh.map(\.index)).isDisjoint(with: claimed + reserved))
        #expect(fresh.allSatisfy { $0.listID == list.id })
    }
}
