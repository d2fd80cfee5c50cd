import NachweisDocuments
import NachweisJSON
import NachweisTestSupport
import Testing

@Suite("EU micro-credential elements")
struct MicroCredentialTests {
    static let ecSample = "europass/elm-v3/samples/Sample-MC-Annex1-unsigned.jsonld"

    /// What the EC's own sample carries, and where (its sealed twin adds `issued`).
    static let expected: [(MicroCredentialElement, String, String)] = [
        (.learner, "/credentialSubject/fullName", "Ana Andromeda"),
        (.title, "/credentialSubject/hasClaim/title", "Digital micro-credential creation"),
        (.issuerCountry, "/issuer/location/address/countryCode", "Ireland"),
        (.awardingBody, "/credentialSubject/hasClaim/awardedBy/awardingBody/legalName", "University of Zed"),
        (.issueDate, "/validFrom", "2022-12-31T23:00:00Z"),
        (.learningOutcomes, "/credentialSubject/hasClaim/specifiedBy/learningOutcome", "Communication, collaboration and creativity"),
        (.workload, "/credentialSubject/hasClaim/specifiedBy/creditPoint", "2 European Credit Transfer System"),
        (.level, "/credentialSubject/hasClaim/specifiedBy/eqfLevel", "Level 6"),
        (.assessmentType, "/credentialSubject/hasClaim/provenBy/specifiedBy/dcType", "artefact assessment"),
        (.participationForm, "/credentialSubject/hasClaim/specifiedBy/mode", "Blended"),
        (.prerequisites, "/credentialSubject/hasClaim/specifiedBy/entryRequirement", "The learner needs"),
        (.supervision, "/credentialSubject/hasClaim/provenBy/idVerification", "Unsupervised without ID Verification"),
        (.grade, "/credentialSubject/hasClaim/provenBy/grade", "Pass"),
        (.stackability, "/credentialSubject/hasClaim/specifiedBy/isPartialQualification", "false"),
    ]

    @Test("the EC sample (Sample-MC-Annex1) reports every element it carries, with its pointer and value")
    func ecSample() throws {
        let report = MicroCredentialMapping.report(for: try Docs.referenceJSON(Self.ecSample))
        for (element, pointer, value) in Self.expected {
            let found = report.found(element)
            #expect(found?.pointer.description == pointer, "\(element)")
            #expect(found?.value.hasPrefix(value) ?? false, "\(element): \(found?.value ?? "missing")")
        }
        // It has no quality-assurance (accreditation) element and no further information.
        #expect(report.missing == [.qualityAssurance, .furtherInformation])
        #expect(report.missingMandatory == [.qualityAssurance])
    }

    /// The EC sample with an accreditation (quality assurance) and a homepage added: complete.
    static func completeEDC() throws -> JSONValue {
        var value = try Docs.referenceJSON(Self.ecSample)
        value.set(JSONPointer("/credentialSubject/hasClaim/specifiedBy/accreditation"), to: [
            "id": "urn:epass:accreditation:1", "type": "Accreditation", "title": ["en": "Institutional Quality Assurance"],
            "dcType": ["id": "http://data.europa.eu/snb/accreditation/bb4618238e", "type": "Concept"],
        ])
        value.set(JSONPointer("/credentialSubject/hasClaim/additionalNote"), to: ["id": "urn:epass:note:9", "type": "Note", "noteLiteral": ["en": "See the course page."]])
        return value
    }

    /// An OB 3.0 micro-credential carrying every element the way docs/micro-credentials.md says.
    static func completeOB3() throws -> JSONValue {
        try Docs.json(#"""
        {"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
         "id":"urn:uuid:1","type":["VerifiableCredential","OpenBadgeCredential"],"name":"Data Literacy",
         "issuer":{"id":"https://uni.example/issuer","type":["Profile"],"name":"Example University",
                   "address":{"type":["Address"],"addressCountryCode":"DE"}},
         "validFrom":"2026-01-10T10:00:00Z",
         "credentialSubject":{"id":"did:example:learner","type":["AchievementSubject"],
           "result":[{"type":["Result"],"value":"1.3"}],
           "achievement":{"id":"https://uni.example/a/1","type":["Achievement"],"name":"Data Literacy","description":"d",
             "criteria":{"id":"https://uni.example/a/1/criteria","narrative":"n"},"achievementType":"MicroCredential",
             "creditsAvailable":5,
             "related":[{"id":"https://uni.example/programmes/msc","type":["Related"]}],
             "alignment":[
               {"type":["Alignment"],"targetName":"analyse data","targetUrl":"http://data.europa.eu/esco/skill/81a2db2c-7e55-44d0-9cd9-74c25147d7cd"},
               {"type":["Alignment"],"targetName":"EQF level 6","targetUrl":"http://data.europa.eu/snb/eqf/6"},
               {"type":["Alignment"],"targetName":"written examination","targetUrl":"http://data.europa.eu/snb/assessment/6e6cb2cc78"},
               {"type":["Alignment"],"targetName":"Online","targetUrl":"http://data.europa.eu/snb/learning-assessment/920fbb3cbe"},
               {"type":["Alignment"],"targetName":"Program Quality Assurance","targetUrl":"http://data.europa.eu/snb/accreditation/820101cba6"},
               {"type":["Alignment"],"targetName":"Basic statistics","targetType":"ext:Prerequisite","targetUrl":"https://uni.example/prereq"},
               {"type":["Alignment"],"targetName":"Supervised with ID verification","targetType":"ext:Supervision","targetUrl":"https://uni.example/sv"}
             ]}}}
        """#)
    }

    @Test("complete micro-credentials in both forms have every element", arguments: ["edc", "ob3"])
    func complete(form: String) throws {
        let value = form == "edc" ? try Self.completeEDC() : try Self.completeOB3()
        let report = MicroCredentialMapping.report(for: value)
        #expect(report.missing.isEmpty, "\(report.missing)")
        #expect(report.hasAllMandatoryElements)
        #expect(try ShippedSchemas.schema(ShippedSchemas.microCredential).isValid(value))
    }

    /// Removes an element until it is reported missing, removing at most the places the mapping documents.
    static func remove(_ element: MicroCredentialElement, from credential: JSONValue) -> (JSONValue, [String]) {
        var value = credential
        var removed: [String] = []
        for _ in 0..<6 {
            guard let found = MicroCredentialMapping.report(for: value).found(element) else { break }
            removed.append(found.pointer.description)
            value.set(found.pointer, to: nil)
        }
        return (value, removed)
    }

    @Test("removing one element makes exactly that element missing (EDC)", arguments: MicroCredentialElement.allCases)
    func removeEDC(element: MicroCredentialElement) throws {
        let complete = try Self.completeEDC()
        let (value, removed) = Self.remove(element, from: complete)
        #expect(!removed.isEmpty)
        let report = MicroCredentialMapping.report(for: value)
        #expect(report.missing == [element], "removed \(removed)")
        // The JSON Schema profile agrees: invalid exactly when a mandatory element is gone.
        #expect(try ShippedSchemas.schema(ShippedSchemas.microCredential).isValid(value) == !element.isMandatory, "removed \(removed)")
    }

    @Test("removing one element makes exactly that element missing (OB 3.0)", arguments: MicroCredentialElement.allCases)
    func removeOB3(element: MicroCredentialElement) throws {
        let complete = try Self.completeOB3()
        let (value, removed) = Self.remove(element, from: complete)
        #expect(!removed.isEmpty)
        let report = MicroCredentialMapping.report(for: value)
        #expect(report.missing == [element], "removed \(removed)")
        #expect(try ShippedSchemas.schema(ShippedSchemas.microCredential).isValid(value) == !element.isMandatory, "removed \(removed)")
    }

    @Test("an OB 2.0 assertion or a plain badge is not reported as a micro-credential")
    func plainBadge() throws {
        let report = MicroCredentialMapping.report(for: try Docs.referenceJSON("openbadges/ob3/validator-samples/simple.json"))
        #expect(!report.hasAllMandatoryElements)
        #expect(report.missingMandatory.contains(.level))
    }
}
