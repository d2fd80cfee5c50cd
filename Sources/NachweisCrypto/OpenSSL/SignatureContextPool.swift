import COpenSSL
import Foundation

/// Ready-to-use OpenSSL signature contexts of one key, so that a signature costs what OpenSSL's own
/// `speed` loop costs: OpenSSL 3 fetches the algorithm implementation on every `EVP_DigestSignInit`,
/// which is a large share of a small Ed25519 or ECDSA operation.
///
/// Ed25519 keeps `EVP_MD_CTX`s set up for one-shot `EVP_DigestSign`/`EVP_DigestVerify`; ECDSA and RSA keep
/// `EVP_PKEY_CTX`s set up for `EVP_PKEY_sign`/`EVP_PKEY_verify` over a digest computed beforehand.
/// Both kinds of context may be reused after an operation (as `openssl speed` does).
///
/// `@unchecked Sendable` invariant: `free` is only touched under `lock`; a context taken out of it is
/// used by one thread only, then given back or freed.
final class SignatureContextPool: @unchecked Sendable {
    struct Slot: Hashable {
        let verify: Bool
        let scheme: SignatureScheme
    }

    /// Contexts kept per slot; more concurrent users than this allocate and free their own.
    static let capacity = 8

    private let lock = NSLock()
    private var free: [Slot: [OpaquePointer]] = [:]

    deinit {
        for (slot, contexts) in free {
            for ctx in contexts { SignatureContextPool.release(ctx, slot: slot) }
        }
    }

    func take(_ slot: Slot) -> OpaquePointer? {
        lock.lock()
        defer { lock.unlock() }
        return free[slot]?.popLast()
    }

    /// Returns a context after a successful operation; frees it when the pool is full.
    func give(_ ctx: OpaquePointer, slot: Slot) {
        lock.lock()
        let kept = free[slot, default: []].count < SignatureContextPool.capacity
        if kept { free[slot, default: []].append(ctx) }
        lock.unlock()
        if !kept { SignatureContextPool.release(ctx, slot: slot) }
    }

    static func release(_ ctx: OpaquePointer, slot: Slot) {
        if slot.scheme.digest == nil {
            EVP_MD_CTX_free(ctx)
        } else {
            EVP_PKEY_CTX_free(ctx)
        }
    }
}
