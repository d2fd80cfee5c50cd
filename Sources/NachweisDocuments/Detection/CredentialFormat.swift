import NachweisCrypto
import NachweisJSON

/// The credential formats Nachweis recognises.
public enum CredentialFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// OB 2.0 assertion as JSON (hosted verification), or an assertion URL baked into an image.
    case ob2Hosted = "ob2-hosted"
    /// OB 2.0 signed assertion: a compact JWS (RS256) over the assertion.
    case ob2Signed = "ob2-signed"
    /// OB 3.0 credential as JSON-LD, with or without an embedded proof.
    case ob3JSONLD = "ob3-jsonld"
    /// OB 3.0 credential as a VC-JWT (VC 2.0 payload, or VC 1.1 with the `vc` claim).
    case ob3JWT = "ob3-jwt"
    /// Europass EDC sealed in a JAdES envelope (JWS JSON serialization, unencoded payload).
    case edcJAdES = "edc-jades"
    /// Europass EDC as plain JSON-LD.
    case edcJSONLD = "edc-jsonld"
}

/// The image a credential was baked into.
public enum CredentialContainer: String, Sendable, Hashable, Codable {
    case png, svg
}

/// What the detector found.
public struct DetectedCredential: Sendable {
    public let format: CredentialFormat
    public let container: CredentialContainer?
    /// e.g. "Open Badges 3.0, VC 2.0", "Open Badges 2.0", "Europass EDC (ELM v3), VC 1.1".
    public let version: String
    /// The credential exactly as it came (for an image: as embedded).
    public let raw: [UInt8]
    /// The credential JSON: the OB 3.0 credential (from a JWT: the VC 2.0 payload or the `vc` claim), the OB 2.0
    /// assertion, or the EDC payload. Nil for an OB 2.0 assertion baked as a URL only.
    public let credential: JSONValue?
    /// The JWS, for signed forms.
    public let jws: JWS?
    public let jwsJSON: JWSJSONSerialization?
    /// An OB 2.0 hosted assertion's URL, when only the URL was baked.
    public let assertionURL: String?
    /// Things worth knowing that do not stop detection.
    public let notes: [String]
}
