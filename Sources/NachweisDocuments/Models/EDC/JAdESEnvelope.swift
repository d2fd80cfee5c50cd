import NachweisCrypto
import NachweisJSON

/// A sealed Europass credential: a JWS JSON serialization (JAdES) whose unencoded payload is the credential.
/// The payload string is kept exactly as received: the seal covers those bytes, not a re-serialization.
public struct JAdESEnvelope: Sendable {
    /// The envelope as parsed.
    public let serialization: JWSJSONSerialization
    /// The payload exactly as it stands in the envelope.
    public let payloadText: String
    /// The credential the payload holds.
    public let credential: EuropeanDigitalCredential

    /// Parses an envelope. Throws `document.wrong_shape` when the payload is not an EDC, or the JWS errors.
    public init(bytes: [UInt8]) throws {
        serialization = try JWSJSONSerialization.parse(bytes)
        payloadText = String(decoding: serialization.payload, as: UTF8.self)
        let value = try JSONParser().parse(serialization.payload)
        guard FormatDetector.types(value).contains("EuropeanDigitalCredential") else {
            throw DocumentError(.wrongShape, "the JAdES payload is not a EuropeanDigitalCredential")
        }
        credential = try EuropeanDigitalCredential(value)
    }

    /// The seal's protected header (alg, x5c, sigT, crit, …).
    public var header: JWSHeader { serialization.signatures[0].header }
    /// `sigT`: the claimed signing time.
    public var signingTime: String? { header.members["sigT"]?.stringValue }
}
