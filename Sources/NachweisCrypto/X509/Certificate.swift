import Foundation

/// An X.509 certificate, parsed by OpenSSL.
public struct Certificate: Sendable, Hashable {
    let box: X509Box
    /// The DER encoding: the certificate's identity for equality.
    public let derRepresentation: [UInt8]

    init(box: X509Box) {
        self.box = box
        derRepresentation = box.der
    }

    /// Parses one DER certificate. Throws `x509.invalid`.
    public init(der: [UInt8]) throws(CryptoError) {
        self.init(box: try X509Box.parse(der: der))
    }

    /// Parses the certificates in PEM text (one or more `CERTIFICATE` blocks), in order.
    public static func parsePEM(_ text: String) throws(CryptoError) -> [Certificate] {
        try X509Box.parse(pem: Array(text.utf8)).map(Certificate.init(box:))
    }

    /// Parses PEM (one or more blocks) or a single DER certificate, whichever the bytes are.
    public static func parse(_ bytes: [UInt8]) throws(CryptoError) -> [Certificate] {
        if bytes.containsASCII("-----BEGIN") { return try X509Box.parse(pem: bytes).map(Certificate.init(box:)) }
        return [try Certificate(der: bytes)]
    }

    public var subject: DistinguishedName { DistinguishedName(attributes: box.name(issuer: false)) }
    public var issuer: DistinguishedName { DistinguishedName(attributes: box.name(issuer: true)) }

    /// Serial number in upper-case hex.
    public var serialNumber: String { box.serialHex }

    public var notBefore: Date { box.notBefore ?? .distantFuture }
    public var notAfter: Date { box.notAfter ?? .distantPast }

    /// Key usage, nil when the certificate has no key usage extension (any use allowed).
    public var keyUsage: KeyUsage? { box.keyUsage.map { KeyUsage(rawValue: $0) } }

    /// Whether the certificate may act as a CA (basic constraints).
    public var isCA: Bool { box.isCA }

    /// SHA-256 of the DER encoding.
    public var sha256Thumbprint: [UInt8] { DigestAlgorithm.sha256.hash(derRepresentation) }

    /// The JOSE `x5t#S256` value: base64url of the SHA-256 thumbprint.
    public var x5tS256: String { Base64URL.encode(sha256Thumbprint) }

    /// The subject's public key.
    public func publicKey() throws(CryptoError) -> PublicKey { PublicKey(evp: try box.publicKey()) }

    /// PEM `CERTIFICATE` block.
    public var pemRepresentation: String {
        let body = Base64URL.encodeStandard(derRepresentation)
        var lines: [Substring] = []
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(rest.prefix(64))
            rest = rest.dropFirst(64)
        }
        return "-----BEGIN CERTIFICATE-----\n" + lines.joined(separator: "\n") + "\n-----END CERTIFICATE-----\n"
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.derRepresentation == rhs.derRepresentation }
    public func hash(into hasher: inout Hasher) { hasher.combine(derRepresentation) }
}

/// RFC 5280 key usage bits, as OpenSSL reports them.
public struct KeyUsage: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let digitalSignature = KeyUsage(rawValue: 0x80)
    /// Also called contentCommitment; required on qualified electronic seals.
    public static let nonRepudiation = KeyUsage(rawValue: 0x40)
    public static let keyEncipherment = KeyUsage(rawValue: 0x20)
    public static let dataEncipherment = KeyUsage(rawValue: 0x10)
    public static let keyAgreement = KeyUsage(rawValue: 0x08)
    public static let keyCertSign = KeyUsage(rawValue: 0x04)
    public static let cRLSign = KeyUsage(rawValue: 0x02)

    static let names: [(KeyUsage, String)] = [
        (.digitalSignature, "digitalSignature"), (.nonRepudiation, "nonRepudiation"), (.keyEncipherment, "keyEncipherment"),
        (.dataEncipherment, "dataEncipherment"), (.keyAgreement, "keyAgreement"), (.keyCertSign, "keyCertSign"), (.cRLSign, "cRLSign"),
    ]

    public var description: String { KeyUsage.names.filter { contains($0.0) }.map(\.1).joined(separator: ", ") }
}
