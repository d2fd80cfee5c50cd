import Foundation
import Hummingbird
import NachweisJSON
import NachweisServer
import NachweisStore
import NachweisTestSupport
import Testing

/// The OpenAPI 3.1 document: served as shipped, valid for an independent validator, and describing exactly the
/// routes the server has — no more, no fewer.
@Suite("OpenAPI document", .timeLimit(.minutes(3)))
struct OpenAPITests {
    static func document() throws -> JSONValue {
        try JSONParser().parse(Array(try Data(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("docs/openapi.json"))))
    }

    @Test("every route of the router is in the document with its method, and every documented operation is a route")
    func routesMatch() throws {
        let router = NachweisServer.router(storage: try SQLiteStorage.inMemory())
        let routes = Set(router.routes.map { route -> String in
            // Hummingbird names captures `{name}`, as OpenAPI does; paths start with a slash in both.
            let path = "\(route.path)".hasPrefix("/") ? "\(route.path)" : "/\(route.path)"
            return "\(route.method.rawValue) \(path)"
        })
        let document = try Self.document()
        var documented = Set<String>()
        for member in document["paths"]?.objectValue ?? JSONObject() {
            for method in ["get", "post", "patch", "put", "delete"] where member.value[method] != nil {
                documented.insert("\(method.uppercased()) \(member.key)")
            }
        }
        #expect(routes.count > 20)
        #expect(routes.subtracting(documented).isEmpty, "routes missing from docs/openapi.json: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented but not routed: \(documented.subtracting(routes).sorted())")
    }

    @Test("GET /openapi.json serves docs/openapi.json byte for byte, and openapi-spec-validator accepts it as OpenAPI 3.1")
    func servedAndValid() async throws {
        let server = try await LiveServer.start(storage: try SQLiteStorage.inMemory())
        defer { server.stop() }
        let reply = try await server.request("GET", "/openapi.json")
        let file = try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        #expect(reply.status == 200 && reply.headers["content-type"] == "application/json" && reply.body == file)
        #expect(try Self.document()["openapi"] == "3.1.0")
        let script = "import json, sys\nfrom openapi_spec_validator import validate\nvalidate(json.load(sys.stdin))\nprint('valid')"
        let result = try await runProcessOffPool(try TestEnvironment.python(), ["-c", script], input: Data(reply.body.utf8))
        #expect(result.status == 0 && String(decoding: result.standardOutput, as: UTF8.self).contains("valid"), "\(result.standardError)")
    }
}
