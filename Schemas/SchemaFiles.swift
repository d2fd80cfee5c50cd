import Foundation

/// The schema and context documents Nachweis ships, from the top-level `Schemas/` folder.
public enum SchemaFiles {
    /// The folder holding the shipped JSON Schemas (`Schemas/json`), from the package's resources,
    /// or from `NACHWEIS_SCHEMAS` when set (a deployment may point elsewhere).
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["NACHWEIS_SCHEMAS"] {
            return URL(fileURLWithPath: override)
        }
        return Bundle.module.url(forResource: "json", withExtension: nil)!
    }

    /// The OpenAPI 3.1 document of the HTTP API (`Schemas/openapi/openapi.json`; `docs/openapi.json` links to it).
    public static var openAPIDocument: URL {
        Bundle.module.url(forResource: "openapi", withExtension: nil)!.appendingPathComponent("openapi.json")
    }

    /// The bytes of one shipped schema file, e.g. `ob3/achievementcredential.schema.json`.
    public static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }
}
