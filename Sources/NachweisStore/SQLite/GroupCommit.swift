import Dispatch
import GRDB
import Synchronization

/// Group commit: writes submitted while a transaction is running wait for the next one, which takes all of them; each
/// gets back what the body made of it (`Output`: nothing for a stored credential, what a share-link view found).
/// With one writer at a time that costs nothing; with many it turns many commits into a few (one fsync each). A refused
/// item fails alone and the others commit: `body` must either change nothing when it throws or not throw once it has
/// changed something (check first, then write; SQLite undoes a failing statement by itself). Savepoints would give
/// that for any body, at a cost paid for every item.
final class GroupCommit<Item: Sendable, Output: Sendable>: Sendable {
    typealias Waiter = (item: Item, continuation: CheckedContinuation<Result<Output, StoreError>, Never>)

    private struct State {
        var pending: [Waiter] = []
        var running = false
    }

    private let state = Mutex(State())
    private let writer: any DatabaseWriter
    /// Default priority. (A user-interactive queue — nice −2 as root — measured +10% once and nothing in a later
    /// re-test of four interleaved pairs: not kept.)
    private let queue = DispatchQueue(label: "nachweis.group-commit")
    private let body: @Sendable (Database, Item) throws -> Output
    /// Told how many items each transaction committed (the checkpointer counts them).
    private let committed: @Sendable (Int) -> Void
    /// What storing an item is, for a refusal's message (made only when one is refused).
    private let describe: @Sendable (Item) -> String
    /// The most items one transaction takes (bounds how long the write lock is held).
    let maximumBatch = 256

    init(writer: any DatabaseWriter, describe: @escaping @Sendable (Item) -> String, committed: @escaping @Sendable (Int) -> Void = { _ in },
         body: @escaping @Sendable (Database, Item) throws -> Output) {
        self.writer = writer
        self.describe = describe
        self.committed = committed
        self.body = body
    }

    func submit(_ item: Item) async throws(StoreError) -> Output {
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Output, StoreError>, Never>) in
            let lead = state.withLock { state -> Bool in
                state.pending.append((item, continuation))
                if state.running { return false }
                state.running = true
                return true
            }
            if lead { queue.async { self.drain() } }
        }
        return try outcome.get()
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
            let outcome: [Result<Output, StoreError>]
            do {
                outcome = try writer.write { db -> [Result<Output, StoreError>] in
                    var results: [Result<Output, StoreError>] = []
                    for item in items {
                        do {
                            results.append(.success(try body(db, item)))
                        } catch {
                            results.append(.failure(SQLiteErrors.map(error, describe(item))))
                        }
                    }
                    return results
                }
                committed(batch.count)
            } catch {
                outcome = Array(repeating: .failure(SQLiteErrors.map(error, "committing \(batch.count) writes")), count: batch.count)
            }
            for (waiter, result) in zip(batch, outcome) { waiter.continuation.resume(returning: result) }
        }
    }
}
