import Foundation
import NachweisJSON

/// A Europass EuropeanDigitalCredential (ELM v3).
public struct EuropeanDigitalCredential: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    public var contexts: [String] { strings("@context") }
    public var issuer: Organisation? { model("issuer") }
    public var credentialSubject: Person? { model("credentialSubject") }
    public var credentialProfiles: [Concept] { models("credentialProfiles") }
    public var displayParameter: DisplayParameter? { model("displayParameter") }
    /// `issued` (ELM), else `issuanceDate` (VC 1.1).
    public var issued: Date? { date("issued") ?? date("issuanceDate") }
    public var validFrom: Date? { date("validFrom") }
    public var validUntil: Date? { date("validUntil") ?? date("expirationDate") }
    public var credentialSchema: [CredentialSchema] { models("credentialSchema") }
    public var credentialStatus: [CredentialStatus] { models("credentialStatus") }
}

/// The learner.
public struct Person: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var fullName: LangString? { LangString(json["fullName"]) }
    public var givenName: LangString? { LangString(json["givenName"]) }
    public var familyName: LangString? { LangString(json["familyName"]) }
    public var dateOfBirth: Date? { date("dateOfBirth") }
    /// Claims (`hasClaim`): achievements, activities, assessments, entitlements.
    public var claims: [LearningAchievement] { models("hasClaim") }
}

/// A claim about the learner: LearningAchievement (or LearningActivity, LearningAssessment, LearningEntitlement,
/// which share these members).
public struct LearningAchievement: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var title: LangString? { LangString(json["title"]) }
    public var description: LangString? { LangString(json["description"]) }
    public var awardedBy: AwardingProcess? { model("awardedBy") }
    /// The Qualification or LearningAchievementSpecification.
    public var specifiedBy: [Qualification] { models("specifiedBy") }
    public var provenBy: [LearningAssessment] { models("provenBy") }
    public var influencedBy: [LearningActivity] { models("influencedBy") }
    public var hasPart: [LearningAchievement] { models("hasPart") }
    public var creditReceived: [CreditPoint] { models("creditReceived") }
}

/// How and by whom a claim was awarded.
public struct AwardingProcess: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var awardingBodies: [Organisation] { models("awardingBody") }
    public var awardingDate: Date? { date("awardingDate") }
}

/// An organisation: issuer, awarding or assessing body.
public struct Organisation: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var legalName: LangString? { LangString(json["legalName"]) }
    public var altLabel: LangString? { LangString(json["altLabel"]) }
    public var locations: [Location] { models("location") }
    /// ISO 3166-1 alpha-3 code of the first location's country (from the EU country authority IRI).
    public var countryCode: String? {
        locations.first?.addresses.first?.countryCode?.id.flatMap { $0.split(separator: "/").last.map(String.init) }
    }
    /// The eIDAS legal identifier (context term `eIDASIdentifier`).
    public var eIDASIdentifier: LegalIdentifier? { model("eIDASIdentifier") }
    public var vatIdentifiers: [LegalIdentifier] { models("vatIdentifier") }
    public var registration: LegalIdentifier? { model("registration") }
    public var homepage: [JSONValue] { json["homepage"]?.arrayValue ?? json["homepage"].map { [$0] } ?? [] }
}

/// A place, with its address.
public struct Location: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var addresses: [EDCAddress] { models("address") }
}

/// An ELM address: the country as a concept of the EU country authority table.
public struct EDCAddress: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var countryCode: Concept? { model("countryCode") }
    public var fullAddress: Note? { model("fullAddress") }
}

/// A legal identifier (eIDAS, VAT, registration) with its country.
public struct LegalIdentifier: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var notation: String? { string("notation") }
    public var spatial: Concept? { model("spatial") }
}
