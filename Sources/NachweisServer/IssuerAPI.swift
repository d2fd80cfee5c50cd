import Foundation
import Hummingbird
import NachweisJSON
import NachweisStore

/// Staff API for an issuer's own profile and tokens, under `/api/v1/issuers/{slug}`. Every route needs a bearer
/// token of that issuer: none or an unknown or revoked one is 401, another issuer's is 403 — for a slug that does
/// not exist as well, so that a token does not reveal which issuers exist.
struct IssuerAPI {
    let storage: any Storage
    /// Largest request body the staff API reads.
    static let maxBody = 64 * 1024

    func register(on router: Router<BasicRequestContext>) {
        let group = router.group("api/v1/issuers/:slug")
        group.get { request, context in try await profile(request, context) }
        group.patch { request, context in try await update(request, context) }
        group.get("tokens") { request, context in try await tokens(request, context) }
        group.delete("tokens/:id") { request, context in try await revoke(request, context) }
    }

    /// The issuer a staff request may act for.
    func authorize(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> Issuer {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, .missingToken, "this route needs an Authorization: Bearer token")
        }
        guard header.hasPrefix("Bearer "), header.count > 7 else {
            throw APIError(.unauthorized, .invalidToken, "the Authorization header must be Bearer <token>")
        }
        let hash = APITokenSecret(text: String(header.dropFirst(7))).hash
        let token: APIToken?
        do { token = try await storage.apiTokens.token(secretHash: hash) } catch { throw Self.unavailable(error) }
        guard let token, !token.isRevoked else { throw APIError(.unauthorized, .invalidToken, "unknown or revoked token") }
        let owner: Issuer
        do { owner = try await storage.issuers.issuer(id: token.issuerID) } catch { throw Self.unavailable(error) }
        guard owner.slug == context.parameters.get("slug") else {
            throw APIError(.forbidden, .forbidden, "this token is not for that issuer")
        }
        return owner
    }

    func profile(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        Self.json(.ok, Self.representation(try await authorize(request, context)))
    }

    /// PATCH: the members given replace the stored ones (`null` clears an optional one); unknown members are refused.
    func update(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var issuer = try await authorize(request, context)
        let body = try await Self.jsonBody(request, context)
        for member in body {
            let field = BodyField(member)
            switch member.key {
            case "name": issuer.name = try field.text()
            case "legalName": issuer.legalName = try field.optionalText()
            case "country": issuer.country = try field.text()
            case "eidasIdentifier": issuer.eidasIdentifier = try field.optionalText()
            case "homepage": issuer.homepage = try field.text()
            case "email": issuer.email = try field.optionalText()
            case "image": issuer.imageURL = try field.optionalText()
            default:
                throw APIError(.badRequest, .invalidField, "\(member.key) cannot be changed (changeable: name, legalName, country, eidasIdentifier, homepage, email, image)")
            }
        }
        do { try await storage.issuers.update(issuer) } catch { throw Self.refused(error) }
        return Self.json(.ok, Self.representation(issuer))
    }

    func tokens(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let issuer = try await authorize(request, context)
        let tokens: [APIToken]
        do { tokens = try await storage.apiTokens.tokens(issuerID: issuer.id) } catch { throw Self.unavailable(error) }
        return Self.json(.ok, .array(tokens.map { token in
            ["id": .string(token.id.lowercasedText), "label": .string(token.label),
             "state": .string(token.isRevoked ? "revoked" : "active"), "created": .string(RFC3339.format(token.createdAt))]
        }))
    }

    func revoke(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let issuer = try await authorize(request, context)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw APIError(.notFound, .notFound, "no such token")
        }
        do { try await storage.apiTokens.revoke(tokenID: id, issuerID: issuer.id, at: Date()) } catch { throw Self.refused(error) }
        return Response(status: .noContent)
    }

    // MARK: Representation and bodies

    static func representation(_ issuer: Issuer) -> JSONValue {
        var object: JSONObject = ["id": .string(issuer.id.lowercasedText), "slug": .string(issuer.slug),
                                  "name": .string(issuer.name), "country": .string(issuer.country),
                                  "homepage": .string(issuer.homepage), "created": .string(RFC3339.format(issuer.createdAt))]
        if let v = issuer.legalName { object["legalName"] = .string(v) }
        if let v = issuer.eidasIdentifier { object["eidasIdentifier"] = .string(v) }
        if let v = issuer.email { object["email"] = .string(v) }
        if let v = issuer.imageURL { object["image"] = .string(v) }
        return .object(object)
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: value.compactText)))
    }

    /// A JSON object body: `application/json`, at most ``maxBody`` bytes, strictly parsed.
    static func jsonBody(_ request: Request, _ context: BasicRequestContext) async throws(APIError) -> JSONObject {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/json" else {
            throw APIError(.unsupportedMediaType, .unsupportedMediaType, "send the body as application/json")
        }
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: maxBody) } catch {
            throw APIError(.contentTooLarge, .tooLarge, "the body is larger than \(maxBody) bytes")
        }
        let value: JSONValue
        do { value = try JSONParser().parse(Array(buffer.readableBytesView)) } catch {
            throw APIError(.badRequest, .invalidJSON, "\(error)")
        }
        guard let object = value.objectValue else { throw APIError(.badRequest, .invalidJSON, "the body must be a JSON object") }
        return object
    }

    static func refused(_ error: any Error) -> APIError {
        guard let error = error as? StoreError else { return unavailable(error) }
        switch error.code {
        case .notFound: return APIError(.notFound, .notFound, error.message)
        case .constraint, .conflict: return APIError(.unprocessableContent, .invalidField, error.message)
        default: return unavailable(error)
        }
    }

    static func unavailable(_ error: any Error) -> APIError {
        APIError(.serviceUnavailable, .unavailable, "the database did not answer")
    }
}
