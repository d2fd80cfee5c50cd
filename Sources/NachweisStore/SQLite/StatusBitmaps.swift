import Foundation
import GRDB
import NachweisCrypto

/// Which entries of a status list are reserved (handed to an issuing pool, and so to at most one credential): bitmaps
/// in chunks of 2 048 entries, one row each, instead of one row per entry. Entries are random indices, so a row per
/// entry put every reservation on a random page of an ever larger index (a reservation of 512 entries wrote 2 MB and
/// held the writer for 10–15 ms). A list of 131 072 entries is 64 rows of 256 bytes. Which reserved entry a credential
/// took is the credential's own row; that each is taken once is ``ReservedEntries``'s job.
enum StatusBitmaps {
    static let chunkBits = 2048
    static let chunkBytes = chunkBits / 8

    static func isSet(_ bytes: [UInt8], _ offset: Int) -> Bool { bytes[offset / 8] & (0x80 >> UInt8(offset % 8)) != 0 }
    static func set(_ bytes: inout [UInt8], _ offset: Int) { bytes[offset / 8] |= 0x80 >> UInt8(offset % 8) }

    /// The chunk holding an entry, and the entry's offset in it.
    static func locate(_ index: Int) -> (chunk: Int, offset: Int) {
        let (chunk, offset) = index.quotientAndRemainder(dividingBy: chunkBits)
        return (chunk, offset)
    }

    static func store(_ db: Database, list: UUID, chunk: Int, reserved: [UInt8]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO statusBitmap (listID, chunk, reserved) VALUES (?, ?, ?)
            ON CONFLICT (listID, chunk) DO UPDATE SET reserved = excluded.reserved
            """)
        try statement.execute(arguments: [list, chunk, Data(reserved)])
    }

    /// Reserves `count` random unreserved indices below `size` (the caller knows that many are free), in the caller's
    /// transaction.
    static func reserve(_ db: Database, list: UUID, size: Int, count: Int) throws -> [Int] {
        var chunks = [[UInt8]](repeating: [UInt8](repeating: 0, count: chunkBytes), count: (size + chunkBits - 1) / chunkBits)
        for row in try Row.fetchAll(db, sql: "SELECT chunk, reserved FROM statusBitmap WHERE listID = ?", arguments: [list]) {
            let chunk: Int = row[0]
            guard chunk < chunks.count else { continue }
            chunks[chunk] = [UInt8](row[1] as Data)
        }
        var random = RandomIndices(below: size)
        var touched = Set<Int>()
        var result: [Int] = []
        result.reserveCapacity(count)
        var probes = 0
        while result.count < count {
            // At most half a list is handed out, so a probe finds a free entry at least every other time; a list
            // whose counter disagrees with its bits must not spin.
            probes += 1
            guard probes <= 64 * count + 1024 else { throw StoreError(.database, "status list \(list) has fewer free entries than its counter says") }
            let index = try random.next()
            let (chunk, offset) = locate(index)
            guard !isSet(chunks[chunk], offset) else { continue }
            set(&chunks[chunk], offset)
            touched.insert(chunk)
            result.append(index)
        }
        for chunk in touched.sorted() { try store(db, list: list, chunk: chunk, reserved: chunks[chunk]) }
        return result
    }

    /// Whether an entry was ever reserved.
    static func isReserved(_ db: Database, _ allocation: StatusAllocation) throws -> Bool {
        let (chunk, offset) = locate(allocation.index)
        let statement = try db.cachedStatement(sql: "SELECT reserved FROM statusBitmap WHERE listID = ? AND chunk = ?")
        guard let bytes = try Data.fetchOne(statement, arguments: [allocation.listID, chunk]), bytes.count == chunkBytes else { return false }
        return isSet([UInt8](bytes), offset)
    }
}

/// Uniform random indices below a bound, from OpenSSL's generator 4 KiB at a time (Swift's system generator is a
/// `getrandom` call per draw, and a reservation draws at least once per entry).
struct RandomIndices {
    let bound: Int
    private var buffer: [UInt64] = []
    private var position = 0

    init(below bound: Int) {
        precondition(bound > 0)
        self.bound = bound
    }

    mutating func next() throws -> Int {
        // Rejection sampling: draws at or above the largest multiple of the bound are thrown away (no modulo bias).
        let limit = UInt64.max - UInt64.max % UInt64(bound)
        while true {
            if position == buffer.count {
                let bytes: [UInt8]
                do { bytes = try SecureRandom.bytes(4096) } catch { throw StoreError(.database, "no random numbers: \(error.message)") }
                buffer = bytes.withUnsafeBytes { raw in (0..<512).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self) } }
                position = 0
            }
            let value = buffer[position]
            position += 1
            if value < limit { return Int(value % UInt64(bound)) }
        }
    }
}
