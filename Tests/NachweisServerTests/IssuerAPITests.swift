import Foundation
import NachweisJSON
import NachweisServer
import NachweisStore
import Testing

/// The staff API through a live server on 127.0.0.1: the authorization matrix, profile updates, tokens, bad input.
@Suite("Issuer staff API", .timeLimit(.minutes(3)))
struct IssuerAPITests {
    struct Fixture {
        let server: LiveServer
        let tu: Issuer, ihk: Issuer
        let tuToken: String, ihkToken: String, revokedToken: String
        let tuTokenID: UUID
    }

    static func fixture(selfAddressed: Bool = false, verification: NachweisServer.Verification? = nil) async throws -> Fixture {
        let storage = try SQLiteStorage.inMemory()
        // The eIDAS identifier the development seal certificate names (Keys/seal-p256.pem): its Europass credentials bind.
        let tu = Issuer(slug: "tu-berlin", name: "TU Berlin", country: "DE", eidasIdentifier: "VATDE-000000000", homepage: "https://www.tu.berlin")
        let ihk = Issuer(slug: "ihk-muenchen", name: "IHK München", country: "DE", homepage: "https://www.ihk-muenchen.de")
        try await storage.issuers.create(tu)
        try await storage.issuers.create(ihk)
        func token(_ issuer: Issuer, revoked: Bool = false) async throws -> (String, UUID) {
            let secret = try APITokenSecret.generate()
            let token = APIToken(issuerID: issuer.id, label: "staff", secretHash: secret.hash)
            try await storage.apiTokens.add(token)
            if revoked { try await storage.apiTokens.revoke(tokenID: token.id, issuerID: issuer.id, at: Date()) }
            return (secret.text, token.id)
        }
        let (tuToken, tuTokenID) = try await token(tu)
        let (ihkToken, _) = try await token(ihk)
        let (revoked, _) = try await token(tu, revoked: true)
        return Fixture(server: try await LiveServer.start(storage: storage, selfAddressed: selfAddressed, verification: verification), tu: tu, ihk: ihk, tuToken: tuToken, ihkToken: ihkToken,
                       revokedToken: revoked, tuTokenID: tuTokenID)
    }

    static func error(_ reply: LiveServer.Reply) -> String? {
        (try? JSONParser().parse(Array(reply.body.utf8)))?["error"]?.stringValue
    }

    @Test("no token, a malformed, unknown or revoked token: 401; another issuer's token: 403 — and nothing changes")
    func authorizationMatrix() async throws {
        let f = try await Self.fixture()
        defer { f.server.stop() }
        let patch = #"{"name": "Hijacked"}"#
        for (token, status, code) in [(nil, 401, "auth.missing_token"), ("nw_unknown", 401, "auth.invalid_token"),
                                      (f.revokedToken, 401, "auth.invalid_token"), (f.ihkToken, 403, "auth.forbidden")] as [(String?, Int, String)] {
            for (method, path, body) in [("GET", "/api/v1/issuers/tu-berlin", nil), ("PATCH", "/api/v1/issuers/tu-berlin", patch),
                                         ("GET", "/api/v1/issuers/tu-berlin/tokens", nil),
                                         ("DELETE", "/api/v1/issuers/tu-berlin/tokens/\(f.tuTokenID.uuidString)", nil)] as [(String, String, String?)] {
                let reply = try await f.server.request(method, path, token: token, body: body)
                #expect(reply.status == status && Self.error(reply) == code, "\(method) \(path) with \(token ?? "no token"): \(reply.status) \(reply.body)")
                if status == 401 { #expect(reply.headers["www-authenticate"]?.hasPrefix("Bearer") == true) }
            }
        }
        // A slug that does not exist looks the same as another issuer's: 403, not 404.
        #expect(try await f.server.request("GET", "/api/v1/issuers/no-such-issuer", token: f.tuToken).status == 403)
        #expect(try await f.server.storage.issuers.issuer(slug: "tu-berlin").name == "TU Berlin")
        #expect(try await f.server.storage.apiTokens.tokens(issuerID: f.tu.id).filter { !$0.isRevoked }.count == 1)
    }

    @Test("an issuer reads and updates its own profile; null clears an optional field")
    func profile() async throws {
        let f = try await Self.fixture()
        defer { f.server.stop() }
        let read = try await f.server.request("GET", "/api/v1/issuers/tu-berlin", token: f.tuToken)
        #expect(read.status == 200 && read.headers["content-type"] == "application/json")
        let profile = try JSONParser().parse(Array(read.body.utf8))
        #expect(profile["slug"] == "tu-berlin" && profile["id"]?.stringValue == f.tu.id.uuidString.lowercased())
        let updated = try await f.server.request("PATCH", "/api/v1/issuers/tu-berlin", token: f.tuToken,
                                                 body: #"{"legalName": "Technische Universität Berlin", "email": "badges@tu.berlin"}"#)
        #expect(updated.status == 200, "\(updated.body)")
        #expect(try await f.server.storage.issuers.issuer(slug: "tu-berlin").legalName == "Technische Universität Berlin")
        _ = try await f.server.request("PATCH", "/api/v1/issuers/tu-berlin", token: f.tuToken, body: #"{"email": null}"#)
        #expect(try await f.server.storage.issuers.issuer(slug: "tu-berlin").email == nil)
    }

    @Test("bad bodies get a typed 4xx and change nothing", arguments: [
        (#"{"country": "Germany"}"#, "application/json", 422, "request.invalid_field"),
        (#"{"slug": "taken"}"#, "application/json", 400, "request.invalid_field"),
        (#"{"name": 42}"#, "application/json", 400, "request.invalid_field"),
        (#"{"name": "A""#, "application/json", 400, "request.invalid_json"),
        (#"["name"]"#, "application/json", 400, "request.invalid_json"),
        (#"{"name": "A", "name": "B"}"#, "application/json", 400, "request.invalid_json"),
        ("name=A", "application/x-www-form-urlencoded", 415, "request.unsupported_media_type"),
        (#"{"name": ""# + String(repeating: "x", count: 70_000) + #""}"#, "application/json", 413, "request.too_large"),
    ])
    func badBodies(body: String, type: String, status: Int, code: String) async throws {
        let f = try await Self.fixture()
        defer { f.server.stop() }
        let reply = try await f.server.request("PATCH", "/api/v1/issuers/tu-berlin", token: f.tuToken, body: body, contentType: type)
        #expect(reply.status == status && Self.error(reply) == code, "\(reply.status) \(reply.body.prefix(200))")
        #expect(try await f.server.storage.issuers.issuer(slug: "tu-berlin") == f.tu)
    }

    @Test("tokens: listed without secrets; revoking one makes it fail at once; unknown ids are 404")
    func tokens() async throws {
        let f = try await Self.fixture()
        defer { f.server.stop() }
        let list = try await f.server.request("GET", "/api/v1/issuers/tu-berlin/tokens", token: f.tuToken)
        #expect(list.status == 200 && !list.body.contains("nw_"))
        #expect(try JSONParser().parse(Array(list.body.utf8)).arrayValue?.count == 2)
        #expect(try await f.server.request("DELETE", "/api/v1/issuers/tu-berlin/tokens/\(UUID().uuidString)", token: f.tuToken).status == 404)
        #expect(try await f.server.request("DELETE", "/api/v1/issuers/tu-berlin/tokens/not-a-uuid", token: f.tuToken).status == 404)
        #expect(try await f.server.request("DELETE", "/api/v1/issuers/tu-berlin/tokens/\(f.tuTokenID.uuidString)", token: f.tuToken).status == 204)
        #expect(try await f.server.request("GET", "/api/v1/issuers/tu-berlin", token: f.tuToken).status == 401)
    }
}
