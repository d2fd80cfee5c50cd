/// A JSON number kept as the exact text it was written with (`1.10` stays `1.10`).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text, valid JSON number grammar.
    public let text: String

    /// Wraps text already checked against the JSON number grammar (the parser does).
    init(validatedText: String) { text = validatedText }

    /// A number from ECMAScript-formatted text of a finite double.
    static func fromDouble(_ value: Double) -> JSONNumber { JSONNumber(validatedText: ecmaScriptText(value)) }

    public init(_ value: Int) { text = String(value) }

    /// A finite double in its shortest round-tripping form (ECMAScript `Number.prototype.toString`, as RFC 8785
    /// writes numbers); nil for NaN and infinities, which JSON cannot express.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self = .fromDouble(value)
    }

    /// The value as a Double (may round).
    public var doubleValue: Double { Double(text) ?? .nan }

    /// The value as an Int when the text is an integer that fits.
    public var intValue: Int? { Int(text) }

    public var description: String { text }
}
