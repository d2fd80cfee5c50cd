import Foundation
import GRDB
@testable import NachweisStore
import NachweisTestSupport
import Testing

/// Migrations that move data: what was stored before comes out the same after.
@Suite("Storage migrations")
struct MigrationTests {
    @Test("v8: entries reserved and claimed as v7 rows become bits; a claimed entry stays claimed, a reserved one can be claimed once")
    func statusBitmaps() async throws {
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
        let storage = try SQLiteStorage(writer: queue)  // migrates the rest
        let states = try await queue.read { db in
            try (claimed + reserved + [6, 4097]).map { try StatusBitmaps.entry(db, StatusAllocation(listID: list.id, index: $0)) }
        }
        #expect(states.map(\.reserved) == [true, true, true, true, true, true, true, false, false])
        #expect(states.map(\.claimed) == [true, true, true, true, true, false, false, false, false])
        #expect(try await queue.read { db in try db.tableExists("statusEntry") } == false)
        // Claimed entries are the ones whose bits can be set; reserved-only and unknown ones are not found.
        try await storage.statusLists.setStatus(true, at: StatusAllocation(listID: list.id, index: 4096), issuerID: issuer.id)
        #expect(try await storage.statusLists.list(id: list.id).bits[4096 / 8] == 0x80)
        for index in [7, 6] {
            await #expect(throws: StoreError.self) {
                try await storage.statusLists.setStatus(true, at: StatusAllocation(listID: list.id, index: index), issuerID: issuer.id)
            }
        }
        // New reservations avoid every entry taken before.
        let fresh = try await storage.statusLists.reserve(issuerID: issuer.id, purpose: .revocation, count: 2000, size: 131_072)
        #expect(Set(fresh.map(\.index)).count == 2000)
        #expect(Set(fresh.map(\.index)).isDisjoint(with: claimed + reserved))
        #expect(fresh.allSatisfy { $0.listID == list.id })
    }
}
