import NachweisJSON

/// The one public error of NachweisDocuments: a stable code, a human message and where it was raised.
public struct DocumentError: CodedError {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // JSON Schema
        public static let invalidSchema = Code(rawValue: "schema.invalid")
        public static let unresolvedReference = Code(rawValue: "schema.unresolved_ref")
        public static let unknownSchema = Code(rawValue: "schema.unknown")
        // Documents
        public static let malformedJSON = Code(rawValue: "document.malformed_json")
        public static let notACredential = Code(rawValue: "document.not_a_credential")
        public static let tooLarge = Code(rawValue: "document.too_large")
        public static let wrongShape = Code(rawValue: "document.wrong_shape")
        // Images
        public static let invalidPNG = Code(rawValue: "png.invalid")
        public static let pngCRC = Code(rawValue: "png.crc_mismatch")
        public static let pngTruncated = Code(rawValue: "png.truncated")
        public static let multipleCredentials = Code(rawValue: "baking.multiple_credentials")
        public static let noCredential = Code(rawValue: "baking.no_credential")
        public static let invalidSVG = Code(rawValue: "svg.invalid")
        public static let svgDTD = Code(rawValue: "svg.dtd_refused")
        public static let svgEntity = Code(rawValue: "svg.entity_refused")
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
