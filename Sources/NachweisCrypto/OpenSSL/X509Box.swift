import COpenSSL
import CNachweisShim
import Foundation

/// Owns one OpenSSL `X509`.
///
/// `@unchecked Sendable` invariant: the certificate is never modified after parsing; OpenSSL's
/// read accessors and `X509_up_ref` are thread-safe on an unmodified certificate.
final class X509Box: @unchecked Sendable {
    private let pointer: OpaquePointer

    init(taking x509: OpaquePointer) { pointer = x509 }
    deinit { X509_free(pointer) }

    func withUnsafePointer<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R { try body(pointer) }

    /// Parses one DER certificate; every byte must belong to it.
    static func parse(der: [UInt8]) throws(CryptoError) -> X509Box {
        let x509: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let cert = d2i_X509(nil, &p, buffer.count) else { return nil }
            guard p == buffer.baseAddress.map({ $0 + buffer.count }) else {
                X509_free(cert)
                return nil
            }
            return cert
        }
        guard let x509 else { throw .openSSL(.invalidCertificate, "not a DER X.509 certificate") }
        return X509Box(taking: x509)
    }

    /// Parses every `CERTIFICATE` block of a PEM text, in order.
    static func parse(pem: [UInt8]) throws(CryptoError) -> [X509Box] {
        try MemoryBIO.reading(pem) { bio throws(CryptoError) in
            var boxes: [X509Box] = []
            while let x509 = PEM_read_bio_X509(bio, nil, nil, nil) {
                boxes.append(X509Box(taking: x509))
            }
            // The loop ends with "no start line" at the end of input; anything else is a broken block.
            let reasons = drainOpenSSLErrors()
            guard !boxes.isEmpty else {
                throw CryptoError(.invalidCertificate, "no PEM certificate found" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")))
            }
            if reasons.contains(where: { !$0.contains("no start line") }) {
                throw CryptoError(.invalidCertificate, "broken PEM certificate block: " + reasons.joined(separator: "; "))
            }
            return boxes
        }
    }

    var der: [UInt8] {
        let length = i2d_X509(pointer, nil)
        guard length > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: Int(length))
        _ = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var p: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_X509(pointer, &p)
        }
        return out
    }

    // MARK: Fields

    func name(issuer: Bool) -> [DistinguishedName.Attribute] {
        guard let name = issuer ? X509_get_issuer_name(pointer) : X509_get_subject_name(pointer) else { return [] }
        var attributes: [DistinguishedName.Attribute] = []
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index),
                  let object = X509_NAME_ENTRY_get_object(entry),
                  let data = X509_NAME_ENTRY_get_data(entry) else { continue }
            var oid = [CChar](repeating: 0, count: 128)
            let oidLength = OBJ_obj2txt(&oid, Int32(oid.count), object, 1)
            let nid = OBJ_obj2nid(object)
            let shortName = nid == NID_undef ? nil : OBJ_nid2sn(nid).map { String(cString: $0) }
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, data)
            var value = ""
            if length >= 0, let utf8 {
                value = String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
                nw_free(utf8)
            } else {
                clearOpenSSLErrors()
            }
            let oidText = oidLength > 0 ? String(decoding: oid.prefix(Int(oidLength)).map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
            attributes.append(DistinguishedName.Attribute(oid: oidText, shortName: shortName, value: value))
        }
        return attributes
    }

    var serialHex: String {
        guard let serial = X509_get0_serialNumber(pointer), let bn = ASN1_INTEGER_to_BN(serial, nil) else { return "" }
        defer { BN_free(bn) }
        guard let hex = BN_bn2hex(bn) else { return "" }
        defer { nw_free(hex) }
        return String(cString: hex)
    }

    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var tm = tm()
        guard ASN1_TIME_to_tm(time, &tm) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&tm)))
    }

    var notBefore: Date? { X509Box.date(X509_get0_notBefore(pointer)) }
    var notAfter: Date? { X509Box.date(X509_get0_notAfter(pointer)) }

    /// Key usage bits as in RFC 5280 (`digitalSignature` = 0x80 …), nil without the extension.
    var keyUsage: UInt32? {
        let usage = X509_get_key_usage(pointer)
        return usage == UInt32.max ? nil : usage
    }

    var isCA: Bool { X509_check_ca(pointer) > 0 }

    func publicKey() throws(CryptoError) -> EVPKey {
        guard let pkey = X509_get_pubkey(pointer) else { throw .openSSL(.invalidCertificate, "certificate public key is unreadable") }
        return try EVPKey(taking: pkey, isPrivate: false)
    }
}

/// Chain building and validation by OpenSSL's `X509_STORE`.
enum X509ChainVerification {
    /// Validates leaf up to one of anchors through intermediates, at time (now when nil).
    /// Returns the chain built, leaf first, ending with the trust anchor.
    static func verify(leaf: X509Box, intermediates: [X509Box], anchors: [X509Box], at time: Date?) throws(CryptoError) -> [X509Box] {
        guard let store = X509_STORE_new() else { throw .openSSL(.openSSLFailure, "X509_STORE_new failed") }
        defer { X509_STORE_free(store) }
        // An anchor need not be self-signed: EU trusted lists name the qualified CAs themselves, often intermediates.
        X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN))
        for anchor in anchors {
            guard anchor.withUnsafePointer({ X509_STORE_add_cert(store, $0) }) == 1 else {
                // A duplicate anchor is harmless; anything else is not.
                let reasons = drainOpenSSLErrors()
                if reasons.allSatisfy({ $0.contains("already in hash table") }) { continue }
                throw CryptoError(.openSSLFailure, "cannot add trust anchor: \(reasons.joined(separator: "; "))")
            }
        }
        guard let untrusted = nw_x509_stack_new() else { throw .openSSL(.openSSLFailure, "cannot allocate a certificate stack") }
        defer { nw_x509_stack_free(untrusted) }
        for cert in intermediates {
            guard cert.withUnsafePointer({ nw_x509_stack_push(untrusted, $0) }) == 1 else {
                throw .openSSL(.openSSLFailure, "cannot add an intermediate certificate")
            }
        }
        guard let ctx = X509_STORE_CTX_new() else { throw .openSSL(.openSSLFailure, "X509_STORE_CTX_new failed") }
        defer { X509_STORE_CTX_free(ctx) }
        guard leaf.withUnsafePointer({ X509_STORE_CTX_init(ctx, store, $0, untrusted) }) == 1 else {
            throw .openSSL(.openSSLFailure, "X509_STORE_CTX_init failed")
        }
        if let time {
            X509_STORE_CTX_set_time(ctx, 0, time_t(time.timeIntervalSince1970.rounded(.down)))
        }
        guard X509_verify_cert(ctx) == 1 else {
            let error = X509_STORE_CTX_get_error(ctx)
            let depth = X509_STORE_CTX_get_error_depth(ctx)
            clearOpenSSLErrors()
            let reason = String(cString: X509_verify_cert_error_string(Int(error)))
            // OpenSSL calls a CA (basicConstraints CA:TRUE) whose key usage lacks keyCertSign an "invalid CA"; name the cause.
            if error == X509_V_ERR_INVALID_CA, let current = X509_STORE_CTX_get_current_cert(ctx),
               X509_get_extension_flags(current) & UInt32(EXFLAG_CA) != 0, X509_get_key_usage(current) != UInt32.max, X509_get_key_usage(current) & UInt32(KU_KEY_CERT_SIGN) == 0 {
                throw CryptoError(.keyUsageNotAllowed, "\(reason): its key usage does not include keyCertSign (certificate at depth \(depth))")
            }
            throw CryptoError(code(for: error), "\(reason) (certificate at depth \(depth))")
        }
        guard let chain = X509_STORE_CTX_get1_chain(ctx) else { throw .openSSL(.openSSLFailure, "no chain was built") }
        defer { nw_x509_stack_free(chain) }
        var boxes: [X509Box] = []
        for index in 0..<nw_x509_stack_count(chain) {
            guard let cert = nw_x509_stack_value(chain, index), X509_up_ref(cert) == 1 else { continue }
            boxes.append(X509Box(taking: cert))
        }
        return boxes
    }

    static func code(for error: Int32) -> CryptoError.Code {
        switch error {
        case X509_V_ERR_CERT_HAS_EXPIRED: .certificateExpired
        case X509_V_ERR_CERT_NOT_YET_VALID: .certificateNotYetValid
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_UNTRUSTED:
            .untrustedChain
        case X509_V_ERR_INVALID_CA, X509_V_ERR_PATH_LENGTH_EXCEEDED: .invalidCA
        case X509_V_ERR_KEYUSAGE_NO_CERTSIGN, X509_V_ERR_INVALID_PURPOSE, X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE:
            .keyUsageNotAllowed
        case X509_V_ERR_CERT_SIGNATURE_FAILURE, X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE,
             X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
            .certificateSignatureInvalid
        default: .chainInvalid
        }
    }
}
