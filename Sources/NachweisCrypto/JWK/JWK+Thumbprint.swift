import NachweisJSON

extension JWK {
    /// The JWK thumbprint (RFC 7638): the hash of the required members in lexicographic order,
    /// compact JSON, base64url-encoded.
    public func thumbprint(_ digest: DigestAlgorithm = .sha256) -> String {
        Base64URL.encode(digest.hash(thumbprintInput))
    }

    /// The exact bytes RFC 7638 hashes.
    public var thumbprintInput: [UInt8] {
        let required: [String]
        switch keyType {
        case "OKP": required = ["crv", "kty", "x"]
        case "EC": required = ["crv", "kty", "x", "y"]
        default: required = ["e", "kty", "n"]
        }
        var object = JSONObject()
        for name in required { object[name] = members[name] }
        return JSONValue.object(object).compactBytes
    }

    /// The RFC 9278 thumbprint URI, `urn:ietf:params:oauth:jwk-thumbprint:sha-256:…`.
    public var thumbprintURI: String { "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + thumbprint() }
}
