import Dispatch
import GRDB
import Synchronization

/// Group commit: writes submitted while a transaction is running wait for the next one, which takes all of them.
/// With one writer at a time that costs nothing; with many it turns many commits into a few (one fsync each). A refused
/// item fails alone and the others commit: `body` must either change nothing when it throws or not throw once it has
/// changed something (check first, then write; SQLite undoes a failing statement by itself). Savepoints would give
/// that for any body, at a cost paid for every item.
final class GroupCommit<Item: Sendable>: Sendable {
    typealias Waiter = (item: Item, continuation: CheckedContinuation<StoreError?, Never>)

    private struct State {
        var pending: [Waiter] = []
        var running = false
    }

    private let state = Mutex(State())
    private let writer: any DatabaseWriter
    /// Default priority. (A user-interactive queue — nice −2 as root — measured +10% once and nothing in a later
    /// re-test of four interleaved pairs: not kept.)
    private let queue = DispatchQueue(label: "nachweis.group-commit")
    private let body: @Sendable (Database, Item) throws -> Void
    /// Told how many items each transaction committed (the checkpointer counts them).
    private let committed: @Sendable (Int) -> Void
    /// What storing an item is, for a refusal's message (made only when one is refused).
    private let describe: @Sendable (Item) -> String
    /// The most items one transaction takes (bounds how long the write lock is held).
    let maximumBatch = 256

    init(writer: any DatabaseWriter, describe: @escaping @Sendable (Item) -> String, committed: @escaping @Sendable (Int) -> Void = { _ in },
         body: @escaping @Sendable (Database, Item) throws -> Void) {
        self.writer = writer
        self.describe = describe
        self.committed = committed
        self.body = body
    }

    func submit(_ item: Item) async throws(StoreError) {
        let refusal = await withCheckedContinuation { (continuation: CheckedContinuation<StoreError?, Never>) in
            let lead = state.withLock { state -> Bool in
                state.pending.append((item, continuation))
                if state.running { return false }
                state.running = true
                return true
            }
            if lead { queue.async { self.drain() } }
        }
        if let refusal { throw refusal }
    }

    /// Runs on its own queue, not in a task: between two transactions the writer must not wait for a turn on the
    /// concurrency pool, which under load is busy with the very requests waiting for this commit (that wait was about
    /// a fifth of the writer's time at 64 concurrent issuers). GRDB runs a synchronous write on the calling thread.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [Waiter] in
                let batch = Array(state.pending.prefix(maximumBatch))
                state.pending.removeFirst(batch.count)
                if batch.isEmpty { state.running = false }
                return batch
            }
            if batch.isEmpty { return }
            let items = batch.map(\.item), body = self.body, describe = self.describe
            let outcome: [StoreError?]
            do {
                outcome = try writer.write { db -> [StoreError?] in
                    var results: [StoreError?] = []
                    for item in items {
                        do {
                            try body(db, item)
                            results.append(nil)
                        } catch {
                            results.append(SQLiteErrors.map(error, describe(item)))
                        }
                    }
                    return results
                }
                committed(batch.count)
            } catch {
                outcome = Array(repeating: SQLiteErrors.map(error, "committing \(batch.count) writes"), count: batch.count)
            }
            for (waiter, refusal) in zip(batch, outcome) { waiter.continuation.resume(returning: refusal) }
        }
    }
}
