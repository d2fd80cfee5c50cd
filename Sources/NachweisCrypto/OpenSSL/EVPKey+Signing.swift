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
        guard let mdctx = EVP_MD_CTX_new() else { throw .openSSL(.openSSLFailure, "EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(mdctx) }
        try withUnsafePointer { pkey throws(CryptoError) in try initialize(mdctx, pkey: pkey, scheme: scheme, sign: true) }
        var length = 0
        guard EVP_DigestSign(mdctx, nil, &length, message.bytePointer, message.count) == 1 else {
            throw .openSSL(.openSSLFailure, "signing failed")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(mdctx, &signature, &length, message.bytePointer, message.count) == 1 else {
            throw .openSSL(.openSSLFailure, "signing failed")
        }
        signature.removeLast(signature.count - length)
        return signature
    }

    /// Verifies a signature (DER for ECDSA). A wrong signature is `false`, never an error.
    func verify(_ signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, scheme: SignatureScheme) -> Bool {
        guard let mdctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(mdctx) }
        do {
            try withUnsafePointer { pkey throws(CryptoError) in try initialize(mdctx, pkey: pkey, scheme: scheme, sign: false) }
        } catch {
            return false
        }
        let result = EVP_DigestVerify(mdctx, signature.bytePointer, signature.count, message.bytePointer, message.count)
        if result != 1 { clearOpenSSLErrors() }
        return result == 1
    }

    private func initialize(_ mdctx: OpaquePointer, pkey: OpaquePointer, scheme: SignatureScheme, sign: Bool) throws(CryptoError) {
        var pctx: OpaquePointer?
        let md = scheme.digest?.fetched.pointer
        let ok = sign ? EVP_DigestSignInit(mdctx, &pctx, md, nil, pkey) : EVP_DigestVerifyInit(mdctx, &pctx, md, nil, pkey)
        guard ok == 1 else { throw .openSSL(.openSSLFailure, "cannot initialize the signature operation") }
        if scheme.rsaPSS {
            guard EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1
            else { throw .openSSL(.openSSLFailure, "cannot set RSA-PSS parameters") }
        }
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
