import Foundation
import NachweisJSON
import NachweisServer
import NachweisStore
import NachweisTestSupport
import Testing

/// Every route, called once on a live server with real ids and a sensible body: it succeeds, with a status the
/// OpenAPI document lists for that operation and a documented media type — no route undocumented, none uncalled.
@Suite("Route conformance", .timeLimit(.minutes(3)))
struct RouteConformanceTests {
    @Test("each route succeeds with a documented status and media type")
    func everyRoute() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let storage = s.server.storage
        let issue = { (format: String) async throws -> String in
            IssuingFormatTests.credentialID(try await IssuingFormatTests.issue(s, #", "format": "\#(format)""#))
        }
        let credential = try await issue("ob3-di"), hosted = try await issue("ob2-hosted")
        let verifiable = try await IssuingFormatTests.issue(s, #", "format": "ob3-jwt""#).body
        let rsaKey = try #require(try await storage.signingKeys.activeKeys(issuerID: s.f.tu.id).first { $0.algorithm == "RS256" })
        let list = try #require(try await storage.statusLists.lists(issuerID: s.f.tu.id).first)
        let spare = APIToken(issuerID: s.f.tu.id, label: "spare", secretHash: try APITokenSecret.generate().hash)
        try await storage.apiTokens.add(spare)

        // A learner with a credential in the wallet, signed in.
        var password = "a long enough password"
        let learner = #"{"email": "ada@example.org", "password": "\#(password)"}"#
        #expect(try await s.server.request("POST", "/api/v1/wallet/accounts", body: learner).status == 201)
        let walletToken = try #require(WalletAPITests.json(try await s.server.request("POST", "/api/v1/wallet/sessions", body: learner).body)["token"]?.stringValue)
        let held = try await s.server.send("POST", "/api/v1/wallet/credentials", token: walletToken, bytes: Array(verifiable.utf8))
        let walletCredential = try #require(WalletAPITests.json(held.body)["id"]?.stringValue)
        let shared = WalletAPITests.json(try await s.server.request("POST", "/api/v1/wallet/shares", token: walletToken,
                                                                    body: #"{"credentials": ["\#(walletCredential)"]}"#).body)
        let shareLink = try #require(shared["id"]?.stringValue)
        let grouped = WalletAPITests.json(try await s.server.request("POST", "/api/v1/wallet/collections", token: walletToken,
                                                                     body: #"{"name": "Programme", "credentials": ["\#(walletCredential)"]}"#).body)
        let collection = try #require(grouped["id"]?.stringValue)
        let shareToken = try #require(shared["url"]?.stringValue?.split(separator: "/").last.map(String.init))

        let document = try OpenAPITests.document()
        let routes = NachweisServer.router(storage: storage).routes.map { ("\($0.method.rawValue)", "\($0.path)".hasPrefix("/") ? "\($0.path)" : "/\($0.path)") }
        // Destructive calls last, so that the others still find what they need.
        let last = ["/archive", "/revoke", "DELETE"]
        let ordered = routes.sorted { a, b in
            // Deleting the wallet's account ends its sessions: after everything else.
            let rank = { (r: (String, String)) in r == ("DELETE", "/api/v1/wallet/account") ? 99 : last.firstIndex { r.1.hasSuffix($0) || r.0 == $0 } ?? -1 }
            return (rank(a), a.1, a.0) < (rank(b), b.1, b.0)
        }
        var called = 0
        for (method, template) in ordered {
            var path = template.replacingOccurrences(of: "{slug}", with: "tu-berlin").replacingOccurrences(of: "{list}", with: list.id.uuidString.lowercased())
            let id: String
            switch template {
            case let t where t.hasPrefix("/api/v1/wallet/credentials/"): id = walletCredential
            case let t where t.hasPrefix("/api/v1/wallet/shares/"): id = shareLink
            case let t where t.hasPrefix("/api/v1/wallet/collections/"): id = collection
            case let t where t.contains("/tokens/"): id = spare.id.uuidString.lowercased()
            case let t where t.contains("/credentials/"): id = credential
            case let t where t.contains("/ob2/keys/"): id = rsaKey.id.uuidString.lowercased()
            case let t where t.contains("/ob2/assertions/"): id = hosted
            default: id = s.achievementID
            }
            path = path.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(of: "{token}", with: shareToken)
            let body: String? = switch (method, template) {
            case ("PATCH", "/api/v1/issuers/{slug}"): #"{"email": "badges@tu.berlin"}"#
            case ("POST", "/api/v1/issuers/{slug}/achievements"): AchievementAPITests.microCredential
            case ("PATCH", _): #"{"description": "Read, question and present data well."}"#
            case ("POST", "/api/v1/issuers/{slug}/credentials"): #"{"achievement": "\#(s.achievementID)", "recipient": {"did": "did:example:ada"}}"#
            case ("POST", let t) where t.hasSuffix("/revoke"): #"{"reason": "conformance test"}"#
            case ("POST", "/verify"), ("POST", "/api/v1/wallet/credentials"): verifiable
            case ("POST", "/api/v1/wallet/shares"): #"{"credentials": ["\#(walletCredential)"], "maxViews": 5}"#
            case ("POST", "/api/v1/wallet/collections"): #"{"name": "Job application", "credentials": ["\#(walletCredential)"]}"#
            case ("PUT", "/api/v1/wallet/collections/{id}/credentials"): #"{"credentials": ["\#(walletCredential)"]}"#
            case ("POST", "/api/v1/wallet/stackability"): #"{"minimumECTS": 5, "eqfLevel": {"min": 5}}"#
            case ("POST", "/api/v1/wallet/accounts"): #"{"email": "bob@example.org", "password": "another long password"}"#
            case ("POST", "/api/v1/wallet/sessions"): #"{"email": "ada@example.org", "password": "\#(password)"}"#
            case ("PUT", "/api/v1/wallet/account/password"): #"{"current": "\#(password)", "new": "a changed long password"}"#
            case ("DELETE", "/api/v1/wallet/account"): #"{"password": "\#(password)"}"#
            default: nil
            }
            var token = template.hasPrefix("/api/") ? s.f.tuToken : nil
            if template.hasPrefix("/api/v1/wallet") { token = walletToken }
            if (method, template) == ("DELETE", "/api/v1/wallet/sessions/current") {
                // A session of its own to end (the others go on).
                let signIn = try await s.server.request("POST", "/api/v1/wallet/sessions", body: #"{"email": "ada@example.org", "password": "\#(password)"}"#)
                token = WalletAPITests.json(signIn.body)["token"]?.stringValue
            }
            let reply = try await s.server.request(method, path, token: token, body: body)
            if (method, template, reply.status) == ("PUT", "/api/v1/wallet/account/password", 204) { password = "a changed long password" }
            let operation = try #require(document["paths"]?[template]?[method.lowercased()], "\(method) \(template) is not documented")
            let responses = try #require(operation["responses"]?.objectValue)
            let documented = responses[String(reply.status)]
            #expect(documented != nil, "\(method) \(path) answered \(reply.status), documented: \(responses.keys): \(reply.body.prefix(300))")
            // Every call is set up to succeed: a 4xx here is a broken route (or test), not a refusal under test.
            #expect((200..<300).contains(reply.status), "\(method) \(path): \(reply.status) \(reply.body.prefix(300))")
            if (200..<300).contains(reply.status), let documented {
                let resolved = try Self.resolve(documented, in: document)
                let types = resolved["content"]?.objectValue?.keys ?? []
                let type = reply.headers["content-type"].map { String($0.split(separator: ";")[0]) } ?? ""
                #expect(types.isEmpty || types.contains(type) || types.contains("*/*"), "\(method) \(path): \(type) not among \(types)")
            }
            called += 1
        }
        #expect(called == routes.count && called > 25)
    }

    /// A `$ref` to `#/components/...`, followed.
    static func resolve(_ value: JSONValue, in document: JSONValue) throws -> JSONValue {
        guard let reference = value["$ref"]?.stringValue else { return value }
        var node = document
        for token in reference.dropFirst(2).split(separator: "/") { node = try #require(node[String(token)]) }
        return node
    }
}
