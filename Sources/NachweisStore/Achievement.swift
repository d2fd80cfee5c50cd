import Foundation

/// What an issuer awards: the fields of an OB 3.0 `Achievement`, an OB 2.0 `BadgeClass` and an ELM qualification /
/// learning achievement specification, including the elements an EU micro-credential must state (Council
/// Recommendation 2022/C 243/02).
public struct Achievement: Sendable, Hashable, Codable {
    /// An alignment to an external framework (ESCO skill, EQF, a curriculum…).
    public struct Alignment: Sendable, Hashable, Codable {
        public var targetName: String
        public var targetURL: String
        public var targetFramework: String?
        public var targetCode: String?
        public var targetType: String?

        public init(targetName: String, targetURL: String, targetFramework: String? = nil, targetCode: String? = nil, targetType: String? = nil) {
            self.targetName = targetName
            self.targetURL = targetURL
            self.targetFramework = targetFramework
            self.targetCode = targetCode
            self.targetType = targetType
        }
    }

    /// How learners take part (the Recommendation's "form of participation").
    public enum Participation: String, Sendable, Hashable, Codable, CaseIterable {
        case online, onsite, blended
    }

    public var id: UUID
    public var issuerID: UUID
    public var name: String
    public var description: String
    /// OB 3.0 `achievementType` (`Certificate`, `MicroCredential`, `Badge`, … or `ext:` values).
    public var achievementType: String
    public var criteriaNarrative: String
    public var criteriaURL: String?
    public var imageURL: String?
    public var tags: [String]
    public var alignments: [Alignment]
    /// BCP 47 language of the texts.
    public var language: String?
    // EU micro-credential elements
    public var learningOutcomes: [String]
    /// European Qualifications Framework level, 1–8.
    public var eqfLevel: Int?
    public var ects: Double?
    /// Notional learning hours.
    public var workloadHours: Int?
    public var assessmentType: String?
    public var participation: Participation?
    /// Quality assurance body or process.
    public var qualityAssurance: String?
    public var prerequisites: String?
    /// How it stacks into larger qualifications (free text, or the qualification's URL).
    public var stackability: String?
    public var archived: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID = UUID(), issuerID: UUID, name: String, description: String, achievementType: String = "Achievement",
                criteriaNarrative: String, criteriaURL: String? = nil, imageURL: String? = nil, tags: [String] = [],
                alignments: [Alignment] = [], language: String? = nil, learningOutcomes: [String] = [], eqfLevel: Int? = nil,
                ects: Double? = nil, workloadHours: Int? = nil, assessmentType: String? = nil, participation: Participation? = nil,
                qualityAssurance: String? = nil, prerequisites: String? = nil, stackability: String? = nil, archived: Bool = false,
                createdAt: Date = Date(), updatedAt: Date? = nil) {
        self.id = id
        self.issuerID = issuerID
        self.name = name
        self.description = description
        self.achievementType = achievementType
        self.criteriaNarrative = criteriaNarrative
        self.criteriaURL = criteriaURL
        self.imageURL = imageURL
        self.tags = tags
        self.alignments = alignments
        self.language = language
        self.learningOutcomes = learningOutcomes
        self.eqfLevel = eqfLevel
        self.ects = ects
        self.workloadHours = workloadHours
        self.assessmentType = assessmentType
        self.participation = participation
        self.qualityAssurance = qualityAssurance
        self.prerequisites = prerequisites
        self.stackability = stackability
        self.archived = archived
        self.createdAt = createdAt.storagePrecision
        self.updatedAt = (updatedAt ?? createdAt).storagePrecision
    }
}

/// An issuer's achievements. Lookups are always scoped to the issuer: another issuer's achievement is not found.
public protocol AchievementStore: Sendable {
    /// Throws `store.constraint` when a field breaks a schema rule.
    func create(_ achievement: Achievement) async throws(StoreError)
    /// Throws `store.not_found` when the issuer has no such achievement.
    func update(_ achievement: Achievement) async throws(StoreError)
    func achievement(id: UUID, issuerID: UUID) async throws(StoreError) -> Achievement
    /// Newest first; archived ones only when asked.
    func achievements(issuerID: UUID, includingArchived: Bool) async throws(StoreError) -> [Achievement]
}
