/// Why a JSON text was refused, with the byte offset where the parser stopped.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable codes; the HTTP layer and tests key on them.
    public enum Code: String, Sendable, Hashable {
        case unexpectedEnd = "json.unexpected_end"
        case invalidSyntax = "json.invalid_syntax"
        case invalidNumber = "json.invalid_number"
        case invalidEscape = "json.invalid_escape"
        case invalidUTF8 = "json.invalid_utf8"
        case loneSurrogate = "json.lone_surrogate"
        case controlCharacter = "json.control_character"
        case duplicateKey = "json.duplicate_key"
        case trailingData = "json.trailing_data"
        case tooLarge = "json.too_large"
        case tooDeep = "json.too_deep"
        case tooManyMembers = "json.too_many_members"
        case stringTooLong = "json.string_too_long"
    }

    public let code: Code
    /// Byte offset into the input where the problem was found.
    public let offset: Int
    public let message: String

    public init(_ code: Code, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at byte \(offset))" }
}
