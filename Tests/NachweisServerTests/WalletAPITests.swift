import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
@testable import NachweisServer
import NachweisStore
import NachweisTestSupport
import NachweisVerifier
import Testing

/// The learner wallet over HTTP on a live server: accounts and sessions, imports of every format with their
/// verification, listing and filtering, export of the exact bytes, and what one learner can never do to another's.
@Suite("Learner wallet API", .timeLimit(.minutes(3)))
struct WalletAPITests {
    static func json(_ body: String) -> JSONValue { (try? JSONParser().parse(Array(body.utf8))) ?? .null }
    static func json(_ bytes: [UInt8]) -> JSONValue { (try? JSONParser().parse(bytes)) ?? .null }

    /// Signs up (when `signUp`) and in; returns the session token.
    static func session(_ server: LiveServer, _ email: String, _ password: String = "a long enough password", signUp: Bool = true) async throws -> String {
        let account = #"{"email": "\#(email)", "password": "\#(password)"}"#
        if signUp {
            let created = try await server.request("POST", "/api/v1/wallet/accounts", body: account)
            #expect(created.status == 201, "\(created.body)")
        }
        let signedIn = try await server.request("POST", "/api/v1/wallet/sessions", body: account)
        #expect(signedIn.status == 201, "\(signedIn.body)")
        return try #require(json(signedIn.body)["token"]?.stringValue)
    }

    /// A credential issued by the fixture's issuer through the staff API, as the learner would receive it.
    static func issue(_ s: CredentialAPITests.Setup, format: String, email: String = "ada@example.org") async throws -> (id: String, document: String) {
        let reply = try await s.f.server.request("POST", "/api/v1/issuers/tu-berlin/credentials", token: s.f.tuToken,
                                                 body: #"{"achievement": "\#(s.achievementID)", "recipient": {"email": "\#(email)"}, "format": "\#(format)"}"#)
        #expect(reply.status == 201, "\(format): \(reply.body)")
        let id = try #require(reply.headers["location"]?.split(separator: "/").last.map(String.init))
        return (id, reply.body)
    }

    @Test("sign-up, sign-in, sign-out and password change: sessions are opaque, hashed, and end when they should")
    func accounts() async throws {
        let server = try await LiveServer.start(storage: try SQLiteStorage.inMemory())
        defer { server.stop() }
        let token = try await Self.session(server, "Ada@Example.org")
        let secret = try Base64URL.decode(String(token.dropFirst(4)))
        #expect(token.hasPrefix("nws_") && secret.count == 32)
        // Only the hash is stored.
        let stored = try await server.storage.wallet.session(tokenHash: WalletAPI.tokenHash(token))
        #expect(stored != nil && stored?.tokenHash != token)
        let account = try await server.request("GET", "/api/v1/wallet/account", token: token)
        #expect(account.status == 200 && Self.json(account.body)["email"] == "ada@example.org")
        // The same email again, however written: 409; a short password or an unknown member: 400.
        for (body, status) in [(#"{"email": "ADA@example.org", "password": "another long password"}"#, 409),
                               (#"{"email": "bob@example.org", "password": "short"}"#, 400),
                               (#"{"email": "not an email", "password": "a long enough password"}"#, 400),
                               (#"{"email": "bob@example.org", "password": "a long enough password", "admin": true}"#, 400)] {
            #expect(try await server.request("POST", "/api/v1/wallet/accounts", body: body).status == status, "\(body)")
        }
        // Wrong password and unknown email: the same 401.
        let wrong = try await server.request("POST", "/api/v1/wallet/sessions", body: #"{"email": "ada@example.org", "password": "not the password"}"#)
        let unknown = try await server.request("POST", "/api/v1/wallet/sessions", body: #"{"email": "eve@example.org", "password": "not the password"}"#)
        #expect(wrong.status == 401 && unknown.status == 401 && Self.json(wrong.body)["message"] == Self.json(unknown.body)["message"])
        // A second session; changing the password from the first ends the second, keeps the first.
        let second = try await Self.session(server, "ada@example.org", signUp: false)
        let change = try await server.request("PUT", "/api/v1/wallet/account/password", token: token,
                                              body: #"{"current": "a long enough password", "new": "a new and longer password"}"#)
        #expect(change.status == 204, "\(change.body)")
        #expect(try await server.request("GET", "/api/v1/wallet/account", token: second).status == 401)
        #expect(try await server.request("GET", "/api/v1/wallet/account", token: token).status == 200)
        #expect(try await server.request("POST", "/api/v1/wallet/sessions", body: #"{"email": "ada@example.org", "password": "a long enough password"}"#).status == 401)
        _ = try await Self.session(server, "ada@example.org", "a new and longer password", signUp: false)
        // A wrong current password changes nothing (403).
        let refused = try await server.request("PUT", "/api/v1/wallet/account/password", token: token,
                                               body: #"{"current": "wrong wrong wrong", "new": "yet another password"}"#)
        #expect(refused.status == 403)
        // Sign-out: that token is 401 from then on.
        #expect(try await server.request("DELETE", "/api/v1/wallet/sessions/current", token: token).status == 204)
        #expect(try await server.request("GET", "/api/v1/wallet/account", token: token).status == 401)
        #expect(try await server.request("GET", "/api/v1/wallet/account").status == 401)
        #expect(try await server.request("GET", "/api/v1/wallet/account", token: "nws_" + String(repeating: "A", count: 43)).status == 401)
    }

    @Test("five failed sign-ins for an email: the next is 429 with Retry-After, the right password included; other emails unaffected")
    func signInLimit() async throws {
        let server = try await LiveServer.start(storage: try SQLiteStorage.inMemory())
        defer { server.stop() }
        _ = try await Self.session(server, "ada@example.org")
        _ = try await Self.session(server, "bob@example.org")
        for _ in 0..<5 {
            #expect(try await server.request("POST", "/api/v1/wallet/sessions", body: #"{"email": "ada@example.org", "password": "guess guess guess"}"#).status == 401)
        }
        let limited = try await server.request("POST", "/api/v1/wallet/sessions", body: #"{"email": "ada@example.org", "password": "a long enough password"}"#)
        #expect(limited.status == 429 && Self.json(limited.body)["error"] == "auth.rate_limited")
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 > 0)
        _ = try await Self.session(server, "bob@example.org", signUp: false)
        // The window passing lets the email in again (the limiter's clock, not the test's patience).
        let limiter = SignInLimiter(maximumFailures: 2, window: 60)
        let start = Date()
        limiter.failed("x@example.org", at: start)
        limiter.failed("x@example.org", at: start)
        #expect(limiter.refusal(for: "x@example.org", at: start + 30) == 30)
        #expect(limiter.refusal(for: "x@example.org", at: start + 61) == nil)
    }

    @Test("imports of every issued format keep the exact bytes, read the summary, verify, and are found by the filters; the same bytes twice are one credential")
    func importAndList() async throws {
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let server = s.f.server
        let token = try await Self.session(server, "ada@example.org")
        var imported: [String: JSONValue] = [:]
        for format in ["ob3-jwt", "ob3-di"] {
            let issued = try await Self.issue(s, format: format)
            let reply = try await server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: Array(issued.document.utf8),
                                              contentType: format == "ob3-jwt" ? "application/jwt" : "application/json")
            #expect(reply.status == 201, "\(format): \(String(decoding: reply.body, as: UTF8.self))")
            let body = Self.json(reply.body)
            #expect(body["duplicate"] == false && body["title"] == "Data Literacy for SMEs" && body["issuer"]?["name"] == "TU Berlin", "\(format)")
            #expect(body["verdict"] == "valid", "\(format): \(body["verification"]?.compactText ?? "")")
            imported[format] = body
            // Exported byte for byte as received.
            let id = try #require(body["id"]?.stringValue)
            let export = try await server.send("GET", "/api/v1/wallet/credentials/\(id)/export", token: token)
            #expect(export.status == 200 && export.body == Array(issued.document.utf8))
            #expect(export.headers["content-type"] == (format == "ob3-jwt" ? "application/jwt" : "application/json"))
        }
        #expect(imported["ob3-jwt"]?["eqfLevel"] == 6 && imported["ob3-jwt"]?["ects"] == 5 && imported["ob3-jwt"]?["status"] == "active")
        #expect(imported["ob3-jwt"]?["achievementType"] == "MicroCredential" && imported["ob3-jwt"]?["format"] == "ob3-jwt")
        // The same bytes again: 200, duplicate, nothing new.
        let jwtID = try #require(imported["ob3-jwt"]?["id"]?.stringValue)
        let again = try await server.send("GET", "/api/v1/wallet/credentials/\(jwtID)/export", token: token)
        let repeated = try await server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: again.body, contentType: "application/jwt")
        #expect(repeated.status == 200 && Self.json(repeated.body)["duplicate"] == true && Self.json(repeated.body)["id"]?.stringValue == jwtID)
        // Listing and filters.
        func listed(_ query: String) async throws -> (total: Int, formats: Set<String>) {
            let reply = try await server.request("GET", "/api/v1/wallet/credentials\(query)", token: token)
            #expect(reply.status == 200, "\(query): \(reply.body)")
            let body = Self.json(reply.body)
            return (body["total"]?.numberValue?.intValue ?? -1, Set((body["items"]?.arrayValue ?? []).compactMap { $0["format"]?.stringValue }))
        }
        #expect(try await listed("").total == 2)
        #expect(try await listed("?eqf=6").formats == ["ob3-jwt", "ob3-jsonld"])
        #expect(try await listed("?eqf=5").total == 0)
        #expect(try await listed("?type=MicroCredential").total == 2)
        #expect(try await listed("?issuer=TU%20Berlin").total == 2)
        #expect(try await listed("?q=literacy").total == 2)
        #expect(try await listed("?q=%25").total == 0)
        #expect(try await listed("?status=active&verdict=valid").total >= 2)
        #expect(try await listed("?from=2000-01-01&until=2100-01-01").total == 2)
        #expect(try await listed("?until=2000-01-01").total == 0)
        #expect(try await listed("?limit=1").total == 2)
        for bad in ["?eqf=9", "?status=lost", "?limit=0", "?from=yesterday", "?colour=red"] {
            #expect(try await server.request("GET", "/api/v1/wallet/credentials\(bad)", token: token).status == 400, "\(bad)")
        }
        // Export baked into a PNG and an SVG: the image carries the credential as received, and imports again as it
        // (into another wallet: in this one the bytes differ, the credential does not).
        let bob = try await Self.session(server, "bob@example.org")
        let original = try await server.send("GET", "/api/v1/wallet/credentials/\(jwtID)/export", token: token)
        for kind in ["png", "svg"] {
            let image = try await server.send("GET", "/api/v1/wallet/credentials/\(jwtID)/export?as=\(kind)", token: token)
            #expect(image.status == 200 && image.headers["content-type"] == (kind == "png" ? "image/png" : "image/svg+xml"))
            let baked = kind == "png" ? try PNGBaking.unbake(image.body).text : try SVGBaking.unbake(image.body).text
            #expect(Array(baked.utf8) == original.body)
            let imported = Self.json(try await server.send("POST", "/api/v1/wallet/credentials", token: bob, bytes: image.body).body)
            #expect(imported["format"] == "ob3-jwt" && imported["container"] == .string(kind) && imported["verdict"] == "valid", "\(imported)")
            let again = try await server.send("GET", "/api/v1/wallet/credentials/\(try #require(imported["id"]?.stringValue))/export?as=\(kind)", token: bob)
            #expect(again.body == image.body, "an image exported as its own kind is the image received")
        }
        #expect(try await server.request("GET", "/api/v1/wallet/credentials/\(jwtID)/export?as=gif", token: token).status == 400)
        // Sent as a web page, kept as what it is: an export is never served as HTML, and always as a download.
        let issuedAgain = try await Self.issue(s, format: "ob3-jwt", email: "ada+html@example.org")
        let asPage = try await server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: Array(issuedAgain.document.utf8), contentType: "text/html")
        let pageID = try #require(Self.json(asPage.body)["id"]?.stringValue)
        let download = try await server.send("GET", "/api/v1/wallet/credentials/\(pageID)/export", token: token)
        #expect(download.headers["content-type"] == "application/jwt" && download.headers["content-disposition"] == "attachment")
        #expect(download.headers["x-content-type-options"] == "nosniff" && download.headers["content-security-policy"]?.contains("sandbox") == true)
        #expect(try await server.request("DELETE", "/api/v1/wallet/credentials/\(pageID)", token: token).status == 204)
        // Detail, export as JSON, removal.
        let detail = Self.json(try await server.request("GET", "/api/v1/wallet/credentials/\(jwtID)", token: token).body)
        #expect(detail["credential"]?["type"] != nil && detail["verification"]?["verdict"] == "valid")
        let exported = try await server.request("GET", "/api/v1/wallet/credentials/\(jwtID)/export?as=json", token: token)
        #expect(exported.status == 200 && Self.json(exported.body) == detail["credential"])
        #expect(try await server.request("DELETE", "/api/v1/wallet/credentials/\(jwtID)", token: token).status == 204)
        #expect(try await listed("").total == 1)
    }

    @Test("revoked by its issuer after import: re-verification says so, and the listing's status follows")
    func reverifyAfterRevocation() async throws {
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let server = s.f.server
        let token = try await Self.session(server, "ada@example.org")
        let issued = try await Self.issue(s, format: "ob3-jwt")
        let imported = Self.json(try await server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: Array(issued.document.utf8)).body)
        let id = try #require(imported["id"]?.stringValue)
        #expect(imported["status"] == "active")
        let revoked = try await server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(issued.id)/revoke", token: s.f.tuToken,
                                               body: #"{"reason": "issued in error"}"#)
        #expect(revoked.status == 200, "\(revoked.body)")
        let again = try await server.request("POST", "/api/v1/wallet/credentials/\(id)/verify", token: token)
        #expect(again.status == 200 && Self.json(again.body)["status"] == "revoked" && Self.json(again.body)["verdict"] == "invalid",
                "\(Self.json(again.body)["verification"]?["steps"]?.compactText ?? again.body)")
        let list = Self.json(try await server.request("GET", "/api/v1/wallet/credentials?status=revoked", token: token).body)
        #expect(list["total"] == 1)
    }

    @Test("learner B can neither read, export, re-verify, delete nor list learner A's credentials; without a live session nothing at all — and A's wallet is unchanged")
    func authorizationMatrix() async throws {
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let server = s.f.server
        let a = try await Self.session(server, "ada@example.org")
        let b = try await Self.session(server, "bob@example.org")
        let ended = try await Self.session(server, "bob@example.org", signUp: false)
        #expect(try await server.request("DELETE", "/api/v1/wallet/sessions/current", token: ended).status == 204)
        let issued = try await Self.issue(s, format: "ob3-jwt")
        let id = try #require(Self.json(try await server.send("POST", "/api/v1/wallet/credentials", token: a, bytes: Array(issued.document.utf8)).body)["id"]?.stringValue)
        let before = try await server.storage.wallet.credential(id: id.uuid, learnerID: try #require(await server.storage.wallet.learner(email: "ada@example.org")).id)
        let routes = [("GET", "/api/v1/wallet/credentials/\(id)"), ("GET", "/api/v1/wallet/credentials/\(id)/export"),
                      ("GET", "/api/v1/wallet/credentials/\(id)/export?as=json"), ("POST", "/api/v1/wallet/credentials/\(id)/verify"),
                      ("DELETE", "/api/v1/wallet/credentials/\(id)")]
        for (method, path) in routes {
            let other = try await server.request(method, path, token: b)
            #expect(other.status == 404 && Self.json(other.body)["error"] == "request.not_found", "B \(method) \(path): \(other.status)")
            for token in [nil, ended, s.f.tuToken, "nws_" + String(repeating: "x", count: 43)] as [String?] {
                #expect(try await server.request(method, path, token: token).status == 401, "\(token ?? "no token") \(method) \(path)")
            }
        }
        #expect(Self.json(try await server.request("GET", "/api/v1/wallet/credentials", token: b).body)["total"] == 0)
        for (method, path) in [("GET", "/api/v1/wallet/credentials"), ("POST", "/api/v1/wallet/credentials"), ("GET", "/api/v1/wallet/account")] {
            #expect(try await server.request(method, path, token: ended).status == 401)
        }
        let after = try await server.storage.wallet.credential(id: before.id, learnerID: before.learnerID)
        #expect(after == before)
    }

    @Test("deleting an account needs the password and removes the learner's sessions and credentials; the email is free again")
    func deleteAccount() async throws {
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let server = s.f.server
        let token = try await Self.session(server, "ada@example.org")
        let issued = try await Self.issue(s, format: "ob3-jwt")
        #expect(try await server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: Array(issued.document.utf8)).status == 201)
        let learner = try #require(try await server.storage.wallet.learner(email: "ada@example.org"))
        #expect(try await server.request("DELETE", "/api/v1/wallet/account", token: token, body: #"{"password": "wrong password!"}"#).status == 403)
        #expect(try await server.storage.wallet.credentials(learnerID: learner.id, WalletQuery()).total == 1)
        #expect(try await server.request("DELETE", "/api/v1/wallet/account", token: token, body: #"{"password": "a long enough password"}"#).status == 204)
        #expect(try await server.request("GET", "/api/v1/wallet/account", token: token).status == 401)
        #expect(try await server.storage.wallet.credentials(learnerID: learner.id, WalletQuery()).total == 0)
        #expect(try await server.storage.wallet.session(tokenHash: WalletAPI.tokenHash(token)) == nil)
        _ = try await Self.session(server, "ada@example.org")
    }

    @Test("bad imports — a 50 MB image, PNG bombs, not a credential, an SVG with entities, truncated JSON, nothing — are refused with a reason; nothing is stored")
    func badImports() async throws {
        let server = try await LiveServer.start(storage: try SQLiteStorage.inMemory(), verification: .init(fetcher: OfflineDocuments()))
        defer { server.stop() }
        let token = try await Self.session(server, "ada@example.org")
        var png = [UInt8]([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        png += [UInt8](repeating: 0, count: 50 << 20)  // a 50 MB image
        let entities = #"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v2p0"><openbadges:assertion verify="&b;"/></svg>"#
        // PNG bombs: 100 000 × 100 000 pixels whose image data inflates to 100 MB, and an openbadges chunk compressed from
        // 100 MB (made by Python's zlib; Nachweis never inflates either).
        let script = """
            import struct, sys, zlib
            def chunk(kind, data): return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
            ihdr = struct.pack('>IIBBBBB', 100000, 100000, 8, 0, 0, 0, 0)
            bomb = zlib.compress(bytes(100_000_000), 9)
            head = b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', ihdr)
            sys.stdout.buffer.write(head + chunk(b'IDAT', bomb) + chunk(b'IEND', b''))
            sys.stdout.buffer.write(b'--split--')
            sys.stdout.buffer.write(head + chunk(b'iTXt', b'openbadges\\x00\\x01\\x00\\x00\\x00' + bomb) + chunk(b'IDAT', zlib.compress(b'\\x00')) + chunk(b'IEND', b''))
            """
        let made = try runProcess("/usr/bin/python3", ["-c", script])
        #expect(made.status == 0, "\(made.standardError)")
        let bombs = Array(made.standardOutput).split(separator: Array("--split--".utf8)).map(Array.init)
        #expect(bombs.count == 2 && bombs.allSatisfy { $0.count < 200_000 })
        for (bytes, type, status) in [(png, "image/png", 413), (Array("hello".utf8), "text/plain", 422), (Array(entities.utf8), "image/svg+xml", 422),
                                      (bombs.first ?? [], "image/png", 422), (bombs.last ?? [], "image/png", 422),
                                      (Array(#"{"@context": ["https://www.w3.org/ns/credentials/v2""#.utf8), "application/json", 422),
                                      ([], "application/json", 400), (Array(#"{"a": 1}"#.utf8), "application/json", 422)] as [([UInt8], String, Int)] {
            let reply = try await server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: bytes, contentType: type)
            #expect(reply.status == status, "\(type) \(bytes.count) bytes: \(String(decoding: reply.body.prefix(300), as: UTF8.self))")
            #expect(Self.json(reply.body)["error"]?.stringValue?.isEmpty == false)
            if type == "image/png", status == 422 {
                // Refused for what they are, without inflating anything: no credential chunk, or a compressed one.
                #expect(["baking.no_credential", "png.invalid"].contains(Self.json(reply.body)["error"]?.stringValue ?? ""))
            }
        }
        #expect(Self.json(try await server.request("GET", "/api/v1/wallet/credentials", token: token).body)["total"] == 0)
    }

    @Test("imports of the other formats: an OB 2.0 hosted assertion by URL (its source kept), an OB 2.0 signed JWS and a sealed Europass JAdES envelope as bodies — each verified valid")
    func otherFormats() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let server = s.server
        let token = try await Self.session(server, "ada@example.org")
        let hosted = try await IssuingFormatTests.issue(s, #", "format": "ob2-hosted""#)
        let assertion = "\(server.baseURL)/issuers/tu-berlin/ob2/assertions/\(IssuingFormatTests.credentialID(hosted))"
        let byURL = try await server.request("POST", "/api/v1/wallet/credentials?url=\(assertion.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                             token: token, contentType: nil)
        #expect(byURL.status == 201, "\(byURL.body)")
        let imported = Self.json(byURL.body)
        #expect(imported["format"] == "ob2-hosted" && imported["source"] == .string(assertion) && imported["verdict"] == "valid",
                "\(imported["verification"]?.compactText ?? byURL.body)")
        for (format, expected) in [("ob2-signed", "ob2-signed"), ("edc-jades", "edc-jades")] {
            let issued = try await IssuingFormatTests.issue(s, #", "format": "\#(format)""#)
            #expect(issued.status == 201, "\(issued.body)")
            let reply = try await server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: Array(issued.body.utf8))
            let body = Self.json(reply.body)
            #expect(reply.status == 201 && body["format"] == .string(expected) && body["verdict"] == "valid", "\(format): \(body["verification"]?.compactText ?? "")")
            let export = try await server.send("GET", "/api/v1/wallet/credentials/\(try #require(body["id"]?.stringValue))/export", token: token)
            #expect(export.body == Array(issued.body.utf8))
        }
    }

    @Test("in production mode an import by URL pointing at 127.0.0.1 is refused before any request; nothing is stored")
    func productionURL() async throws {
        let server = try await LiveServer.start(storage: try SQLiteStorage.inMemory(),
                                                verification: .init(fetcher: HTTPFetcher(limits: .init(publicOnly: true))))
        defer { server.stop() }
        let token = try await Self.session(server, "ada@example.org")
        for url in ["http://127.0.0.1:\(server.port)/health", "https://127.0.0.1/credential.json", "https://localhost/c.json", "https://[::1]/c.json"] {
            let encoded = url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? url
            let reply = try await server.request("POST", "/api/v1/wallet/credentials?url=\(encoded)", token: token, contentType: nil)
            #expect(reply.status == 422 && (Self.json(reply.body)["error"]?.stringValue ?? "").hasPrefix("fetch."), "\(url): \(reply.body)")
        }
        #expect(Self.json(try await server.request("GET", "/api/v1/wallet/credentials", token: token).body)["total"] == 0)
    }

    @Test("every credential sample under ../shared/reference imports and exports byte-identically")
    func referenceSamples() async throws {
        guard let reference = TestEnvironment.referenceRoot else {
            try Test.cancel("reference data ../shared/reference is absent: the wallet's import of the samples is not tested")
        }
        let server = try await LiveServer.start(storage: try SQLiteStorage.inMemory(), verification: .init(fetcher: OfflineDocuments()))
        defer { server.stop() }
        let token = try await Self.session(server, "samples@example.org")
        var imported = 0, refused: [String] = []
        // The whole tree: every file that could be a credential is offered; what the detector takes for one must
        // come back byte for byte, the rest (schemas, contexts, badge classes, keys, test manifests) is refused with 422.
        do {
            guard let files = FileManager.default.enumerator(at: reference, includingPropertiesForKeys: nil) else { return }
            for case let file as URL in files where ["json", "jsonld", "jwt", "png", "svg", "1ob", "jws"].contains(file.pathExtension) {
                let bytes = Array(try Data(contentsOf: file))
                let reply = try await server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: bytes)
                guard reply.status == 201 || reply.status == 200 else {
                    #expect(reply.status == 422, "\(file.lastPathComponent): \(reply.status)")
                    refused.append(file.lastPathComponent)
                    continue
                }
                imported += 1
                let id = try #require(Self.json(reply.body)["id"]?.stringValue)
                let export = try await server.send("GET", "/api/v1/wallet/credentials/\(id)/export", token: token)
                #expect(export.body == bytes, "\(file.lastPathComponent) exported differently")
            }
        }
        print("wallet: \(imported) reference samples imported and exported byte-identically; refused as not credentials: \(refused.sorted())")
        #expect(imported >= 71)
    }
}

extension String {
    var uuid: UUID { UUID(uuidString: self)! }
}

/// Share links: what a link opens (HTML for people, JSON with a signed presentation for programs), when it stops
/// opening, what it shows and to whom.
@Suite("Share links", .timeLimit(.minutes(3)))
struct ShareLinkTests {
    typealias W = WalletAPITests

    /// A learner with two credentials imported; returns the session and their wallet ids.
    static func wallet(_ s: CredentialAPITests.Setup, _ email: String = "ada@example.org") async throws -> (token: String, ids: [String]) {
        let token = try await W.session(s.f.server, email)
        var ids: [String] = []
        for format in ["ob3-jwt", "ob3-di"] {
            let issued = try await W.issue(s, format: format, email: email)
            let reply = try await s.f.server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: Array(issued.document.utf8))
            ids.append(try #require(W.json(reply.body)["id"]?.stringValue))
        }
        return (token, ids)
    }

    static func path(_ url: String) -> String { String(url[url.range(of: "/share/")!.lowerBound...]) }

    @Test("a link shows exactly the credentials it was made for: an HTML page with name, issuer and verdict, and JSON with a presentation the wallet signs over the verifier's challenge")
    func openLink() async throws {
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let server = s.f.server
        let (token, ids) = try await Self.wallet(s)
        let made = try await server.request("POST", "/api/v1/wallet/shares", token: token, body: #"{"credentials": ["\#(ids[0])"], "label": "for ACME"}"#)
        #expect(made.status == 201, "\(made.body)")
        let link = W.json(made.body)
        let url = try #require(link["url"]?.stringValue)
        let secret = String(url.split(separator: "/").last!)
        let secretBytes = try Base64URL.decode(secret)
        #expect(url.hasPrefix(server.baseURL + "/share/") && secretBytes.count == 32)
        #expect(link["state"] == "live" && link["credentials"] == [.string(ids[0])] && link["views"] == 0)
        // Only the hash is stored.
        #expect(try await server.storage.shareLinks.view(tokenHash: secret, access: (Date(), nil, nil)) == nil)

        let page = try await server.request("GET", Self.path(url), contentType: nil, headers: ["Accept": "text/html", "User-Agent": "Mozilla/5.0 Firefox/130.0"])
        #expect(page.status == 200 && page.headers["content-type"] == "text/html; charset=utf-8" && page.headers["cache-control"] == "no-store")
        #expect(page.body.contains("Data Literacy for SMEs") && page.body.contains("TU Berlin") && page.body.contains("Genuine and valid"))
        #expect(page.body.contains("This link expires on") && page.body.contains("Credential valid"))

        let opened = try await server.request("GET", Self.path(url) + "?challenge=n-0S6_WzA2Mj&domain=acme.example", contentType: nil,
                                              headers: ["Accept": "application/json"])
        #expect(opened.status == 200, "\(opened.body)")
        let view = W.json(opened.body)
        let shown = try #require(view["credentials"]?.arrayValue)
        #expect(shown.count == 1 && shown[0]["verdict"] == "valid" && shown[0]["title"] == "Data Literacy for SMEs")
        #expect(shown[0]["original"]?.stringValue?.split(separator: ".").count == 3)
        #expect(view["link"]?["views"] == 2)
        // The presentation: signed by the key of the wallet's did:web document, over the challenge and the domain.
        let did = W.json(try await server.request("GET", "/wallet/did.json").body)
        let method = try #require(did["verificationMethod"]?.arrayValue?.first)
        let multikey = try #require(method["publicKeyMultibase"]?.stringValue)
        let presentation = try JWSVerifier(allowedAlgorithms: [.eddsa]).verify(compact: try #require(view["presentation"]?.stringValue),
                                                                              key: try Multikey.decodePublicKey(multikey))
        let payload = W.json(presentation.payload)
        #expect(payload["nonce"] == "n-0S6_WzA2Mj" && payload["aud"] == "acme.example" && payload["holder"] == did["id"])
        #expect(payload["verifiableCredential"]?.arrayValue?.count == 1)
        #expect(presentation.header.keyID == method["id"]?.stringValue && presentation.header.type == "vp+jwt")
        // And by an independent JOSE implementation (joserfc) with the key of the DID document.
        let jwk = try JWK(publicKey: try Multikey.decodePublicKey(multikey))
        let request: JSONValue = ["tasks": [["op": "verify", "alg": "EdDSA", "jwk": jwk.json, "token": try #require(view["presentation"])]]]
        let peer = try await runProcessOffPool(try TestEnvironment.python(), [TestEnvironment.interopScript("jose_peer.py")], input: Data(request.compactBytes))
        #expect(peer.status == 0, "\(peer.standardError)")
        #expect(W.json(Array(peer.standardOutput))["results"]?.arrayValue?.first?["valid"] == true, "\(peer.output)")

        // The learner sees the views, with a coarse browser name and no address.
        let detail = W.json(try await server.request("GET", "/api/v1/wallet/shares/\(try #require(link["id"]?.stringValue))", token: token).body)
        let accesses = try #require(detail["accesses"]?.arrayValue)
        #expect(detail["views"] == 2 && accesses.count == 2 && accesses.contains { $0["userAgent"] == "Firefox" } && accesses.allSatisfy { $0["address"] == nil })
    }

    @Test("revoked, expired and used-up links answer 410 and reveal nothing; an unknown token 404")
    func endedLinks() async throws {
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let server = s.f.server
        let (token, ids) = try await Self.wallet(s)
        func make(_ body: String) async throws -> (id: String, path: String) {
            let link = W.json(try await server.request("POST", "/api/v1/wallet/shares", token: token, body: body).body)
            return (try #require(link["id"]?.stringValue), Self.path(try #require(link["url"]?.stringValue)))
        }
        let twice = try await make(#"{"credentials": ["\#(ids[0])"], "maxViews": 2}"#)
        for _ in 0..<2 { #expect(try await server.request("GET", twice.path, contentType: nil, headers: ["Accept": "application/json"]).status == 200) }
        let revoked = try await make(#"{"credentials": ["\#(ids[1])"]}"#)
        #expect(try await server.request("DELETE", "/api/v1/wallet/shares/\(revoked.id)", token: token).status == 204)
        let learner = try #require(try await server.storage.wallet.learner(email: "ada@example.org"))
        let expiredToken = "expired-link-token-of-forty-three-characters"
        try await server.storage.shareLinks.create(ShareLink(learnerID: learner.id, tokenHash: WalletAPI.tokenHash(expiredToken),
                                                             createdAt: Date() - 3 * 86_400, expiresAt: Date() - 86_400),
                                                   credentialIDs: [try #require(UUID(uuidString: ids[0]))])
        for path in [twice.path, revoked.path, "/share/\(expiredToken)"] {
            for accept in ["application/json", "text/html"] {
                let reply = try await server.request("GET", path, contentType: nil, headers: ["Accept": accept])
                #expect(reply.status == 410, "\(path) \(accept)")
                #expect(!reply.body.contains("Data Literacy") && !reply.body.contains("TU Berlin") && !reply.body.contains("ada"))
            }
        }
        #expect(try await server.request("GET", "/share/nothing-here", contentType: nil).status == 404)
        // Views of an ended link are not counted.
        let link = try await server.storage.shareLinks.link(id: try #require(UUID(uuidString: twice.id)), learnerID: learner.id)
        #expect(link.views == 2)
        let list = W.json(try await server.request("GET", "/api/v1/wallet/shares", token: token).body)
        #expect(Set((list.arrayValue ?? []).compactMap { $0["state"]?.stringValue }) == ["used up", "revoked", "expired"])
    }

    @Test("links belong to their learner: another learner can neither see, revoke nor make one with their credentials; bad requests change nothing")
    func linkAuthorization() async throws {
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let server = s.f.server
        let (a, ids) = try await Self.wallet(s)
        let b = try await W.session(server, "bob@example.org")
        let made = W.json(try await server.request("POST", "/api/v1/wallet/shares", token: a, body: #"{"credentials": ["\#(ids[0])"]}"#).body)
        let id = try #require(made["id"]?.stringValue)
        #expect(try await server.request("GET", "/api/v1/wallet/shares/\(id)", token: b).status == 404)
        #expect(try await server.request("DELETE", "/api/v1/wallet/shares/\(id)", token: b).status == 404)
        #expect(try await server.request("POST", "/api/v1/wallet/shares", token: b, body: #"{"credentials": ["\#(ids[0])"]}"#).status == 404)
        #expect(W.json(try await server.request("GET", "/api/v1/wallet/shares", token: b).body) == [])
        for path in ["/api/v1/wallet/shares", "/api/v1/wallet/shares/\(id)"] {
            #expect(try await server.request("GET", path).status == 401)
        }
        for body in [#"{"credentials": []}"#, #"{"credentials": ["\#(ids[0])"], "expiresInDays": 0}"#,
                     #"{"credentials": ["\#(ids[0])"], "expiresInDays": 366}"#, #"{"credentials": ["\#(ids[0])"], "maxViews": 0}"#,
                     #"{"credentials": ["\#(ids[0])", "\#(ids[0])"]}"#, #"{"credentials": ["\#(ids[0])"], "public": true}"#] {
            #expect(try await server.request("POST", "/api/v1/wallet/shares", token: a, body: body).status == 400, "\(body)")
        }
        #expect(try await server.request("POST", "/api/v1/wallet/shares", token: a, body: #"{"credentials": ["\#(UUID().uuidString)"]}"#).status == 404)
        let links = W.json(try await server.request("GET", "/api/v1/wallet/shares", token: a).body)
        let still = W.json(try await server.request("GET", "/api/v1/wallet/shares/\(id)", token: a).body)
        #expect(links.arrayValue?.count == 1 && still["state"] == "live")
    }
}

/// The share page in a real browser: headless Chromium (Debian's package) renders what an employer sees.
@Suite("Share page in a browser", .timeLimit(.minutes(3)))
struct SharePageBrowserTests {
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("headless Chromium shows the credential's name, its issuer and the verdict on the page a share link opens")
    func rendered() async throws {
        guard let chromium = Self.chromium else {
            if TestEnvironment.isCI { Issue.record("chromium is missing: scripts/bootstrap installs it") }
            try Test.cancel("no chromium (apt-get install chromium): the share page is not tried in a browser")
        }
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let (token, ids) = try await ShareLinkTests.wallet(s)
        let link = WalletAPITests.json(try await s.f.server.request("POST", "/api/v1/wallet/shares", token: token,
                                                                    body: #"{"credentials": ["\#(ids[0])"]}"#).body)
        let url = try #require(link["url"]?.stringValue)
        let profile = try TestEnvironment.temporaryDirectory()
        // No network but the page's own: no first-run, sync, component updates or background fetches.
        let result = try await runProcessOffPool(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                                                            "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                                                            "--disable-extensions", "--user-data-dir=\(profile.path)", "--dump-dom", url])
        #expect(result.status == 0, "\(result.standardError)")
        let dom = result.output
        #expect(dom.contains("<h2 class=\"title\">Data Literacy for SMEs</h2>"), "\(dom.prefix(2000))")
        #expect(dom.contains("calls itself <em>TU Berlin</em>") && dom.contains("data-verdict=\"valid\"") && dom.contains("Genuine and valid"))
        // The browser's view was counted, under its family name.
        let detail = WalletAPITests.json(try await s.f.server.request("GET", "/api/v1/wallet/shares/\(try #require(link["id"]?.stringValue))", token: token).body)
        #expect(detail["accesses"]?.arrayValue?.first?["userAgent"] == "Headless Chrome")
    }
}

/// Collections and stackability: groups of a learner's credentials, and what counts toward a target qualification.
@Suite("Wallet collections and stackability", .timeLimit(.minutes(3)))
struct CollectionTests {
    typealias W = WalletAPITests

    @Test("collections group a learner's credentials; a share link from a collection keeps the credentials it had; another learner sees none of it")
    func collections() async throws {
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let server = s.f.server
        let (token, ids) = try await ShareLinkTests.wallet(s)
        let made = try await server.request("POST", "/api/v1/wallet/collections", token: token,
                                            body: #"{"name": "MSc Data Science", "credentials": ["\#(ids[0])"]}"#)
        #expect(made.status == 201, "\(made.body)")
        let id = try #require(W.json(made.body)["id"]?.stringValue)
        let link = W.json(try await server.request("POST", "/api/v1/wallet/shares", token: token, body: #"{"collection": "\#(id)"}"#).body)
        #expect(link["credentials"] == [.string(ids[0])])
        let changed = try await server.request("PUT", "/api/v1/wallet/collections/\(id)/credentials", token: token,
                                               body: #"{"credentials": ["\#(ids[1])", "\#(ids[0])"]}"#)
        #expect(changed.status == 200)
        let detail = W.json(try await server.request("GET", "/api/v1/wallet/collections/\(id)", token: token).body)
        #expect(detail["credentials"] == [.string(ids[1]), .string(ids[0])] && detail["items"]?.arrayValue?.count == 2)
        // The link made earlier still shows the one credential it was made for.
        let view = W.json(try await server.request("GET", ShareLinkTests.path(try #require(link["url"]?.stringValue)), contentType: nil,
                                                   headers: ["Accept": "application/json"]).body)
        #expect(view["credentials"]?.arrayValue?.count == 1)
        // Another learner: nothing to see, change, share or delete.
        let b = try await W.session(server, "bob@example.org")
        for (method, path, body) in [("GET", "/api/v1/wallet/collections/\(id)", nil), ("DELETE", "/api/v1/wallet/collections/\(id)", nil),
                                     ("PUT", "/api/v1/wallet/collections/\(id)/credentials", #"{"credentials": []}"#),
                                     ("POST", "/api/v1/wallet/shares", #"{"collection": "\#(id)"}"#)] as [(String, String, String?)] {
            #expect(try await server.request(method, path, token: b, body: body).status == 404, "\(method) \(path)")
        }
        #expect(try await server.request("POST", "/api/v1/wallet/collections", token: b, body: #"{"name": "Mine", "credentials": ["\#(ids[0])"]}"#).status == 404)
        #expect(W.json(try await server.request("GET", "/api/v1/wallet/collections", token: b).body) == [])
        #expect(W.json(try await server.request("GET", "/api/v1/wallet/collections/\(id)", token: token).body)["credentials"]?.arrayValue?.count == 2)
        #expect(try await server.request("DELETE", "/api/v1/wallet/collections/\(id)", token: token).status == 204)
        #expect(W.json(try await server.request("GET", "/api/v1/wallet/collections", token: token).body) == [])
    }

    @Test("stackability: required achievements and ECTS within EQF bounds count; revoked credentials do not; what is missing is named")
    func stackability() async throws {
        let s = try await CredentialAPITests.setUp(selfAddressed: true)
        defer { s.f.server.stop() }
        let server = s.f.server
        let (token, ids) = try await ShareLinkTests.wallet(s)  // two credentials of the 5-ECTS, EQF 6 micro-credential
        func ask(_ body: String) async throws -> JSONValue {
            let reply = try await server.request("POST", "/api/v1/wallet/stackability", token: token, body: body)
            #expect(reply.status == 200, "\(body): \(reply.body)")
            return W.json(reply.body)
        }
        var answer = try await ask(#"{"minimumECTS": 10, "eqfLevel": {"min": 6}}"#)
        #expect(answer["satisfied"] == true && answer["ects"]?["counted"] == 10 && answer["counting"]?.arrayValue?.count == 2)
        answer = try await ask(#"{"minimumECTS": 10, "eqfLevel": {"max": 5}}"#)
        #expect(answer["satisfied"] == false && answer["missing"]?["ects"] == 10 && answer["notCounted"]?.arrayValue?.count == 2)
        answer = try await ask(#"{"requiredAchievements": ["data literacy for smes", "Statistics II"], "minimumECTS": 5}"#)
        #expect(answer["satisfied"] == false && answer["missing"]?["achievements"] == ["Statistics II"] && answer["missing"]?["ects"] == 0)
        // Revoked by the issuer and re-verified: it no longer counts.
        let detail = W.json(try await server.request("GET", "/api/v1/wallet/credentials/\(ids[0])", token: token).body)
        let jti = try #require(detail["credential"]?["id"]?.stringValue?.replacingOccurrences(of: "urn:uuid:", with: ""))
        #expect(try await server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(jti)/revoke", token: s.f.tuToken,
                                          body: #"{"reason": "test"}"#).status == 200)
        #expect(W.json(try await server.request("POST", "/api/v1/wallet/credentials/\(ids[0])/verify", token: token).body)["status"] == "revoked")
        answer = try await ask(#"{"minimumECTS": 10}"#)
        #expect(answer["satisfied"] == false && answer["ects"]?["counted"] == 5 && answer["missing"]?["ects"] == 5)
        #expect(answer["notCounted"]?.arrayValue?.first?["reason"] == "it is revoked")
        for bad in [#"{}"#, #"{"minimumECTS": -1}"#, #"{"minimumECTS": 5, "eqfLevel": {"min": 7, "max": 3}}"#, #"{"minimumECTS": 5, "level": 6}"#] {
            #expect(try await server.request("POST", "/api/v1/wallet/stackability", token: token, body: bad).status == 400, "\(bad)")
        }
    }
}
