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
    /// Status entries reserved per trip to the database.
    let reservation = 128
    private let achievements = Mutex<[UUID: Fresh<NachweisStore.Achievement>]>([:])
    private let keys = Mutex<[UUID: Fresh<[SigningKey]>]>([:])
    private let pool = Mutex<[PoolKey: [StatusAllocation]]>([:])

    func achievement(_ id: UUID, issuerID: UUID, storage: any Storage) async throws(StoreError) -> NachweisStore.Achievement {
        let now = ContinuousClock.now
        if let cached = achievements.withLock({ $0[id] }), cached.until > now, cached.value.issuerID == issuerID { return cached.value }
        let fresh = try await storage.achievements.achievement(id: id, issuerID: issuerID)
        achievements.withLock { $0[id] = Fresh(value: fresh, until: now + lifetime) }
        return fresh
    }

    func activeKeys(issuerID: UUID, storage: any Storage) async throws(StoreError) -> [SigningKey] {
        let now = ContinuousClock.now
        if let cached = keys.withLock({ $0[issuerID] }), cached.until > now { return cached.value }
        let fresh = try await storage.signingKeys.activeKeys(issuerID: issuerID)
        keys.withLock { $0[issuerID] = Fresh(value: fresh, until: now + lifetime) }
        return fresh
    }

    /// A reserved status entry, reserving a new batch when the pool is empty.
    func statusEntry(issuerID: UUID, purpose: StatusList.Purpose, size: Int, storage: any Storage) async throws(StoreError) -> StatusAllocation {
        let key = PoolKey(issuerID: issuerID, purpose: purpose)
        while true {
            if let entry = pool.withLock({ $0[key]?.popLast() }) { return entry }
            let batch = try await storage.statusLists.reserve(issuerID: issuerID, purpose: purpose, count: reservation, size: size)
            pool.withLock { $0[key, default: []].append(contentsOf: batch.shuffled()) }
        }
    }
}
