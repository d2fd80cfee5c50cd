import Foundation

/// Validates certificate chains against trust anchors at a given time, with OpenSSL's `X509_STORE`
/// (RFC 5280 path validation as `openssl verify -partial_chain` does it: a trust anchor may be an intermediate CA, as
/// in EU trusted lists), plus an optional key usage the leaf must allow.
///
/// ```swift
/// let validator = try CertificateChainValidator(trustAnchorDirectory: "Keys/trust-anchors")
/// let chain = try validator.validate(leaf: seal, intermediates: [], at: signingTime)
/// ```
public struct CertificateChainValidator: Sendable {
    public let trustAnchors: [Certificate]
    /// Key usage the leaf must carry (when it has the extension); e.g. `.nonRepudiation` for e-seals.
    public var requiredLeafKeyUsage: KeyUsage?

    public init(trustAnchors: [Certificate], requiredLeafKeyUsage: KeyUsage? = nil) {
        self.trustAnchors = trustAnchors
        self.requiredLeafKeyUsage = requiredLeafKeyUsage
    }

    /// Loads every certificate (PEM or DER; `.pem`, `.crt`, `.cer`, `.der`) in a directory.
    public init(trustAnchorDirectory path: String, requiredLeafKeyUsage: KeyUsage? = nil) throws(CryptoError) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            throw CryptoError(.io, "cannot read trust anchor directory \(path): \(error.localizedDescription)")
        }
        var anchors: [Certificate] = []
        for name in names where ["pem", "crt", "cer", "der"].contains((name as NSString).pathExtension.lowercased()) {
            let file = (path as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file) else { throw CryptoError(.io, "cannot read \(file)") }
            anchors.append(contentsOf: try Certificate.parse(Array(data)))
        }
        self.init(trustAnchors: anchors, requiredLeafKeyUsage: requiredLeafKeyUsage)
    }

    /// Validates leaf through intermediates to a trust anchor at time (the current time when nil).
    /// Returns the chain, leaf first and the anchor last.
    ///
    /// - Throws: `x509.expired`, `x509.not_yet_valid`, `x509.untrusted`, `x509.invalid_ca`, `x509.key_usage`,
    ///   `x509.signature_invalid`, `x509.chain_invalid`, each with OpenSSL's reason and the depth.
    public func validate(leaf: Certificate, intermediates: [Certificate] = [], at time: Date? = nil) throws(CryptoError) -> [Certificate] {
        let chain = try X509ChainVerification.verify(leaf: leaf.box, intermediates: intermediates.map(\.box),
                                                     anchors: trustAnchors.map(\.box), at: time)
        if let required = requiredLeafKeyUsage, let usage = leaf.keyUsage, !usage.isSuperset(of: required) {
            throw CryptoError(.keyUsageNotAllowed, "the certificate's key usage (\(usage)) does not allow \(required)")
        }
        return chain.map(Certificate.init(box:))
    }
}
