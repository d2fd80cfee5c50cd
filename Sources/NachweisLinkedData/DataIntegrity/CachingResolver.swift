import Foundation
import NachweisCrypto

/// Remembers resolved verification methods (a verifier meets the same issuer keys again and again), so that
/// each key is decoded once and its OpenSSL contexts are reused. Bounded; cleared when full.
///
/// `@unchecked Sendable` invariant: `keys` is only touched under `lock`; PublicKey is Sendable.
public final class CachingResolver: VerificationMethodResolver, @unchecked Sendable {
    private let wrapped: any VerificationMethodResolver
    private let capacity: Int
    private let lock = NSLock()
    private var keys: [String: PublicKey] = [:]

    public init(wrapping resolver: any VerificationMethodResolver, capacity: Int = 1024) {
        wrapped = resolver
        self.capacity = capacity
    }

    public func publicKey(for verificationMethod: String) throws(LinkedDataError) -> PublicKey {
        lock.lock()
        if let key = keys[verificationMethod] {
            lock.unlock()
            return key
        }
        lock.unlock()
        let key = try wrapped.publicKey(for: verificationMethod)
        lock.lock()
        if keys.count >= capacity { keys.removeAll() }
        keys[verificationMethod] = key
        lock.unlock()
        return key
    }
}
