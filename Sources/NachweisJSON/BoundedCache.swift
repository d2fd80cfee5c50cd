import Synchronization

/// A cache by string key shared across threads, bounded: when full, an arbitrary entry makes room (what is dropped is
/// fetched or computed again). The verifier keeps documents, status lists and keys in it; the schema validator the
/// answers of its patterns.
/// Inlinable, so that a module using it gets code for its own value type (the lookups are on hot paths).
public final class BoundedCache<Value: Sendable>: Sendable {
    @usableFromInline let entries = Mutex<[String: Value]>([:])
    public let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    @inlinable
    public func value(_ key: String) -> Value? { entries.withLock { $0[key] } }

    /// How many entries are held.
    public var count: Int { entries.withLock { $0.count } }

    @inlinable
    public func store(_ key: String, _ value: Value) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil, let victim = entries.keys.first { entries[victim] = nil }
            entries[key] = value
        }
    }
}
