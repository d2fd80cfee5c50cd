import Foundation
import NachweisSchemas

/// The JSON Schemas Nachweis ships in `Schemas/json`, by URI.
public enum ShippedSchemas {
    public static let ob3AchievementCredential = "https://nachweis.dev/schemas/ob3/achievement-credential.json"
    public static let ob3EndorsementCredential = "https://nachweis.dev/schemas/ob3/endorsement-credential.json"
    public static let ob3Profile = "https://nachweis.dev/schemas/ob3/profile.json"
    public static let ob2Assertion = "https://nachweis.dev/schemas/ob2/assertion.json"
    public static let ob2BadgeClass = "https://nachweis.dev/schemas/ob2/badgeclass.json"
    public static let ob2Issuer = "https://nachweis.dev/schemas/ob2/issuer.json"
    public static let edcCredential = "https://nachweis.dev/schemas/edc/european-digital-credential.json"
    public static let microCredential = "https://nachweis.dev/schemas/eu/micro-credential.json"

    /// The folder the schemas are read from.
    public static var directory: URL { SchemaFiles.directory }

    /// A registry holding every shipped schema, built once.
    public static let shared: Result<SchemaRegistry, DocumentError> = {
        let registry = SchemaRegistry()
        do throws(DocumentError) {
            try registry.registerDirectory(SchemaFiles.directory)
            return .success(registry)
        } catch {
            return .failure(error)
        }
    }()

    /// A compiled shipped schema.
    public static func schema(_ uri: String) throws(DocumentError) -> JSONSchema {
        try shared.get().schema(uri)
    }
}
