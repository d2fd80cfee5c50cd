import Foundation
import Hummingbird
import NachweisJSON
import NachweisStore

/// Staff API for an issuer's achievements, under `/api/v1/issuers/{slug}/achievements`: create, list, read, change
/// (PATCH), archive. Authorization as ``IssuerAPI``; another issuer's achievement is 404.
struct AchievementAPI {
    let storage: any Storage
    let auth: IssuerAPI

    func register(on router: Router<BasicRequestContext>) {
        let group = router.group("api/v1/issuers/:slug/achievements")
        group.post { request, context in try await create(request, context) }
        group.get { request, context in try await list(request, context) }
        group.get(":id") { request, context in try await read(request, context) }
        group.patch(":id") { request, context in try await update(request, context) }
        group.post(":id/archive") { request, context in try await archive(request, context) }
    }

    func create(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let issuer = try await auth.authorize(request, context)
        let body = try await IssuerAPI.jsonBody(request, context)
        for required in ["name", "description", "criteriaNarrative"] where body[required] == nil {
            throw APIError(.badRequest, .invalidField, "\(required) is required")
        }
        var achievement = Achievement(issuerID: issuer.id, name: "", description: "", criteriaNarrative: "")
        try Self.apply(body, to: &achievement)
        do { try await storage.achievements.create(achievement) } catch { throw IssuerAPI.refused(error) }
        var response = IssuerAPI.json(.created, Self.representation(achievement))
        response.headers[.location] = "/api/v1/issuers/\(issuer.slug)/achievements/\(achievement.id.lowercasedText)"
        return response
    }

    func list(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let issuer = try await auth.authorize(request, context)
        let archived = request.uri.queryParameters.get("archived") == "true"
        let achievements: [Achievement]
        do { achievements = try await storage.achievements.achievements(issuerID: issuer.id, includingArchived: archived) } catch {
            throw IssuerAPI.refused(error)
        }
        return IssuerAPI.json(.ok, .array(achievements.map(Self.representation)))
    }

    func read(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        IssuerAPI.json(.ok, Self.representation(try await find(request, context)))
    }

    func update(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var achievement = try await find(request, context)
        try Self.apply(try await IssuerAPI.jsonBody(request, context), to: &achievement)
        achievement.updatedAt = Date().storagePrecision
        do { try await storage.achievements.update(achievement) } catch { throw IssuerAPI.refused(error) }
        return IssuerAPI.json(.ok, Self.representation(achievement))
    }

    func archive(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var achievement = try await find(request, context)
        achievement.archived = true
        achievement.updatedAt = Date().storagePrecision
        do { try await storage.achievements.update(achievement) } catch { throw IssuerAPI.refused(error) }
        return IssuerAPI.json(.ok, Self.representation(achievement))
    }

    func find(_ request: Request, _ context: BasicRequestContext) async throws -> Achievement {
        let issuer = try await auth.authorize(request, context)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw APIError(.notFound, .notFound, "no such achievement")
        }
        do { return try await storage.achievements.achievement(id: id, issuerID: issuer.id) } catch { throw IssuerAPI.refused(error) }
    }

    // MARK: Fields

    /// Applies the members of a request body; each must be known and of its type (`null` clears optional ones).
    static func apply(_ body: JSONObject, to a: inout Achievement) throws(APIError) {
        for member in body {
            let key = member.key, value = member.value, field = BodyField(member)
            switch key {
            case "name": a.name = try field.text()
            case "description": a.description = try field.text()
            case "achievementType": a.achievementType = try field.text()
            case "criteriaNarrative": a.criteriaNarrative = try field.text()
            case "criteriaURL": a.criteriaURL = try field.optionalText()
            case "image": a.imageURL = try field.optionalText()
            case "tags": a.tags = try field.texts()
            case "language": a.language = try field.optionalText()
            case "learningOutcomes": a.learningOutcomes = try field.texts()
            case "eqfLevel": a.eqfLevel = try field.optionalInteger()
            case "workloadHours": a.workloadHours = try field.optionalInteger()
            case "ects": a.ects = try field.optionalNumber()
            case "assessmentType": a.assessmentType = try field.optionalText()
            case "participation":
                if value == .null { a.participation = nil } else {
                    guard let p = Achievement.Participation(rawValue: try field.text()) else { throw field.invalid("online, onsite or blended") }
                    a.participation = p
                }
            case "qualityAssurance": a.qualityAssurance = try field.optionalText()
            case "prerequisites": a.prerequisites = try field.optionalText()
            case "stackability": a.stackability = try field.optionalText()
            case "alignments":
                guard let items = value.arrayValue else { throw field.invalid("an array of alignments") }
                var alignments: [Achievement.Alignment] = []
                for item in items {
                    guard let o = item.objectValue, let name = o["targetName"]?.stringValue, let url = o["targetURL"]?.stringValue,
                          o.keys.allSatisfy(["targetName", "targetURL", "targetFramework", "targetCode", "targetType"].contains) else {
                        throw field.invalid("an array of {targetName, targetURL, targetFramework?, targetCode?, targetType?}")
                    }
                    alignments.append(.init(targetName: name, targetURL: url, targetFramework: o["targetFramework"]?.stringValue,
                                            targetCode: o["targetCode"]?.stringValue, targetType: o["targetType"]?.stringValue))
                }
                a.alignments = alignments
            default:
                throw APIError(.badRequest, .invalidField, "\(key) is not an achievement field")
            }
        }
    }

    static func representation(_ a: Achievement) -> JSONValue {
        var o: JSONObject = [
            "id": .string(a.id.lowercasedText), "name": .string(a.name), "description": .string(a.description),
            "achievementType": .string(a.achievementType), "criteriaNarrative": .string(a.criteriaNarrative),
            "tags": .array(a.tags.map(JSONValue.string)), "learningOutcomes": .array(a.learningOutcomes.map(JSONValue.string)),
            "alignments": .array(a.alignments.map { al in
                var x: JSONObject = ["targetName": .string(al.targetName), "targetURL": .string(al.targetURL)]
                if let v = al.targetFramework { x["targetFramework"] = .string(v) }
                if let v = al.targetCode { x["targetCode"] = .string(v) }
                if let v = al.targetType { x["targetType"] = .string(v) }
                return .object(x)
            }),
            "archived": .bool(a.archived), "created": .string(RFC3339.format(a.createdAt)),
            "updated": .string(RFC3339.format(a.updatedAt)),
        ]
        let optionals: [(String, String?)] = [("criteriaURL", a.criteriaURL), ("image", a.imageURL), ("language", a.language),
                                              ("assessmentType", a.assessmentType), ("participation", a.participation?.rawValue),
                                              ("qualityAssurance", a.qualityAssurance), ("prerequisites", a.prerequisites),
                                              ("stackability", a.stackability)]
        for (key, value) in optionals { if let value { o[key] = .string(value) } }
        if let v = a.eqfLevel { o["eqfLevel"] = .number(JSONNumber(v)) }
        if let v = a.workloadHours { o["workloadHours"] = .number(JSONNumber(v)) }
        if let v = a.ects, let number = JSONNumber(v) { o["ects"] = .number(number) }
        return .object(o)
    }
}
