import Foundation
import GRDB

/// Which entries of a status list are taken: reserved (handed to an issuing pool) and claimed (by a stored credential).
/// Bitmaps in chunks of 2 048 entries, one row each, instead of one row per entry: entries are random indices, so a row
/// per entry put every reservation and every claim on a random page of an ever larger index (a reservation of 512
/// entries wrote 2 MB and held the writer for 10–15 ms). A list of 131 072 entries is 64 rows of 512 bytes (small
/// enough to stay on their B-tree page: 1 KiB rows went to overflow pages, and every claim rewrote them). An entry is claimed once: the claim checks the reserved bit is set and the
/// claimed bit is not, in the transaction that stores the credential.
enum StatusBitmaps {
    static let chunkBits = 2048
    static let chunkBytes = chunkBits / 8

    struct Chunk {
        var reserved: [UInt8]
        var claimed: [UInt8]

        static var empty: Chunk { Chunk(reserved: [UInt8](repeating: 0, count: chunkBytes), claimed: [UInt8](repeating: 0, count: chunkBytes)) }
    }

    static func isSet(_ bytes: [UInt8], _ offset: Int) -> Bool { bytes[offset / 8] & (0x80 >> UInt8(offset % 8)) != 0 }
    static func set(_ bytes: inout [UInt8], _ offset: Int) { bytes[offset / 8] |= 0x80 >> UInt8(offset % 8) }

    /// The chunk holding an entry, and the entry's offset in it.
    static func locate(_ index: Int) -> (chunk: Int, offset: Int) {
        let (chunk, offset) = index.quotientAndRemainder(dividingBy: chunkBits)
        return (chunk, offset)
    }

    static func chunk(_ db: Database, list: UUID, chunk: Int) throws -> Chunk? {
        let statement = try db.cachedStatement(sql: "SELECT reserved, claimed FROM statusBitmap WHERE listID = ? AND chunk = ?")
        guard let row = try Row.fetchOne(statement, arguments: [list, chunk]) else { return nil }
        return Chunk(reserved: [UInt8](row[0] as Data), claimed: [UInt8](row[1] as Data))
    }

    static func store(_ db: Database, list: UUID, chunk: Int, _ value: Chunk) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO statusBitmap (listID, chunk, reserved, claimed) VALUES (?, ?, ?, ?)
            ON CONFLICT (listID, chunk) DO UPDATE SET reserved = excluded.reserved, claimed = excluded.claimed
            """)
        try statement.execute(arguments: [list, chunk, Data(value.reserved), Data(value.claimed)])
    }

    /// Reserves `count` random unreserved indices below `size` (the caller knows that many are free), in the caller's
    /// transaction.
    static func reserve(_ db: Database, list: UUID, size: Int, count: Int) throws -> [Int] {
        var generator = SystemRandomNumberGenerator()  // getrandom(2) on Linux
        var chunks = [Chunk](repeating: .empty, count: (size + chunkBits - 1) / chunkBits)
        for row in try Row.fetchAll(db, sql: "SELECT chunk, reserved, claimed FROM statusBitmap WHERE listID = ?", arguments: [list]) {
            let chunk: Int = row[0]
            guard chunk < chunks.count else { continue }
            chunks[chunk] = Chunk(reserved: [UInt8](row[1] as Data), claimed: [UInt8](row[2] as Data))
        }
        var touched = Set<Int>()
        var result: [Int] = []
        result.reserveCapacity(count)
        var probes = 0
        while result.count < count {
            // At most half a list is handed out, so a probe finds a free entry at least every other time; a list
            // whose counter disagrees with its bits must not spin.
            probes += 1
            guard probes <= 64 * count + 1024 else { throw StoreError(.database, "status list \(list) has fewer free entries than its counter says") }
            let index = Int.random(in: 0..<size, using: &generator)
            let (chunk, offset) = locate(index)
            guard !isSet(chunks[chunk].reserved, offset) else { continue }
            set(&chunks[chunk].reserved, offset)
            touched.insert(chunk)
            result.append(index)
        }
        for chunk in touched.sorted() { try store(db, list: list, chunk: chunk, chunks[chunk]) }
        return result
    }

    /// An entry's chunk as stored (nil: nothing in it was ever reserved), with the entry's bits.
    struct Entry {
        let allocation: StatusAllocation
        let chunk: Int, offset: Int
        var value: Chunk?
        var reserved: Bool { value.map { isSet($0.reserved, offset) } ?? false }
        var claimed: Bool { value.map { isSet($0.claimed, offset) } ?? false }
    }

    static func entry(_ db: Database, _ allocation: StatusAllocation) throws -> Entry {
        let (chunk, offset) = locate(allocation.index)
        return Entry(allocation: allocation, chunk: chunk, offset: offset, value: try self.chunk(db, list: allocation.listID, chunk: chunk))
    }

    /// Marks a reserved entry claimed, from its chunk as read in this transaction (the caller has checked it may be,
    /// and has written nothing to that chunk since).
    static func claim(_ db: Database, _ entry: Entry) throws {
        guard var value = entry.value else {
            throw StoreError(.constraint, "status entry \(entry.allocation.index) of list \(entry.allocation.listID) was never reserved")
        }
        set(&value.claimed, entry.offset)
        let statement = try db.cachedStatement(sql: "UPDATE statusBitmap SET claimed = ? WHERE listID = ? AND chunk = ?")
        try statement.execute(arguments: [Data(value.claimed), entry.allocation.listID, entry.chunk])
    }
}
