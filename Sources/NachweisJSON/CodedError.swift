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

/// A stable error code of one module. `Domain` keeps the codes of different modules apart as types (a store code
/// cannot be passed where a crypto code is expected); each module lists its codes in an
/// `extension ErrorCode where Domain == …`.
public struct ErrorCode<Domain>: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// The error every module uses: a stable code, a human message and where it was raised. A module names its own with
/// a domain (`public typealias CryptoError = CodedFailure<CryptoDomain>`), so that the error types stay apart.
public struct CodedFailure<Domain>: CodedError {
    public typealias Code = ErrorCode<Domain>

    public let code: Code
    public let message: String
    /// Where the error was raised (`file:line`), for logs; never shown as the reason.
    public let location: String

    public init(_ code: Code, _ message: String, fileID: StaticString = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.location = "\(fileID):\(line)"
    }
}
