import NachweisJSON

/// The public error of NachweisLinkedData.
public struct LinkedDataError: CodedError {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidNQuads = Code(rawValue: "rdf.invalid_nquads")
        /// Canonicalization stopped at its work bound (a poison graph).
        public static let workLimitExceeded = Code(rawValue: "rdfc.work_limit")
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
