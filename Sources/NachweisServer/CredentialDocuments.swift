import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisStore

/// The unsigned documents Nachweis issues, one builder per family: OB 3.0 (for Data Integrity and VC-JWT), OB 2.0
/// assertions, Europass EDC. Pure functions of the stored records and the public URLs: nothing here signs or stores.
struct CredentialDocuments {
    let documents: PublicDocuments

    /// What the issuing request says about the learner, and how it is stored.
    struct Learner {
        /// `email:sha256$…` or the DID.
        let stored: String
        let did: String?
        /// For emails: the salted hash and its salt.
        let hash: String?
        let salt: String?

        init(_ recipient: IssuingService.Recipient) {
            switch recipient {
            case .did(let did):
                self.did = did
                (hash, salt) = (nil, nil)
                stored = did
            case .email(let email):
                let salt = Hex.encode(Learner.saltBytes())
                let hash = RecipientHash.sha256(email.lowercased(), salt: salt)
                did = nil
                (self.hash, self.salt) = (hash, salt)
                stored = "email:" + hash
            }
        }

        /// 16 random bytes: OpenSSL's (pooled, as for identifiers), Swift's system generator should OpenSSL's ever fail
        /// to seed. (Before, such a failure gave an empty salt.)
        static func saltBytes() -> [UInt8] {
            if let drawn = try? SecureRandom.pooled(16) { return drawn }
            var generator = SystemRandomNumberGenerator()
            return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
    }

    // MARK: Open Badges 3.0

    /// What every OB 3.0 credential of one achievement shares: the issuer's profile and the achievement as embedded,
    /// built once and embedded as they are (one storage for all), and what our schema found valid in them.
    final class SharedParts: Sendable {
        let issuer: Issuer
        let achievement: NachweisStore.Achievement
        let profile: JSONObject
        let achievementObject: JSONObject
        let memo: SchemaMemo

        init(issuer: Issuer, achievement: NachweisStore.Achievement, profile: JSONObject, achievementObject: JSONObject) {
            (self.issuer, self.achievement, self.profile, self.achievementObject) = (issuer, achievement, profile, achievementObject)
            memo = SchemaMemo(sharing: [profile, achievementObject])
        }

        /// Whether these parts were built from these records.
        func match(_ issuer: Issuer, _ achievement: NachweisStore.Achievement) -> Bool {
            self.achievement == achievement && self.issuer == issuer
        }
    }

    func sharedParts(_ issuer: Issuer, _ a: NachweisStore.Achievement) -> SharedParts {
        SharedParts(issuer: issuer, achievement: a, profile: ob3Issuer(issuer), achievementObject: ob3Achievement(issuer, a))
    }

    /// The unsigned OB 3.0 `OpenBadgeCredential`: the achievement with the EU micro-credential elements as EU
    /// vocabulary alignments (what ``MicroCredentialMapping`` reads back), Bitstring status entries and, when asked,
    /// a `1EdTechRevocationList` entry.
    func ob3(id: UUID, issuer: Issuer, achievement a: NachweisStore.Achievement, learner: Learner, validFrom: String,
             revocation: StatusAllocation, suspension: StatusAllocation, revocationList: Bool) -> JSONValue {
        ob3(id: id, parts: sharedParts(issuer, a), learner: learner, validFrom: validFrom, revocation: revocation, suspension: suspension,
            revocationList: revocationList)
    }

    /// The same, from parts built before.
    func ob3(id: UUID, parts: SharedParts, learner: Learner, validFrom: String,
             revocation: StatusAllocation, suspension: StatusAllocation, revocationList: Bool) -> JSONValue {
        let (issuer, a) = (parts.issuer, parts.achievement)
        var subject: JSONObject = ["type": ["AchievementSubject"]]
        if let did = learner.did {
            subject["id"] = .string(did)
        } else if let hash = learner.hash, let salt = learner.salt {
            subject["identifier"] = [["type": "IdentityObject", "hashed": true, "identityHash": .string(hash),
                                      "identityType": "emailAddress", "salt": .string(salt)]]
        }
        subject["achievement"] = .object(parts.achievementObject)
        var status: [JSONValue] = [statusEntry(issuer, revocation, "revocation"), statusEntry(issuer, suspension, "suspension")]
        var contexts: [JSONValue] = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
        if revocationList {
            contexts.append("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")
            status.append(["id": .string(documents.revocationListURL(issuer)), "type": "1EdTechRevocationList"])
        }
        return [
            "@context": .array(contexts),
            "id": .string("urn:uuid:\(id.lowercasedText)"),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": .object(parts.profile),
            "validFrom": .string(validFrom),
            "name": .string(a.name),
            "credentialSubject": .object(subject),
            "credentialStatus": .array(status),
        ]
    }

    /// A `BitstringStatusListEntry` for an allocated index of one of the issuer's lists (OB 3.0 and Europass alike).
    func statusEntry(_ issuer: Issuer, _ allocation: StatusAllocation, _ purpose: String) -> JSONValue {
        let list = documents.statusListURL(issuer, allocation.listID)
        return ["id": .string("\(list)#\(allocation.index)"), "type": "BitstringStatusListEntry", "statusPurpose": .string(purpose),
                "statusListIndex": .string(String(allocation.index)), "statusListCredential": .string(list)]
    }

    /// The issuer as embedded in OB 3.0 credentials: its `did:web` (the key's controller) and the profile fields.
    func ob3Issuer(_ issuer: Issuer) -> JSONObject {
        var profile: JSONObject = ["id": .string(documents.did(issuer)), "type": ["Profile"], "name": .string(issuer.name),
                                   "url": .string(issuer.homepage),
                                   "address": ["type": ["Address"], "addressCountryCode": .string(issuer.country)]]
        if let email = issuer.email { profile["email"] = .string(email) }
        return profile
    }

    /// The OB 3.0 Achievement, `id` its public URL.
    func ob3Achievement(_ issuer: Issuer, _ a: NachweisStore.Achievement) -> JSONObject {
        let url = documents.achievementURL(issuer, a.id)
        var criteria: JSONObject = ["narrative": .string(a.criteriaNarrative)]
        if let criteriaURL = a.criteriaURL { criteria["id"] = .string(criteriaURL) }
        var achievement: JSONObject = [
            "id": .string(url), "type": ["Achievement"], "name": .string(a.name),
            "description": .string(a.description), "criteria": .object(criteria), "achievementType": .string(a.achievementType),
        ]
        if let ects = a.ects, let number = JSONNumber(ects) { achievement["creditsAvailable"] = .number(number) }
        if !a.tags.isEmpty { achievement["tag"] = .array(a.tags.map(JSONValue.string)) }
        if let image = a.imageURL { achievement["image"] = ["id": .string(image), "type": "Image"] }
        if let language = a.language { achievement["inLanguage"] = .string(language) }
        let alignments = a.alignments.map { al -> JSONValue in
            var o: JSONObject = ["type": ["Alignment"], "targetName": .string(al.targetName), "targetUrl": .string(al.targetURL)]
            if let v = al.targetFramework { o["targetFramework"] = .string(v) }
            if let v = al.targetCode { o["targetCode"] = .string(v) }
            if let v = al.targetType { o["targetType"] = .string(v) }
            return .object(o)
        } + euAlignments(url, a)
        if !alignments.isEmpty { achievement["alignment"] = .array(alignments) }
        return achievement
    }

    /// The EU micro-credential elements OB 3.0 has no property for, as alignments typed with `ext:` target types
    /// (EQF levels point into the EU vocabulary; the others at fragments of the achievement's own URL).
    func euAlignments(_ url: String, _ a: NachweisStore.Achievement) -> [JSONValue] {
        func alignment(_ name: String, _ target: String, _ type: String, code: String? = nil) -> JSONValue {
            var o: JSONObject = ["type": ["Alignment"], "targetName": .string(name), "targetUrl": .string(target), "targetType": .string(type)]
            if let code { o["targetCode"] = .string(code) }
            return .object(o)
        }
        var result: [JSONValue] = []
        if let level = a.eqfLevel {
            result.append(alignment("EQF level \(level)", "http://data.europa.eu/snb/eqf/\(level)", "ext:QualificationLevel", code: String(level)))
        }
        for (n, outcome) in a.learningOutcomes.enumerated() {
            result.append(alignment(outcome, "\(url)#learning-outcome-\(n + 1)", "ext:LearningOutcome"))
        }
        if let hours = a.workloadHours { result.append(alignment("\(hours) hours of learning", "\(url)#workload", "ext:Workload", code: "PT\(hours)H")) }
        if let v = a.assessmentType { result.append(alignment(v, "\(url)#assessment", "ext:AssessmentType")) }
        if let v = a.participation { result.append(alignment(v.rawValue, "\(url)#participation", "ext:ParticipationForm", code: v.rawValue)) }
        if let v = a.qualityAssurance { result.append(alignment(v, "\(url)#quality-assurance", "ext:QualityAssurance")) }
        if let v = a.prerequisites { result.append(alignment(v, "\(url)#prerequisites", "ext:Prerequisite")) }
        if let v = a.stackability { result.append(alignment(v, "\(url)#stackability", "ext:Stackability")) }
        return result
    }

    /// The VC-JWT claims set of OB 3.0 §8.2.4.1: the credential itself, with `iss`, `jti`, `sub` (for a DID subject)
    /// and `nbf` (validFrom, seconds) beside its members.
    func jwtClaims(_ credential: JSONValue, validFrom: Date) -> JSONValue {
        guard var claims = credential.objectValue else { return credential }
        claims["iss"] = credential["issuer"]?["id"] ?? .null
        claims["jti"] = credential["id"] ?? .null
        if let subject = credential["credentialSubject"]?["id"] { claims["sub"] = subject }
        claims["nbf"] = .number(JSONNumber(Int(validFrom.timeIntervalSince1970)))
        return .object(claims)
    }

    // MARK: Open Badges 2.0

    /// The OB 2.0 Assertion: hosted ones live at their URL; signed ones are `urn:uuid:` and name their
    /// CryptographicKey as `verification.creator`.
    func ob2Assertion(id: UUID, issuer: Issuer, achievement: NachweisStore.Achievement, learner: Learner, issuedOn: String,
                      signingKey: SigningKey?) -> JSONValue {
        var assertion: JSONObject = [
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Assertion",
            "id": .string(signingKey == nil ? documents.ob2AssertionURL(issuer, id) : "urn:uuid:\(id.lowercasedText)"),
            "recipient": ["type": "email", "hashed": true, "salt": .string(learner.salt ?? ""), "identity": .string(learner.hash ?? "")],
            "badge": .string(documents.ob2BadgeURL(issuer, achievement.id)),
            "issuedOn": .string(issuedOn),
        ]
        if let signingKey {
            assertion["verification"] = ["type": "SignedBadge", "creator": .string(documents.ob2KeyURL(issuer, signingKey.id))]
        } else {
            assertion["verification"] = ["type": "HostedBadge"]
        }
        return .object(assertion)
    }

    // MARK: Europass

    /// The unsigned Europass `EuropeanDigitalCredential` (ELM v3, generic profile): the learner as a Person holding
    /// one LearningAchievement specified by the achievement (title, outcomes, EQF level, ECTS, workload, mode,
    /// entry requirements), awarded by the issuer as an Organisation. An email learner appears only as a salted
    /// hash in an Identifier.
    func edc(id: UUID, issuer: Issuer, achievement a: NachweisStore.Achievement, learner: Learner, issued: String,
             revocation: StatusAllocation, suspension: StatusAllocation) -> JSONValue {
        let uuid = id.lowercasedText
        func concept(_ iri: String, _ label: String, scheme: String? = nil) -> JSONValue {
            var o: JSONObject = ["id": .string(iri), "type": "Concept", "prefLabel": ["en": .string(label)]]
            if let scheme { o["inScheme"] = ["id": .string(scheme), "type": "ConceptScheme"] }
            return .object(o)
        }
        let country = Self.alpha3[issuer.country] ?? issuer.country
        let countryConcept = concept("http://publications.europa.eu/resource/authority/country/\(country)", issuer.country,
                                     scheme: "http://publications.europa.eu/resource/authority/country")
        let english = concept("http://publications.europa.eu/resource/authority/language/ENG", "English",
                              scheme: "http://publications.europa.eu/resource/authority/language")
        var organisation: JSONObject = [
            "id": .string(documents.did(issuer)), "type": "Organisation",  // the same identity as OB 3.0 and the status lists
            "legalName": ["en": .string(issuer.legalName ?? issuer.name)],
            "location": ["id": .string("urn:nachweis:location:\(issuer.slug)"), "type": "Location",
                         "address": ["id": .string("urn:nachweis:address:\(issuer.slug)"), "type": "Address", "countryCode": countryConcept]],
            "homepage": ["id": .string("urn:nachweis:homepage:\(issuer.slug)"), "type": "WebResource", "contentURL": .string(issuer.homepage)],
        ]
        if let eidas = issuer.eidasIdentifier {
            organisation["eIDASIdentifier"] = ["id": .string("urn:nachweis:eidas:\(issuer.slug)"), "type": "LegalIdentifier",
                                               "notation": .string(eidas), "spatial": countryConcept]
        }
        var specification: JSONObject = [
            "id": .string(documents.achievementURL(issuer, a.id)), "type": "LearningAchievementSpecification",
            "title": ["en": .string(a.name)], "description": ["en": .string(a.description)],
        ]
        if !a.learningOutcomes.isEmpty {
            specification["learningOutcome"] = .array(a.learningOutcomes.enumerated().map { n, text in
                ["id": .string("urn:nachweis:learning-outcome:\(a.id.lowercasedText):\(n + 1)"), "type": "LearningOutcome",
                 "title": ["en": .string(text)]]
            })
        }
        if let level = a.eqfLevel {
            specification["eqfLevel"] = concept("http://data.europa.eu/snb/eqf/\(level)", "Level \(level)", scheme: "http://data.europa.eu/snb/eqf/25831c2")
        }
        if let ects = a.ects, let number = JSONNumber(ects) {
            specification["creditPoint"] = ["id": .string("urn:nachweis:credit:\(a.id.lowercasedText)"), "type": "CreditPoint",
                                            "framework": concept("http://data.europa.eu/snb/education-credit/6fcec5c5af", "European Credit Transfer System",
                                                                 scheme: "http://data.europa.eu/snb/education-credit/25831c2"),
                                            "point": .string(number.text)]
        }
        if let hours = a.workloadHours { specification["volumeOfLearning"] = .string("PT\(hours)H") }
        if let mode = a.participation { specification["mode"] = concept("urn:nachweis:mode:\(mode.rawValue)", mode.rawValue) }
        if let prerequisites = a.prerequisites {
            specification["entryRequirement"] = ["id": .string("urn:nachweis:entry-requirement:\(a.id.lowercasedText)"), "type": "Note",
                                                 "noteLiteral": ["en": .string(prerequisites)]]
        }
        if let qa = a.qualityAssurance {
            specification["accreditation"] = ["id": .string("urn:nachweis:quality-assurance:\(a.id.lowercasedText)"), "type": "Accreditation",
                                              "title": ["en": .string(qa)], "dcType": concept("urn:nachweis:quality-assurance", qa),
                                              "organisation": ["id": .string(documents.did(issuer)), "type": "Organisation"]]
        }
        let awarding: JSONValue = ["id": .string("urn:nachweis:awarding:\(uuid)"), "type": "AwardingProcess", "awardingBody": .object(organisation),
                                   "awardingDate": .string(issued)]
        var claim: JSONObject = [
            "id": .string("urn:nachweis:achievement:\(uuid)"), "type": "LearningAchievement", "title": ["en": .string(a.name)],
            "awardedBy": awarding, "specifiedBy": .object(specification),
        ]
        if let assessment = a.assessmentType {
            claim["provenBy"] = ["id": .string("urn:nachweis:assessment:\(uuid)"), "type": "LearningAssessment", "title": ["en": .string(assessment)],
                                 "awardedBy": awarding,
                                 // ELM requires a grade on an assessment; issuing records a pass (no finer grade is stored).
                                 "grade": ["id": .string("urn:nachweis:grade:\(uuid)"), "type": "Note", "noteLiteral": ["en": "Passed"]],
                                 "specifiedBy": ["id": .string("urn:nachweis:assessment-spec:\(a.id.lowercasedText)"),
                                                 "type": "LearningAssessmentSpecification", "title": ["en": .string(assessment)],
                                                 "dcType": concept("urn:nachweis:assessment-type", assessment)]]
        }
        if let stackability = a.stackability {
            claim["additionalNote"] = [["id": .string("urn:nachweis:stackability:\(uuid)"), "type": "Note", "noteLiteral": ["en": .string(stackability)],
                                        "noteType": concept("urn:nachweis:note:stackability", "Stackability")]]
        }
        var person: JSONObject = ["id": .string(learner.did ?? "urn:nachweis:person:\(uuid)"), "type": "Person"]
        if let hash = learner.hash {
            person["identifier"] = ["id": .string("urn:nachweis:identifier:\(uuid)"), "type": "Identifier",
                                    "schemeName": "salted SHA-256 of the e-mail address (salt in schemeAgency)",
                                    "schemeAgency": ["en": .string(learner.salt ?? "")], "notation": .string(hash)]
        }
        person["hasClaim"] = .object(claim)
        return [
            "@context": ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"],
            "id": .string("urn:credential:\(uuid)"),
            "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
            "credentialProfiles": concept("http://data.europa.eu/snb/credential/e34929035b", "Generic",
                                          scheme: "http://data.europa.eu/snb/credential/25831c2"),
            "displayParameter": [
                "id": .string("urn:nachweis:display:\(uuid)"), "type": "DisplayParameter", "title": ["en": .string(a.name)],
                "language": english, "primaryLanguage": english,
                "individualDisplay": ["id": .string("urn:nachweis:individual-display:\(uuid)"), "type": "IndividualDisplay", "language": english,
                                      "displayDetail": ["id": .string("urn:nachweis:display-detail:\(uuid)"), "type": "DisplayDetail", "page": 1]],
            ],
            "credentialSchema": ["id": "http://data.europa.eu/snb/model/ap/edc-generic-full", "type": "ShaclValidator2017"],
            "issuer": .object(organisation),
            "credentialSubject": .object(person),
            "issuanceDate": .string(issued),
            "issued": .string(issued),
            "validFrom": .string(issued),
            "credentialStatus": [statusEntry(issuer, revocation, "revocation"), statusEntry(issuer, suspension, "suspension")],
        ]
    }

    /// ISO 3166-1 alpha-2 to alpha-3 for the EU, the EEA, Switzerland and the United Kingdom (the EU country
    /// authority names countries by alpha-3).
    static let alpha3: [String: String] = [
        "AT": "AUT", "BE": "BEL", "BG": "BGR", "HR": "HRV", "CY": "CYP", "CZ": "CZE", "DK": "DNK", "EE": "EST", "FI": "FIN",
        "FR": "FRA", "DE": "DEU", "GR": "GRC", "HU": "HUN", "IE": "IRL", "IT": "ITA", "LV": "LVA", "LT": "LTU", "LU": "LUX",
        "MT": "MLT", "NL": "NLD", "PL": "POL", "PT": "PRT", "RO": "ROU", "SK": "SVK", "SI": "SVN", "ES": "ESP", "SE": "SWE",
        "IS": "ISL", "LI": "LIE", "NO": "NOR", "CH": "CHE", "GB": "GBR",
    ]
}
