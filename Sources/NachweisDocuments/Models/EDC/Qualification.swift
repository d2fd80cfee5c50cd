import NachweisJSON

/// A Qualification or LearningAchievementSpecification: what the claim stands for, with its level and credits.
public struct Qualification: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var title: LangString? { LangString(json["title"]) }
    public var eqfLevel: Concept? { model("eqfLevel") }
    public var nqfLevels: [Concept] { models("nqfLevel") }
    public var creditPoints: [CreditPoint] { models("creditPoint") }
    public var learningOutcomes: [LearningOutcome] { models("learningOutcome") }
    /// ISO 8601 duration, e.g. `PT60H`.
    public var volumeOfLearning: String? { string("volumeOfLearning") }
    public var modes: [Concept] { models("mode") }
    public var learningSetting: Concept? { model("learningSetting") }
    public var entryRequirement: Note? { model("entryRequirement") }
    public var isPartialQualification: Bool? { json["isPartialQualification"]?.boolValue }
    public var accreditations: [JSONValue] { json["accreditation"]?.arrayValue ?? json["accreditation"].map { [$0] } ?? [] }
    /// EQF level number (1–8) from the concept IRI `http://data.europa.eu/snb/eqf/N`.
    public var eqfLevelNumber: Int? { eqfLevel?.id.flatMap { $0.split(separator: "/").last.flatMap { Int($0) } } }
    /// ECTS credits, when a credit point uses the ECTS framework.
    public var ectsCredits: Double? {
        creditPoints.first { $0.isECTS }?.points
    }
}

/// A learning outcome.
public struct LearningOutcome: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var title: LangString? { LangString(json["title"]) }
    public var relatedESCOSkills: [Concept] { models("relatedESCOSkill") }
}

/// Credits in a framework (ECTS, ECVET).
public struct CreditPoint: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var framework: Concept? { model("framework") }
    public var points: Double? { json["point"]?.stringValue.flatMap(Double.init) ?? json["point"]?.numberValue?.doubleValue }
    /// Whether the framework is ECTS (the EU education-credit concept, or a label naming it).
    public var isECTS: Bool {
        framework?.id == "http://data.europa.eu/snb/education-credit/6fcec5c5af"
            || (framework?.prefLabel?.text().localizedCaseInsensitiveContains("European Credit Transfer") ?? false)
    }
}

/// An assessment of the learner, with its grade.
public struct LearningAssessment: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var title: LangString? { LangString(json["title"]) }
    public var grade: Note? { model("grade") }
    public var idVerification: Concept? { model("idVerification") }
    public var specifiedBy: [JSONValue] { json["specifiedBy"]?.arrayValue ?? json["specifiedBy"].map { [$0] } ?? [] }
}

/// A learning activity the learner took part in.
public struct LearningActivity: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var title: LangString? { LangString(json["title"]) }
}

/// A concept of a controlled vocabulary (EQF level, country, mode, …).
public struct Concept: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var prefLabel: LangString? { LangString(json["prefLabel"]) }
    public var notation: String? { string("notation") }
    public var inScheme: String? { json["inScheme"]?["id"]?.stringValue }
}

/// A free-text note (`noteLiteral` language map).
public struct Note: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var text: LangString? { LangString(json["noteLiteral"]) }
}

/// How the credential is to be displayed.
public struct DisplayParameter: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var title: LangString? { LangString(json["title"]) }
    public var description: LangString? { LangString(json["description"]) }
    public var primaryLanguage: Concept? { model("primaryLanguage") }
}
