import NachweisCrypto
import NachweisJSON

/// Says which credential format some bytes are, or why they are not a credential.
///
/// ```swift
/// let detected = try FormatDetector().detect(bytes)
/// detected.format     // .ob3JSONLD
/// ```
public struct FormatDetector: Sendable {
    /// Largest input considered (images and documents). Default 16 MiB.
    public var maxBytes: Int
    /// JSON limits for documents.
    public var jsonLimits: JSONParser.Limits

    public init(maxBytes: Int = 16 << 20, jsonLimits: JSONParser.Limits = .init(maxBytes: 16 << 20, maxDepth: 64)) {
        self.maxBytes = maxBytes
        self.jsonLimits = jsonLimits
    }

    /// Detects the format. Throws `document.not_a_credential` (with the reason), `document.too_large`,
    /// `document.malformed_json`, or the PNG/SVG readers' errors for broken images.
    public func detect(_ bytes: [UInt8]) throws(DocumentError) -> DetectedCredential {
        guard bytes.count <= maxBytes else {
            throw DocumentError(.tooLarge, "input of \(bytes.count) bytes exceeds the limit of \(maxBytes)")
        }
        if PNGImage.hasSignature(bytes) {
            let baked = try PNGBaking.unbake(bytes)
            return try detectBaked(Array(baked.text.utf8), container: .png, ob3Keyword: baked.keyword == PNGBaking.ob3Keyword)
        }
        let start = bytes.firstIndex { !(isSpace($0) || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) } ?? bytes.endIndex
        guard start < bytes.endIndex else { throw DocumentError(.notACredential, "the input is empty") }
        switch bytes[start] {
        case UInt8(ascii: "<"):
            guard Self.contains(bytes.prefix(65536), "<svg") else {
                throw DocumentError(.notACredential, "markup that is not an SVG image: not a credential")
            }
            let baked = try SVGBaking.unbake(bytes)
            return try detectBaked(Array(baked.text.utf8), container: .svg, ob3Keyword: baked.isOB3)
        case UInt8(ascii: "{"):
            return try detectJSON(bytes, container: nil)
        default:
            // Checked on the text's bytes (String.contains and Character tests cost more than the signature check).
            let text = Array(String(decoding: bytes, as: UTF8.self).trimmingWhitespace().utf8)
            if text.starts(with: "http://".utf8) || text.starts(with: "https://".utf8) {
                throw DocumentError(.notACredential, "this is a URL, not a credential: fetch it (nachweis verify URL) to get the credential")
            }
            if text.contains(UInt8(ascii: ".")) && text.withUnsafeBufferPointer({ $0.allSatisfy(Self.isCompactJWSByte) }) {
                return try detectCompact(text, raw: bytes, container: nil)
            }
            throw DocumentError(.notACredential, "not a credential: expected JSON, a compact JWS, a PNG or an SVG")
        }
    }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// base64url and the dots between segments, checked per byte (Character properties cost a Unicode table lookup each).
    static func isCompactJWSByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
    }

    private func detectBaked(_ text: [UInt8], container: CredentialContainer, ob3Keyword: Bool) throws(DocumentError) -> DetectedCredential {
        let string = String(decoding: text, as: UTF8.self).trimmingWhitespace()
        if string.hasPrefix("{") { return try detectJSON(text, container: container) }
        if string.hasPrefix("http://") || string.hasPrefix("https://") {
            guard !ob3Keyword else { throw DocumentError(.notACredential, "an OB 3.0 image must hold the credential, not a URL") }
            return DetectedCredential(format: .ob2Hosted, container: container, version: "Open Badges 2.0", raw: text, credential: nil,
                                      jws: nil, jwsJSON: nil, assertionURL: string, notes: ["the image holds the assertion's URL: fetch it to verify"])
        }
        return try detectCompact(Array(string.utf8), raw: text, container: container)
    }

    private func parseJSON(_ bytes: [UInt8]) throws(DocumentError) -> JSONValue {
        do { return try JSONParser(limits: jsonLimits).parse(bytes) } catch {
            if error.code == .tooLarge || error.code == .tooDeep || error.code == .tooManyMembers || error.code == .stringTooLong {
                throw DocumentError(.tooLarge, "JSON exceeds a limit: \(error)")
            }
            throw DocumentError(.malformedJSON, "malformed JSON: \(error)")
        }
    }

    private func detectJSON(_ bytes: [UInt8], container: CredentialContainer?) throws(DocumentError) -> DetectedCredential {
        let value = try parseJSON(bytes)
        guard let object = value.objectValue else { throw DocumentError(.notACredential, "JSON that is not an object") }
        if object["payload"] != nil || object["signatures"] != nil || (object["protected"] != nil && object["signature"] != nil) {
            return try detectJAdES(bytes, container: container)
        }
        if object.count == 1, let inner = object["credential"], inner.objectValue != nil {
            let detected = try detectJSON(inner.compactBytes, container: container)
            return DetectedCredential(format: detected.format, container: container, version: detected.version, raw: bytes,
                                      credential: detected.credential, jws: nil, jwsJSON: nil, assertionURL: nil,
                                      notes: detected.notes + ["the credential is wrapped as {\"credential\": …} (EDCI upload format)"])
        }
        let types = Self.types(value)
        if types.contains("EuropeanDigitalCredential") {
            return DetectedCredential(format: .edcJSONLD, container: container, version: "Europass EDC (ELM v3), " + Self.vcVersion(value),
                                      raw: bytes, credential: value, jws: nil, jwsJSON: nil, assertionURL: nil, notes: [])
        }
        if Self.isOB3(types) || (types.contains("VerifiableCredential") && Self.hasOB3Context(value)) {
            return DetectedCredential(format: .ob3JSONLD, container: container, version: "Open Badges 3.0, " + Self.vcVersion(value),
                                      raw: bytes, credential: value, jws: nil, jwsJSON: nil, assertionURL: nil,
                                      notes: value["proof"] == nil ? ["no embedded proof"] : [])
        }
        if types.contains("Assertion") || (value["recipient"] != nil && value["badge"] != nil) {
            var notes: [String] = []
            if let verification = value["verification"]?["type"]?.stringValue, verification == "signed" || verification == "SignedBadge" {
                notes.append("verification type is signed, but this is the bare assertion: the signature (its JWS) is needed to verify it")
            }
            return DetectedCredential(format: .ob2Hosted, container: container, version: "Open Badges 2.0", raw: bytes, credential: value,
                                      jws: nil, jwsJSON: nil, assertionURL: nil, notes: notes)
        }
        if types.contains("VerifiableCredential") {
            throw DocumentError(.notACredential, "a Verifiable Credential of type \(types.joined(separator: ", ")), neither an Open Badge nor a Europass credential")
        }
        throw DocumentError(.notACredential, types.isEmpty ? "JSON without a type: not a credential" : "JSON of type \(types.joined(separator: ", ")): not a credential")
    }

    private func detectJAdES(_ bytes: [UInt8], container: CredentialContainer?) throws(DocumentError) -> DetectedCredential {
        let serialization: JWSJSONSerialization
        do { serialization = try JWSJSONSerialization.parse(bytes) } catch {
            throw DocumentError(.notACredential, "a JWS JSON serialization that does not parse: \(error)")
        }
        let payload = try parseJSON(serialization.payload)
        guard Self.types(payload).contains("EuropeanDigitalCredential") else {
            throw DocumentError(.notACredential, "a JWS JSON serialization whose payload is not a Europass credential")
        }
        var notes: [String] = []
        if serialization.signatures[0].header.base64EncodedPayload { notes.append("the payload is base64url-encoded, JAdES for EDC uses b64=false") }
        return DetectedCredential(format: .edcJAdES, container: container, version: "Europass EDC (ELM v3), " + Self.vcVersion(payload) + ", JAdES",
                                  raw: bytes, credential: payload, jws: serialization.signatures[0], jwsJSON: serialization, assertionURL: nil, notes: notes)
    }

    private func detectCompact(_ text: [UInt8], raw: [UInt8], container: CredentialContainer?) throws(DocumentError) -> DetectedCredential {
        let jws: JWS
        do { jws = try JWS.parseCompact(bytes: text) } catch {
            throw DocumentError(.notACredential, "not a credential: looks like a compact JWS but \(error.message)")
        }
        let claims = try parseJSON(jws.payload)
        if let vc = claims["vc"], Self.isOB3(Self.types(vc)) {
            return DetectedCredential(format: .ob3JWT, container: container, version: "Open Badges 3.0, VC 1.1 (JWT with vc claim)", raw: raw,
                                      credential: vc, jws: jws, jwsJSON: nil, assertionURL: nil, notes: [])
        }
        if Self.isOB3(Self.types(claims)) {
            return DetectedCredential(format: .ob3JWT, container: container, version: "Open Badges 3.0, VC 2.0 (VC-JWT)", raw: raw,
                                      credential: claims, jws: jws, jwsJSON: nil, assertionURL: nil, notes: [])
        }
        if Self.types(claims).contains("Assertion") || (claims["recipient"] != nil && claims["badge"] != nil) {
            return DetectedCredential(format: .ob2Signed, container: container, version: "Open Badges 2.0", raw: raw,
                                      credential: claims, jws: jws, jwsJSON: nil, assertionURL: nil, notes: [])
        }
        throw DocumentError(.notACredential, "a JWS whose payload is neither an Open Badge nor a Verifiable Credential")
    }

    static func contains(_ bytes: ArraySlice<UInt8>, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count else { return false }
        var i = bytes.startIndex
        while i <= bytes.endIndex - n.count {
            if bytes[i] == n[0] && bytes[i..<(i + n.count)].elementsEqual(n) { return true }
            i += 1
        }
        return false
    }

    /// The `type` member as a list of strings.
    public static func types(_ value: JSONValue) -> [String] {
        if let s = value["type"]?.stringValue { return [s] }
        return value["type"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Whether the types name an OB 3.0 credential class.
    public static func isOB3(_ types: [String]) -> Bool {
        types.contains("OpenBadgeCredential") || types.contains("AchievementCredential") || types.contains("EndorsementCredential")
    }

    /// Whether an OB 3.0 context is among the `@context` entries.
    static func hasOB3Context(_ value: JSONValue) -> Bool {
        (value["@context"]?.arrayValue ?? []).contains { $0.stringValue?.hasPrefix("https://purl.imsglobal.org/spec/ob/v3p0/context") ?? false }
    }

    static func vcVersion(_ value: JSONValue) -> String {
        let first = value["@context"]?.arrayValue?.first?.stringValue ?? value["@context"]?.stringValue
        switch first {
        case "https://www.w3.org/ns/credentials/v2": return "VC 2.0"
        case "https://www.w3.org/2018/credentials/v1": return "VC 1.1"
        default: return "unknown VC context"
        }
    }
}
