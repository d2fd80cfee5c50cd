import Foundation
import Hummingbird
import NachweisJSON
import NachweisStore

/// Staff API for issuing and for the life of issued credentials, under `/api/v1/issuers/{slug}/credentials`.
struct CredentialAPI {
    let storage: any Storage
    let auth: IssuerAPI
    let issuing: IssuingService

    func register(on router: Router<BasicRequestContext>) {
        let group = router.group("api/v1/issuers/:slug/credentials")
        group.post { request, context in try await issue(request, context) }
        group.get(":id") { request, context in try await read(request, context) }
        group.post(":id/revoke") { request, context in try await change(request, context, to: .revoked) }
        group.post(":id/suspend") { request, context in try await change(request, context, to: .suspended) }
        group.post(":id/reinstate") { request, context in try await change(request, context, to: .active) }
    }

    /// `{"achievement": id, "recipient": {"email": …} | {"did": …}}`; an `Idempotency-Key` header makes retries safe:
    /// the first request answers 201, every later one with the same key 200 and the same credential.
    func issue(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let issuer = try await auth.authorize(request, context)
        let body = try await IssuerAPI.jsonBody(request, context)
        for key in body.keys where !["achievement", "recipient"].contains(key) {
            throw APIError(.badRequest, .invalidField, "\(key) is not an issuing field (achievement, recipient)")
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
        let issued = try await issuing.issue(issuer: issuer, achievementID: achievementID, recipient: recipient, idempotencyKey: key)
        var response = Self.credentialResponse(issued.credential, status: issued.created ? .created : .ok)
        response.headers[.location] = "/api/v1/issuers/\(issuer.slug)/credentials/\(issued.credential.id.uuidString.lowercased())"
        return response
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
        var summary: JSONObject = ["id": .string(changed.id.uuidString.lowercased()), "state": .string(changed.state.rawValue)]
        if let reason = changed.revocationReason { summary["reason"] = .string(reason) }
        return IssuerAPI.json(.ok, .object(summary))
    }

    func find(_ context: BasicRequestContext, _ issuer: Issuer) async throws -> IssuedCredential {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw APIError(.notFound, .notFound, "no such credential")
        }
        do { return try await storage.credentials.credential(id: id, issuerID: issuer.id) } catch { throw IssuerAPI.refused(error) }
    }

    static func credentialResponse(_ credential: IssuedCredential, status: HTTPResponse.Status) -> Response {
        var headers: HTTPFields = [.contentType: "application/vc+ld+json"]
        headers[.init("Nachweis-Credential-State")!] = credential.state.rawValue
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: credential.document)))
    }
}
