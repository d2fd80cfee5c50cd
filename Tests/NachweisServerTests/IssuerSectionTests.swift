import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisServer
import NachweisTestSupport
import NachweisVerifier
import Testing

/// The issuer section on the share page and in the JSON: what signed a credential, apart from what it calls itself,
/// and what this server's registry says — for a registered issuer, an unknown did:web, and a Europass seal that names
/// another organisation than the credential's issuer.
@Suite("Issuer section: claimed, proven, bound", .timeLimit(.minutes(3)))
struct IssuerSectionTests {
    typealias W = WalletAPITests

    /// A learner's share link for these credential bytes; the page's HTML and the link's JSON.
    static func shared(_ s: IssuingFormatTests.Setup, _ credentials: [[UInt8]], email: String) async throws -> (html: String, json: JSONValue) {
        let token = try await W.session(s.server, email)
        var ids: [String] = []
        for bytes in credentials {
            let imported = try await s.server.send("POST", "/api/v1/wallet/credentials", token: token, bytes: bytes)
            ids.append(try #require(W.json(imported.body)["id"]?.stringValue, "\(String(decoding: imported.body, as: UTF8.self))"))
        }
        let list = ids.map { "\"\($0)\"" }.joined(separator: ", ")
        let made = W.json(try await s.server.request("POST", "/api/v1/wallet/shares", token: token, body: #"{"credentials": [\#(list)]}"#).body)
        let path = ShareLinkTests.path(try #require(made["url"]?.stringValue))
        let html = try await s.server.request("GET", path, headers: ["Accept": "text/html"]).body
        let json = W.json(try await s.server.request("GET", path, headers: ["Accept": "application/json"]).body)
        return (html, json)
    }

    static func registry() throws -> NachweisServer.Verification {
        let anchors = try VerifierTests.anchors(TestEnvironment.repositoryRoot.appendingPathComponent("Keys/trust-anchors").path)
        return NachweisServer.Verification(fetcher: HTTPFetcher(limits: .init(publicOnly: false)), trustAnchors: anchors,
                                           registry: IssuerRegistry(entries: [.init(domain: "127.0.0.1", name: "Technische Universität Berlin (registered)"),
                                                                              .init(certificateSubject: "VATDE-000000000", name: "Nachweis Demo University (registered)")]))
    }

    @Test("a registered issuer: signed by its web domain, calls itself TU Berlin, registered as the registry's name")
    func registered() async throws {
        let s = try await IssuingFormatTests.setUp(verification: try Self.registry())
        defer { s.server.stop() }
        let ob3 = try await IssuingFormatTests.issue(s, #", "format": "ob3-jwt""#, recipient: #"{"email": "ada@example.org"}"#)
        let edc = try await IssuingFormatTests.issue(s, #", "format": "edc-jades""#, recipient: #"{"email": "ada@example.org"}"#)
        let (html, json) = try await Self.shared(s, [Array(ob3.body.utf8), Array(edc.body.utf8)], email: "ada@example.org")
        #expect(html.contains("Signed by the key of the web domain <strong class=\"proven\">127.0.0.1:\(s.server.port)/issuers/tu-berlin</strong> — calls itself <em>TU Berlin</em>"), "\(html)")
        #expect(html.contains("Registered with this server as <strong>Technische Universität Berlin (registered)</strong>"))
        #expect(html.contains("Signed by the electronic seal of <strong class=\"proven\">Nachweis Demo University</strong> (VATDE-000000000)"))
        #expect(html.contains("Registered with this server as <strong>Nachweis Demo University (registered)</strong>"))
        #expect(!html.contains("Not in this server's registry"))
        let issuer = try #require(json["credentials"]?.arrayValue?.first?["issuer"], "\(json)")
        #expect(issuer["proven"]?["kind"] == "did:web" && issuer["binding"]?["status"] == "bound" && issuer["claimed"]?["name"] == "TU Berlin", "\(issuer)")
    }

    @Test("an unknown did:web that calls itself TU Berlin: valid, its name shown as its own claim, with a warning")
    func unknownDidWeb() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let ob3 = try await IssuingFormatTests.issue(s, #", "format": "ob3-di""#, recipient: #"{"email": "bob@example.org"}"#)
        let (html, _) = try await Self.shared(s, [Array(ob3.body.utf8)], email: "bob@example.org")
        #expect(html.contains("Genuine and valid"), "\(html)")
        #expect(html.contains("calls itself <em>TU Berlin</em>") && !html.contains("Issued by <strong>TU Berlin"))
        #expect(html.contains("⚠ Not in this server's registry: the name above is the credential's own claim."))
    }

    @Test("a Europass seal naming another organisation: not valid, and the page says the seal is not the issuer's")
    func sealOfAnotherOrganisation() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let edc = try await IssuingFormatTests.issue(s, #", "format": "edc-jades""#, recipient: #"{"email": "eve@example.org"}"#)
        let envelope = try JWSJSONSerialization.parse(Array(edc.body.utf8))
        let payload = try #require(try JSONParser().parse(envelope.payload).objectValue)
        let seal = try IssuingFormatTests.key("seal-p256.key")
        let other = try VerifierTests.jades(header: envelope.signatures[0].header.members, payload: payload,
                                            payload: { $0["issuer"] = VerifierTests.otherOrganisation($0["issuer"]) },
                                            sign: { try seal.signature(for: $0, algorithm: .es256) })
        let (html, json) = try await Self.shared(s, [other], email: "eve@example.org")
        #expect(html.contains("Not valid") && html.contains("⚠ Not signed by the issuer it names"), "\(html)")
        #expect(html.contains("calls itself <em>Université Exemple</em>"))
        #expect(html.contains("the seal certificate names Nachweis Demo University, VATDE-000000000, not the credential&#39;s issuer"))
        #expect(json["credentials"]?.arrayValue?.first?["verdict"] == "invalid")
    }
}
