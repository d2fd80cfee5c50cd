import NachweisJSON

/// The one public error of NachweisCrypto: a stable code, a human message and where it was raised.
///
/// Codes are grouped by area (`key.`, `jwk.`, `jws.`, `x509.`, `encoding.`, `openssl.`) and never change
/// meaning; the HTTP layer maps them to statuses, tests assert on them.
public typealias CryptoError = CodedFailure<CryptoDomain>

/// Keeps CryptoError's codes apart from other modules'.
public enum CryptoDomain {}

extension ErrorCode where Domain == CryptoDomain {
    // Keys
    public static let unsupportedKeyType = Self(rawValue: "key.unsupported_type")
    public static let invalidKey = Self(rawValue: "key.invalid")
    public static let invalidKeySize = Self(rawValue: "key.invalid_size")
    public static let wrongPassphrase = Self(rawValue: "key.wrong_passphrase")
    public static let notAPrivateKey = Self(rawValue: "key.not_private")
    public static let invalidPEM = Self(rawValue: "key.invalid_pem")
    // Encodings
    public static let invalidBase64URL = Self(rawValue: "encoding.invalid_base64url")
    public static let invalidBase64 = Self(rawValue: "encoding.invalid_base64")
    public static let invalidBase58 = Self(rawValue: "encoding.invalid_base58")
    public static let unsupportedMultibase = Self(rawValue: "encoding.unsupported_multibase")
    public static let unsupportedMulticodec = Self(rawValue: "encoding.unsupported_multicodec")
    public static let invalidDID = Self(rawValue: "did.invalid")
    // JWK
    public static let invalidJWK = Self(rawValue: "jwk.invalid")
    public static let symmetricJWK = Self(rawValue: "jwk.symmetric_key")
    // JWS
    public static let malformedJWS = Self(rawValue: "jws.malformed")
    public static let malformedBase64URL = Self(rawValue: "jws.malformed_base64url")
    public static let trailingGarbage = Self(rawValue: "jws.trailing_garbage")
    public static let malformedHeader = Self(rawValue: "jws.malformed_header")
    public static let algorithmNone = Self(rawValue: "jws.alg_none")
    public static let symmetricAlgorithm = Self(rawValue: "jws.alg_hmac")
    public static let unsupportedAlgorithm = Self(rawValue: "jws.alg_unsupported")
    public static let algorithmNotAllowed = Self(rawValue: "jws.alg_not_allowed")
    public static let keyAlgorithmMismatch = Self(rawValue: "jws.key_alg_mismatch")
    public static let unknownCriticalHeader = Self(rawValue: "jws.crit_unknown")
    public static let invalidCriticalHeader = Self(rawValue: "jws.crit_invalid")
    public static let invalidSignatureEncoding = Self(rawValue: "jws.signature_encoding")
    public static let invalidSignature = Self(rawValue: "jws.signature_invalid")
    public static let payloadRequired = Self(rawValue: "jws.payload_required")
    // X.509
    public static let invalidCertificate = Self(rawValue: "x509.invalid")
    public static let certificateExpired = Self(rawValue: "x509.expired")
    public static let certificateNotYetValid = Self(rawValue: "x509.not_yet_valid")
    public static let untrustedChain = Self(rawValue: "x509.untrusted")
    public static let invalidCA = Self(rawValue: "x509.invalid_ca")
    public static let keyUsageNotAllowed = Self(rawValue: "x509.key_usage")
    public static let certificateSignatureInvalid = Self(rawValue: "x509.signature_invalid")
    public static let chainInvalid = Self(rawValue: "x509.chain_invalid")
    // OpenSSL failures that are not the caller's input
    public static let openSSLFailure = Self(rawValue: "openssl.failure")
    public static let randomFailure = Self(rawValue: "openssl.random")
    public static let io = Self(rawValue: "io.failure")
}
