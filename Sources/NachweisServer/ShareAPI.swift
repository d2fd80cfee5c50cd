import Foundation
import Hummingbird
import NachweisCrypto
import NachweisJSON
import NachweisStore
import NachweisVerifier
import Synchronization

/// What the wallet signs with and how long links may live: the wallet's key (its presentations are the wallet's
/// word that these credentials were shown through this link), the longest a link may live, and whether access logs
/// keep addresses.
public struct WalletSettings: Sendable {
    public var key: PrivateKey
    public var shareLinkMaxDays: Int
    public var logAddresses: Bool
    /// Seconds after which a wallet listing verifies a credential again before showing it (default 5 minutes).
    public var statusRecheckSeconds: TimeInterval

    public init(key: PrivateKey, shareLinkMaxDays: Int = 365, logAddresses: Bool = false, statusRecheckSeconds: TimeInterval = 300) {
        self.key = key
        self.shareLinkMaxDays = shareLinkMaxDays
        self.logAddresses = logAddresses
        self.statusRecheckSeconds = statusRecheckSeconds
    }

    /// As the configuration says (its wallet key loaded).
    public init(configuration: ServerConfiguration) throws(ServerError) {
        self.init(key: try ServerConfiguration.loadKey(configuration.walletKeyPath), shareLinkMaxDays: configuration.shareLinkMaxDays,
                  logAddresses: configuration.shareLogAddresses, statusRecheckSeconds: TimeInterval(configuration.walletRecheckSeconds))
    }

    /// A key made for this process only (tests, a router built without a configuration): presentations signed with it
    /// verify only while the process runs.
    public static func ephemeral() -> WalletSettings? {
        (try? PrivateKey.generate(.ed25519)).map { WalletSettings(key: $0) }
    }
}

/// Share links under `/api/v1/wallet/shares` (the learner's), and what they open: `GET /share/{token}` — an HTML page
/// for people, or with `Accept: application/json` the credentials with a Verifiable Presentation the wallet signs
/// (with the verifier's `?challenge=` and `?domain=` when given). A link that expired, was revoked or is used up
/// answers 410 and nothing else; an unknown token 404. The wallet's `did:web` document is `/wallet/did.json`.
struct ShareAPI {
    let storage: any Storage
    let wallet: WalletAPI
    let settings: WalletSettings
    let baseURL: String
    let did: String
    let keyID: String
    /// Reports of what links showed, by the credential's digest, with when they were made.
    let reports = BoundedCache<Verdict>(capacity: 4096)
    let credentials = BoundedCache<Held>(capacity: 4096)
    /// Verifications under way, by the credential's digest.
    let verifying = Running<Verdict>()

    /// Tasks under way by key (a class: the routes' values are copied into Hummingbird's closures).
    final class Running<Value: Sendable>: Sendable {
        let tasks = Mutex<[String: Task<Value, Never>]>([:])
    }

    /// A credential a link shows, with the forms a view answers with, made once: the credential as received (text,
    /// or a data URL for an image) and its envelope in presentations.
    struct Held: Sendable {
        let credential: WalletCredential
        /// What a view says of it before its verdict (no wallet id: that is the learner's).
        let summary: JSONObject
        let original: String
        let envelope: JSONValue

        init(_ credential: WalletCredential) {
            self.credential = credential
            var summary = WalletAPI.summary(credential)
            summary["id"] = nil
            self.summary = summary
            original = ShareAPI.original(credential)
            envelope = ["@context": "https://www.w3.org/ns/credentials/v2", "type": "EnvelopedVerifiableCredential",
                        "id": .string("data:\(credential.mediaType);base64,\(credential.received.base64EncodedString())")]
        }
    }

    /// A verification, what a view says of it (the verdict, the status, the report as JSON; worked out once), and
    /// when it was made.
    struct Verdict: Sendable {
        let report: VerificationReport
        let said: JSONObject
        let at: Date

        init(_ report: VerificationReport, at: Date) {
            self.report = report
            self.at = at
            var said: JSONObject = ["verdict": .string(report.verdict.rawValue), "status": .string(WalletAPI.status(report).rawValue),
                                    "verified": .string(RFC3339.format(report.at)), "verification": report.json]
            // The issuer as verified (claimed, proven, bound), in place of the name the credential gives itself.
            if let issuer = report.issuer { said["issuer"] = issuer.json }
            if !report.warnings.isEmpty { said["warnings"] = .array(report.warnings.map(JSONValue.string)) }
            self.said = said
        }
    }
    /// Links default to 30 days.
    static let defaultDays = 30

    init(storage: any Storage, wallet: WalletAPI, settings: WalletSettings, publicBaseURL: String) throws {
        self.storage = storage
        self.wallet = wallet
        self.settings = settings
        baseURL = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        did = PublicDocuments.didWeb(baseURL, ["wallet"])
        keyID = did + "#" + (try JWK(publicKey: settings.key.publicKey).thumbprint())
    }

    func register(on router: Router<BasicRequestContext>) {
        let shares = router.group("api/v1/wallet/shares")
        shares.post { request, context in try await create(request, context) }
        shares.get { request, context in try await list(request, context) }
        shares.get(":id") { request, context in try await detail(request, context) }
        shares.delete(":id") { request, context in try await revoke(request, context) }
        router.get("share/:token") { request, context in try await open(request, context) }
        router.get("wallet/did.json") { _, _ in try didDocument() }
    }

    // MARK: The learner's links

    /// `{"credentials": [id, …], "expiresInDays": 30, "maxViews": n, "label": text}` → 201 with the link's URL (the
    /// token is in it, shown this once).
    func create(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, _) = try await wallet.authorize(request)
        let body = try await IssuerAPI.jsonBody(request, context)
        try WalletAPI.onlyMembers(body, ["credentials", "collection", "expiresInDays", "maxViews", "label"])
        var credentialIDs: [UUID] = []
        switch (body["credentials"], body["collection"]) {
        case (_?, nil):
            credentialIDs = try BodyField(body, "credentials").credentialIDs(1...100)
        case (nil, _?):
            // A collection's credentials as they are now: the link keeps them when the collection changes later.
            let text = try BodyField(body, "collection").text()
            guard let id = UUID(uuidString: text) else { throw APIError(.notFound, .notFound, "no collection \(text) of this learner") }
            do { credentialIDs = try await storage.collections.collection(id: id, learnerID: learner.id).credentialIDs } catch {
                throw IssuerAPI.refused(error)
            }
            guard !credentialIDs.isEmpty, credentialIDs.count <= 100 else {
                throw APIError(.badRequest, .invalidField, "the collection must hold 1–100 credentials to be shared")
            }
        default:
            throw APIError(.badRequest, .invalidField, "name either credentials or a collection")
        }
        let days = try BodyField(body, optional: "expiresInDays").optionalInteger()
        let lifetime = days ?? Self.defaultDays
        guard (1...settings.shareLinkMaxDays).contains(lifetime) else {
            throw APIError(.badRequest, .invalidField, "expiresInDays must be 1–\(settings.shareLinkMaxDays)")
        }
        let maxViews = try BodyField(body, optional: "maxViews").optionalInteger()
        if let maxViews, maxViews < 1 || maxViews > 1_000_000 { throw APIError(.badRequest, .invalidField, "maxViews must be 1–1 000 000") }
        let label = try BodyField(body, optional: "label").optionalText()
        if let label, label.count > 200 { throw APIError(.badRequest, .invalidField, "label is longer than 200 characters") }
        let token = try WalletAPI.newToken(prefix: "")
        let now = Date()
        let link = ShareLink(learnerID: learner.id, tokenHash: WalletAPI.tokenHash(token), label: label, createdAt: now,
                             expiresAt: now + TimeInterval(lifetime) * 86_400, maxViews: maxViews)
        do { try await storage.shareLinks.create(link, credentialIDs: credentialIDs) } catch { throw IssuerAPI.refused(error) }
        var answer = representation(link, credentialIDs)
        answer["url"] = .string("\(baseURL)/share/\(token)")
        return IssuerAPI.json(.created, .object(answer))
    }

    func representation(_ link: ShareLink, _ credentialIDs: [UUID]) -> JSONObject {
        var o: JSONObject = ["id": .string(link.id.lowercasedText), "created": .string(RFC3339.format(link.createdAt)),
                             "expires": .string(RFC3339.format(link.expiresAt)), "views": .number(JSONNumber(link.views)),
                             "state": .string(link.ended() ?? "live"), "credentials": .array(credentialIDs.map { .string($0.lowercasedText) })]
        if let v = link.label { o["label"] = .string(v) }
        if let v = link.maxViews { o["maxViews"] = .number(JSONNumber(v)) }
        if let v = link.revokedAt { o["revoked"] = .string(RFC3339.format(v)) }
        return o
    }

    func list(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, _) = try await wallet.authorize(request)
        var items: [JSONValue] = []
        do {
            for link in try await storage.shareLinks.links(learnerID: learner.id) {
                items.append(.object(representation(link, try await storage.shareLinks.credentialIDs(linkID: link.id))))
            }
        } catch { throw IssuerAPI.unavailable(error) }
        return IssuerAPI.json(.ok, .array(items))
    }

    func owned(_ request: Request, _ context: BasicRequestContext) async throws -> (Learner, ShareLink) {
        let (learner, _) = try await wallet.authorize(request)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError(.notFound, .notFound, "no such share link") }
        do { return (learner, try await storage.shareLinks.link(id: id, learnerID: learner.id)) } catch { throw IssuerAPI.refused(error) }
    }

    /// The link with its access log (time, coarse browser name; the address only where the operator keeps them).
    func detail(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, link) = try await owned(request, context)
        var answer: JSONObject
        do {
            answer = representation(link, try await storage.shareLinks.credentialIDs(linkID: link.id))
            answer["accesses"] = .array(try await storage.shareLinks.accesses(linkID: link.id, learnerID: learner.id).map { access in
                var o: JSONObject = ["at": .string(RFC3339.format(access.at))]
                if let v = access.userAgent { o["userAgent"] = .string(v) }
                if let v = access.address { o["address"] = .string(v) }
                return .object(o)
            })
        } catch { throw IssuerAPI.refused(error) }
        return IssuerAPI.json(.ok, .object(answer))
    }

    func revoke(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, link) = try await owned(request, context)
        do { try await storage.shareLinks.revoke(id: link.id, learnerID: learner.id, at: Date()) } catch { throw IssuerAPI.refused(error) }
        return Response(status: .noContent)
    }

    // MARK: What a link opens

    /// A browser's family, not its full string (an access log should not fingerprint viewers).
    static func coarseAgent(_ agent: String?) -> String? {
        guard let agent = agent?.lowercased(), !agent.isEmpty else { return nil }
        for (needle, name) in [("bot", "bot"), ("spider", "bot"), ("crawl", "bot"), ("headlesschrome", "Headless Chrome"), ("edg/", "Edge"),
                               ("chrome", "Chrome"), ("chromium", "Chromium"), ("firefox", "Firefox"), ("safari", "Safari"), ("curl", "curl"),
                               ("wget", "Wget"), ("python", "Python"), ("wrk", "wrk")] where agent.contains(needle) {
            return name
        }
        return "other"
    }

    func open(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let wantsJSON = (request.headers[.accept] ?? "").contains("application/json")
        let address = settings.logAddresses
            ? request.headers[.init("X-Forwarded-For")!]?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } : nil
        let viewed: (link: ShareLink, credentialIDs: [UUID])?
        do {
            viewed = try await storage.shareLinks.view(tokenHash: WalletAPI.tokenHash(token),
                                                       access: (Date(), Self.coarseAgent(request.headers[.userAgent]), address))
        } catch { throw IssuerAPI.unavailable(error) }
        guard let viewed else { return gone(.notFound, "This link does not exist.", json: wantsJSON) }
        guard viewed.link.ended() == nil || !viewed.credentialIDs.isEmpty else {
            return gone(.gone, "This link is no longer available.", json: wantsJSON)
        }
        var shown: [(Held, Verdict)] = []
        for id in viewed.credentialIDs {
            guard let held = try await held(id, learnerID: viewed.link.learnerID) else { continue }
            shown.append((held, await verdict(held.credential)))
        }
        if wantsJSON {
            let query = request.uri.queryParameters
            return IssuerAPI.json(.ok, try jsonView(viewed.link, shown, challenge: query.get("challenge"), domain: query.get("domain")))
        }
        return Response(status: .ok, headers: Self.pageHeaders(type: "text/html; charset=utf-8"),
                        body: .init(byteBuffer: ByteBuffer(string: SharePage.html(viewed.link, shown.map { ($0.0.credential, $0.1.report) }))))
    }

    /// The credential verified now: a report at most ``recentVerdicts`` old, as the documents it read are at most a
    /// second old (``RecentFetcher``) — a link opened thousands of times a second verifies each credential about once
    /// a second, and a revocation still shows on the next view after it.
    /// One verification at a time per credential: views that find the report too old while it is being made wait for
    /// that one (without this, every connection open at the moment a report aged verified on its own, each fetching the
    /// documents again — a herd that held some views for a quarter of a second).
    func verdict(_ credential: WalletCredential) async -> Verdict {
        let now = Date()
        if let recent = reports.value(credential.digest), now.timeIntervalSince(recent.at) < Self.recentVerdicts { return recent }
        let task = verifying.tasks.withLock { running -> Task<Verdict, Never> in
            if let task = running[credential.digest] { return task }
            let verifier = wallet.viewVerifier, reports = reports, verifying = verifying
            let bytes = Array(credential.received), digest = credential.digest
            let task = Task {
                let at = Date()
                let report = await verifier.verify(bytes, options: .init(at: at))
                let verdict = Verdict(report, at: at)
                // The report first, then the task goes: a view after this finds one or the other.
                reports.store(digest, verdict)
                _ = verifying.tasks.withLock { $0.removeValue(forKey: digest) }
                return verdict
            }
            running[credential.digest] = task
            return task
        }
        return await task.value
    }

    static let recentVerdicts: TimeInterval = 1

    /// A credential a link shows, from memory after the first view: what a view reads of it (the bytes received and
    /// what was read from them) never changes, and the store names the link's credentials still in the wallet on
    /// every view (one deleted since is not named, and not shown).
    func held(_ id: UUID, learnerID: UUID) async throws(APIError) -> Held? {
        if let cached = credentials.value(id.lowercasedText), cached.credential.learnerID == learnerID { return cached }
        do {
            let held = Held(try await storage.wallet.credential(id: id, learnerID: learnerID))
            credentials.store(id.lowercasedText, held)
            return held
        } catch {
            if error.code == .notFound { return nil }
            throw IssuerAPI.unavailable(error)
        }
    }

    static func pageHeaders(type: String) -> HTTPFields {
        [.contentType: type, .cacheControl: "no-store", .init("X-Robots-Tag")!: "noindex", .init("Referrer-Policy")!: "no-referrer",
         .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src data:", .init("X-Content-Type-Options")!: "nosniff"]
    }

    /// 404 or 410 revealing nothing about the link.
    func gone(_ status: HTTPResponse.Status, _ message: String, json: Bool) -> Response {
        if json {
            let body: JSONValue = ["error": .string(status == .gone ? "share.gone" : "share.not_found"), "message": .string(message)]
            return Response(status: status, headers: Self.pageHeaders(type: "application/json"), body: .init(byteBuffer: ByteBuffer(string: body.compactText)))
        }
        let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Nachweis</title></head><body><p>\(message)</p></body></html>"
        return Response(status: status, headers: Self.pageHeaders(type: "text/html; charset=utf-8"), body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// The credentials as shown, each with its verdict now, and a presentation of them the wallet signs.
    func jsonView(_ link: ShareLink, _ shown: [(Held, Verdict)], challenge: String?, domain: String?) throws(APIError) -> JSONValue {
        var credentials: [JSONValue] = [], enveloped: [JSONValue] = []
        for (held, verdict) in shown {
            var item = held.summary
            for member in verdict.said { item[member.key] = member.value }
            item["original"] = .string(held.original)
            credentials.append(.object(item))
            enveloped.append(held.envelope)
        }
        let now = Date()
        var presentation: JSONObject = ["@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                                        "holder": .string(did), "verifiableCredential": .array(enveloped),
                                        "iat": .number(JSONNumber(Int(now.timeIntervalSince1970))),
                                        "exp": .number(JSONNumber(Int(now.timeIntervalSince1970) + 600))]
        if let challenge { presentation["nonce"] = .string(challenge) }
        if let domain { presentation["aud"] = .string(domain) }
        let signed: String
        do {
            signed = try JWSSigner.sign(payload: JSONValue.object(presentation).compactBytes, key: settings.key, algorithm: .eddsa,
                                        header: ["kid": .string(keyID), "typ": "vp+jwt", "cty": "vp"]).compactSerialization()
        } catch { throw APIError(.serviceUnavailable, .unavailable, "the presentation could not be signed: \(error.message)") }
        var linkInfo: JSONObject = ["expires": .string(RFC3339.format(link.expiresAt)), "views": .number(JSONNumber(link.views))]
        if let v = link.maxViews { linkInfo["maxViews"] = .number(JSONNumber(v)) }
        return ["link": .object(linkInfo), "credentials": .array(credentials), "presentation": .string(signed)]
    }

    /// The credential as received: text as it is, an image as a data URL.
    static func original(_ credential: WalletCredential) -> String {
        if credential.container == nil, let text = String(data: credential.received, encoding: .utf8) { return text }
        return "data:\(credential.mediaType);base64,\(credential.received.base64EncodedString())"
    }

    func didDocument() throws -> Response {
        let jwk = try JWK(publicKey: settings.key.publicKey)
        var method: JSONObject = ["id": .string(keyID), "controller": .string(did), "type": "Multikey"]
        method["publicKeyMultibase"] = .string(try Multikey.encode(jwk.publicKey))
        let body: JSONValue = ["@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": .string(did),
                               "verificationMethod": [.object(method)], "authentication": [.string(keyID)], "assertionMethod": [.string(keyID)]]
        return Response(status: .ok, headers: [.contentType: "application/did+json", .cacheControl: "public, max-age=300", .accessControlAllowOrigin: "*"],
                        body: .init(byteBuffer: ByteBuffer(string: body.compactText)))
    }
}
