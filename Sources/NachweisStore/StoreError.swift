import NachweisJSON

/// The storage layer's error: a stable code, a message for people, where it was raised.
public struct StoreError: CodedError {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No row with that identifier (or not visible to that issuer).
        public static let notFound = Code(rawValue: "store.not_found")
        /// A unique value is taken (an issuer slug, an idempotency key, …).
        public static let conflict = Code(rawValue: "store.conflict")
        /// The row breaks a rule of the schema (a country that is not two letters, a second active key, …).
        public static let constraint = Code(rawValue: "store.constraint")
        /// The database cannot be opened, migrated, read or written.
        public static let database = Code(rawValue: "store.database")
    }

    public let code: Code
    public let message: String
    /// Where the error was raised (`file:line`), for logs.
    public let location: String

    public init(_ code: Code, _ message: String, fileID: StaticString = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.location = "\(fileID):\(line)"
    }
}
