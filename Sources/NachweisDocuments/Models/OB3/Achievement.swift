import NachweisJSON

/// What was achieved: the OB 3.0 Achievement.
public struct Achievement: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    public var name: String? { get { string("name") } set { setString("name", newValue) } }
    public var description: String? { get { string("description") } set { setString("description", newValue) } }
    public var achievementType: String? { get { string("achievementType") } set { setString("achievementType", newValue) } }
    public var criteria: Criteria? { model("criteria") }
    public var alignments: [Alignment] { models("alignment") }
    public var resultDescriptions: [ResultDescription] { models("resultDescription") }
    public var creditsAvailable: Double? { number("creditsAvailable") }
    public var creator: Profile? { model("creator") }
    public var image: OB3Image? { model("image") }
    public var tags: [String] { strings("tag") }
    public var fieldOfStudy: String? { string("fieldOfStudy") }
    public var humanCode: String? { string("humanCode") }
    public var inLanguage: String? { string("inLanguage") }
    public var otherIdentifiers: [IdentifierEntry] { models("otherIdentifier") }
    public var related: [Related] { models("related") }
    public var endorsements: [EndorsementCredential] { models("endorsement") }
}

/// How the achievement is earned.
public struct Criteria: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var narrative: String? { string("narrative") }
}

/// An alignment to a framework, competency or EU vocabulary concept.
public struct Alignment: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var targetName: String? { string("targetName") }
    public var targetUrl: String? { string("targetUrl") }
    public var targetType: String? { string("targetType") }
    public var targetFramework: String? { string("targetFramework") }
    public var targetCode: String? { string("targetCode") }
    public var targetDescription: String? { string("targetDescription") }
}

/// How results of an achievement are described (a grading scale, a rubric).
public struct ResultDescription: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var name: String? { string("name") }
    public var resultType: String? { string("resultType") }
    public var allowedValues: [String] { strings("allowedValue") }
    public var rubricCriterionLevels: [RubricCriterionLevel] { models("rubricCriterionLevel") }
}

/// One level of a rubric.
public struct RubricCriterionLevel: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var name: String? { string("name") }
    public var level: String? { string("level") }
    public var points: String? { string("points") }
}

/// Another version or language of an achievement.
public struct Related: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var version: String? { string("version") }
    public var inLanguage: String? { string("inLanguage") }
}
