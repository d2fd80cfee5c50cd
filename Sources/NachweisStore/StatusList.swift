import Foundation

/// One status list of an issuer: the bits of a W3C Bitstring Status List for one purpose. `version` grows with every
/// change (it makes the list credential's ETag).
public struct StatusList: Sendable, Hashable, Codable {
    public enum Purpose: String, Sendable, Hashable, Codable, CaseIterable {
        case revocation, suspension
    }

    public var id: UUID
    public var issuerID: UUID
    public var purpose: Purpose
    /// Number of entries (bits).
    public var size: Int
    /// The bits, index 0 the most significant bit of the first byte (a BLOB in the database).
    public var bits: Data
    /// Entries handed out.
    public var used: Int
    public var version: Int
    public var updatedAt: Date

    public init(id: UUID = UUID(), issuerID: UUID, purpose: Purpose, size: Int, updatedAt: Date = Date()) {
        self.id = id
        self.issuerID = issuerID
        self.purpose = purpose
        self.size = size
        self.bits = Data(count: size / 8)
        self.used = 0
        self.version = 1
        self.updatedAt = updatedAt.storagePrecision
    }
}

/// Where a credential's status lives.
public struct StatusAllocation: Sendable, Hashable {
    public let listID: UUID
    public let index: Int

    public init(listID: UUID, index: Int) {
        self.listID = listID
        self.index = index
    }
}

/// Status lists and the entries handed out in them.
public protocol StatusListStore: Sendable {
    /// Gives the credential a random unused index in the issuer's current list for the purpose, starting a new
    /// list of `size` entries when the current one is half used (random indices stay cheap to find and say little).
    func allocate(issuerID: UUID, purpose: StatusList.Purpose, credentialID: UUID, size: Int) async throws(StoreError) -> StatusAllocation
    /// Reserves `count` random unused indices at once, for credentials not made yet (issuing keeps a pool of them);
    /// storing a credential with a reserved entry makes the entry the credential's — only through the store that
    /// reserved it, once. Entries reserved but never used stay unset for good (at most a pool's worth per restart).
    /// The entries come in the order drawn, random within each list (the order says nothing a caller must hide).
    func reserve(issuerID: UUID, purpose: StatusList.Purpose, count: Int, size: Int) async throws(StoreError) -> [StatusAllocation]
    /// Sets or clears one bit, in one transaction (concurrent changes to other bits all land); bumps the version.
    /// Throws `store.not_found` when the list is not the issuer's or the index was never reserved.
    func setStatus(_ value: Bool, at allocation: StatusAllocation, issuerID: UUID) async throws(StoreError)
    func list(id: UUID) async throws(StoreError) -> StatusList
    func lists(issuerID: UUID) async throws(StoreError) -> [StatusList]
}
