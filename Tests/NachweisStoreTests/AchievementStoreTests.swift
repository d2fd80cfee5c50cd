import Foundation
import NachweisStore
import Testing

@Suite("Achievement storage")
struct AchievementStoreTests {
    static func microCredential(_ issuerID: UUID) -> Achievement {
        Achievement(issuerID: issuerID, name: "Data Literacy for SMEs", description: "Read, question and present data.",
                    achievementType: "MicroCredential", criteriaNarrative: "Pass the final project (70 %).",
                    criteriaURL: "https://www.tu.berlin/mc/data-literacy", tags: ["data", "sme"],
                    alignments: [.init(targetName: "data analytics", targetURL: "http://data.europa.eu/esco/skill/5c6a8a46",
                                       targetFramework: "ESCO", targetType: "ext:ESCOSkill")],
                    language: "en", learningOutcomes: ["Explain descriptive statistics", "Build a dashboard"], eqfLevel: 6,
                    ects: 5, workloadHours: 125, assessmentType: "Project with oral defence", participation: .blended,
                    qualityAssurance: "TU Berlin internal QA (system accredited)", prerequisites: "none",
                    stackability: "Counts towards the MSc Data Science (module DS-3)")
    }

    static func storage() async throws -> (SQLiteStorage, Issuer, Issuer) {
        let storage = try SQLiteStorage.inMemory()
        let tu = Issuer(slug: "tu-berlin", name: "TU Berlin", country: "DE", homepage: "https://www.tu.berlin")
        let ihk = Issuer(slug: "ihk", name: "IHK", country: "DE", homepage: "https://www.ihk.de")
        try await storage.issuers.create(tu)
        try await storage.issuers.create(ihk)
        return (storage, tu, ihk)
    }

    @Test("every field round-trips, lists newest first, archived ones only when asked")
    func roundTrip() async throws {
        let (storage, tu, _) = try await Self.storage()
        var first = Self.microCredential(tu.id)
        try await storage.achievements.create(first)
        #expect(try await storage.achievements.achievement(id: first.id, issuerID: tu.id) == first)
        let second = Achievement(issuerID: tu.id, name: "Welding I", description: "MIG basics", criteriaNarrative: "Practical test",
                                 createdAt: first.createdAt.addingTimeInterval(60))
        try await storage.achievements.create(second)
        #expect(try await storage.achievements.achievements(issuerID: tu.id, includingArchived: false).map(\.id) == [second.id, first.id])
        first.archived = true
        try await storage.achievements.update(first)
        #expect(try await storage.achievements.achievements(issuerID: tu.id, includingArchived: false).map(\.id) == [second.id])
        #expect(try await storage.achievements.achievements(issuerID: tu.id, includingArchived: true).count == 2)
    }

    @Test("another issuer's achievement is not found, cannot be updated; bad EU elements are refused")
    func scopingAndConstraints() async throws {
        let (storage, tu, ihk) = try await Self.storage()
        let achievement = Self.microCredential(tu.id)
        try await storage.achievements.create(achievement)
        do {
            _ = try await storage.achievements.achievement(id: achievement.id, issuerID: ihk.id)
            Issue.record("found across issuers")
        } catch { #expect(error.code == .notFound) }
        var stolen = achievement
        stolen.issuerID = ihk.id
        stolen.name = "Stolen"
        do { try await storage.achievements.update(stolen); Issue.record("updated across issuers") } catch { #expect(error.code == .notFound) }
        for change in [{ (a: inout Achievement) in a.eqfLevel = 9 }, { a in a.ects = -1 }, { a in a.workloadHours = -5 }, { a in a.name = " " },
                       { a in a.criteriaURL = "javascript:alert(1)" }] as [(inout Achievement) -> Void] {
            var bad = Self.microCredential(tu.id)
            change(&bad)
            do { try await storage.achievements.create(bad); Issue.record("accepted \(bad)") } catch { #expect(error.code == .constraint) }
        }
        #expect(try await storage.achievements.achievements(issuerID: tu.id, includingArchived: true) == [achievement])
    }
}
