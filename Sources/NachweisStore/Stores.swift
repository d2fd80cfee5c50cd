import Foundation

/// Issuers (tenants). One protocol per aggregate: the services use these, never a database type, so that a
/// PostgreSQL implementation can replace the SQLite one without touching them.
public protocol IssuerStore: Sendable {
    /// Throws `store.conflict` when the slug is taken, `store.constraint` when a field breaks a schema rule.
    func create(_ issuer: Issuer) async throws(StoreError)
    func update(_ issuer: Issuer) async throws(StoreError)
    /// Throws `store.not_found`.
    func issuer(id: UUID) async throws(StoreError) -> Issuer
    func issuer(slug: String) async throws(StoreError) -> Issuer
    func issuers() async throws(StoreError) -> [Issuer]
}

/// An issuer's keys: rotation makes a new key active and retires the old one of the same purpose and algorithm in
/// one transaction.
public protocol SigningKeyStore: Sendable {
    /// Adds a key; when it is active, the issuer's active key of the same purpose and algorithm is retired in the
    /// same transaction.
    func add(_ key: SigningKey) async throws(StoreError)
    /// The active keys, one per purpose and algorithm.
    func activeKeys(issuerID: UUID) async throws(StoreError) -> [SigningKey]
    /// Every key, active and retired, newest first (retired keys stay resolvable).
    func keys(issuerID: UUID) async throws(StoreError) -> [SigningKey]
}

/// Staff API tokens.
public protocol APITokenStore: Sendable {
    func add(_ token: APIToken) async throws(StoreError)
    /// The token with that secret hash, revoked or not; nil when none.
    func token(secretHash: String) async throws(StoreError) -> APIToken?
    func tokens(issuerID: UUID) async throws(StoreError) -> [APIToken]
    /// Marks a token revoked (idempotent). Throws `store.not_found` when the issuer has no such token.
    func revoke(tokenID: UUID, issuerID: UUID, at: Date) async throws(StoreError)
}

extension SigningKeyStore {
    /// The active key for a purpose and algorithm; throws `store.not_found` when the issuer has none.
    public func activeKey(issuerID: UUID, purpose: SigningKey.Purpose = .signing, algorithm: String) async throws(StoreError) -> SigningKey {
        guard let key = try await activeKeys(issuerID: issuerID).first(where: { $0.purpose == purpose && $0.algorithm == algorithm }) else {
            throw StoreError(.notFound, "the issuer has no active \(purpose.rawValue) key for \(algorithm)")
        }
        return key
    }
}

/// Everything the services need from storage.
public protocol Storage: Sendable {
    /// Throws when the database does not answer (for health checks).
    func ping() async throws(StoreError)
    var issuers: any IssuerStore { get }
    var signingKeys: any SigningKeyStore { get }
    var apiTokens: any APITokenStore { get }
    var achievements: any AchievementStore { get }
    var statusLists: any StatusListStore { get }
    var credentials: any CredentialStore { get }
    var wallet: any WalletStore { get }
    var shareLinks: any ShareLinkStore { get }
    var collections: any CollectionStore { get }
}
