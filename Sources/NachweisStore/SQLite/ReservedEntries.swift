import Synchronization

/// The status entries this store reserved and no credential has taken yet. A credential is stored only with entries
/// from here, and each is taken once: that is what keeps two credentials off one entry (a revocation of one would
/// revoke both). Reservations are exclusive in the database (their bits, in one transaction), so two processes on one
/// database never hold the same entry; entries reserved before a restart can no longer be taken (they stay unset, like
/// the rest of a pool lost to a restart). Kept here rather than as a claimed bit per entry in the database: that bit sat
/// on a random page of the bitmaps, and writing it was a quarter of the pages every issuing commit wrote.
final class ReservedEntries: Sendable {
    private let entries = Mutex<Set<StatusAllocation>>([])

    /// Called once the transaction that reserved them has committed.
    func add(_ reserved: [StatusAllocation]) {
        entries.withLock { $0.formUnion(reserved) }
    }

    func contains(_ entry: StatusAllocation) -> Bool {
        entries.withLock { $0.contains(entry) }
    }

    /// Called once the credential holding them is stored (in the transaction that stores it).
    func take(_ taken: [StatusAllocation]) {
        entries.withLock { for entry in taken { $0.remove(entry) } }
    }
}
