import NachweisCrypto
import Testing

/// Expects body to throw a ``CryptoError`` with code, and returns it.
@discardableResult
func expectError<R>(_ code: CryptoError.Code, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                    _ body: () throws -> R) -> CryptoError? {
    let error = #expect(throws: CryptoError.self, comment, sourceLocation: sourceLocation) { _ = try body() }
    #expect(error?.code == code, comment, sourceLocation: sourceLocation)
    return error
}
