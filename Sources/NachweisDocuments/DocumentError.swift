import NachweisJSON

/// The one public error of NachweisDocuments: a stable code, a human message and where it was raised.
public typealias DocumentError = CodedFailure<DocumentDomain>

/// Keeps DocumentError's codes apart from other modules'.
public enum DocumentDomain {}

extension ErrorCode where Domain == DocumentDomain {
    // JSON Schema
    public static let invalidSchema = Self(rawValue: "schema.invalid")
    public static let unresolvedReference = Self(rawValue: "schema.unresolved_ref")
    public static let unknownSchema = Self(rawValue: "schema.unknown")
    // Documents
    public static let malformedJSON = Self(rawValue: "document.malformed_json")
    public static let notACredential = Self(rawValue: "document.not_a_credential")
    public static let tooLarge = Self(rawValue: "document.too_large")
    public static let wrongShape = Self(rawValue: "document.wrong_shape")
    // Images
    public static let invalidPNG = Self(rawValue: "png.invalid")
    public static let pngCRC = Self(rawValue: "png.crc_mismatch")
    public static let pngTruncated = Self(rawValue: "png.truncated")
    public static let multipleCredentials = Self(rawValue: "baking.multiple_credentials")
    public static let noCredential = Self(rawValue: "baking.no_credential")
    public static let invalidSVG = Self(rawValue: "svg.invalid")
    public static let svgDTD = Self(rawValue: "svg.dtd_refused")
    public static let svgEntity = Self(rawValue: "svg.entity_refused")
}
