import Foundation
import NachweisDocuments
import NachweisJSON
import NachweisTestSupport
import Testing

/// Our Schemas/ against the official 1EdTech OB 3.0 JSON Schemas (2024 build): the same verdict on every
/// OB 3.0 sample and on mutated copies, except where that build rejects what the specification allows
/// (docs/schemas.md lists each difference with its clause). python-jsonschema checks our validator on both.
@Suite("OB 3.0 schemas: ours against 1EdTech's")
struct OfficialSchemaCrossCheckTests {
    static let officialAchievement = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json"
    static let officialEndorsement = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential-jsonschema1.json"

    /// Why our verdict may differ from the 2024 build; `nil` means it must not.
    enum Difference: String, Sendable {
        case vc11 = "VC 1.1 form"
        case singleValue = "single value for a multi-valued property"
    }

    struct Mutation: Sendable, CustomTestStringConvertible {
        let name: String
        let base: String
        let edits: [(JSONPointer, JSONValue?)]
        let difference: Difference?
        var testDescription: String { name }
    }

    static let s = "simple.json", c = "complete.json", e = "endorsement-valid.json"
    static func m(_ name: String, _ base: String, _ pointer: String, _ value: JSONValue?, _ difference: Difference? = nil) -> Mutation {
        Mutation(name: name, base: base, edits: [(JSONPointer(pointer), value)], difference: difference)
    }

    static let mutations: [Mutation] = [
        // Missing required members.
        m("no id", s, "/id", nil), m("no type", s, "/type", nil), m("no issuer", s, "/issuer", nil),
        m("no credentialSubject", s, "/credentialSubject", nil), m("no validFrom", s, "/validFrom", nil), m("no @context", s, "/@context", nil),
        m("no achievement", s, "/credentialSubject/achievement", nil), m("no achievement name", s, "/credentialSubject/achievement/name", nil),
        m("no achievement description", s, "/credentialSubject/achievement/description", nil),
        m("no achievement criteria", s, "/credentialSubject/achievement/criteria", nil),
        m("no achievement id", s, "/credentialSubject/achievement/id", nil), m("no achievement type", s, "/credentialSubject/achievement/type", nil),
        m("no subject type", s, "/credentialSubject/type", nil), m("no issuer id", s, "/issuer/id", nil), m("no issuer type", s, "/issuer/type", nil),
        m("endorsement without name", e, "/name", nil),
        // Wrong values.
        m("name is a number", s, "/name", 5), m("issuer name is a number", s, "/issuer/name", 5),
        m("validFrom not a date", s, "/validFrom", "yesterday"), m("validFrom month 13", s, "/validFrom", "2010-13-01T00:00:00Z"),
        m("validUntil valid", s, "/validUntil", "2030-01-01T00:00:00Z"),
        m("unknown achievementType", s, "/credentialSubject/achievement/achievementType", "Unknown"),
        m("extension achievementType", s, "/credentialSubject/achievement/achievementType", "ext:Apprenticeship"),
        m("MicroCredential achievementType", s, "/credentialSubject/achievement/achievementType", "MicroCredential"),
        m("image with extra member", s, "/image", ["id": "https://example.com/i.png", "type": "Image", "extra": 1]),
        m("image as object", s, "/image", ["id": "https://example.com/i.png", "type": "Image"]),
        m("image as string", s, "/image", "https://example.com/i.png"),
        m("foreign second context", s, "/@context/1", "https://example.com/context.json"),
        m("only the VC context", s, "/@context", ["https://www.w3.org/ns/credentials/v2"]),
        m("credential type lacks OpenBadgeCredential", s, "/type", ["VerifiableCredential"]),
        m("credential types reordered", s, "/type", ["OpenBadgeCredential", "VerifiableCredential"]),
        m("AchievementCredential type", s, "/type", ["VerifiableCredential", "AchievementCredential"]),
        m("subject of another type", s, "/credentialSubject/type", ["Other"]),
        m("identity object without hash", s, "/credentialSubject/identifier", [["type": "IdentityObject", "hashed": true, "identityType": "emailAddress"]]),
        m("identity object valid", s, "/credentialSubject/identifier",
          [["type": "IdentityObject", "hashed": true, "identityType": "emailAddress", "identityHash": "sha256$abc", "salt": "s"]]),
        m("result with unknown status", s, "/credentialSubject/result", [["type": ["Result"], "status": "Done"]]),
        m("result valid", s, "/credentialSubject/result", [["type": ["Result"], "status": "Completed", "value": "A"]]),
        m("language tag wrong", s, "/credentialSubject/achievement/inLanguage", "EN"),
        m("language tag valid", s, "/credentialSubject/achievement/inLanguage", "en-US"),
        m("alignment valid", s, "/credentialSubject/achievement/alignment",
          [["type": ["Alignment"], "targetName": "EQF 6", "targetUrl": "http://data.europa.eu/snb/eqf/6"]]),
        m("alignment without targetUrl", s, "/credentialSubject/achievement/alignment", [["type": ["Alignment"], "targetName": "x"]]),
        m("creditsAvailable as text", s, "/credentialSubject/achievement/creditsAvailable", "5"),
        m("creditsAvailable number", s, "/credentialSubject/achievement/creditsAvailable", .number(JSONNumber(5))),
        m("proof without type", s, "/proof/0/type", nil),
        m("endorsementJwt malformed", s, "/endorsementJwt", ["not.a"]),
        m("evidence valid", s, "/evidence", [["type": ["Evidence"], "name": "work"]]),
        m("evidence of another type", s, "/evidence", [["type": ["Other"]]]),
        m("unknown member", s, "/foo", ["bar": 1]),
        m("credentialStatus without type", s, "/credentialStatus", ["id": "https://example.com/status/1"]),
        m("issuer as IRI", s, "/issuer", "https://example.com/issuers/876543"),
        m("complete: no issuer name", c, "/issuer/name", nil),
        m("complete: creator of another type", c, "/credentialSubject/achievement/creator/type", ["Other"]),
        m("endorsement subject of another type", e, "/credentialSubject/type", ["Other"]),
        // Where the 2024 build is stricter than the specification.
        m("issuer type as a single string", s, "/issuer/type", "Profile", .singleValue),
        m("achievement type as a single string", s, "/credentialSubject/achievement/type", "Achievement", .singleValue),
        m("subject type as a single string", s, "/credentialSubject/type", "AchievementSubject", .singleValue),
        Mutation(name: "proof as a single object", base: s, edits: [], difference: .singleValue),
        m("alignment as a single object", s, "/credentialSubject/achievement/alignment",
          ["type": ["Alignment"], "targetName": "EQF 6", "targetUrl": "http://data.europa.eu/snb/eqf/6"], .singleValue),
        Mutation(name: "VC 1.1 form", base: s, edits: [
            (JSONPointer("/@context/0"), "https://www.w3.org/2018/credentials/v1"), (JSONPointer("/validFrom"), nil),
            (JSONPointer("/issuanceDate"), "2010-01-01T00:00:00Z"),
        ], difference: .vc11),
    ]

    static func registries() throws -> (official: SchemaRegistry, ours: SchemaRegistry) {
        let official = SchemaRegistry()
        try official.registerDirectory(try TestEnvironment.reference("openbadges/ob3/schema"))
        let ours = SchemaRegistry()
        try ours.registerDirectory(ShippedSchemas.directory)
        return (official, ours)
    }

    static func apply(_ mutation: Mutation) throws -> JSONValue {
        var value = try Docs.referenceJSON("openbadges/ob3/validator-samples/" + mutation.base)
        if mutation.name == "proof as a single object" { value.set(JSONPointer("/proof"), to: value["proof"]!.arrayValue![0]) }
        for (pointer, newValue) in mutation.edits { _ = value.set(pointer, to: newValue) }
        return value
    }

    static func isEndorsement(_ value: JSONValue) -> Bool { FormatDetector.types(value).contains("EndorsementCredential") }

    /// All instances to compare: every OB 3.0 JSON sample, then every mutation.
    static func instances() throws -> [(name: String, value: JSONValue, difference: Difference?)] {
        var out: [(String, JSONValue, Difference?)] = []
        let dir = try TestEnvironment.reference("openbadges/ob3/validator-samples")
        for name in try FileManager.default.subpathsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".json") {
            let value = try JSONParser().parse(Array(try Data(contentsOf: dir.appendingPathComponent(name))))
            guard FormatDetector.isOB3(FormatDetector.types(value)) else { continue }
            out.append((name, value, Self.sampleDifference(name)))
        }
        for mutation in mutations { out.append((mutation.name, try apply(mutation), mutation.difference)) }
        return out
    }

    /// Samples the 2024 build refuses only for a documented reason (see docs/schemas.md).
    static func sampleDifference(_ name: String) -> Difference? {
        switch name {
        case "simple_v1.json", "simple-eddsa-2022.json", "credential-status-revoked.json", "endorsement-err-schema-status-refresh.json":
            .vc11
        case "simple-did-web-method.json", "simple-err-proof-method.json", "bit-string-list/credential-status-revoked.json",
             "bit-string-list/credential-status-revoked-blank-nodes.json":
            .singleValue
        default: nil
        }
    }

    @Test("at least 40 mutations, of both verdicts")
    func enoughMutations() throws {
        #expect(Self.mutations.count >= 40)
        let (official, _) = try Self.registries()
        let schema = try official.schema(Self.officialAchievement)
        let verdicts = try Self.mutations.filter { $0.base != Self.e }.map { schema.isValid(try Self.apply($0)) }
        #expect(verdicts.contains(true) && verdicts.contains(false))
    }

    @Test("same verdict as the official schemas on every sample and mutation, except the documented differences")
    func sameVerdicts() throws {
        let (official, ours) = try Self.registries()
        let officialAchievement = try official.schema(Self.officialAchievement), officialEndorsement = try official.schema(Self.officialEndorsement)
        let ourAchievement = try ours.schema(ShippedSchemas.ob3AchievementCredential), ourEndorsement = try ours.schema(ShippedSchemas.ob3EndorsementCredential)
        var differences = 0
        for (name, value, difference) in try Self.instances() {
            let endorsement = Self.isEndorsement(value)
            let theirs = (endorsement ? officialEndorsement : officialAchievement).validate(value)
            let mine = (endorsement ? ourEndorsement : ourAchievement).validate(value)
            if let difference {
                differences += 1
                #expect(mine.isEmpty, "\(name): we should accept it (\(difference.rawValue)) but say \(mine)")
                #expect(!theirs.isEmpty, "\(name): listed as a difference (\(difference.rawValue)) but the official schema accepts it")
            } else {
                #expect(mine.isEmpty == theirs.isEmpty, "\(name): ours \(mine.isEmpty ? "valid" : "invalid \(mine)"), official \(theirs.isEmpty ? "valid" : "invalid \(theirs)")")
            }
        }
        #expect(differences > 0)
    }

    @Test("python-jsonschema gives the same verdicts as our validator, on the official schemas and on ours")
    func independentValidator() throws {
        let (official, ours) = try Self.registries()
        let officialFiles = try ["achievementcredential.json", "endorsementcredential.json", "profile.json"].map {
            try TestEnvironment.reference("openbadges/ob3/schema/" + $0).path
        }
        var tasks: [JSONValue] = []
        var expected: [(String, Bool)] = []
        for (name, value, _) in try Self.instances() {
            let endorsement = Self.isEndorsement(value)
            for (uri, registry) in [(endorsement ? Self.officialEndorsement : Self.officialAchievement, official),
                                    (endorsement ? ShippedSchemas.ob3EndorsementCredential : ShippedSchemas.ob3AchievementCredential, ours)] {
                tasks.append(.object(["schema": .string(uri), "instance": value]))
                expected.append(("\(name) against \(uri)", try registry.schema(uri).isValid(value)))
            }
        }
        let results = try Docs.peer("schema_peer.py", .object([
            "schemas": .array((officialFiles + Docs.shippedSchemaFiles).map(JSONValue.string)), "tasks": .array(tasks),
        ]))
        try #require(results.count == expected.count)
        for (result, (label, valid)) in zip(results, expected) {
            #expect(result["valid"]?.boolValue == valid, "\(label): jsonschema says \(result)")
        }
    }
}
