import Foundation
import NachweisStore
import Synchronization

/// What issuing reads for every credential and what rarely changes, kept for a moment: achievements and an issuer's
/// active keys (two seconds), and a pool of reserved status entries per issuer and purpose. Nothing here decides
/// anything the database has not: an achievement archived meanwhile is refused by the store when the credential is
/// stored; a key rotated meanwhile was active a moment ago and stays resolvable. An edit to an achievement reaches
/// new credentials within the two seconds (on every instance, each with its own cache).
final class IssuingCache: Sendable {
    struct Fresh<Value> {
        let value: Value
        let until: ContinuousClock.Instant
    }

    struct PoolKey: Hashable {
        let issuerID: UUID
        let purpose: StatusList.Purpose
    }

    let lifetime: Duration = .seconds(2)
    /// Status entries reserved per trip to the database (one transaction). Entries reserved and not used when the
    /// process stops stay reserved: at most this many per issuer and purpose are lost to a restart (1.6% of a list of
    /// 131 072). Reservations go through the one writer, behind the issuing commits: with 512, at 512 concurrent
    /// issues the pool ran dry while a reservation waited its turn (2 048 issued 6% more, six interleaved pairs).
    let reservation = 2048
    private let achievements = Mutex<[UUID: Fresh<NachweisStore.Achievement>]>([:])
    private let keys = Mutex<[UUID: Fresh<[SigningKey]>]>([:])
    /// Per achievement (one entry each, as for ``achievements``).
    private let parts = Mutex<[UUID: CredentialDocuments.SharedParts]>([:])
    /// Reserved entries, and the reservation under way per pool (one at a time: under load hundreds of requests
    /// find a pool empty together, and each reserving its own batch filled lists with entries no one used).
    private let pool = Mutex<(entries: [PoolKey: [StatusAllocation]], refills: [PoolKey: Task<Void, any Error>])>(([:], [:]))

    func achievement(_ id: UUID, issuerID: UUID, storage: any Storage) async throws(StoreError) -> NachweisStore.Achievement {
        let now = ContinuousClock.now
        if let cached = achievements.withLock({ $0[id] }), cached.until > now, cached.value.issuerID == issuerID { return cached.value }
        let fresh = try await storage.achievements.achievement(id: id, issuerID: issuerID)
        achievements.withLock { $0[id] = Fresh(value: fresh, until: now + lifetime) }
        return fresh
    }

    /// The parts every OB 3.0 credential of an achievement shares, built again when the achievement or the issuer
    /// changed (compared by value: the records the caches hand out are the same values for their two seconds).
    func sharedParts(_ issuer: Issuer, _ achievement: NachweisStore.Achievement,
                     build: (Issuer, NachweisStore.Achievement) -> CredentialDocuments.SharedParts) -> CredentialDocuments.SharedParts {
        if let cached = parts.withLock({ $0[achievement.id] }), cached.match(issuer, achievement) { return cached }
        let fresh = build(issuer, achievement)
        parts.withLock { $0[achievement.id] = fresh }
        return fresh
    }

    func activeKeys(issuerID: UUID, storage: any Storage) async throws(StoreError) -> [SigningKey] {
        let now = ContinuousClock.now
        if let cached = keys.withLock({ $0[issuerID] }), cached.until > now { return cached.value }
        let fresh = try await storage.signingKeys.activeKeys(issuerID: issuerID)
        keys.withLock { $0[issuerID] = Fresh(value: fresh, until: now + lifetime) }
        return fresh
    }

    /// Entries a request took and did not use — its credential refused for itself (a repeated idempotency key, an
    /// archived achievement), so nothing holds them and the store still counts them reserved and untaken — go back to
    /// the pool for the next request. (Before, each refusal lost two entries until the process stopped.) Never after a
    /// database error: a commit that failed may have taken them.
    func giveBack(_ entries: [(StatusAllocation, StatusList.Purpose)], issuerID: UUID) {
        pool.withLock { state in
            for (entry, purpose) in entries { state.entries[PoolKey(issuerID: issuerID, purpose: purpose), default: []].append(entry) }
        }
    }

    /// Entries pooled for an issuer and purpose (tests).
    func pooled(issuerID: UUID, purpose: StatusList.Purpose) -> Int {
        pool.withLock { $0.entries[PoolKey(issuerID: issuerID, purpose: purpose)]?.count ?? 0 }
    }

    /// A reserved status entry. One reservation of a new batch runs at a time, started when the pool runs low;
    /// callers finding the pool empty wait for it.
    func statusEntry(issuerID: UUID, purpose: StatusList.Purpose, size: Int, storage: any Storage) async throws(StoreError) -> StatusAllocation {
        let key = PoolKey(issuerID: issuerID, purpose: purpose)
        while true {
            let (entry, refill) = pool.withLock { state -> (StatusAllocation?, Task<Void, any Error>?) in
                let entry = state.entries[key]?.popLast()
                // Refilled ahead, below half a batch, so that requests seldom wait for a reservation.
                if entry != nil && state.entries[key, default: []].count >= reservation / 2 { return (entry, nil) }
                if let running = state.refills[key] { return (entry, running) }
                let task = Task { [self] in
                    do {
                        let batch = try await storage.statusLists.reserve(issuerID: issuerID, purpose: purpose, count: reservation, size: size)
                        pool.withLock { state in
                            state.entries[key, default: []].append(contentsOf: batch)  // random order already
                            state.refills[key] = nil
                        }
                    } catch {
                        pool.withLock { $0.refills[key] = nil }  // the next caller tries again
                        throw error
                    }
                }
                state.refills[key] = task
                return (entry, task)
            }
            if let entry { return entry }  // (a refill under way is not waited for)
            do { try await refill?.value } catch let error as StoreError { throw error } catch {
                throw StoreError(.database, "reserving status entries: \(error)")
            }
        }
    }
}
