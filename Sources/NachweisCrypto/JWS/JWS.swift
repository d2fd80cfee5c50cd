import NachweisJSON

/// One JWS signature over a payload (RFC 7515), as parsed from or made for a serialization.
/// Holds the protected header exactly as encoded, since the signature covers those bytes.
public struct JWS: Sendable, Hashable {
    /// The protected header's base64url text, as received.
    public let protectedSegment: String
    public let header: JWSHeader
    /// The unprotected header (JSON serialization only).
    public let unprotectedHeader: JSONObject?
    /// The payload bytes (decoded when `b64` is true, as they stand when false).
    public let payload: [UInt8]
    public let signature: [UInt8]
    /// The signing input exactly as received in a compact serialization, or as signed when this JWS was made (the same
    /// bytes `signingInput` would build, since decoding is canonical): kept so that neither verifying nor serializing
    /// encodes the payload again.
    private let knownSigningInput: [UInt8]?

    /// Largest compact serialization accepted (16 MiB).
    public static let maxCompactLength = 16 << 20

    public init(protectedSegment: String, header: JWSHeader, unprotectedHeader: JSONObject? = nil,
                payload: [UInt8], signature: [UInt8]) {
        self.init(protectedSegment: protectedSegment, header: header, unprotectedHeader: unprotectedHeader,
                  payload: payload, signature: signature, knownSigningInput: nil)
    }

    init(protectedSegment: String, header: JWSHeader, unprotectedHeader: JSONObject?,
         payload: [UInt8], signature: [UInt8], knownSigningInput: [UInt8]?) {
        self.knownSigningInput = knownSigningInput
        self.protectedSegment = protectedSegment
        self.header = header
        self.unprotectedHeader = unprotectedHeader
        self.payload = payload
        self.signature = signature
    }

    /// The JWS Signing Input: `ASCII(protected) . payload` with the payload base64url-encoded
    /// unless `b64` is false (RFC 7797 §3).
    public var signingInput: [UInt8] {
        if let knownSigningInput { return knownSigningInput }
        return JWS.signingInput(protectedSegment: protectedSegment, payload: payload, base64EncodedPayload: header.base64EncodedPayload)
    }

    /// The signing input for any protected header segment and payload.
    public static func signingInput(protectedSegment: String, payload: [UInt8], base64EncodedPayload: Bool) -> [UInt8] {
        // Sized once, the payload encoded straight into it (a VC-JWT's is 2.3 KB).
        var input: [UInt8] = []
        input.reserveCapacity(protectedSegment.utf8.count + 1 + (base64EncodedPayload ? Base64URL.encodedCount(payload.count, pad: false) : payload.count))
        input.append(contentsOf: protectedSegment.utf8)
        input.append(UInt8(ascii: "."))
        if base64EncodedPayload {
            payload.withUnsafeBufferPointer { Base64URL.append($0, to: &input) }
        } else {
            input.append(contentsOf: payload)
        }
        return input
    }

    /// The payload as it appears in a serialization.
    var payloadSegment: String {
        header.base64EncodedPayload ? Base64URL.encode(payload) : String(decoding: payload, as: UTF8.self)
    }

    // MARK: Compact serialization

    /// Parses a compact JWS (`header.payload.signature`).
    ///
    /// - Parameter detachedPayload: the payload when the serialization leaves it out (RFC 7515 Appendix F).
    /// - Throws: `jws.malformed` (segment count, JWE), `jws.trailing_garbage` (segments after the signature),
    ///   `jws.malformed_base64url`, `jws.malformed_header`, `jws.crit_invalid`, `jws.payload_required`.
    public static func parseCompact(_ text: some StringProtocol, detachedPayload: [UInt8]? = nil) throws(CryptoError) -> JWS {
        try parseCompact(bytes: Array(text.utf8), detachedPayload: detachedPayload)
    }

    /// Parses a compact JWS from its UTF-8 bytes.
    public static func parseCompact(bytes: [UInt8], detachedPayload: [UInt8]? = nil) throws(CryptoError) -> JWS {
        guard bytes.count <= maxCompactLength else {
            throw CryptoError(.malformedJWS, "compact JWS longer than \(maxCompactLength) bytes")
        }
        let segments = bytes.split(separator: UInt8(ascii: "."), maxSplits: 5, omittingEmptySubsequences: false)
        switch segments.count {
        case 3: break
        case 5: throw CryptoError(.malformedJWS, "this is a JWE (five segments), not a JWS")
        case 0...2: throw CryptoError(.malformedJWS, "a compact JWS has three segments, found \(segments.count)")
        default: throw CryptoError(.trailingGarbage, "unexpected data after the JWS signature segment")
        }
        let headerBytes = try decodeSegment(segments[0], name: "protected header")
        let header = try JWSHeader(json: headerBytes)
        let payload: [UInt8]
        if let detachedPayload {
            guard segments[1].isEmpty else { throw CryptoError(.malformedJWS, "a detached payload was given but the JWS carries one") }
            payload = detachedPayload
        } else if header.base64EncodedPayload {
            payload = try decodeSegment(segments[1], name: "payload")
        } else {
            guard !segments[1].isEmpty else { throw CryptoError(.payloadRequired, "the JWS payload is detached: supply it") }
            payload = Array(segments[1])
        }
        let signature = try decodeSegment(segments[2], name: "signature")
        let received = detachedPayload == nil ? Array(bytes[segments[0].startIndex..<segments[1].endIndex]) : nil
        return JWS(protectedSegment: String(decoding: segments[0], as: UTF8.self), header: header, unprotectedHeader: nil,
                   payload: payload, signature: signature, knownSigningInput: received)
    }

    static func decodeSegment(_ segment: some Collection<UInt8>, name: String) throws(CryptoError) -> [UInt8] {
        guard let bytes = Base64URL.decodeBytes(segment, table: Base64URL.urlTable, padded: false) else {
            throw CryptoError(.malformedBase64URL, "the \(name) segment is not unpadded base64url")
        }
        return bytes
    }

    /// The compact serialization. With `detached`, the payload segment is left empty.
    /// Throws `jws.malformed` for an unencoded payload that cannot stand in compact form (it holds a '.').
    public func compactSerialization(detached: Bool = false) throws(CryptoError) -> String {
        if !detached && !header.base64EncodedPayload && payload.contains(UInt8(ascii: ".")) {
            throw CryptoError(.malformedJWS, "an unencoded payload containing '.' cannot use the compact serialization; detach it")
        }
        // Its first two segments are the signing input (known when parsed or made here: the payload not encoded again).
        if !detached, let knownSigningInput {
            var text: [UInt8] = []
            text.reserveCapacity(knownSigningInput.count + 1 + Base64URL.encodedCount(signature.count, pad: false))
            text.append(contentsOf: knownSigningInput)
            text.append(UInt8(ascii: "."))
            signature.withUnsafeBufferPointer { Base64URL.append($0, to: &text) }
            return String(decoding: text, as: UTF8.self)
        }
        return protectedSegment + "." + (detached ? "" : payloadSegment) + "." + Base64URL.encode(signature)
    }
}

extension JWS {
    /// Equal when header, payload and signature are; how the value was obtained (parsed or made) does not count.
    public static func == (lhs: JWS, rhs: JWS) -> Bool {
        lhs.protectedSegment == rhs.protectedSegment && lhs.header == rhs.header && lhs.unprotectedHeader == rhs.unprotectedHeader
            && lhs.payload == rhs.payload && lhs.signature == rhs.signature
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(protectedSegment)
        hasher.combine(payload)
        hasher.combine(signature)
    }
}
