import Foundation
import GRDB
@testable import NachweisStore
import Synchronization
import Testing

/// Group commit with gathering: a commit that waits for a fuller batch while many items are announced never loses,
/// duplicates or holds back an item — announced items that do not come, or come one at a time, end each wait.
@Suite("Group commit")
struct GroupCommitTests {
    /// Each transaction's size, in order.
    final class Batches: Sendable {
        private let sizes = Mutex<[Int]>([])
        func append(_ count: Int) { sizes.withLock { $0.append(count) } }
        var all: [Int] { sizes.withLock { $0 } }
    }

    /// A group commit inserting integers into a table of its own.
    static func make(_ gathering: GroupCommit<Int, Int>.Gathering?) throws -> (GroupCommit<Int, Int>, DatabaseQueue, Batches) {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE item (value INTEGER PRIMARY KEY)") }
        let batches = Batches()
        let commit = GroupCommit<Int, Int>(writer: queue, describe: { "item \($0)" }, committed: { batches.append($0) },
                                           gathering: gathering) { db, value in
            try db.execute(sql: "INSERT INTO item (value) VALUES (?)", arguments: [value])
            return value * 2
        }
        return (commit, queue, batches)
    }

    @Test("announced items that come one at a time, or not at all, are each committed (every wait ends)")
    func announcedButSlow() async throws {
        let (commit, queue, batches) = try Self.make(.init(coming: 8, target: 64, slice: 200, maximumWait: 2_000))
        for _ in 0..<100 { commit.expect() }  // a hundred announced, five submitted, one after the other
        for value in 0..<5 { #expect(try await commit.submit(value) == value * 2) }
        for _ in 0..<100 { commit.settled() }
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") } == 5)
        #expect(batches.all == [1, 1, 1, 1, 1])
        #expect(commit.announced == 0)
    }

    @Test("many announced and submitted at once: each committed once, answered with its own result, in batches")
    func announcedAndConcurrent() async throws {
        let (commit, queue, batches) = try Self.make(.init())
        let count = 600
        for _ in 0..<count { commit.expect() }
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for value in 0..<count {
                group.addTask {
                    defer { commit.settled() }
                    return (value, try await commit.submit(value))
                }
            }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == count && results.allSatisfy { $0.value == $0.key * 2 })
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") } == count)
        let sizes = batches.all
        #expect(sizes.reduce(0, +) == count && sizes.count < count)
        #expect(commit.announced == 0)
    }

    @Test("a refused item fails alone while the others of its gathered batch commit")
    func refusalInGatheredBatch() async throws {
        let (commit, queue, _) = try Self.make(.init(coming: 4, target: 32, slice: 200, maximumWait: 2_000))
        for _ in 0..<40 { commit.expect() }
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for value in [7, 7] + Array(100..<138) {  // 7 twice: the second insert breaks the primary key
                group.addTask {
                    defer { commit.settled() }
                    return (try? await commit.submit(value)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { !$0 }.count == 1)
        #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") } == 39)
    }
}
