import Foundation
import Hummingbird
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisStore
import NachweisVerifier
import Synchronization

/// The learner wallet, under `/api/v1/wallet`: accounts (email and password), sessions (opaque bearer tokens), and
/// the credentials a learner imports — kept as the bytes received, with what was read from them and the latest
/// verification. Every wallet route but sign-up and sign-in needs a live session; a credential of another learner
/// answers 404 exactly as one that does not exist (see docs/wallet.md).
struct WalletAPI {
    let storage: any Storage
    /// Verifies imports (documents it fetched a moment ago may come from the fetcher's cache).
    let verifier: Verifier
    /// Verifies on demand: fetches everything afresh, so that a revocation made a minute ago shows.
    let freshVerifier: Verifier
    /// Verifies what a share link shows, on every view: documents at most a second old (``RecentFetcher``).
    let viewVerifier: Verifier
    let fetcher: any DocumentFetcher
    let limiter: SignInLimiter
    /// A listed credential whose report is older than this is verified again before it is shown (its status above
    /// all: a revocation, a suspension, an expiry since the last check).
    let recheckAfter: TimeInterval
    /// How long a session lasts (not sliding: a learner signs in again after it).
    let sessionLifetime: TimeInterval = 7 * 24 * 3600
    /// Largest credential imported (a baked image included); larger is 413 before anything is parsed.
    static let maxImport = 8 << 20

    init(storage: any Storage, verification: NachweisServer.Verification, limiter: SignInLimiter = SignInLimiter(),
         recheckAfter: TimeInterval = 300) throws {
        self.storage = storage
        self.recheckAfter = recheckAfter
        verifier = try Verifier(fetcher: verification.fetcher, trustAnchors: verification.trustAnchors, registry: verification.registry)
        freshVerifier = try Verifier(fetcher: FreshFetcher(verification.fetcher), trustAnchors: verification.trustAnchors,
                                     registry: verification.registry)
        viewVerifier = try Verifier(fetcher: RecentFetcher(verification.fetcher), trustAnchors: verification.trustAnchors,
                                    registry: verification.registry)
        fetcher = verification.fetcher
        self.limiter = limiter
    }

    func register(on router: Router<BasicRequestContext>) {
        let wallet = router.group("api/v1/wallet")
        wallet.post("accounts") { request, context in try await signUp(request, context) }
        wallet.post("sessions") { request, context in try await signIn(request, context) }
        wallet.delete("sessions/current") { request, context in try await signOut(request, context) }
        wallet.get("account") { request, context in try await account(request, context) }
        wallet.put("account/password") { request, context in try await changePassword(request, context) }
        wallet.delete("account") { request, context in try await deleteAccount(request, context) }
        wallet.post("credentials") { request, context in try await importCredential(request, context) }
        wallet.get("credentials") { request, context in try await list(request, context) }
        wallet.get("credentials/:id") { request, context in try await detail(request, context) }
        wallet.post("credentials/:id/verify") { request, context in try await reverify(request, context) }
        wallet.get("credentials/:id/export") { request, context in try await export(request, context) }
        wallet.delete("credentials/:id") { request, context in try await remove(request, context) }
    }

    // MARK: Accounts and sessions

    /// A secret token: the prefix and 32 random bytes (256 bits) in base64url — `nws_…` for sessions, none for share
    /// links; only its SHA-256 is stored.
    static func newToken(prefix: String = "nws_") throws(APIError) -> String {
        do { return prefix + Base64URL.encode(try SecureRandom.bytes(32)) } catch {
            throw APIError(.serviceUnavailable, .unavailable, "no random numbers: \(error.message)")
        }
    }

    /// What the store keeps of a session or share-link token: its SHA-256 in lower-case hex, as for staff tokens.
    static func tokenHash(_ token: String) -> String { APITokenSecret(text: token).hash }

    static let minimumPassword = 10
    static let maximumPassword = 1024

    static func validPassword(_ password: String, _ field: String) throws(APIError) {
        let length = password.count
        guard length >= minimumPassword else { throw APIError(.badRequest, .invalidField, "\(field) needs at least \(minimumPassword) characters") }
        guard password.utf8.count <= maximumPassword else { throw APIError(.badRequest, .invalidField, "\(field) is longer than \(maximumPassword) bytes") }
    }

    static func validEmail(_ email: String) throws(APIError) -> String {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, email.utf8.count <= 320, !email.contains(where: \.isWhitespace) else {
            throw APIError(.badRequest, .invalidField, "email must be an email address")
        }
        return email
    }

    static func hash(_ password: String) throws(APIError) -> String {
        do { return try PasswordHash.make(password) } catch { throw APIError(.serviceUnavailable, .unavailable, "hashing failed: \(error.message)") }
    }

    /// `POST /accounts` `{"email", "password"}` → 201 `{"id", "email"}`; 409 when the email has an account.
    func signUp(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await IssuerAPI.jsonBody(request, context)
        try Self.onlyMembers(body, ["email", "password"])
        let email = try Self.validEmail(try BodyField(body, "email").text())
        let password = try BodyField(body, "password").text()
        try Self.validPassword(password, "password")
        let learner = Learner(email: email, passwordHash: try Self.hash(password))
        do { try await storage.wallet.createLearner(learner) } catch {
            if error.code == .conflict { throw APIError(.conflict, .init(rawValue: "wallet.email_taken"), "an account with this email exists") }
            throw IssuerAPI.refused(error)
        }
        context.logger.info("wallet account created")
        return IssuerAPI.json(.created, ["id": .string(learner.id.lowercasedText), "email": .string(learner.email)])
    }

    /// A hash to check a password against when the email has no account, so that the answer takes as long.
    static let decoyHash = (try? PasswordHash.make("no account has this password")) ?? ""

    /// `POST /sessions` `{"email", "password"}` → 201 `{"token", "expires"}`. A wrong email or password is one
    /// answer (401); after ``SignInLimiter/maximumFailures`` failures for an email within its window, 429 with
    /// `Retry-After` until the window passes — the right password too.
    func signIn(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await IssuerAPI.jsonBody(request, context)
        try Self.onlyMembers(body, ["email", "password"])
        let email = try Self.validEmail(try BodyField(body, "email").text())
        let password = try BodyField(body, "password").text()
        if let wait = limiter.refusal(for: email) {
            throw RetryLater(seconds: wait)
        }
        let learner: Learner?
        do { learner = try await storage.wallet.learner(email: email) } catch { throw IssuerAPI.unavailable(error) }
        let matches: Bool
        do { matches = try PasswordHash.verify(password, against: learner?.passwordHash ?? Self.decoyHash) } catch {
            throw APIError(.serviceUnavailable, .unavailable, "the stored password cannot be checked")
        }
        guard let learner, matches else {
            limiter.failed(email)
            throw APIError(.unauthorized, .invalidToken, "wrong email or password")
        }
        limiter.succeeded(email)
        let token = try Self.newToken()
        let now = Date()
        let session = LearnerSession(learnerID: learner.id, tokenHash: Self.tokenHash(token), createdAt: now, expiresAt: now + sessionLifetime)
        do { try await storage.wallet.addSession(session) } catch { throw IssuerAPI.unavailable(error) }
        return IssuerAPI.json(.created, ["token": .string(token), "expires": .string(RFC3339.format(session.expiresAt))])
    }

    /// The learner and session a request acts for: none, an unknown, expired or revoked token is 401.
    func authorize(_ request: Request) async throws(APIError) -> (Learner, LearnerSession) {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, .missingToken, "this route needs an Authorization: Bearer session token")
        }
        guard header.hasPrefix("Bearer nws_"), header.count > 11 else {
            throw APIError(.unauthorized, .invalidToken, "the Authorization header must be Bearer <session token>")
        }
        let found: LearnerSession?
        do { found = try await storage.wallet.session(tokenHash: Self.tokenHash(String(header.dropFirst(7)))) } catch { throw IssuerAPI.unavailable(error) }
        guard let session = found, session.isLive() else { throw APIError(.unauthorized, .invalidToken, "unknown, expired or ended session") }
        let learner: Learner
        do { learner = try await storage.wallet.learner(id: session.learnerID) } catch {
            throw error.code == .notFound ? APIError(.unauthorized, .invalidToken, "unknown, expired or ended session") : IssuerAPI.unavailable(error)
        }
        return (learner, session)
    }

    func signOut(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (_, session) = try await authorize(request)
        do { try await storage.wallet.revokeSession(id: session.id, at: Date()) } catch { throw IssuerAPI.unavailable(error) }
        return Response(status: .noContent)
    }

    func account(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, session) = try await authorize(request)
        let total: Int
        do { total = try await storage.wallet.credentials(learnerID: learner.id, WalletQuery(limit: 0)).total } catch { throw IssuerAPI.unavailable(error) }
        return IssuerAPI.json(.ok, ["id": .string(learner.id.lowercasedText), "email": .string(learner.email),
                                    "created": .string(RFC3339.format(learner.createdAt)), "credentials": .number(JSONNumber(total)),
                                    "sessionExpires": .string(RFC3339.format(session.expiresAt))])
    }

    /// `PUT /account/password` `{"current", "new"}`: every other session of the learner ends.
    func changePassword(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, session) = try await authorize(request)
        let body = try await IssuerAPI.jsonBody(request, context)
        try Self.onlyMembers(body, ["current", "new"])
        try await confirm(try BodyField(body, "current").text(), learner)
        let new = try BodyField(body, "new").text()
        try Self.validPassword(new, "new")
        do { try await storage.wallet.setPassword(learnerID: learner.id, hash: try Self.hash(new), keeping: session.id, at: Date()) } catch {
            throw IssuerAPI.refused(error)
        }
        return Response(status: .noContent)
    }

    /// `DELETE /account` `{"password"}`: the account and everything of the learner's — sessions, credentials — go.
    func deleteAccount(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, _) = try await authorize(request)
        let body = try await IssuerAPI.jsonBody(request, context)
        try Self.onlyMembers(body, ["password"])
        try await confirm(try BodyField(body, "password").text(), learner)
        do { try await storage.wallet.deleteLearner(id: learner.id) } catch { throw IssuerAPI.refused(error) }
        context.logger.info("wallet account deleted")
        return Response(status: .noContent)
    }

    /// The learner's password again, for changes that need it (403 when wrong; counts toward the sign-in limit).
    func confirm(_ password: String, _ learner: Learner) async throws(APIError) {
        if let wait = limiter.refusal(for: learner.email) { throw RetryLater(seconds: wait).apiError }
        let matches: Bool
        do { matches = try PasswordHash.verify(password, against: learner.passwordHash) } catch {
            throw APIError(.serviceUnavailable, .unavailable, "the stored password cannot be checked")
        }
        guard matches else {
            limiter.failed(learner.email)
            throw APIError(.forbidden, .forbidden, "the password is wrong")
        }
    }

    // MARK: Credentials

    /// `POST /credentials`: the body is the credential as it is (JSON, compact JWS, JAdES envelope, baked PNG or SVG;
    /// any content type, at most 8 MiB), or `?url=` to fetch it through the verifier's bounded fetcher. 201 with the
    /// stored credential and its verification; 200 with `"duplicate": true` when the learner holds the same bytes.
    /// Input that is not a credential is 422 with the detector's reason; nothing is stored then.
    func importCredential(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, _) = try await authorize(request)
        var bytes: [UInt8]
        var mediaType = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let url = request.uri.queryParameters.get("url")
        if let url {
            let fetched: FetchedDocument
            do { fetched = try await fetcher.fetch(url) } catch {
                throw APIError(.unprocessableContent, .init(rawValue: error.code.rawValue), "the credential could not be fetched: \(error.message)")
            }
            bytes = fetched.bytes
            mediaType = fetched.contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        } else {
            var request = request
            let buffer: ByteBuffer
            do { buffer = try await request.collectBody(upTo: Self.maxImport) } catch {
                throw APIError(.contentTooLarge, .tooLarge, "the credential is larger than \(Self.maxImport) bytes")
            }
            bytes = Array(buffer.readableBytesView)
        }
        guard !bytes.isEmpty else { throw APIError(.badRequest, .invalidField, "send the credential as the body, or ?url=") }
        let detected: DetectedCredential
        do { detected = try FormatDetector(maxBytes: Self.maxImport).detect(bytes) } catch {
            throw APIError(.unprocessableContent, .init(rawValue: error.code.rawValue), "not a credential Nachweis can read: \(error.message)")
        }
        let report = await verifier.verify(bytes, options: .init())
        let now = Date()
        var credential = WalletCredential(learnerID: learner.id, received: Data(bytes), mediaType: Self.mediaType(mediaType, detected),
                                          digest: Hex.encode(DigestAlgorithm.sha256.hash(bytes)), format: detected.format.rawValue,
                                          container: detected.container?.rawValue, credential: detected.credential?.compactText,
                                          sourceURL: url, importedAt: now, report: report.json.compactText, verdict: report.verdict.rawValue,
                                          status: Self.status(report).rawValue, verifiedAt: now)
        if let document = detected.credential { WalletSummary(document, format: detected.format).fill(&credential) }
        let stored: (credential: WalletCredential, created: Bool)
        do { stored = try await storage.wallet.add(credential) } catch { throw IssuerAPI.refused(error) }
        context.logger.info("wallet import", metadata: ["format": "\(detected.format.rawValue)", "verdict": "\(report.verdict.rawValue)",
                                                        "duplicate": "\(!stored.created)"])
        var answer = Self.detail(stored.credential)
        answer["duplicate"] = .bool(!stored.created)
        return IssuerAPI.json(stored.created ? .created : .ok, .object(answer))
    }

    /// Media types a credential may be kept and exported as: what the bytes were sent as when it is one of these,
    /// else what they are. (Any other — `text/html` above all — would let an export be rendered as a page of ours.)
    static let credentialMediaTypes: Set<String> = ["application/json", "application/ld+json", "application/vc+ld+json", "application/vc",
                                                    "application/jwt", "application/vc+jwt", "application/jose", "application/jose+json",
                                                    "image/png", "image/svg+xml"]

    static func mediaType(_ given: String?, _ detected: DetectedCredential) -> String {
        let matches: Bool = switch (given, detected.container) {
        case ("image/png"?, .png?), ("image/svg+xml"?, .svg?): true
        case (let type?, nil): credentialMediaTypes.contains(type) && !type.hasPrefix("image/")
        default: false
        }
        if matches, let given { return given }
        switch (detected.container, detected.format) {
        case (.png?, _): return "image/png"
        case (.svg?, _): return "image/svg+xml"
        case (nil, .ob3JWT), (nil, .ob2Signed): return "application/jwt"
        case (nil, .edcJAdES): return "application/jose+json"
        default: return "application/json"
        }
    }

    /// The credential's status as its verification found it.
    static func status(_ report: VerificationReport) -> WalletCredential.Status {
        if report.step(.revocation)?.status == .failed { return .revoked }
        if report.step(.suspension)?.status == .failed { return .suspended }
        if report.step(.status)?.status == .failed { return .revoked }
        let checked = [report.step(.revocation), report.step(.suspension), report.step(.status)].compactMap { $0 }
        if checked.contains(where: { $0.status == .passed }) { return .active }
        return .unknown
    }

    /// `GET /credentials?issuer=&type=&eqf=&from=&until=&status=&verdict=&q=&limit=&offset=` → `{"items", "total"}`,
    /// newest import first (limit 1–200, default 50).
    func list(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, _) = try await authorize(request)
        let parameters = request.uri.queryParameters
        var query = WalletQuery()
        for (key, value) in parameters {
            let value = String(value)
            switch String(key) {
            case "issuer": query.issuer = value
            case "type": query.achievementType = value
            case "eqf":
                guard let level = Int(value), (1...8).contains(level) else { throw APIError(.badRequest, .invalidField, "eqf must be a level 1–8") }
                query.eqfLevel = level
            case "from", "until":
                guard let date = RFC3339.parse(value) ?? RFC3339.parse(value + "T00:00:00Z") else {
                    throw APIError(.badRequest, .invalidField, "\(key) must be an RFC 3339 date or date-time")
                }
                if key == "from" { query.issuedFrom = date } else { query.issuedUntil = date }
            case "status":
                guard WalletCredential.Status(rawValue: value) != nil else {
                    throw APIError(.badRequest, .invalidField, "status must be one of active, revoked, suspended, unknown")
                }
                query.status = value
            case "verdict":
                guard VerificationReport.Verdict(rawValue: value) != nil else {
                    throw APIError(.badRequest, .invalidField, "verdict must be one of valid, invalid, inconclusive")
                }
                query.verdict = value
            case "q": query.text = value
            case "limit":
                guard let limit = Int(value), (1...200).contains(limit) else { throw APIError(.badRequest, .invalidField, "limit must be 1–200") }
                query.limit = limit
            case "offset":
                guard let offset = Int(value), offset >= 0 else { throw APIError(.badRequest, .invalidField, "offset must be 0 or more") }
                query.offset = offset
            default: throw APIError(.badRequest, .invalidField, "unknown parameter \(key)")
            }
        }
        let found: (page: [WalletCredential], total: Int)
        do { found = try await storage.wallet.credentials(learnerID: learner.id, query) } catch { throw IssuerAPI.unavailable(error) }
        let page = await recheck(found.page, learnerID: learner.id)
        return IssuerAPI.json(.ok, ["items": .array(page.map { .object(Self.summary($0)) }), "total": .number(JSONNumber(found.total))])
    }

    /// The page with every credential whose report is older than ``recheckAfter`` verified again (documents at most a
    /// second old), its new report kept; four at a time. A listing within the interval reads the store only. (A
    /// credential whose new status no longer matches a status filter is still shown on this page, with its new status.)
    func recheck(_ page: [WalletCredential], learnerID: UUID) async -> [WalletCredential] {
        let now = Date()
        let stale = page.indices.filter { now.timeIntervalSince(page[$0].verifiedAt) >= recheckAfter }
        guard !stale.isEmpty else { return page }
        var result = page
        await withTaskGroup(of: (Int, WalletCredential?).self) { group in
            var next = stale.makeIterator()
            func start(_ index: Int) {
                let credential = page[index]
                group.addTask {
                    // On a failure to store it is shown as it was, and checked again at the next listing.
                    (index, try? await verifiedAgain(credential, learnerID: learnerID, by: viewVerifier))
                }
            }
            for _ in 0..<4 { if let index = next.next() { start(index) } }
            while let (index, updated) = await group.next() {
                if let updated { result[index] = updated }
                if let index = next.next() { start(index) }
            }
        }
        return result
    }

    func held(_ request: Request, _ context: BasicRequestContext) async throws -> (Learner, WalletCredential) {
        let (learner, _) = try await authorize(request)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw APIError(.notFound, .notFound, "no such credential in this wallet")
        }
        do { return (learner, try await storage.wallet.credential(id: id, learnerID: learner.id)) } catch { throw IssuerAPI.refused(error) }
    }

    func detail(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        IssuerAPI.json(.ok, .object(Self.detail(try await held(request, context).1)))
    }

    /// `POST /credentials/{id}/verify`: verified again now, from the bytes received; the new report is kept.
    func reverify(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, credential) = try await held(request, context)
        let updated = try await verifiedAgain(credential, learnerID: learner.id, by: freshVerifier)
        return IssuerAPI.json(.ok, .object(Self.detail(updated)))
    }

    /// The credential verified again from the bytes received, its new report, verdict and status kept.
    func verifiedAgain(_ credential: WalletCredential, learnerID: UUID, by verifier: Verifier) async throws(APIError) -> WalletCredential {
        let report = await verifier.verify(Array(credential.received), options: .init())
        var updated = credential
        (updated.report, updated.verdict, updated.status, updated.verifiedAt) = (report.json.compactText, report.verdict.rawValue,
                                                                                 Self.status(report).rawValue, Date().storagePrecision)
        do {
            try await storage.wallet.updateVerification(id: credential.id, learnerID: learnerID, report: updated.report, verdict: updated.verdict,
                                                        status: updated.status, at: updated.verifiedAt)
        } catch { throw IssuerAPI.refused(error) }
        return updated
    }

    /// `GET /credentials/{id}/export?as=original|json|png|svg`: the bytes exactly as received (with the media type
    /// they came as), the credential JSON read from them, or the credential baked into an image — the image it came in
    /// when it came baked into one of that kind, else the default badge image (a disc; the SVG one with the title).
    func export(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (_, credential) = try await held(request, context)
        switch request.uri.queryParameters.get("as") ?? "original" {
        case "original":
            return Response(status: .ok, headers: Self.downloadHeaders(credential.mediaType), body: .init(byteBuffer: ByteBuffer(data: credential.received)))
        case "json":
            guard let json = credential.credential else {
                throw APIError(.conflict, .invalidField, "this credential is an OB 2.0 assertion URL only: there is no JSON to export")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        case let kind where kind == "png" || kind == "svg":
            let baked = try Self.baked(credential, png: kind == "png")
            return Response(status: .ok, headers: Self.downloadHeaders(kind == "png" ? "image/png" : "image/svg+xml"),
                            body: .init(byteBuffer: ByteBuffer(bytes: baked)))
        default:
            throw APIError(.badRequest, .invalidField, "as must be original, json, png or svg")
        }
    }

    /// An export is a download, never a page of ours: an SVG may hold script, a credential's strings markup.
    static func downloadHeaders(_ type: String) -> HTTPFields {
        [.contentType: type, .contentDisposition: "attachment", .init("X-Content-Type-Options")!: "nosniff",
         .contentSecurityPolicy: "default-src 'none'; sandbox"]
    }

    /// 64 × 64, a disc in the badge colour: the image credentials that did not come in a PNG are baked into.
    static let defaultPNG = Array(Data(base64Encoded: """
        iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAAAwUlEQVR42u3b2RGCUAxAUTqxI/uxeq3AEfAtWU5mLOCeL4TkOIxZNo/n633m1y64FMio6HQYs8PDQqwODwWxO34bQpTwLRBR45cgRI+fipAlfgpCtvihCFnjhyG0Bsge/xdClfjbCK0BqsVfRmgNUDX+NAKAzgDV438iAADQGKBL/FcEAAAAAAAAAAAAT4P+CwAA4K2Qd4IA+gL4MgTAx1EAFiSsyACwJmdR0qqsZWnr8g4mnMw4mnI253DS6awpPR9w4e7pFk/XbAAAAABJRU5ErkJggg==
        """, options: .ignoreUnknownCharacters) ?? Data())

    static func defaultSVG(_ title: String) -> [UInt8] {
        Array("""
            <svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">\
            <circle cx="128" cy="128" r="120" fill="#1f4e79"/>\
            <text x="128" y="136" font-family="sans-serif" font-size="16" fill="#ffffff" text-anchor="middle">\(SharePage.escape(String(title.prefix(40))))</text></svg>
            """.utf8)
    }

    /// The credential baked into a PNG or an SVG (Open Badges baking: OB 2.0 as an assertion, OB 3.0 as a credential).
    /// Europass credentials have no baking; they are refused (409).
    static func baked(_ credential: WalletCredential, png: Bool) throws(APIError) -> [UInt8] {
        if credential.container == (png ? "png" : "svg") { return Array(credential.received) }
        let ob3: Bool
        switch CredentialFormat(rawValue: credential.format) {
        case .ob2Hosted?, .ob2Signed?: ob3 = false
        case .ob3JSONLD?, .ob3JWT?: ob3 = true
        default: throw APIError(.conflict, .invalidField, "Europass credentials are not baked into images; export the original or the JSON")
        }
        // What goes in: the credential as received when it is text; from an image, the text baked in it, as it was.
        let text: String
        if credential.container == nil {
            text = String(decoding: credential.received, as: UTF8.self)
        } else {
            do {
                let bytes = Array(credential.received)
                text = credential.container == "png" ? try PNGBaking.unbake(bytes).text : try SVGBaking.unbake(bytes).text
            } catch { throw APIError(.conflict, .invalidField, "the credential cannot be taken out of its image: \(error.message)") }
        }
        let compact = !text.hasPrefix("{")
        do {
            return png
                ? try PNGBaking.bake(text, keyword: ob3 ? PNGBaking.ob3Keyword : PNGBaking.ob2Keyword, into: defaultPNG)
                : try SVGBaking.bake(text, ob3: ob3, inVerifyAttribute: compact, into: defaultSVG(credential.title ?? "Badge"))
        } catch { throw APIError(.serviceUnavailable, .unavailable, "baking failed: \(error.message)") }
    }

    func remove(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (learner, credential) = try await held(request, context)
        do { try await storage.wallet.deleteCredential(id: credential.id, learnerID: learner.id) } catch { throw IssuerAPI.refused(error) }
        return Response(status: .noContent)
    }

    // MARK: Representations

    static func summary(_ c: WalletCredential) -> JSONObject {
        var o: JSONObject = ["id": .string(c.id.lowercasedText), "format": .string(c.format), "verdict": .string(c.verdict), "status": .string(c.status),
                             "imported": .string(RFC3339.format(c.importedAt)), "verified": .string(RFC3339.format(c.verifiedAt)),
                             "mediaType": .string(c.mediaType)]
        if let v = c.container { o["container"] = .string(v) }
        if let v = c.title { o["title"] = .string(v) }
        if c.issuerName != nil || c.issuerID != nil {
            var issuer = JSONObject()
            if let v = c.issuerName { issuer["name"] = .string(v) }
            if let v = c.issuerID { issuer["id"] = .string(v) }
            o["issuer"] = .object(issuer)
        }
        if let v = c.achievementID { o["achievement"] = .string(v) }
        if let v = c.achievementType { o["achievementType"] = .string(v) }
        if let v = c.eqfLevel { o["eqfLevel"] = .number(JSONNumber(v)) }
        if let v = c.ects, let n = JSONNumber(v) { o["ects"] = .number(n) }
        if let v = c.issuedAt { o["issued"] = .string(RFC3339.format(v)) }
        if let v = c.sourceURL { o["source"] = .string(v) }
        // An expired credential is said so, beside its status (which is about revocation and suspension).
        if c.report.contains(#""validity.expired""#) { o["expired"] = true }
        return o
    }

    static func detail(_ c: WalletCredential) -> JSONObject {
        var o = summary(c)
        if let text = c.credential, let json = try? JSONParser().parse(Array(text.utf8)) { o["credential"] = json }
        if let report = try? JSONParser().parse(Array(c.report.utf8)) { o["verification"] = report }
        return o
    }

    static func onlyMembers(_ body: JSONObject, _ allowed: Set<String>) throws(APIError) {
        for key in body.keys where !allowed.contains(key) {
            throw APIError(.badRequest, .invalidField, "unknown member \(key) (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}

/// 429 with `Retry-After`.
struct RetryLater: HTTPResponseError {
    let seconds: Int
    var status: HTTPResponse.Status { .tooManyRequests }
    var apiError: APIError { APIError(.tooManyRequests, .init(rawValue: "auth.rate_limited"), "too many failed sign-ins; try again in \(seconds) s") }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try apiError.response(from: request, context: context)
        response.headers[.retryAfter] = String(seconds)
        return response
    }
}

/// Failed sign-ins per email, in this process: after ``maximumFailures`` within ``window``, sign-in for that email is
/// refused until the window since the first failure passes. (Several instances behind a load balancer each count
/// their own; a shared store for the counts comes with PostgreSQL.) Bounded: at ``capacity`` emails, expired entries
/// go, then the oldest.
final class SignInLimiter: Sendable {
    let maximumFailures: Int
    let window: TimeInterval
    let capacity = 100_000
    private let failures = Mutex<[String: (count: Int, since: Date)]>([:])

    init(maximumFailures: Int = 5, window: TimeInterval = 15 * 60) {
        self.maximumFailures = maximumFailures
        self.window = window
    }

    /// Seconds to wait, when sign-in for the email is refused now.
    func refusal(for email: String, at now: Date = Date()) -> Int? {
        failures.withLock { entries in
            guard let entry = entries[email] else { return nil }
            let elapsed = now.timeIntervalSince(entry.since)
            if elapsed >= window {
                entries[email] = nil
                return nil
            }
            return entry.count >= maximumFailures ? max(1, Int((window - elapsed).rounded(.up))) : nil
        }
    }

    func failed(_ email: String, at now: Date = Date()) {
        failures.withLock { entries in
            if entries.count >= capacity, entries[email] == nil {
                let window = self.window
                entries = entries.filter { now.timeIntervalSince($0.value.since) < window }
                if entries.count >= capacity, let oldest = entries.min(by: { $0.value.since < $1.value.since })?.key { entries[oldest] = nil }
            }
            if let entry = entries[email], now.timeIntervalSince(entry.since) < window {
                entries[email] = (entry.count + 1, entry.since)
            } else {
                entries[email] = (1, now)
            }
        }
    }

    func succeeded(_ email: String) {
        _ = failures.withLock { $0.removeValue(forKey: email) }
    }
}

/// Summary fields of an imported credential, read once at import for listing and filtering: the title, the
/// issuer, the achievement type, the EQF level, ECTS credits and the issue date.
struct WalletSummary {
    let credential: JSONValue
    let format: CredentialFormat

    init(_ credential: JSONValue, format: CredentialFormat) {
        self.credential = credential
        self.format = format
    }

    func fill(_ c: inout WalletCredential) {
        switch format {
        case .ob2Hosted, .ob2Signed:
            let badge = credential["badge"]
            c.achievementID = badge?["id"]?.stringValue ?? badge?.stringValue
            c.title = badge?["name"]?.stringValue
            c.issuerName = badge?["issuer"]?["name"]?.stringValue
            c.issuerID = badge?["issuer"]?["id"]?.stringValue ?? badge?["issuer"]?.stringValue
            c.issuedAt = credential["issuedOn"]?.stringValue.flatMap(RFC3339.parse)
        default:
            let micro = MicroCredentialMapping.report(for: credential)
            let issuer = credential["issuer"]
            c.title = micro.found(.title)?.value
            c.issuerName = issuer?["name"]?.stringValue ?? issuer?["legalName"]?["en"]?.stringValue ?? micro.found(.awardingBody)?.value
            c.issuerID = issuer?["id"]?.stringValue ?? issuer?.stringValue
            let claim = credential["credentialSubject"]?["hasClaim"].flatMap { $0.arrayValue?.first ?? $0 }
            c.achievementID = credential["credentialSubject"]?["achievement"]?["id"]?.stringValue ?? claim?["specifiedBy"]?["id"]?.stringValue
            c.achievementType = credential["credentialSubject"]?["achievement"]?["achievementType"]?.stringValue
                ?? (format == .edcJAdES || format == .edcJSONLD ? "EuropeanDigitalCredential" : nil)
            c.eqfLevel = micro.found(.level).flatMap { Self.eqfLevel($0.value) }
            c.ects = credential["credentialSubject"]?["achievement"]?["creditsAvailable"]?.numberValue?.doubleValue
            c.issuedAt = micro.found(.issueDate).flatMap { RFC3339.parse($0.value) }
        }
    }

    /// The level in an EQF value: a URI of the EU vocabulary (`…/snb/eqf/6`) or a text naming it (`EQF level 6`).
    static func eqfLevel(_ value: String) -> Int? {
        guard let last = value.last(where: \.isNumber), let level = Int(String(last)), (1...8).contains(level) else { return nil }
        return level
    }
}
