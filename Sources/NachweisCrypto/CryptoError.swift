import NachweisJSON

/// The one public error of NachweisCrypto: a stable code, a human message and where it was raised.
///
/// Codes are grouped by area (`key.`, `jwk.`, `jws.`, `x509.`, `encoding.`, `openssl.`) and never change
/// meaning; the HTTP layer maps them to statuses, tests assert on them.
public struct CryptoError: CodedError {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Keys
        public static let unsupportedKeyType = Code(rawValue: "key.unsupported_type")
        public static let invalidKey = Code(rawValue: "key.invalid")
        public static let invalidKeySize = Code(rawValue: "key.invalid_size")
        public static let wrongPassphrase = Code(rawValue: "key.wrong_passphrase")
        public static let notAPrivateKey = Code(rawValue: "key.not_private")
        public static let invalidPEM = Code(rawValue: "key.invalid_pem")
        // Encodings
        public static let invalidBase64URL = Code(rawValue: "encoding.invalid_base64url")
        public static let invalidBase64 = Code(rawValue: "encoding.invalid_base64")
        public static let invalidBase58 = Code(rawValue: "encoding.invalid_base58")
        public static let unsupportedMultibase = Code(rawValue: "encoding.unsupported_multibase")
        public static let unsupportedMulticodec = Code(rawValue: "encoding.unsupported_multicodec")
        public static let invalidDID = Code(rawValue: "did.invalid")
        // JWK
        public static let invalidJWK = Code(rawValue: "jwk.invalid")
        public static let symmetricJWK = Code(rawValue: "jwk.symmetric_key")
        // JWS
        public static let malformedJWS = Code(rawValue: "jws.malformed")
        public static let malformedBase64URL = Code(rawValue: "jws.malformed_base64url")
        public static let trailingGarbage = Code(rawValue: "jws.trailing_garbage")
        public static let malformedHeader = Code(rawValue: "jws.malformed_header")
        public static let algorithmNone = Code(rawValue: "jws.alg_none")
        public static let symmetricAlgorithm = Code(rawValue: "jws.alg_hmac")
        public static let unsupportedAlgorithm = Code(rawValue: "jws.alg_unsupported")
        public static let algorithmNotAllowed = Code(rawValue: "jws.alg_not_allowed")
        public static let keyAlgorithmMismatch = Code(rawValue: "jws.key_alg_mismatch")
        public static let unknownCriticalHeader = Code(rawValue: "jws.crit_unknown")
        public static let invalidCriticalHeader = Code(rawValue: "jws.crit_invalid")
        public static let invalidSignatureEncoding = Code(rawValue: "jws.signature_encoding")
        public static let invalidSignature = Code(rawValue: "jws.signature_invalid")
        public static let payloadRequired = Code(rawValue: "jws.payload_required")
        // X.509
        public static let invalidCertificate = Code(rawValue: "x509.invalid")
        public static let certificateExpired = Code(rawValue: "x509.expired")
        public static let certificateNotYetValid = Code(rawValue: "x509.not_yet_valid")
        public static let untrustedChain = Code(rawValue: "x509.untrusted")
        public static let invalidCA = Code(rawValue: "x509.invalid_ca")
        public static let keyUsageNotAllowed = Code(rawValue: "x509.key_usage")
        public static let certificateSignatureInvalid = Code(rawValue: "x509.signature_invalid")
        public static let chainInvalid = Code(rawValue: "x509.chain_invalid")
        // OpenSSL failures that are not the caller's input
        public static let openSSLFailure = Code(rawValue: "openssl.failure")
        public static let randomFailure = Code(rawValue: "openssl.random")
        public static let io = Code(rawValue: "io.failure")
    }

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
