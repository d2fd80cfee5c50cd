import Foundation
import NachweisDocuments
import NachweisJSON
import NachweisTestSupport
import Testing

/// Helpers shared by the document tests.
enum Docs {
    static func json(_ text: String) throws -> JSONValue { try JSONParser().parse(text) }

    static func schema(_ text: String, uri: String = "https://test.example/schema.json") throws -> JSONSchema {
        let registry = SchemaRegistry()
        let value = try json(text)
        let registered = try registry.register(value, as: value["$id"]?.stringValue ?? uri)
        return try registry.schema(registered)
    }

    static func reference(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: try TestEnvironment.reference(path)))
    }

    static func referenceJSON(_ path: String) throws -> JSONValue { try JSONParser().parse(try reference(path)) }

    /// Runs a Python peer script under Tests/Interop with one JSON request; returns its `results`.
    static func peer(_ script: String, _ request: JSONValue) throws -> [JSONValue] {
        let result = try runProcess(try TestEnvironment.python(), [TestEnvironment.interopScript(script)], input: Data(request.compactText.utf8))
        guard result.status == 0 else { throw DocumentError(.malformedJSON, "\(script) failed: \(result.standardError)") }
        return try JSONParser().parse(Array(result.standardOutput))["results"]?.arrayValue ?? []
    }

    static var shippedSchemaFiles: [String] {
        let dir = ShippedSchemas.directory
        return (FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { ($0 as? URL)?.path } ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
    }
}
