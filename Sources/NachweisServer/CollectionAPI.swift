import Foundation
import Hummingbird
import NachweisJSON
import NachweisStore

/// A learner's collections under `/api/v1/wallet/collections`, and stackability: given a target qualification's
/// requirements, which of the learner's credentials count toward it and what is missing
/// (`POST /api/v1/wallet/stackability`).
struct CollectionAPI {
    let storage: any Storage
    let wallet: WalletAPI

    func register(on router: Router<BasicRequestContext>) {
        let collections = router.group("api/v1/wallet/collections")
        collections.post { request, context in try await create(request, context) }
        collections.get { request, context in try await list(request, context) }
        collections.get(":id") { request, context in try await detail(request, context) }
        collections.put(":id/credentials") { request, context in try await setCredentials(request, context) }
        collections.delete(":id") { request, context in try await remove(request, context) }
        router.post("api/v1/wallet/stackability") { request, context in try await stackability(request, context) }
    }

    static func representation(_ collection: WalletCollection, _ ids: [UUID]) -> JSONObject {
        var o: JSONObject = ["id": .string(collection.id.lowercasedText), "name": .string(collection.name),
                             "created": .string(RFC3339.format(collection.createdAt)), "credentials": .array(ids.map { .string($0.lowercasedText) })]
        if let v = collection.description { o["description"] = .string(v) }
        return o
    }

    /// `{"name", "description", "credentials": [id, …]}` → 201.
    func create(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, _) = try await wallet.authorize(request)
        let body = try await IssuerAPI.jsonBody(request, context)
        try WalletAPI.onlyMembers(body, ["name", "description", "credentials"])
        let name = try BodyField(body, "name").text()
        guard (1...200).contains(name.count) else { throw APIError(.badRequest, .invalidField, "name must be 1–200 characters") }
        let description = try BodyField(body, optional: "description").optionalText()
        if let description, description.count > 2000 { throw APIError(.badRequest, .invalidField, "description is longer than 2 000 characters") }
        let ids = body["credentials"] == nil ? [] : try BodyField(body, "credentials").credentialIDs(0...500)
        let collection = WalletCollection(learnerID: learner.id, name: name, description: description)
        do { try await storage.collections.create(collection, credentialIDs: ids) } catch { throw IssuerAPI.refused(error) }
        return IssuerAPI.json(.created, .object(Self.representation(collection, ids)))
    }

    func list(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, _) = try await wallet.authorize(request)
        let found: [(collection: WalletCollection, credentialIDs: [UUID])]
        do { found = try await storage.collections.collections(learnerID: learner.id) } catch { throw IssuerAPI.unavailable(error) }
        return IssuerAPI.json(.ok, .array(found.map { .object(Self.representation($0.collection, $0.credentialIDs)) }))
    }

    func owned(_ request: Request, _ context: BasicRequestContext) async throws -> (Learner, WalletCollection, [UUID]) {
        let (learner, _) = try await wallet.authorize(request)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError(.notFound, .notFound, "no such collection") }
        do {
            let found = try await storage.collections.collection(id: id, learnerID: learner.id)
            return (learner, found.collection, found.credentialIDs)
        } catch { throw IssuerAPI.refused(error) }
    }

    /// The collection with its credentials' summaries.
    func detail(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, collection, ids) = try await owned(request, context)
        var answer = Self.representation(collection, ids)
        var items: [JSONValue] = []
        do {
            for id in ids { items.append(.object(WalletAPI.summary(try await storage.wallet.credential(id: id, learnerID: learner.id)))) }
        } catch { throw IssuerAPI.refused(error) }
        answer["items"] = .array(items)
        return IssuerAPI.json(.ok, .object(answer))
    }

    /// `{"credentials": [id, …]}`: the collection's credentials from now on.
    func setCredentials(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, collection, _) = try await owned(request, context)
        let body = try await IssuerAPI.jsonBody(request, context)
        try WalletAPI.onlyMembers(body, ["credentials"])
        let ids = try BodyField(body, "credentials").credentialIDs(0...500)
        do { try await storage.collections.setCredentials(collectionID: collection.id, learnerID: learner.id, credentialIDs: ids) } catch {
            throw IssuerAPI.refused(error)
        }
        return IssuerAPI.json(.ok, .object(Self.representation(collection, ids)))
    }

    func remove(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, collection, _) = try await owned(request, context)
        do { try await storage.collections.delete(id: collection.id, learnerID: learner.id) } catch { throw IssuerAPI.refused(error) }
        return Response(status: .noContent)
    }

    // MARK: Stackability

    /// `{"requiredAchievements": [achievement id or exact title, …], "minimumECTS": n, "eqfLevel": {"min": a, "max": b},
    /// "collection": id}` → which credentials count (all the wallet's, or the collection's), toward what, and what is
    /// missing. Only credentials whose latest verification is valid and that are neither revoked nor suspended count;
    /// the others are listed with the reason. ECTS count from credentials whose EQF level is within the bounds (when
    /// bounds are given, a credential without a level does not count toward them).
    func stackability(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, _) = try await wallet.authorize(request)
        let body = try await IssuerAPI.jsonBody(request, context)
        try WalletAPI.onlyMembers(body, ["requiredAchievements", "minimumECTS", "eqfLevel", "collection"])
        let required = body["requiredAchievements"] == nil ? [] : try BodyField(body, "requiredAchievements").texts()
        guard required.count <= 200 else { throw APIError(.badRequest, .invalidField, "requiredAchievements names at most 200 achievements") }
        let minimum = try BodyField(body, optional: "minimumECTS").optionalNumber()
        if let minimum, minimum < 0 { throw APIError(.badRequest, .invalidField, "minimumECTS must not be negative") }
        var levels = 1...8
        if let bounds = body["eqfLevel"] {
            guard let object = bounds.objectValue, object.keys.allSatisfy({ $0 == "min" || $0 == "max" }) else {
                throw APIError(.badRequest, .invalidField, #"eqfLevel must be {"min": level, "max": level}"#)
            }
            let low = try BodyField(object, optional: "min", name: "eqfLevel.min").optionalInteger()
            let high = try BodyField(object, optional: "max", name: "eqfLevel.max").optionalInteger()
            guard (low ?? 1) >= 1, (high ?? 8) <= 8, (low ?? 1) <= (high ?? 8) else { throw APIError(.badRequest, .invalidField, "eqfLevel bounds must be 1–8, min ≤ max") }
            levels = (low ?? 1)...(high ?? 8)
        }
        let bounded = body["eqfLevel"] != nil
        guard !required.isEmpty || minimum != nil else {
            throw APIError(.badRequest, .invalidField, "name requiredAchievements, a minimumECTS, or both")
        }
        var credentials: [WalletCredential]
        do {
            if let text = body["collection"]?.stringValue {
                guard let id = UUID(uuidString: text) else { throw APIError(.notFound, .notFound, "no collection \(text) of this learner") }
                let ids = try await storage.collections.collection(id: id, learnerID: learner.id).credentialIDs
                credentials = []
                for id in ids { credentials.append(try await storage.wallet.credential(id: id, learnerID: learner.id)) }
            } else {
                // The whole wallet, a thousand at a time.
                credentials = []
                while true {
                    let page = try await storage.wallet.credentials(learnerID: learner.id, WalletQuery(limit: 1_000, offset: credentials.count)).page
                    credentials += page
                    if page.count < 1_000 { break }
                }
            }
        } catch let error as APIError { throw error } catch { throw IssuerAPI.refused(error) }
        let result = Stackability(required: required, minimumECTS: minimum, levels: levels, bounded: bounded).evaluate(credentials)
        return IssuerAPI.json(.ok, result)
    }
}

/// The stackability rule: required achievements (each met by a credential of that achievement id or exact title)
/// and a minimum of ECTS credits within EQF level bounds.
struct Stackability {
    let required: [String]
    let minimumECTS: Double?
    let levels: ClosedRange<Int>
    let bounded: Bool

    func evaluate(_ credentials: [WalletCredential]) -> JSONValue {
        var counting: [JSONValue] = [], notCounted: [JSONValue] = []
        var met = Set<String>(), ects = 0.0
        for credential in credentials {
            var base: JSONObject = ["id": .string(credential.id.lowercasedText)]
            if let v = credential.title { base["title"] = .string(v) }
            guard credential.verdict == "valid", credential.status == WalletCredential.Status.active.rawValue else {
                let revokedOrSuspended = credential.status == WalletCredential.Status.revoked.rawValue || credential.status == WalletCredential.Status.suspended.rawValue
                base["reason"] = .string(revokedOrSuspended || credential.verdict == "valid" ? "it is \(credential.status)" : "its verification is \(credential.verdict)")
                notCounted.append(.object(base))
                continue
            }
            var toward: [JSONValue] = []
            for requirement in required where !met.contains(requirement) {
                if requirement == credential.achievementID || requirement.lowercased() == credential.title?.lowercased() {
                    met.insert(requirement)
                    toward.append(.string("required: \(requirement)"))
                }
            }
            if minimumECTS != nil, let value = credential.ects, value > 0, !bounded || credential.eqfLevel.map(levels.contains) == true {
                ects += value
                toward.append(.string("ECTS"))
            }
            if toward.isEmpty {
                base["reason"] = "it matches no requirement"
                notCounted.append(.object(base))
            } else {
                base["counts"] = .array(toward)
                if let v = credential.ects, let n = JSONNumber(v) { base["ects"] = .number(n) }
                if let v = credential.eqfLevel { base["eqfLevel"] = .number(JSONNumber(v)) }
                counting.append(.object(base))
            }
        }
        let missingAchievements = required.filter { !met.contains($0) }
        let shortfall = max(0, (minimumECTS ?? 0) - ects)
        var missing: JSONObject = ["achievements": .array(missingAchievements.map(JSONValue.string))]
        if minimumECTS != nil, let n = JSONNumber(shortfall) { missing["ects"] = .number(n) }
        var answer: JSONObject = ["satisfied": .bool(missingAchievements.isEmpty && shortfall == 0), "counting": .array(counting),
                                  "missing": .object(missing), "notCounted": .array(notCounted)]
        if let minimumECTS, let required = JSONNumber(minimumECTS), let counted = JSONNumber(ects) {
            answer["ects"] = ["required": .number(required), "counted": .number(counted)]
        }
        return .object(answer)
    }
}
