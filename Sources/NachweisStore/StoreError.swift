import NachweisJSON

/// The storage layer's error: a stable code, a message for people, where it was raised.
public typealias StoreError = CodedFailure<StoreDomain>

/// Keeps StoreError's codes apart from other modules'.
public enum StoreDomain {}

extension ErrorCode where Domain == StoreDomain {
    /// No row with that identifier (or not visible to that issuer).
    public static let notFound = Self(rawValue: "store.not_found")
    /// A unique value is taken (an issuer slug, an idempotency key, …).
    public static let conflict = Self(rawValue: "store.conflict")
    /// The row breaks a rule of the schema (a country that is not two letters, a second active key, …).
    public static let constraint = Self(rawValue: "store.constraint")
    /// The database cannot be opened, migrated, read or written.
    public static let database = Self(rawValue: "store.database")
}
