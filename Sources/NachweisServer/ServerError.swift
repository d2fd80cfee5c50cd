import NachweisJSON

/// Why the server will not start (or a request it cannot serve).
public struct ServerError: CodedError {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A configuration value is malformed (a port that is not a number, an unreadable file, …).
        public static let invalidConfiguration = Code(rawValue: "config.invalid")
        /// Production mode and something only fit for development: a development key, a non-HTTPS public URL.
        public static let refusedInProduction = Code(rawValue: "config.refused_in_production")
    }

    public let code: Code
    public let message: String
    public let location: String

    public init(_ code: Code, _ message: String, fileID: StaticString = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.location = "\(fileID):\(line)"
    }
}
