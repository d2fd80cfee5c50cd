import Foundation
import Hummingbird
import NachweisCrypto
import NachweisJSON
import NachweisStore

/// Staff API for issuing and for the life of issued credentials, under `/api/v1/issuers/{slug}/credentials`.
struct CredentialAPI {
    let storage: any Storage
    let auth: IssuerAPI
    let issuing: IssuingService
    let metrics: Metrics

    func register(on router: Router<BasicRequestContext>) {
        let group = router.group("api/v1/issuers/:slug/credentials")
        group.post { request, context in try await issue(request, context) }
        group.get(":id") { request, context in try await read(request, context) }
        group.post(":id/revoke") { request, context in try await change(request, context, to: .revoked) }
        group.post(":id/suspend") { request, context in try await change(request, context, to: .suspended) }
        group.post(":id/reinstate") { request, context in try await change(request, context, to: .active) }
    }

    /// `{"achievement": id, "recipient": {"email": …} | {"did": …}, "format": …, "algorithm": …, "revocationList": bool}`;
    /// `format` is `ob3-di` (default), `ob3-jwt` (`algorithm` EdDSA (default), ES256 or RS256), `ob2-signed`,
    /// `ob2-hosted` or `edc-jades`. An `Idempotency-Key` header makes retries safe: the first request answers 201,
    /// every later one with the same key 200 and the same credential.
    func issue(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let issuer = try await auth.authorize(request, context)
        let body = try await IssuerAPI.jsonBody(request, context)
        let fields = ["achievement", "recipient", "format", "algorithm", "revocationList"]
        for key in body.keys where !fields.contains(key) {
            throw APIError(.badRequest, .invalidField, "\(key) is not an issuing field (\(fields.joined(separator: ", ")))")
        }
        guard let achievementID = body["achievement"]?.stringValue.flatMap(UUID.init(uuidString:)) else {
            throw APIError(.badRequest, .invalidField, "achievement must be an achievement id")
        }
        let recipient: IssuingService.Recipient
        switch (body["recipient"]?["email"]?.stringValue, body["recipient"]?["did"]?.stringValue, body["recipient"]?.objectValue?.count) {
        case (let email?, nil, 1) where email.contains("@") && !email.hasPrefix("@") && !email.hasSuffix("@"): recipient = .email(email)
        case (nil, let did?, 1) where did.hasPrefix("did:") && did.count > 6: recipient = .did(did)
        default: throw APIError(.badRequest, .invalidField, #"recipient must be {"email": address} or {"did": DID}"#)
        }
        let key = request.headers[.init("Idempotency-Key")!]
        if let key, key.isEmpty || key.count > 255 { throw APIError(.badRequest, .invalidField, "Idempotency-Key must be 1–255 characters") }
        let revocationList: Bool
        switch body["revocationList"] {
        case nil: revocationList = false
        case .bool(let value)?: revocationList = value
        default: throw APIError(.badRequest, .invalidField, "revocationList must be true or false")
        }
        let issued = try await issuing.issue(issuer: issuer, .init(achievementID: achievementID, recipient: recipient, format: try Self.format(body),
                                                                   revocationList: revocationList, idempotencyKey: key))
        context.logger.info(issued.created ? "credential issued" : "credential replayed for its idempotency key", metadata: [
            "issuer": "\(issuer.slug)", "credential": "\(issued.credential.id.lowercasedText)", "format": "\(issued.credential.format.rawValue)",
        ])
        var response = Self.credentialResponse(issued.credential, status: issued.created ? .created : .ok)
        response.headers[.location] = "/api/v1/issuers/\(issuer.slug)/credentials/\(issued.credential.id.lowercasedText)"
        return response
    }

    static func format(_ body: JSONObject) throws(APIError) -> IssuingService.Format {
        let algorithm = body["algorithm"]
        if let algorithm, algorithm.stringValue == nil { throw APIError(.badRequest, .invalidField, "algorithm must be a string") }
        let name = body["format"].map { $0.stringValue ?? "" } ?? "ob3-di"
        if name != "ob3-jwt", algorithm != nil { throw APIError(.badRequest, .invalidField, "algorithm applies to format ob3-jwt only") }
        switch name {
        case "ob3-di": return .ob3DataIntegrity
        case "ob3-jwt":
            let text = algorithm?.stringValue ?? "EdDSA"
            guard let value = SignatureAlgorithm(rawValue: text), IssuingService.Format.jwtAlgorithms.contains(value) else {
                throw APIError(.badRequest, .invalidField, "algorithm must be one of \(IssuingService.Format.jwtAlgorithms.map(\.rawValue).joined(separator: ", "))")
            }
            return .ob3JWT(value)
        case "ob2-signed": return .ob2Signed
        case "ob2-hosted": return .ob2Hosted
        case "edc-jades": return .edcJAdES
        default:
            throw APIError(.badRequest, .invalidField, "format must be one of ob3-di, ob3-jwt, ob2-signed, ob2-hosted, edc-jades")
        }
    }

    func read(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let issuer = try await auth.authorize(request, context)
        return Self.credentialResponse(try await find(context, issuer), status: .ok)
    }

    /// Revoke (final, with an optional `{"reason": …}`), suspend, reinstate: the state and its status bits change in one transaction.
    func change(_ request: Request, _ context: BasicRequestContext, to state: IssuedCredential.State) async throws -> Response {
        let issuer = try await auth.authorize(request, context)
        var reason: String?
        if state == .revoked, request.headers[.contentType] != nil {
            let body = try await IssuerAPI.jsonBody(request, context)
            for key in body.keys where key != "reason" { throw APIError(.badRequest, .invalidField, "\(key) is not a revocation field (reason)") }
            if let value = body["reason"] {
                guard let text = value.stringValue else { throw APIError(.badRequest, .invalidField, "reason must be a string") }
                reason = text
            }
        }
        let credential = try await find(context, issuer)
        let changed: IssuedCredential
        do { changed = try await storage.credentials.setState(state, reason: reason, id: credential.id, issuerID: issuer.id) } catch {
            if error.code == .constraint { throw APIError(.conflict, .invalidField, error.message) }
            throw IssuerAPI.refused(error)
        }
        if changed.state != credential.state {
            metrics.changed(to: changed.state)
            context.logger.notice("credential state changed", metadata: [
                "issuer": "\(issuer.slug)", "credential": "\(changed.id.lowercasedText)", "from": "\(credential.state.rawValue)",
                "to": "\(changed.state.rawValue)",
            ])
        }
        var summary: JSONObject = ["id": .string(changed.id.lowercasedText), "state": .string(changed.state.rawValue)]
        if let reason = changed.revocationReason { summary["reason"] = .string(reason) }
        return IssuerAPI.json(.ok, .object(summary))
    }

    func find(_ context: BasicRequestContext, _ issuer: Issuer) async throws -> IssuedCredential {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw APIError(.notFound, .notFound, "no such credential")
        }
        do { return try await storage.credentials.credential(id: id, issuerID: issuer.id) } catch { throw IssuerAPI.refused(error) }
    }

    /// `application/vc+ld+json` (OB 3.0 Data Integrity), `application/vc+jwt` (VC-JWT), `application/jwt` (OB 2.0
    /// signed), `application/ld+json` (OB 2.0 hosted), `application/jades+json` (the Europass envelope, JWS JSON).
    static func mediaType(_ format: IssuedCredential.Format) -> String {
        switch format {
        case .ob3DataIntegrity: "application/vc+ld+json"
        case .ob3JWT: "application/vc+jwt"
        case .ob2Signed: "application/jwt"
        case .ob2Hosted: "application/ld+json"
        case .edcJAdES: "application/jose+json"
        }
    }

    static func credentialResponse(_ credential: IssuedCredential, status: HTTPResponse.Status) -> Response {
        var headers: HTTPFields = [.contentType: mediaType(credential.format)]
        headers[.init("Nachweis-Credential-Format")!] = credential.format.rawValue
        headers[.init("Nachweis-Credential-State")!] = credential.state.rawValue
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: credential.document)))
    }
}
