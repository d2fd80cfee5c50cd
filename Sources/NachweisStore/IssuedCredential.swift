import Foundation

/// A credential an issuer has issued: the signed document as sent, its status entries and its state.
public struct IssuedCredential: Sendable, Hashable, Codable {
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
        /// OB 3.0 with an `eddsa-rdfc-2022` Data Integrity proof.
        case ob3DataIntegrity = "ob3-di"
        /// OB 3.0 as a VC-JWT (compact JWS; EdDSA, ES256 or RS256).
        case ob3JWT = "ob3-jwt"
        /// OB 2.0 signed assertion (compact JWS, RS256).
        case ob2Signed = "ob2-signed"
        /// OB 2.0 hosted assertion, served at its `id`.
        case ob2Hosted = "ob2-hosted"
        /// Europass EDC sealed as JAdES (JWS JSON serialization, unencoded payload).
        case edcJAdES = "edc-jades"

        /// Whether the document is JSON (everything but VC-JWT, a compact JWS).
        public var isJSON: Bool { self != .ob3JWT && self != .ob2Signed }
        /// Open Badges 2.0 formats have no Bitstring status entries (their RevocationList and hosted 410 come from the state).
        public var hasStatusEntries: Bool { self != .ob2Signed && self != .ob2Hosted }
    }

    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case active, suspended, revoked
    }

    public var id: UUID
    public var issuerID: UUID
    public var achievementID: UUID
    public var format: Format
    /// `email:sha256$…` (salted hash, never the address) or the recipient's DID.
    public var recipient: String
    /// The client's `Idempotency-Key`, unique per issuer: the same key never issues twice.
    public var idempotencyKey: String?
    /// The credential as sent: compact JSON, or the compact JWS for VC-JWT and OB 2.0 signed assertions.
    public var document: String
    public var revocationListID: UUID?
    public var revocationIndex: Int?
    public var suspensionListID: UUID?
    public var suspensionIndex: Int?
    public var state: State
    public var revocationReason: String?
    public var createdAt: Date

    public init(id: UUID, issuerID: UUID, achievementID: UUID, format: Format, recipient: String, idempotencyKey: String?,
                document: String, revocation: StatusAllocation?, suspension: StatusAllocation?, createdAt: Date = Date()) {
        self.id = id
        self.issuerID = issuerID
        self.achievementID = achievementID
        self.format = format
        self.recipient = recipient
        self.idempotencyKey = idempotencyKey
        self.document = document
        self.revocationListID = revocation?.listID
        self.revocationIndex = revocation?.index
        self.suspensionListID = suspension?.listID
        self.suspensionIndex = suspension?.index
        self.state = .active
        self.createdAt = createdAt.storagePrecision
    }

    public var revocation: StatusAllocation? {
        guard let revocationListID, let revocationIndex else { return nil }
        return StatusAllocation(listID: revocationListID, index: revocationIndex)
    }

    public var suspension: StatusAllocation? {
        guard let suspensionListID, let suspensionIndex else { return nil }
        return StatusAllocation(listID: suspensionListID, index: suspensionIndex)
    }
}

/// Issued credentials, scoped to their issuer.
public protocol CredentialStore: Sendable {
    /// Throws `store.conflict` when the issuer already used the idempotency key.
    func add(_ credential: IssuedCredential) async throws(StoreError)
    func credential(id: UUID, issuerID: UUID) async throws(StoreError) -> IssuedCredential
    func credential(idempotencyKey: String, issuerID: UUID) async throws(StoreError) -> IssuedCredential?
    /// Changes the state and the matching status bits in one transaction. Revocation is final: a revoked credential
    /// cannot be suspended or reinstated (`store.constraint`).
    /// The issuer's revoked credentials of the given formats, oldest first (for revocation lists).
    func revoked(issuerID: UUID, formats: Set<IssuedCredential.Format>) async throws(StoreError) -> [IssuedCredential]
    func setState(_ state: IssuedCredential.State, reason: String?, id: UUID, issuerID: UUID) async throws(StoreError) -> IssuedCredential
    /// Told that a credential is on its way (being built and signed) and, by ``settled()``, that it was added or
    /// refused: a store that commits adds in groups can wait for a fuller group while many are coming, and only then.
    /// Every `expect()` is matched by one `settled()`. Optional: a store may ignore both.
    func expect()
    func settled()
}

extension CredentialStore {
    public func expect() {}
    public func settled() {}
}
