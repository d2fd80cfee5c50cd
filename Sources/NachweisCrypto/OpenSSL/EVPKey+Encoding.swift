import COpenSSL
import CNachweisShim

extension EVPKey {
    /// PKCS#8 private key as PEM, encrypted (PBES2, AES-256-CBC) when a passphrase is given.
    func privateKeyPEM(passphrase: String?) throws(CryptoError) -> String {
        String(decoding: try writePrivate(passphrase: passphrase, der: false), as: UTF8.self)
    }

    /// PKCS#8 private key as DER, encrypted when a passphrase is given.
    func privateKeyDER(passphrase: String?) throws(CryptoError) -> [UInt8] {
        try writePrivate(passphrase: passphrase, der: true)
    }

    private func writePrivate(passphrase: String?, der: Bool) throws(CryptoError) -> [UInt8] {
        guard isPrivate else { throw CryptoError(.notAPrivateKey, "this is a public key") }
        let bio = try MemoryBIO()
        let ok = withUnsafePointer { pkey in nw_write_private_key(bio.pointer, pkey, passphrase, der ? 1 : 0) }
        guard ok == 1 else { throw .openSSL(.openSSLFailure, "cannot encode private key") }
        return bio.contents
    }

    /// SubjectPublicKeyInfo as PEM.
    func publicKeyPEM() throws(CryptoError) -> String {
        let bio = try MemoryBIO()
        guard withUnsafePointer({ PEM_write_bio_PUBKEY(bio.pointer, $0) }) == 1 else {
            throw .openSSL(.openSSLFailure, "cannot encode public key")
        }
        return String(decoding: bio.contents, as: UTF8.self)
    }

    /// SubjectPublicKeyInfo as DER.
    func publicKeyDER() throws(CryptoError) -> [UInt8] {
        let length = withUnsafePointer { i2d_PUBKEY($0, nil) }
        guard length > 0 else { throw .openSSL(.openSSLFailure, "cannot encode public key") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = withUnsafePointer { pkey in
            out.withUnsafeMutableBufferPointer { buffer -> Int32 in
                var p: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
                return i2d_PUBKEY(pkey, &p)
            }
        }
        guard written == length else { throw .openSSL(.openSSLFailure, "cannot encode public key") }
        return out
    }

    /// The public half as its own key.
    func publicOnly() throws(CryptoError) -> EVPKey {
        if !isPrivate { return self }
        return try EVPKey.publicKey(der: try publicKeyDER())
    }

    // MARK: Loading

    static func privateKey(pem: [UInt8], passphrase: String?) throws(CryptoError) -> EVPKey {
        let encrypted = pem.containsASCII("ENCRYPTED")
        let pkey = try MemoryBIO.reading(pem) { bio throws(CryptoError) in nw_read_private_key_pem(bio, passphrase) }
        guard let pkey else {
            if encrypted {
                if passphrase == nil {
                    clearOpenSSLErrors()
                    throw CryptoError(.wrongPassphrase, "the private key is encrypted: a passphrase is needed")
                }
                throw .openSSL(.wrongPassphrase, "cannot decrypt the private key (wrong passphrase?)")
            }
            throw .openSSL(.invalidPEM, "not a PEM private key")
        }
        return try EVPKey(taking: pkey, isPrivate: true)
    }

    static func privateKey(der: [UInt8], passphrase: String?) throws(CryptoError) -> EVPKey {
        guard let pkey = der.withUnsafeBufferPointer({ nw_read_private_key_der($0.baseAddress, $0.count, passphrase) }) else {
            throw .openSSL(.invalidKey, "not a DER PKCS#8 private key (or wrong passphrase)")
        }
        return try EVPKey(taking: pkey, isPrivate: true)
    }

    static func publicKey(pem: [UInt8]) throws(CryptoError) -> EVPKey {
        let pkey = try MemoryBIO.reading(pem) { bio throws(CryptoError) in PEM_read_bio_PUBKEY(bio, nil, nil, nil) }
        guard let pkey else { throw .openSSL(.invalidPEM, "not a PEM public key") }
        return try EVPKey(taking: pkey, isPrivate: false)
    }

    static func publicKey(der: [UInt8]) throws(CryptoError) -> EVPKey {
        let result: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let pkey = d2i_PUBKEY(nil, &p, buffer.count) else { return nil }
            guard p == buffer.baseAddress.map({ $0 + buffer.count }) else {
                EVP_PKEY_free(pkey)
                return nil
            }
            return pkey
        }
        guard let result else { throw .openSSL(.invalidKey, "not a DER SubjectPublicKeyInfo") }
        return try EVPKey(taking: result, isPrivate: false)
    }
}

extension Array where Element == UInt8 {
    func containsASCII(_ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard n.count <= count else { return false }
        for start in 0...(count - n.count) where self[start] == n[0] && Array(self[start..<start + n.count]) == n {
            return true
        }
        return false
    }
}
