import Foundation
import NachweisJSON

/// An OB 2.0 Assertion.
public struct Assertion: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    public var recipient: RecipientIdentity? { model("recipient") }
    /// The BadgeClass, when embedded (else see ``badgeIRI``).
    public var badge: BadgeClass? { model("badge") }
    public var badgeIRI: String? { json["badge"]?.stringValue ?? badge?.id }
    public var verification: VerificationObject? { model("verification") }
    /// `issuedOn`: ISO 8601 text or a Unix timestamp.
    public var issuedOn: Date? { OB2Date.parse(json["issuedOn"]) }
    public var expires: Date? { OB2Date.parse(json["expires"]) }
    public var revoked: Bool { json["revoked"]?.boolValue ?? false }
    public var revocationReason: String? { string("revocationReason") }
    public var evidence: [String] { strings("evidence") }
    public var narrative: String? { string("narrative") }
}

/// How an OB 2.0 recipient is identified: a (hashed) email, URL, telephone or other identity.
public struct RecipientIdentity: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var identityType: String? { string("type") }
    public var identity: String? { string("identity") }
    public var hashed: Bool { json["hashed"]?.boolValue ?? false }
    public var salt: String? { string("salt") }

    /// Whether the plain identity given is this recipient (`sha256$…`, `md5$…`, salted, or plain).
    public func matches(_ plain: String) -> Bool {
        RecipientHash.matches(identity: plain, hashed: hashed, value: identity, salt: salt)
    }
}

/// How an OB 2.0 assertion is verified: `hosted` (at its URL) or `signed` (a JWS by `creator`).
public struct VerificationObject: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var verificationType: String? { string("type") }
    public var isSigned: Bool { ["signed", "SignedBadge"].contains(verificationType ?? "") }
    public var creator: String? { string("creator") }
    public var allowedOrigins: [String] { strings("allowedOrigins") }
    public var startsWith: [String] { strings("startsWith") }
}

/// OB 2.0 dates: ISO 8601 text or a Unix timestamp in seconds.
enum OB2Date {
    static func parse(_ value: JSONValue?) -> Date? {
        switch value {
        case .number(let n)?: Date(timeIntervalSince1970: n.doubleValue)
        case .string(let s)?: JSONModelAccess.parseDate(s) ?? JSONModelAccess.parseDate(s + "Z")
        default: nil
        }
    }
}
