import Foundation

/// A learner's account: the wallet's owner.
public struct Learner: Sendable, Hashable, Codable {
    public var id: UUID
    /// Lower-case; unique.
    public var email: String
    /// An scrypt hash (`NachweisCrypto.PasswordHash`), never the password.
    public var passwordHash: String
    public var createdAt: Date

    public init(id: UUID = UUID(), email: String, passwordHash: String, createdAt: Date = Date()) {
        self.id = id
        self.email = email.lowercased()
        self.passwordHash = passwordHash
        self.createdAt = createdAt.storagePrecision
    }
}

/// A signed-in session: an opaque bearer token, of which only the SHA-256 is stored.
public struct LearnerSession: Sendable, Hashable, Codable {
    public var id: UUID
    public var learnerID: UUID
    /// Lower-case hex SHA-256 of the token text.
    public var tokenHash: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(id: UUID = UUID(), learnerID: UUID, tokenHash: String, createdAt: Date = Date(), expiresAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.learnerID = learnerID
        self.tokenHash = tokenHash
        self.createdAt = createdAt.storagePrecision
        self.expiresAt = expiresAt.storagePrecision
        self.revokedAt = revokedAt?.storagePrecision
    }

    /// Whether the session still lets its learner in at `date`.
    public func isLive(at date: Date = Date()) -> Bool { revokedAt == nil && expiresAt > date }
}

/// A credential a learner imported: the exact bytes received, what was read from them and the latest verification.
public struct WalletCredential: Sendable, Hashable, Codable {
    public var id: UUID
    public var learnerID: UUID
    /// The bytes as received (a JSON document, a compact JWS, a JAdES envelope, a baked PNG or SVG).
    public var received: Data
    /// What they were received as (`application/json`, `image/png`, …).
    public var mediaType: String
    /// Lower-case hex SHA-256 of ``received``: the same bytes imported twice are one credential.
    public var digest: String
    /// The detected format (`ob3-jwt`, `ob2-hosted`, …) and, for images, the container.
    public var format: String
    public var container: String?
    /// The credential JSON as read (the OB 3.0 credential of a JWT, the EDC payload, the OB 2.0 assertion), compact.
    public var credential: String?
    /// Summary fields for listing and filtering, read from the credential at import.
    public var title: String?
    public var issuerName: String?
    public var issuerID: String?
    /// The achievement's own id (an OB 3.0 Achievement's URL, an OB 2.0 BadgeClass's), for stackability rules.
    public var achievementID: String?
    public var achievementType: String?
    public var eqfLevel: Int?
    public var ects: Double?
    public var issuedAt: Date?
    /// Where it was fetched from, for an import by URL.
    public var sourceURL: String?
    public var importedAt: Date
    /// The latest verification: the report (JSON), its verdict and the credential's status then.
    public var report: String
    public var verdict: String
    public var status: String
    public var verifiedAt: Date

    public init(id: UUID = UUID(), learnerID: UUID, received: Data, mediaType: String, digest: String, format: String, container: String? = nil,
                credential: String?, title: String? = nil, issuerName: String? = nil, issuerID: String? = nil, achievementID: String? = nil,
                achievementType: String? = nil,
                eqfLevel: Int? = nil, ects: Double? = nil, issuedAt: Date? = nil, sourceURL: String? = nil, importedAt: Date = Date(),
                report: String, verdict: String, status: String, verifiedAt: Date = Date()) {
        self.id = id
        self.learnerID = learnerID
        self.received = received
        self.mediaType = mediaType
        self.digest = digest
        self.format = format
        self.container = container
        self.credential = credential
        self.title = title
        self.issuerName = issuerName
        self.issuerID = issuerID
        self.achievementID = achievementID
        self.achievementType = achievementType
        self.eqfLevel = eqfLevel
        self.ects = ects
        self.issuedAt = issuedAt?.storagePrecision
        self.sourceURL = sourceURL
        self.importedAt = importedAt.storagePrecision
        self.report = report
        self.verdict = verdict
        self.status = status
        self.verifiedAt = verifiedAt.storagePrecision
    }

    /// The status values a verification leaves.
    public enum Status: String, Sendable, CaseIterable {
        case active, revoked, suspended, unknown
    }
}

/// What a wallet listing asks for: filters (all optional, combined with AND), a text search over title and issuer
/// name, and a page.
public struct WalletQuery: Sendable, Hashable {
    public var issuer: String?
    public var achievementType: String?
    public var eqfLevel: Int?
    public var issuedFrom: Date?
    public var issuedUntil: Date?
    public var status: String?
    public var verdict: String?
    public var text: String?
    public var limit: Int
    public var offset: Int

    public init(issuer: String? = nil, achievementType: String? = nil, eqfLevel: Int? = nil, issuedFrom: Date? = nil, issuedUntil: Date? = nil,
                status: String? = nil, verdict: String? = nil, text: String? = nil, limit: Int = 50, offset: Int = 0) {
        self.issuer = issuer
        self.achievementType = achievementType
        self.eqfLevel = eqfLevel
        self.issuedFrom = issuedFrom
        self.issuedUntil = issuedUntil
        self.status = status
        self.verdict = verdict
        self.text = text
        self.limit = limit
        self.offset = offset
    }
}

/// Learners, their sessions and the credentials in their wallets. Every credential operation names the learner: a
/// credential of another learner is `store.not_found`, exactly as one that does not exist.
public protocol WalletStore: Sendable {
    /// Throws `store.conflict` when the email is taken.
    func createLearner(_ learner: Learner) async throws(StoreError)
    func learner(email: String) async throws(StoreError) -> Learner?
    /// Throws `store.not_found`.
    func learner(id: UUID) async throws(StoreError) -> Learner
    /// A new password hash; every session of the learner but `keeping` is revoked in the same transaction.
    func setPassword(learnerID: UUID, hash: String, keeping: UUID?, at: Date) async throws(StoreError)
    /// Removes the learner and everything of theirs (sessions, credentials) in one transaction.
    func deleteLearner(id: UUID) async throws(StoreError)

    func addSession(_ session: LearnerSession) async throws(StoreError)
    /// The session with that token hash, live or not; nil when none.
    func session(tokenHash: String) async throws(StoreError) -> LearnerSession?
    func revokeSession(id: UUID, at: Date) async throws(StoreError)

    /// Stores an imported credential; when the learner holds the same bytes already, stores nothing and returns
    /// that one with `created` false.
    func add(_ credential: WalletCredential) async throws(StoreError) -> (credential: WalletCredential, created: Bool)
    /// A page of the learner's credentials, newest import first, and how many match in all.
    func credentials(learnerID: UUID, _ query: WalletQuery) async throws(StoreError) -> (page: [WalletCredential], total: Int)
    func credential(id: UUID, learnerID: UUID) async throws(StoreError) -> WalletCredential
    func updateVerification(id: UUID, learnerID: UUID, report: String, verdict: String, status: String, at: Date) async throws(StoreError)
    func deleteCredential(id: UUID, learnerID: UUID) async throws(StoreError)
}

/// A link a learner made to show some of their credentials: an unguessable token (only its SHA-256 stored), an
/// expiry, optionally a maximum of views. The credentials are fixed when the link is made (picked one by one, or a
/// collection's as they were then): a link shows what it was made for and nothing the wallet gains later.
public struct ShareLink: Sendable, Hashable, Codable {
    public var id: UUID
    public var learnerID: UUID
    public var tokenHash: String
    public var label: String?
    public var createdAt: Date
    public var expiresAt: Date
    public var maxViews: Int?
    public var views: Int
    public var revokedAt: Date?

    public init(id: UUID = UUID(), learnerID: UUID, tokenHash: String, label: String? = nil, createdAt: Date = Date(), expiresAt: Date,
                maxViews: Int? = nil, views: Int = 0, revokedAt: Date? = nil) {
        self.id = id
        self.learnerID = learnerID
        self.tokenHash = tokenHash
        self.label = label
        self.createdAt = createdAt.storagePrecision
        self.expiresAt = expiresAt.storagePrecision
        self.maxViews = maxViews
        self.views = views
        self.revokedAt = revokedAt?.storagePrecision
    }

    /// Why the link shows nothing at `date`, or nil while it is live.
    public func ended(at date: Date = Date()) -> String? {
        if revokedAt != nil { return "revoked" }
        if expiresAt <= date { return "expired" }
        if let maxViews, views >= maxViews { return "used up" }
        return nil
    }
}

/// One view of a share link: when, and a coarse description of the browser; the address only when the operator
/// keeps addresses.
public struct ShareAccess: Sendable, Hashable, Codable {
    public var linkID: UUID
    public var at: Date
    public var userAgent: String?
    public var address: String?

    public init(linkID: UUID, at: Date = Date(), userAgent: String?, address: String?) {
        self.linkID = linkID
        self.at = at.storagePrecision
        self.userAgent = userAgent
        self.address = address
    }
}

/// Share links, their credentials and their access logs.
public protocol ShareLinkStore: Sendable {
    /// Stores a link for credentials of its learner (in this order); `store.not_found` when one is not theirs.
    func create(_ link: ShareLink, credentialIDs: [UUID]) async throws(StoreError)
    /// The learner's links, newest first.
    func links(learnerID: UUID) async throws(StoreError) -> [ShareLink]
    func link(id: UUID, learnerID: UUID) async throws(StoreError) -> ShareLink
    /// The credential ids of a link, in order.
    func credentialIDs(linkID: UUID) async throws(StoreError) -> [UUID]
    /// Marks the link revoked (idempotent).
    func revoke(id: UUID, learnerID: UUID, at: Date) async throws(StoreError)
    /// The link's views, newest first.
    func accesses(linkID: UUID, learnerID: UUID) async throws(StoreError) -> [ShareAccess]
    /// One view, in one transaction: when the link is live it counts the view, logs it and returns the link (its
    /// count with this view) with the ids of its credentials still in the wallet, in order; otherwise returns the link
    /// as it is and no ids (nothing counted). Nil for a token no link has.
    func view(tokenHash: String, access: (Date, String?, String?)) async throws(StoreError) -> (link: ShareLink, credentialIDs: [UUID])?
}

/// A learner's group of credentials (a programme, a job application, …).
public struct WalletCollection: Sendable, Hashable, Codable {
    public var id: UUID
    public var learnerID: UUID
    public var name: String
    public var description: String?
    public var createdAt: Date

    public init(id: UUID = UUID(), learnerID: UUID, name: String, description: String? = nil, createdAt: Date = Date()) {
        self.id = id
        self.learnerID = learnerID
        self.name = name
        self.description = description
        self.createdAt = createdAt.storagePrecision
    }
}

/// A learner's collections. Every operation names the learner: another learner's collection is `store.not_found`.
public protocol CollectionStore: Sendable {
    /// Stores the collection with these credentials of its learner; `store.not_found` when one is not theirs.
    func create(_ collection: WalletCollection, credentialIDs: [UUID]) async throws(StoreError)
    func collections(learnerID: UUID) async throws(StoreError) -> [(collection: WalletCollection, credentialIDs: [UUID])]
    func collection(id: UUID, learnerID: UUID) async throws(StoreError) -> (collection: WalletCollection, credentialIDs: [UUID])
    /// Replaces the collection's credentials (in this order).
    func setCredentials(collectionID: UUID, learnerID: UUID, credentialIDs: [UUID]) async throws(StoreError)
    func delete(id: UUID, learnerID: UUID) async throws(StoreError)
}
