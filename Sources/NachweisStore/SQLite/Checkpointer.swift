import Dispatch
import GRDB
import Synchronization

/// Copies committed pages from the write-ahead log into the database file on a thread and a connection of its own,
/// while the writer goes on committing: with SQLite's own automatic checkpoint the committing thread did that copy
/// itself after every thousand pages (a seventh of its time while issuing, and every credential of the next batch
/// waited for it). Checkpoints here are passive: they never wait for the writer or for readers, and copy what they
/// can. The writer keeps a checkpoint of its own, at a larger log (``SQLiteStorage/writerCheckpointPages``), which
/// finds the pages copied already and lets the log start over from its beginning.
final class Checkpointer: Sendable {
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "nachweis.checkpoint")
    private let state = Mutex<(committed: Int, running: Bool)>((0, false))
    /// Credentials committed between two checkpoints (at the store's default of 2 000, about 4 000 log pages while issuing).
    let interval: Int

    init(path: String, interval: Int) throws {
        var configuration = Configuration()
        configuration.label = "nachweis.checkpoint"
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
    }

    /// Called after a commit of `count` writes: starts a checkpoint when `interval` have been committed since the
    /// last one began, unless one is still running.
    func committed(_ count: Int) {
        let start = state.withLock { state -> Bool in
            state.committed += count
            guard state.committed >= interval, !state.running else { return false }
            state.committed = 0
            state.running = true
            return true
        }
        guard start else { return }
        queue.async { [self] in
            // Again while `interval` more were committed during the last one (under load a checkpoint can take as long as
            // many commits: those pages would otherwise wait for the next commit after it).
            repeat {
                // Busy (another checkpoint under way) or failing: the writer's own checkpoint still bounds the log.
                _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            } while state.withLock { state -> Bool in
                guard state.committed >= interval else {
                    state.running = false
                    return false
                }
                state.committed = 0
                return true
            }
        }
    }

    /// Waits for a checkpoint under way (tests).
    func settle() {
        queue.sync {}
    }
}
