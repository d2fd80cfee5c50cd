import Foundation
import NachweisJSON
import NachweisTestSupport
import Testing

/// `GET /metrics`: a Prometheus exposition that prometheus_client parses, counting requests by route pattern (never
/// by concrete path), credentials issued by format and state changes.
@Suite("Metrics", .timeLimit(.minutes(3)))
struct MetricsTests {
    @Test("requests by route and status, credentials issued, state changes — parsed by prometheus_client")
    func exposition() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        for _ in 0..<3 { _ = try await s.server.request("GET", "/issuers/tu-berlin/jwks.json") }
        _ = try await s.server.request("GET", "/issuers/no-such-issuer/jwks.json")
        _ = try await s.server.request("GET", "/no/such/route")
        let jwt = try await IssuingFormatTests.issue(s, #", "format": "ob3-jwt""#)
        _ = try await IssuingFormatTests.issue(s, #", "format": "ob2-hosted""#)
        _ = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(IssuingFormatTests.credentialID(jwt))/revoke", token: s.f.tuToken)
        let reply = try await s.server.request("GET", "/metrics")
        #expect(reply.status == 200 && reply.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let result = try await runProcessOffPool(try TestEnvironment.python(), [TestEnvironment.interopScript("metrics_peer.py")], input: Data(reply.body.utf8))
        #expect(result.status == 0, "prometheus_client refused the exposition: \(result.standardError)")
        let parsed = try JSONParser().parse(Array(result.standardOutput))
        #expect(parsed["families"]?["nachweis_http_requests"] == "counter" && parsed["families"]?["nachweis_http_request_duration_seconds"] == "histogram",
                "\(parsed["families"] ?? .null)")
        let samples = parsed["samples"]?.arrayValue ?? []
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            samples.first { sample in
                sample.arrayValue?[0].stringValue == name
                    && labels.allSatisfy { sample.arrayValue?[1][$0.key]?.stringValue == $0.value }
            }?.arrayValue?[2].numberValue.flatMap { Double($0.text) }
        }
        let routes = Set(samples.compactMap { $0.arrayValue?[1]["route"]?.stringValue })
        #expect(routes.contains { $0.contains("jwks.json") && !$0.contains("tu-berlin") }, "route patterns, not paths: \(routes)")
        let jwks = try #require(routes.first { $0.contains("jwks.json") })
        #expect(value("nachweis_http_requests_total", ["route": jwks, "status": "200"]) == 3)
        #expect(value("nachweis_http_requests_total", ["route": jwks, "status": "404"]) == 1)
        #expect(!routes.contains { $0.contains("no/such") }, "a path no route matches makes no series")
        #expect(value("nachweis_http_request_duration_seconds_count", ["route": jwks]) == 4)
        #expect(value("nachweis_credentials_issued_total", ["format": "ob3-jwt"]) == 1)
        #expect(value("nachweis_credentials_issued_total", ["format": "ob2-hosted"]) == 1)
        #expect(value("nachweis_credential_state_changes_total", ["state": "revoked"]) == 1)
        #expect(value("nachweis_database_up", [:]) == 1)
    }
}
