/// The shape of every Nachweis module's public error: a stable code, a human message, and where it was
/// raised (for logs). Equality and hashing look at code and message; the description is `code: message`.
public protocol CodedError: Error, Sendable, Hashable, CustomStringConvertible {
    associatedtype Code: RawRepresentable & Hashable & Sendable where Code.RawValue == String
    var code: Code { get }
    var message: String { get }
    /// `file:line` where it was raised; never part of equality.
    var location: String { get }
}

extension CodedError {
    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.message == rhs.message }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
