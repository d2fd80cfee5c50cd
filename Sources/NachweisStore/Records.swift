import Foundation
import NachweisCrypto

/// An issuer (tenant): the organisation behind credentials, with the fields OB 3.0 `Profile`, OB 2.0 `Issuer` and
/// the ELM `Organisation` need.
public struct Issuer: Sendable, Hashable, Codable {
    public var id: UUID
    /// URL-safe handle used in public document paths (`/issuers/{slug}`); unique.
    public var slug: String
    public var name: String
    public var legalName: String?
    /// ISO 3166-1 alpha-2, upper case (`DE`).
    public var country: String
    /// eIDAS legal-person identifier, e.g. `DE/…` or a VAT / EUID number, when the issuer has one.
    public var eidasIdentifier: String?
    public var homepage: String
    public var email: String?
    public var imageURL: String?
    public var createdAt: Date

    public init(id: UUID = UUID(), slug: String, name: String, legalName: String? = nil, country: String,
                eidasIdentifier: String? = nil, homepage: String, email: String? = nil, imageURL: String? = nil,
                createdAt: Date = Date()) {
        self.id = id
        self.slug = slug
        self.name = name
        self.legalName = legalName
        self.country = country
        self.eidasIdentifier = eidasIdentifier
        self.homepage = homepage
        self.email = email
        self.imageURL = imageURL
        self.createdAt = createdAt.storagePrecision
    }
}

/// One of an issuer's keys. One key per purpose and algorithm is active at a time (an Ed25519 key for Data
/// Integrity, RSA for OB 2.0, a seal for Europass, …); retired keys stay resolvable so that credentials signed with
/// them keep verifying.
public struct SigningKey: Sendable, Hashable, Codable {
    public enum Purpose: String, Sendable, Hashable, Codable, CaseIterable {
        /// Signs credentials (Data Integrity, VC-JWT, OB 2.0 JWS) and status lists.
        case signing
        /// An electronic seal with its certificate (Europass JAdES).
        case sealing
    }

    public var id: UUID
    public var issuerID: UUID
    /// JOSE algorithm name: `EdDSA`, `ES256`, `ES384`, `RS256`, `PS256`.
    public var algorithm: String
    /// The public key as a JWK (compact JSON text), for JWKS, DID documents and CryptographicKey.
    public var publicJWK: String
    /// Where the private key lives: a PEM file path (development keys, mounted secrets).
    public var privateKeyPath: String
    public var purpose: Purpose
    /// The certificate chain (PEM, leaf first) of a sealing key; it goes into `x5c`.
    public var certificatePath: String?
    public var active: Bool
    public var createdAt: Date
    public var retiredAt: Date?

    public init(id: UUID = UUID(), issuerID: UUID, algorithm: String, publicJWK: String, privateKeyPath: String,
                purpose: Purpose = .signing, certificatePath: String? = nil, active: Bool = true, createdAt: Date = Date(),
                retiredAt: Date? = nil) {
        self.id = id
        self.issuerID = issuerID
        self.algorithm = algorithm
        self.publicJWK = publicJWK
        self.privateKeyPath = privateKeyPath
        self.purpose = purpose
        self.certificatePath = certificatePath
        self.active = active
        self.createdAt = createdAt.storagePrecision
        self.retiredAt = retiredAt?.storagePrecision
    }
}

/// A staff API token of one issuer. Only the SHA-256 of the secret is stored; the secret is shown once.
public struct APIToken: Sendable, Hashable, Codable {
    public var id: UUID
    public var issuerID: UUID
    public var label: String
    /// Lower-case hex SHA-256 of the token text.
    public var secretHash: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: UUID = UUID(), issuerID: UUID, label: String, secretHash: String, createdAt: Date = Date(),
                revokedAt: Date? = nil) {
        self.id = id
        self.issuerID = issuerID
        self.label = label
        self.secretHash = secretHash
        self.createdAt = createdAt.storagePrecision
        self.revokedAt = revokedAt?.storagePrecision
    }

    public var isRevoked: Bool { revokedAt != nil }
}

extension Date {
    /// Stores keep times to the millisecond (as integers since 1970); records round their times on creation so that
    /// what is read back equals what was written.
    public var storagePrecision: Date { Date(timeIntervalSince1970: Double(storageMilliseconds) / 1000) }

    /// Milliseconds since 1970, as stored.
    public var storageMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
}

extension UUID {
    /// A version 7 UUID (RFC 9562 §5.7): the Unix time in milliseconds, then 74 random bits. Identifiers made one
    /// after another sort together, so a store's index on them grows at its end instead of at a random page for
    /// every record (the issuing path writes one credential per identifier). They reveal their creation time to the
    /// millisecond — for a credential, what its `validFrom` says anyway.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        let milliseconds = UInt64(max(0, date.storageMilliseconds))
        // OpenSSL's generator, through the pool for identifiers and salts; Swift's system generator, a getrandom(2)
        // call per draw, only should OpenSSL's ever fail to seed.
        let random: UInt64, more: UInt64
        if let drawn = try? SecureRandom.pooled(16) {
            (random, more) = drawn.withUnsafeBytes { ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        } else {
            var generator = SystemRandomNumberGenerator()
            (random, more) = (generator.next(), generator.next())
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(i))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: random >> 60)  // version 7, then rand_a
        bytes[7] = UInt8(truncatingIfNeeded: random >> 52)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: more >> 58)  // variant 10, then rand_b
        for i in 9..<16 { bytes[i] = UInt8(truncatingIfNeeded: more >> (8 * UInt64(15 - i))) }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
