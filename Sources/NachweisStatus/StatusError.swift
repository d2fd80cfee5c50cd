import NachweisJSON

/// Status list errors.
public struct StatusError: CodedError {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// An `encodedList` that is not multibase base64url of gzip, or too large.
        public static let invalidList = Code(rawValue: "status.invalid_list")
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
