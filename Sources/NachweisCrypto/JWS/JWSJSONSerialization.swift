import NachweisJSON

/// The JWS JSON serialization (RFC 7515 §7.2), general and flattened, with RFC 7797 unencoded
/// payloads (the JAdES envelope Europass uses).
public struct JWSJSONSerialization: Sendable, Hashable {
    /// One signature per entry; they share the payload.
    public let signatures: [JWS]
    /// Whether the payload member was absent (detached).
    public let detached: Bool

    public init(signatures: [JWS], detached: Bool = false) throws(CryptoError) {
        guard let first = signatures.first else { throw CryptoError(.malformedJWS, "a JWS needs at least one signature") }
        guard signatures.allSatisfy({ $0.payload == first.payload && $0.header.base64EncodedPayload == first.header.base64EncodedPayload }) else {
            throw CryptoError(.malformedJWS, "all signatures of a JWS JSON serialization share one payload and one b64 value")
        }
        self.signatures = signatures
        self.detached = detached
    }

    /// The shared payload.
    public var payload: [UInt8] { signatures[0].payload }

    /// Parses general or flattened JWS JSON.
    ///
    /// Throws `jws.malformed`, `jws.malformed_base64url`, `jws.malformed_header` (including names in both the
    /// protected and unprotected header, RFC 7515 §7.2.1), `jws.crit_invalid` (`crit` outside the protected header).
    public static func parse(_ bytes: some Collection<UInt8>, detachedPayload: [UInt8]? = nil) throws(CryptoError) -> JWSJSONSerialization {
        let value: JSONValue
        do { value = try JSONParser(limits: .init(maxBytes: JWS.maxCompactLength)).parse(bytes) } catch {
            let code: CryptoError.Code = error.code == .trailingData ? .trailingGarbage : .malformedJWS
            throw CryptoError(code, "JWS JSON serialization is not valid JSON: \(error)")
        }
        guard let object = value.objectValue else { throw CryptoError(.malformedJWS, "JWS JSON serialization is not an object") }
        let payloadText: String?
        switch object["payload"] {
        case nil: payloadText = nil
        case .string(let s)?: payloadText = s
        default: throw CryptoError(.malformedJWS, "payload must be a string")
        }
        if payloadText != nil && detachedPayload != nil {
            throw CryptoError(.malformedJWS, "a detached payload was given but the JWS carries one")
        }
        let entries: [JSONObject]
        if let list = object["signatures"] {
            guard object["signature"] == nil, object["protected"] == nil, object["header"] == nil else {
                throw CryptoError(.malformedJWS, "a JWS is either general (signatures) or flattened (signature), not both")
            }
            guard let array = list.arrayValue, !array.isEmpty else { throw CryptoError(.malformedJWS, "signatures must be a non-empty array") }
            var objects: [JSONObject] = []
            for entry in array {
                guard let o = entry.objectValue else { throw CryptoError(.malformedJWS, "each signature is an object") }
                objects.append(o)
            }
            entries = objects
        } else {
            entries = [object]
        }
        var signatures: [JWS] = []
        for entry in entries {
            signatures.append(try parseSignature(entry, payloadText: payloadText, detachedPayload: detachedPayload))
        }
        return try JWSJSONSerialization(signatures: signatures, detached: payloadText == nil)
    }

    private static func parseSignature(_ entry: JSONObject, payloadText: String?, detachedPayload: [UInt8]?) throws(CryptoError) -> JWS {
        guard let protectedText = entry["protected"]?.stringValue else {
            throw CryptoError(.malformedHeader, "each signature needs a protected header (Nachweis requires alg to be protected)")
        }
        let header = try JWSHeader(json: try JWS.decodeSegment(Array(protectedText.utf8), name: "protected header"))
        var unprotected: JSONObject?
        if let h = entry["header"] {
            guard let o = h.objectValue else { throw CryptoError(.malformedHeader, "the unprotected header must be an object") }
            for key in o.keys where header.members[key] != nil {
                throw CryptoError(.malformedHeader, "header parameter \(key) is in both the protected and unprotected header")
            }
            guard o["crit"] == nil else { throw CryptoError(.invalidCriticalHeader, "crit must be in the protected header") }
            guard o["b64"] == nil else { throw CryptoError(.invalidCriticalHeader, "b64 must be in the protected header") }
            unprotected = o
        }
        guard let signatureText = entry["signature"]?.stringValue else { throw CryptoError(.malformedJWS, "each signature needs a signature member") }
        let signature = try JWS.decodeSegment(Array(signatureText.utf8), name: "signature")
        let payload: [UInt8]
        if let detachedPayload {
            payload = detachedPayload
        } else if let payloadText {
            payload = header.base64EncodedPayload ? try JWS.decodeSegment(Array(payloadText.utf8), name: "payload") : Array(payloadText.utf8)
        } else {
            throw CryptoError(.payloadRequired, "the JWS payload is detached: supply it")
        }
        return JWS(protectedSegment: protectedText, header: header, unprotectedHeader: unprotected, payload: payload, signature: signature)
    }

    /// The JSON serialization: flattened when there is one signature and `flattened` is true.
    public func serialized(flattened: Bool = false) -> String {
        var object = JSONObject()
        if !detached {
            object["payload"] = .string(signatures[0].payloadSegment)
        }
        func entry(_ jws: JWS) -> JSONObject {
            var e = JSONObject()
            e["protected"] = .string(jws.protectedSegment)
            if let h = jws.unprotectedHeader { e["header"] = .object(h) }
            e["signature"] = .string(Base64URL.encode(jws.signature))
            return e
        }
        if flattened && signatures.count == 1 {
            for member in entry(signatures[0]) { object[member.key] = member.value }
        } else {
            object["signatures"] = .array(signatures.map { .object(entry($0)) })
        }
        return JSONValue.object(object).compactText
    }
}
