import COpenSSL
import CNachweisShim
import Foundation

/// Owns one OpenSSL `EVP_PKEY`.
///
/// `@unchecked Sendable` invariant: the key is never mutated after `init` (the DER cache is written once under
/// `derLock`); every operation uses an
/// OpenSSL context of its own (from ``SignatureContextPool``, which hands each to one thread at a time),
/// and OpenSSL allows a const `EVP_PKEY` to be shared by threads.
final class EVPKey: @unchecked Sendable {
    private let pointer: OpaquePointer
    let kind: KeyKind
    let isPrivate: Bool
    /// Initialized signature contexts, reused across operations.
    let contexts = SignatureContextPool()
    private let derLock = NSLock()
    private var derCache: [UInt8]?

    /// The SubjectPublicKeyInfo DER, encoded once (OpenSSL's encoder is costly next to a signature check).
    var cachedPublicKeyDER: [UInt8] {
        derLock.lock()
        defer { derLock.unlock() }
        if let derCache { return derCache }
        // Encoding a public key OpenSSL already holds cannot fail short of memory exhaustion.
        let der = try! publicKeyDER()
        derCache = der
        return der
    }

    /// Takes ownership of pkey. Throws (and frees it) when its kind is not one Nachweis uses.
    init(taking pkey: OpaquePointer, isPrivate: Bool) throws(CryptoError) {
        guard let kind = EVPKey.kind(of: pkey) else {
            EVP_PKEY_free(pkey)
            throw CryptoError(.unsupportedKeyType, "unsupported key type (Nachweis uses Ed25519, ECDSA P-256/P-384 and RSA)")
        }
        if case .rsa(let bits) = kind, bits < KeyKind.rsaSizes.lowerBound || bits > 16384 {
            EVP_PKEY_free(pkey)
            throw CryptoError(.invalidKeySize, "RSA keys must have at least 2048 bits (this one has \(bits))")
        }
        self.pointer = pkey
        self.kind = kind
        self.isPrivate = isPrivate
    }

    deinit { EVP_PKEY_free(pointer) }

    /// The only way to reach the pointer: inside the OpenSSL folder, for the length of a call.
    func withUnsafePointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try body(pointer)
    }

    private static func kind(of pkey: OpaquePointer) -> KeyKind? {
        switch EVP_PKEY_get_base_id(pkey) {
        case EVP_PKEY_ED25519: return .ed25519
        case EVP_PKEY_RSA: return .rsa(bits: Int(EVP_PKEY_get_bits(pkey)))
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(pkey, &name, name.count, &length) == 1 else {
                clearOpenSSLErrors()
                return nil
            }
            switch String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self) {
            case "prime256v1", "P-256", "secp256r1": return .ecdsa(.p256)
            case "secp384r1", "P-384": return .ecdsa(.p384)
            default: return nil
            }
        default: return nil
        }
    }

    /// Generates a new private key.
    static func generate(_ kind: KeyKind) throws(CryptoError) -> EVPKey {
        let typeName: String
        switch kind {
        case .ed25519: typeName = "ED25519"
        case .ecdsa: typeName = "EC"
        case .rsa(let bits):
            guard KeyKind.rsaSizes.contains(bits) else {
                throw CryptoError(.invalidKeySize, "RSA key size must be between 2048 and 4096 bits, not \(bits)")
            }
            typeName = "RSA"
        }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw .openSSL(.openSSLFailure, "cannot create a key generation context")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else { throw .openSSL(.openSSLFailure, "EVP_PKEY_keygen_init failed") }
        switch kind {
        case .ecdsa(let curve):
            guard EVP_PKEY_CTX_set_group_name(ctx, curve.groupName) == 1 else {
                throw .openSSL(.openSSLFailure, "cannot select curve \(curve.rawValue)")
            }
        case .rsa(let bits):
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(bits)) == 1 else {
                throw .openSSL(.openSSLFailure, "cannot set RSA key size")
            }
        case .ed25519: break
        }
        var pkey: OpaquePointer?
        guard EVP_PKEY_generate(ctx, &pkey) == 1, let pkey else { throw .openSSL(.openSSLFailure, "key generation failed") }
        return try EVPKey(taking: pkey, isPrivate: true)
    }

    // MARK: Ed25519 raw keys

    static func ed25519(publicKey bytes: [UInt8]) throws(CryptoError) -> EVPKey {
        guard bytes.count == 32, let pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, bytes, 32) else {
            throw .openSSL(.invalidKey, "an Ed25519 public key is 32 bytes")
        }
        return try EVPKey(taking: pkey, isPrivate: false)
    }

    static func ed25519(seed bytes: [UInt8]) throws(CryptoError) -> EVPKey {
        guard bytes.count == 32, let pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, bytes, 32) else {
            throw .openSSL(.invalidKey, "an Ed25519 private key (seed) is 32 bytes")
        }
        return try EVPKey(taking: pkey, isPrivate: true)
    }

    /// The 32-byte Ed25519 public key.
    func rawPublicKey() throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_get_raw_public_key(pointer, &out, &length) == 1, length == 32 else {
            throw .openSSL(.invalidKey, "not an Ed25519 key")
        }
        return out
    }

    /// The 32-byte Ed25519 seed.
    func rawPrivateKey() throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard isPrivate, EVP_PKEY_get_raw_private_key(pointer, &out, &length) == 1, length == 32 else {
            throw .openSSL(.notAPrivateKey, "not an Ed25519 private key")
        }
        return out
    }

    // MARK: Components (EC and RSA)

    /// A big-endian integer parameter, left-padded with zeros to `size` when given.
    func bigNumber(_ name: String, paddedTo size: Int? = nil) throws(CryptoError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 1024)
        let length = nw_pkey_bn_param(pointer, name, &buffer, buffer.count)
        guard length >= 0 else { throw CryptoError(.invalidKey, "key has no parameter \(name)") }
        let bytes = Array(buffer[0..<length])
        guard let size else { return bytes }
        guard bytes.count <= size else { throw CryptoError(.invalidKey, "parameter \(name) too long") }
        return [UInt8](repeating: 0, count: size - bytes.count) + bytes
    }

    static func ec(curve: KeyKind.Curve, point: [UInt8], privateScalar: [UInt8]?) throws(CryptoError) -> EVPKey {
        let pkey: OpaquePointer? = point.withUnsafeBufferPointer { pub in
            if let privateScalar {
                return privateScalar.withUnsafeBufferPointer { priv in
                    nw_ec_key_from_components(curve.groupName, pub.baseAddress, pub.count, priv.baseAddress, priv.count)
                }
            }
            return nw_ec_key_from_components(curve.groupName, pub.baseAddress, pub.count, nil, 0)
        }
        guard let pkey else { throw .openSSL(.invalidKey, "invalid \(curve.rawValue) key (point not on the curve, or private scalar does not match)") }
        return try EVPKey(taking: pkey, isPrivate: privateScalar != nil)
    }

    /// RSA from big-endian components: n, e for a public key; n, e, d, p, q, dp, dq, qi for a private key.
    static func rsa(components: [[UInt8]]) throws(CryptoError) -> EVPKey {
        guard components.count == 2 || components.count == 8, components.allSatisfy({ !$0.isEmpty && $0.count <= 2048 }) else {
            throw CryptoError(.invalidKey, "RSA key needs n and e, or all eight private components")
        }
        let lengths = components.map(\.count)
        let buffers = components.map { bytes -> UnsafeMutablePointer<UInt8> in
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
            p.initialize(from: bytes, count: bytes.count)
            return p
        }
        defer {
            for (p, n) in zip(buffers, lengths) {
                p.update(repeating: 0, count: n)
                p.deallocate()
            }
        }
        let pointers: [UnsafePointer<UInt8>?] = buffers.map { UnsafePointer($0) }
        guard let pkey = nw_rsa_key_from_components(pointers, lengths, components.count) else {
            throw .openSSL(.invalidKey, "invalid RSA key components")
        }
        return try EVPKey(taking: pkey, isPrivate: components.count == 8)
    }
}
