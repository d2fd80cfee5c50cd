import NachweisJSON

/// A JSON Web Key (RFC 7517) for an asymmetric signing key: `OKP`/Ed25519 (RFC 8037), `EC` P-256/P-384, `RSA`.
///
/// Every member is kept (`kid`, `use`, `alg`, `x5c`, extensions); the key material is checked on
/// creation: coordinates on the curve, right lengths, private parts matching the public ones.
public struct JWK: Sendable, Hashable {
    /// All members, in their original order.
    public let members: JSONObject
    /// `kty`: `OKP`, `EC` or `RSA`.
    public let keyType: String
    /// The public key it describes.
    public let publicKey: PublicKey
    /// The private key, when the JWK has private members.
    public let privateKey: PrivateKey?

    public static func == (lhs: JWK, rhs: JWK) -> Bool { lhs.members == rhs.members }
    public func hash(into hasher: inout Hasher) { hasher.combine(members) }

    /// Members that hold private key material; a public JWK has none of them.
    static let privateMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// `kid`, when present.
    public var keyID: String? { members["kid"]?.stringValue }
    /// `alg`, when present.
    public var algorithm: String? { members["alg"]?.stringValue }

    /// Parses a JWK from JSON text. Throws `jwk.invalid`, `jwk.symmetric_key` or `key.unsupported_type`.
    public init(json text: some Collection<UInt8>) throws(CryptoError) {
        let value: JSONValue
        do { value = try JSONParser(limits: .init(maxBytes: 1 << 20, maxDepth: 16)).parse(text) } catch {
            throw CryptoError(.invalidJWK, "JWK is not valid JSON: \(error)")
        }
        try self.init(value)
    }

    /// Builds a JWK from a parsed JSON object.
    public init(_ value: JSONValue) throws(CryptoError) {
        guard let object = value.objectValue else { throw CryptoError(.invalidJWK, "a JWK is a JSON object") }
        members = object
        guard let kty = object["kty"]?.stringValue else { throw CryptoError(.invalidJWK, "JWK member kty is missing or not a string") }
        keyType = kty
        switch kty {
        case "OKP":
            let crv = try JWK.string(object, "crv")
            guard crv == "Ed25519" else { throw CryptoError(.unsupportedKeyType, "OKP curve \(crv) is not supported (Ed25519 is)") }
            let x = try JWK.bytes(object, "x")
            publicKey = try JWK.wrap { () throws(CryptoError) in try PublicKey(ed25519: x) }
            if object["d"] != nil {
                let seed = try JWK.bytes(object, "d")
                let key = try JWK.wrap { () throws(CryptoError) in try PrivateKey(ed25519Seed: seed) }
                guard key.publicKey == publicKey else { throw CryptoError(.invalidJWK, "JWK private key d does not match x") }
                privateKey = key
            } else {
                privateKey = nil
            }
        case "EC":
            let crv = try JWK.string(object, "crv")
            guard let curve = KeyKind.Curve(rawValue: crv) else {
                throw CryptoError(.unsupportedKeyType, "EC curve \(crv) is not supported (P-256 and P-384 are)")
            }
            let x = try JWK.bytes(object, "x"), y = try JWK.bytes(object, "y")
            guard x.count == curve.coordinateSize, y.count == curve.coordinateSize else {
                throw CryptoError(.invalidJWK, "\(crv) coordinates x and y must be \(curve.coordinateSize) bytes each")
            }
            if object["d"] != nil {
                let d = try JWK.bytes(object, "d")
                guard d.count == curve.coordinateSize else { throw CryptoError(.invalidJWK, "\(crv) private key d must be \(curve.coordinateSize) bytes") }
                let evp = try JWK.wrap { () throws(CryptoError) in try EVPKey.ec(curve: curve, point: [0x04] + x + y, privateScalar: d) }
                privateKey = PrivateKey(evp: evp)
                publicKey = privateKey!.publicKey
            } else {
                publicKey = try JWK.wrap { () throws(CryptoError) in try PublicKey(curve: curve, x: x, y: y) }
                privateKey = nil
            }
        case "RSA":
            guard object["oth"] == nil else { throw CryptoError(.unsupportedKeyType, "multi-prime RSA keys (oth) are not supported") }
            let n = try JWK.bytes(object, "n"), e = try JWK.bytes(object, "e")
            let privateNames = ["d", "p", "q", "dp", "dq", "qi"]
            let present = privateNames.filter { object[$0] != nil }
            if present.isEmpty {
                publicKey = PublicKey(evp: try JWK.wrap { () throws(CryptoError) in try EVPKey.rsa(components: [n, e]) })
                privateKey = nil
            } else {
                guard present.count == privateNames.count else {
                    throw CryptoError(.invalidJWK, "an RSA private JWK needs all of d, p, q, dp, dq, qi")
                }
                var components = [n, e]
                for name in privateNames { components.append(try JWK.bytes(object, name)) }
                let evp = try JWK.wrap { () throws(CryptoError) in try EVPKey.rsa(components: components) }
                privateKey = PrivateKey(evp: evp)
                publicKey = privateKey!.publicKey
            }
        case "oct":
            throw CryptoError(.symmetricJWK, "symmetric (oct) keys are not accepted: credentials are signed with asymmetric keys")
        default:
            throw CryptoError(.unsupportedKeyType, "JWK key type \(kty) is not supported")
        }
    }

    /// The public JWK of a key, with optional extra members (`kid`, `alg`, `use`) after the key members.
    public init(publicKey: PublicKey, extra: JSONObject = JSONObject()) throws(CryptoError) {
        var object = try JWK.keyMembers(publicKey)
        for member in extra where object[member.key] == nil { object[member.key] = member.value }
        try self.init(.object(object))
    }

    /// The private JWK of a key (keep it secret), with optional extra members.
    public init(privateKey: PrivateKey, extra: JSONObject = JSONObject()) throws(CryptoError) {
        var object = try JWK.keyMembers(privateKey.publicKey)
        let evp = privateKey.evp
        switch privateKey.kind {
        case .ed25519:
            object["d"] = .string(Base64URL.encode(try evp.rawPrivateKey()))
        case .ecdsa(let curve):
            object["d"] = .string(Base64URL.encode(try evp.bigNumber("priv", paddedTo: curve.coordinateSize)))
        case .rsa:
            let names = [("d", "d"), ("p", "rsa-factor1"), ("q", "rsa-factor2"), ("dp", "rsa-exponent1"),
                         ("dq", "rsa-exponent2"), ("qi", "rsa-coefficient1")]
            for (member, parameter) in names {
                object[member] = .string(Base64URL.encode(try evp.bigNumber(parameter)))
            }
        }
        for member in extra where object[member.key] == nil { object[member.key] = member.value }
        try self.init(.object(object))
    }

    /// The same key without private members.
    public var publicJWK: JWK {
        var object = members
        for name in JWK.privateMembers { object[name] = nil }
        // Removing members of a valid key leaves a valid public key.
        return try! JWK(.object(object))
    }

    /// The JWK as a JSON value.
    public var json: JSONValue { .object(members) }

    /// Compact JSON text.
    public var jsonText: String { json.compactText }

    static func keyMembers(_ key: PublicKey) throws(CryptoError) -> JSONObject {
        switch key.kind {
        case .ed25519:
            return JSONObject(["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(try key.ed25519Bytes()))])
        case .ecdsa(let curve):
            let (x, y) = try key.ecCoordinates()
            return JSONObject(["kty": "EC", "crv": .string(curve.rawValue),
                               "x": .string(Base64URL.encode(x)), "y": .string(Base64URL.encode(y))])
        case .rsa:
            return JSONObject(["kty": "RSA", "n": .string(Base64URL.encode(try key.evp.bigNumber("n"))),
                               "e": .string(Base64URL.encode(try key.evp.bigNumber("e")))])
        }
    }

    private static func string(_ object: JSONObject, _ name: String) throws(CryptoError) -> String {
        guard let value = object[name]?.stringValue else { throw CryptoError(.invalidJWK, "JWK member \(name) is missing or not a string") }
        return value
    }

    private static func bytes(_ object: JSONObject, _ name: String) throws(CryptoError) -> [UInt8] {
        let text = try string(object, name)
        do { return try Base64URL.decode(text) } catch {
            throw CryptoError(.invalidJWK, "JWK member \(name) is not unpadded base64url")
        }
    }

    /// Key-material failures inside a JWK are reported as `jwk.invalid`, keeping OpenSSL's reason.
    private static func wrap<T>(_ body: () throws(CryptoError) -> T) throws(CryptoError) -> T {
        do { return try body() } catch where error.code == .invalidKey || error.code == .openSSLFailure {
            throw CryptoError(.invalidJWK, "JWK key material is invalid: \(error.message)")
        }
    }
}
