import Foundation
import NachweisJSON

/// An OB 3.0 AchievementCredential (also typed OpenBadgeCredential), VC 2.0 or VC 1.1 form.
public struct AchievementCredential: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    /// `@context` entries that are IRIs.
    public var contexts: [String] { strings("@context") }
    /// True for the VC 1.1 form (`https://www.w3.org/2018/credentials/v1` first).
    public var isVC11: Bool { contexts.first == "https://www.w3.org/2018/credentials/v1" }

    public var name: String? { get { string("name") } set { setString("name", newValue) } }
    public var description: String? { get { string("description") } set { setString("description", newValue) } }
    public var image: OB3Image? { model("image") }
    /// The issuer profile; an issuer given only as an IRI becomes a profile with just that id.
    public var issuer: Profile? {
        if let iri = json["issuer"]?.stringValue { return Profile(json: ["id": .string(iri)]) }
        return model("issuer")
    }
    public var credentialSubject: AchievementSubject? { model("credentialSubject") }
    /// `validFrom` (VC 2.0) or `issuanceDate` (VC 1.1).
    public var validFrom: Date? { date("validFrom") ?? date("issuanceDate") }
    /// `validUntil` (VC 2.0) or `expirationDate` (VC 1.1).
    public var validUntil: Date? { date("validUntil") ?? date("expirationDate") }
    public var awardedDate: Date? { date("awardedDate") }
    public var proofs: [DataIntegrityProofModel] { models("proof") }
    public var credentialStatus: [CredentialStatus] { models("credentialStatus") }
    public var credentialSchema: [CredentialSchema] { models("credentialSchema") }
    public var refreshService: [RefreshService] { models("refreshService") }
    public var evidence: [Evidence] { models("evidence") }
    public var endorsements: [EndorsementCredential] { models("endorsement") }
    public var endorsementJwt: [String] { strings("endorsementJwt") }
}

/// An OB 3.0 EndorsementCredential.
public struct EndorsementCredential: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    public var name: String? { string("name") }
    public var issuer: Profile? {
        if let iri = json["issuer"]?.stringValue { return Profile(json: ["id": .string(iri)]) }
        return model("issuer")
    }
    public var credentialSubject: EndorsementSubject? { model("credentialSubject") }
    public var validFrom: Date? { date("validFrom") ?? date("issuanceDate") }
    public var validUntil: Date? { date("validUntil") ?? date("expirationDate") }
    public var proofs: [DataIntegrityProofModel] { models("proof") }
    public var credentialStatus: [CredentialStatus] { models("credentialStatus") }
}

/// The subject of an endorsement: what is endorsed, and the comment.
public struct EndorsementSubject: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var endorsementComment: String? { string("endorsementComment") }
}
