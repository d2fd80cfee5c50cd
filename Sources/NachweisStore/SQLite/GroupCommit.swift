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
        /// While the committing thread gathers (see ``Gathering``): how many waiting items end the wait.
        var gatheringUntil: Int?
    }

    /// A fuller batch, when many items are known to be coming. At hundreds of requests in flight most of them wait for
    /// a core, to be rendered, not for the commit: a commit takes the few dozen that arrived during the one before, and
    /// each pays for its fsync, the log frames of the tails of the table's indexes and the disk's interrupts. When at
    /// least ``coming`` more are announced (``expect()``) than wait or were just committed, the next commit waits while
    /// items keep arriving (each ``slice``), for ``target`` at most ``maximumWait``: the cores have work meanwhile. With
    /// fewer in flight nothing waits — a wait there is time nobody uses — and a slice that brings nothing ends a wait.
    struct Gathering: Sendable {
        var coming = 64
        var target = 128
        var slice = 200  // µs
        var maximumWait = 2_000  // µs
    }

    private let state = Mutex(State())
    private let gathering: Gathering?
    /// Items announced and not yet settled (see ``expect()``).
    private let demand = Atomic<Int>(0)
    /// Signalled by `submit` when a gathered batch is full.
    private let gathered = DispatchSemaphore(value: 0)
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
         gathering: Gathering? = nil, body: @escaping @Sendable (Database, Item) throws -> Output) {
        self.writer = writer
        self.gathering = gathering
        self.describe = describe
        self.committed = committed
        self.body = body
    }

    /// An item is on its way; ``settled()`` when it was submitted and answered (or given up).
    func expect() { demand.wrappingAdd(1, ordering: .relaxed) }
    func settled() { demand.wrappingSubtract(1, ordering: .relaxed) }
    /// Announced and not settled (tests).
    var announced: Int { demand.load(ordering: .relaxed) }

    func submit(_ item: Item) async throws(StoreError) -> Output {
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Output, StoreError>, Never>) in
            let (lead, full) = state.withLock { state -> (Bool, Bool) in
                state.pending.append((item, continuation))
                if let target = state.gatheringUntil, state.pending.count >= target {
                    state.gatheringUntil = nil
                    return (false, true)
                }
                if state.running { return (false, false) }
                state.running = true
                return (true, false)
            }
            if full { gathered.signal() }
            if lead { queue.async { self.drain() } }
        }
        return try outcome.get()
    }

    /// Runs on its own queue, not in a task: between two transactions the writer must not wait for a turn on the
    /// concurrency pool, which under load is busy with the very requests waiting for this commit (that wait was about
    /// a fifth of the writer's time at 64 concurrent issuers). GRDB runs a synchronous write on the calling thread.
    private func drain() {
        var lastBatch = 0  // answered, perhaps not yet settled
        while true {
            if let gathering { gather(gathering, justCommitted: lastBatch) }
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
            lastBatch = batch.count
        }
    }

    /// Waits while items keep arriving, until ``Gathering/target`` wait or ``Gathering/maximumWait`` has passed — only
    /// when at least ``Gathering/coming`` more are announced than wait or were just committed.
    private func gather(_ gathering: Gathering, justCommitted: Int) {
        var count = state.withLock { $0.pending.count }
        guard count < gathering.target, demand.load(ordering: .relaxed) - count - justCommitted >= gathering.coming else { return }
        var waited = 0
        while waited < gathering.maximumWait {
            let full = state.withLock { state -> Bool in
                if state.pending.count >= gathering.target { return true }  // filled up since it was last counted
                state.gatheringUntil = gathering.target
                return false
            }
            if full { return }
            let signalled = gathered.wait(timeout: .now() + .microseconds(gathering.slice)) == .success
            waited += gathering.slice
            let (now, signalComing) = state.withLock { state -> (Int, Bool) in
                defer { state.gatheringUntil = nil }
                return (state.pending.count, state.gatheringUntil == nil)  // nil: a submit took it and signals
            }
            // A signal sent as the wait timed out is taken here, so that the next wait is not cut short by it.
            if !signalled && signalComing { gathered.wait() }
            if signalled || signalComing || now == count { return }  // full, or nothing came during the slice
            count = now
        }
    }
}
