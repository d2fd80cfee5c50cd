import NachweisJSON

/// A JWS protected header (RFC 7515 §4), parsed strictly: a JSON object without duplicate names,
/// `alg` a string, `crit` well formed (§4.1.11), `b64` a boolean listed in `crit` (RFC 7797 §6).
public struct JWSHeader: Sendable, Hashable {
    /// All members as received.
    public let members: JSONObject
    /// `alg` as written (policy is applied by ``JWSVerifier``).
    public let algorithmName: String
    /// `crit`, empty when absent.
    public let critical: [String]
    /// False when the payload is unencoded (`"b64": false`, RFC 7797).
    public let base64EncodedPayload: Bool

    /// Header names registered by RFC 7515 and 7797's neighbours that `crit` must not list (§4.1.11).
    static let registeredNames: Set<String> = ["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"]

    /// Parses decoded header bytes.
    public init(json bytes: [UInt8]) throws(CryptoError) {
        let value: JSONValue
        do { value = try JSONParser(limits: .init(maxBytes: 1 << 20, maxDepth: 32)).parse(bytes) } catch {
            let code: CryptoError.Code = error.code == .trailingData ? .trailingGarbage : .malformedHeader
            throw CryptoError(code, "JWS protected header is not valid JSON: \(error)")
        }
        try self.init(value)
    }

    /// Builds a header from a JSON object.
    public init(_ value: JSONValue) throws(CryptoError) {
        guard let object = value.objectValue else { throw CryptoError(.malformedHeader, "JWS protected header is not a JSON object") }
        guard let alg = object["alg"]?.stringValue else { throw CryptoError(.malformedHeader, "JWS header has no string alg") }
        members = object
        algorithmName = alg
        if let crit = object["crit"] {
            guard let list = crit.arrayValue, !list.isEmpty else {
                throw CryptoError(.invalidCriticalHeader, "crit must be a non-empty array of header names")
            }
            var names: [String] = []
            for entry in list {
                guard let name = entry.stringValue else { throw CryptoError(.invalidCriticalHeader, "crit entries must be strings") }
                guard !names.contains(name) else { throw CryptoError(.invalidCriticalHeader, "crit lists \(name) twice") }
                guard !JWSHeader.registeredNames.contains(name) else {
                    throw CryptoError(.invalidCriticalHeader, "crit must not list the registered header \(name)")
                }
                guard object[name] != nil else { throw CryptoError(.invalidCriticalHeader, "crit lists \(name), which the header lacks") }
                names.append(name)
            }
            critical = names
        } else {
            critical = []
        }
        if let b64 = object["b64"] {
            guard let flag = b64.boolValue else { throw CryptoError(.malformedHeader, "b64 must be a boolean") }
            guard critical.contains("b64") else {
                throw CryptoError(.invalidCriticalHeader, "b64 must be listed in crit (RFC 7797 §6)")
            }
            base64EncodedPayload = flag
        } else {
            base64EncodedPayload = true
        }
    }

    /// `kid`, when present.
    public var keyID: String? { members["kid"]?.stringValue }
    /// `typ`, when present.
    public var type: String? { members["typ"]?.stringValue }
    /// `cty`, when present.
    public var contentType: String? { members["cty"]?.stringValue }

    /// The embedded `jwk`, when present. Trusting it is the caller's decision (key substitution).
    public func embeddedJWK() throws(CryptoError) -> JWK? {
        guard let value = members["jwk"] else { return nil }
        let jwk = try JWK(value)
        guard jwk.privateKey == nil else { throw CryptoError(.malformedHeader, "the jwk header must not carry a private key") }
        return jwk
    }

    /// The `x5c` chain as DER certificates (standard base64 per RFC 7515 §4.1.6), leaf first.
    public func certificateChainDER() throws(CryptoError) -> [[UInt8]]? {
        guard let value = members["x5c"] else { return nil }
        guard let list = value.arrayValue, !list.isEmpty else { throw CryptoError(.malformedHeader, "x5c must be a non-empty array") }
        var chain: [[UInt8]] = []
        for entry in list {
            guard let text = entry.stringValue else { throw CryptoError(.malformedHeader, "x5c entries must be strings") }
            do { chain.append(try Base64URL.decodeStandard(text)) } catch {
                throw CryptoError(.malformedHeader, "x5c entries must be standard base64 DER certificates")
            }
        }
        return chain
    }
}
