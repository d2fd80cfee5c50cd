import COpenSSL

/// How one signature is made with a key: the digest (none for Ed25519) and the RSA padding.
struct SignatureScheme: Sendable, Hashable {
    var digest: DigestAlgorithm?
    var rsaPSS: Bool
}

extension EVPKey {
    /// Signs message; ECDSA signatures come back DER-encoded, as OpenSSL makes them.
    func sign(_ message: UnsafeRawBufferPointer, scheme: SignatureScheme) throws(CryptoError) -> [UInt8] {
        guard isPrivate else { throw CryptoError(.notAPrivateKey, "signing needs a private key") }
        let slot = SignatureContextPool.Slot(verify: false, scheme: scheme)
        let ctx: OpaquePointer
        if let pooled = contexts.take(slot) { ctx = pooled } else { ctx = try makeContext(slot) }
        var signature = [UInt8](repeating: 0, count: Int(withUnsafePointer { EVP_PKEY_get_size($0) }))
        var length = signature.count
        let ok: Int32
        if let digest = scheme.digest {
            let hash = digest.computeDigest(message)
            ok = EVP_PKEY_sign(ctx, &signature, &length, hash, hash.count)
        } else {
            ok = EVP_DigestSign(ctx, &signature, &length, message.bytePointer, message.count)
        }
        guard ok == 1 else {
            SignatureContextPool.release(ctx, slot: slot)
            throw .openSSL(.openSSLFailure, "signing failed")
        }
        contexts.give(ctx, slot: slot)
        signature.removeLast(signature.count - length)
        return signature
    }

    /// Verifies a signature (DER for ECDSA). A wrong signature is `false`, never an error.
    func verify(_ signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, scheme: SignatureScheme) -> Bool {
        let slot = SignatureContextPool.Slot(verify: true, scheme: scheme)
        guard let ctx = contexts.take(slot) ?? (try? makeContext(slot)) else {
            clearOpenSSLErrors()
            return false
        }
        let result: Int32
        if let digest = scheme.digest {
            let hash = digest.computeDigest(message)
            result = EVP_PKEY_verify(ctx, signature.bytePointer, signature.count, hash, hash.count)
        } else {
            result = EVP_DigestVerify(ctx, signature.bytePointer, signature.count, message.bytePointer, message.count)
        }
        if result == 1 {
            contexts.give(ctx, slot: slot)
            return true
        }
        // A refused signature may leave the context in any state: never reuse it.
        SignatureContextPool.release(ctx, slot: slot)
        clearOpenSSLErrors()
        return false
    }

    /// A context ready for one kind of operation with this key.
    private func makeContext(_ slot: SignatureContextPool.Slot) throws(CryptoError) -> OpaquePointer {
        if slot.scheme.digest == nil {
            guard let mdctx = EVP_MD_CTX_new() else { throw .openSSL(.openSSLFailure, "EVP_MD_CTX_new failed") }
            let ok = withUnsafePointer { pkey in
                slot.verify ? EVP_DigestVerifyInit(mdctx, nil, nil, nil, pkey) : EVP_DigestSignInit(mdctx, nil, nil, nil, pkey)
            }
            guard ok == 1 else {
                EVP_MD_CTX_free(mdctx)
                throw .openSSL(.openSSLFailure, "cannot initialize the signature operation")
            }
            return mdctx
        }
        guard let pctx = withUnsafePointer({ EVP_PKEY_CTX_new_from_pkey(nil, $0, nil) }) else {
            throw .openSSL(.openSSLFailure, "EVP_PKEY_CTX_new_from_pkey failed")
        }
        var ok = (slot.verify ? EVP_PKEY_verify_init(pctx) : EVP_PKEY_sign_init(pctx)) == 1
        if ok, slot.scheme.rsaPSS {
            ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1
        }
        if ok, let digest = slot.scheme.digest {
            ok = EVP_PKEY_CTX_set_signature_md(pctx, digest.fetched.pointer) == 1
        }
        guard ok else {
            EVP_PKEY_CTX_free(pctx)
            throw .openSSL(.openSSLFailure, "cannot initialize the signature operation")
        }
        return pctx
    }
}

/// ECDSA signature encodings: DER `Ecdsa-Sig-Value` (X.509, OpenSSL) and JOSE's fixed-size `r || s`.
enum ECDSASignatureEncoding {
    /// DER → `r || s`, each left-padded to the curve's coordinate size.
    static func rawFromDER(_ der: [UInt8], coordinateSize: Int) throws(CryptoError) -> [UInt8] {
        let raw: [UInt8]? = der.withUnsafeBufferPointer { buffer in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let sig = d2i_ECDSA_SIG(nil, &p, buffer.count) else { return nil }
            defer { ECDSA_SIG_free(sig) }
            guard p == buffer.baseAddress.map({ $0 + buffer.count }) else { return nil }
            var r: OpaquePointer?
            var s: OpaquePointer?
            ECDSA_SIG_get0(sig, &r, &s)
            var out = [UInt8](repeating: 0, count: 2 * coordinateSize)
            let ok = out.withUnsafeMutableBufferPointer { o in
                BN_bn2binpad(r, o.baseAddress, Int32(coordinateSize)) == coordinateSize
                    && BN_bn2binpad(s, o.baseAddress! + coordinateSize, Int32(coordinateSize)) == coordinateSize
            }
            return ok ? out : nil
        }
        guard let raw else { throw .openSSL(.invalidSignatureEncoding, "not a DER ECDSA signature") }
        return raw
    }

    /// `r || s` → DER. The raw form must be exactly two coordinates long.
    static func derFromRaw(_ raw: UnsafeRawBufferPointer, coordinateSize: Int) throws(CryptoError) -> [UInt8] {
        guard raw.count == 2 * coordinateSize, let base = raw.bytePointer else {
            throw CryptoError(.invalidSignatureEncoding, "an ECDSA signature on this curve is \(2 * coordinateSize) bytes, not \(raw.count)")
        }
        guard let sig = ECDSA_SIG_new() else { throw .openSSL(.openSSLFailure, "ECDSA_SIG_new failed") }
        defer { ECDSA_SIG_free(sig) }
        let r = BN_bin2bn(base, Int32(coordinateSize), nil)
        let s = BN_bin2bn(base + coordinateSize, Int32(coordinateSize), nil)
        guard let r, let s, ECDSA_SIG_set0(sig, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            throw .openSSL(.openSSLFailure, "ECDSA_SIG_set0 failed")
        }
        let length = i2d_ECDSA_SIG(sig, nil)
        guard length > 0 else { throw .openSSL(.openSSLFailure, "cannot encode ECDSA signature") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var p: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_ECDSA_SIG(sig, &p)
        }
        guard written == length else { throw .openSSL(.openSSLFailure, "cannot encode ECDSA signature") }
        return out
    }
}

extension UnsafeRawBufferPointer {
    var bytePointer: UnsafePointer<UInt8>? { baseAddress?.assumingMemoryBound(to: UInt8.self) }
}
