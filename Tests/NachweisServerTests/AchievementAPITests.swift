import Foundation
import NachweisJSON
import NachweisServer
import NachweisStore
import Testing

/// The achievements staff API through a live server.
@Suite("Achievement staff API", .timeLimit(.minutes(3)))
struct AchievementAPITests {
    static let microCredential = #"""
        {"name": "Data Literacy for SMEs", "description": "Read, question and present data.", "achievementType": "MicroCredential",
         "criteriaNarrative": "Pass the final project.", "criteriaURL": "https://www.tu.berlin/mc/data-literacy",
         "learningOutcomes": ["Explain descriptive statistics", "Build a dashboard"], "eqfLevel": 6, "ects": 5, "workloadHours": 125,
         "assessmentType": "Project with oral defence", "participation": "blended", "qualityAssurance": "TU Berlin internal QA",
         "stackability": "Counts towards the MSc Data Science", "language": "en", "tags": ["data"],
         "alignments": [{"targetName": "data analytics", "targetURL": "http://data.europa.eu/esco/skill/5c6a8a46", "targetFramework": "ESCO"}]}
        """#

    static func parse(_ text: String) throws -> JSONValue { try JSONParser().parse(Array(text.utf8)) }

    @Test("create (201 + Location), read, list, change, archive — with every EU micro-credential element kept")
    func lifecycle() async throws {
        let f = try await IssuerAPITests.fixture()
        defer { f.server.stop() }
        let base = "/api/v1/issuers/tu-berlin/achievements"
        let created = try await f.server.request("POST", base, token: f.tuToken, body: Self.microCredential)
        #expect(created.status == 201, "\(created.body)")
        let achievement = try Self.parse(created.body)
        let id = try #require(achievement["id"]?.stringValue)
        #expect(created.headers["location"] == "\(base)/\(id)")
        #expect(achievement["eqfLevel"] == 6 && achievement["ects"] == 5 && achievement["participation"] == "blended")
        #expect(achievement["learningOutcomes"]?.arrayValue?.count == 2 && achievement["alignments"]?.arrayValue?.count == 1)
        let stored = try await f.server.storage.achievements.achievement(id: try #require(UUID(uuidString: id)), issuerID: f.tu.id)
        #expect(stored.workloadHours == 125 && stored.qualityAssurance == "TU Berlin internal QA")

        let read = try await f.server.request("GET", "\(base)/\(id)", token: f.tuToken)
        #expect(try Self.parse(read.body) == achievement)
        let changed = try await f.server.request("PATCH", "\(base)/\(id)", token: f.tuToken, body: #"{"ects": 7.5, "stackability": null}"#)
        #expect(changed.status == 200)
        #expect(try Self.parse(changed.body)["ects"] == .number(try #require(JSONNumber(7.5))))
        #expect(try Self.parse(changed.body)["stackability"] == nil)
        #expect(try await f.server.request("POST", "\(base)/\(id)/archive", token: f.tuToken).status == 200)
        #expect(try Self.parse(try await f.server.request("GET", base, token: f.tuToken).body).arrayValue?.isEmpty == true)
        #expect(try Self.parse(try await f.server.request("GET", "\(base)?archived=true", token: f.tuToken).body).arrayValue?.count == 1)
    }

    @Test("another issuer's achievement is 404 and unchanged; bad fields are typed 4xx and store nothing")
    func refusals() async throws {
        let f = try await IssuerAPITests.fixture()
        defer { f.server.stop() }
        let created = try Self.parse(try await f.server.request("POST", "/api/v1/issuers/tu-berlin/achievements", token: f.tuToken,
                                                                 body: Self.microCredential).body)
        let id = try #require(created["id"]?.stringValue)
        let foreign = try await f.server.request("PATCH", "/api/v1/issuers/ihk-muenchen/achievements/\(id)", token: f.ihkToken,
                                                 body: #"{"name": "Stolen"}"#)
        #expect(foreign.status == 404)
        #expect(try await f.server.request("GET", "/api/v1/issuers/tu-berlin/achievements/\(id)", token: f.ihkToken).status == 403)
        for (body, status) in [(#"{"name": "X", "description": "Y"}"#, 400),                                  // criteriaNarrative missing
                               (#"{"name": "X", "description": "Y", "criteriaNarrative": "Z", "eqfLevel": 9}"#, 422),
                               (#"{"name": "X", "description": "Y", "criteriaNarrative": "Z", "eqfLevel": "six"}"#, 400),
                               (#"{"name": "X", "description": "Y", "criteriaNarrative": "Z", "participation": "hybrid"}"#, 400),
                               (#"{"name": "X", "description": "Y", "criteriaNarrative": "Z", "ects": -3}"#, 422),
                               (#"{"name": "X", "description": "Y", "criteriaNarrative": "Z", "colour": "red"}"#, 400),
                               (#"{"name": "X", "description": "Y", "criteriaNarrative": "Z", "alignments": [{"targetName": "x"}]}"#, 400)] {
            let reply = try await f.server.request("POST", "/api/v1/issuers/tu-berlin/achievements", token: f.tuToken, body: body)
            #expect(reply.status == status && IssuerAPITests.error(reply) == "request.invalid_field", "\(body): \(reply.status) \(reply.body)")
        }
        let all = try await f.server.storage.achievements.achievements(issuerID: f.tu.id, includingArchived: true)
        #expect(all.count == 1 && all[0].name == "Data Literacy for SMEs")
        #expect(try await f.server.storage.achievements.achievements(issuerID: f.ihk.id, includingArchived: true).isEmpty)
    }
}
