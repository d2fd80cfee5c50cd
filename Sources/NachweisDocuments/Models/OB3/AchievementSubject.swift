import Foundation
import NachweisJSON

/// The recipient of an achievement and what they achieved.
public struct AchievementSubject: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    public var achievement: Achievement? { model("achievement") }
    public var identifiers: [IdentityObject] { models("identifier") }
    public var results: [AchievementResult] { models("result") }
    public var creditsEarned: Double? { number("creditsEarned") }
    public var activityStartDate: Date? { date("activityStartDate") }
    public var activityEndDate: Date? { date("activityEndDate") }
    public var narrative: String? { string("narrative") }
    public var source: Profile? { model("source") }
}

/// A hashed or plain identity of the recipient (OB 3.0 IdentityObject).
public struct IdentityObject: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }

    public var identityType: String? { string("identityType") }
    public var identityHash: String? { string("identityHash") }
    public var hashed: Bool { json["hashed"]?.boolValue ?? false }
    public var salt: String? { string("salt") }

    /// Whether a plain identity (an email address, say) is the one this object names.
    public func matches(_ identity: String) -> Bool {
        RecipientHash.matches(identity: identity, hashed: hashed, value: identityHash, salt: salt)
    }
}

/// A result the recipient obtained (a grade, a status, a level).
public struct AchievementResult: JSONModel {
    public var json: JSONObject
    public init(json: JSONObject) { self.json = json }
    public var value: String? { string("value") }
    public var status: String? { string("status") }
    public var achievedLevel: String? { string("achievedLevel") }
    public var resultDescription: String? { string("resultDescription") }
    public var alignments: [Alignment] { models("alignment") }
}
