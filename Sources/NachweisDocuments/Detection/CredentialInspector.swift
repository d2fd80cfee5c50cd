import NachweisJSON

/// Detection, schema validation and micro-credential elements of one credential, in one report.
public struct InspectionReport: Sendable {
    public let detected: DetectedCredential
    /// The shipped schema the credential was checked against.
    public let schema: String?
    public let schemaValid: Bool
    public let violations: [SchemaViolation]
    /// Micro-credential elements (OB 3.0 and EDC; nil for OB 2.0, which has no place for most of them).
    public let microCredential: MicroCredentialReport?

    /// The report as one JSON object (`nachweis inspect --json`).
    public var json: JSONValue {
        var object = JSONObject()
        object["format"] = .string(detected.format.rawValue)
        object["container"] = detected.container.map { .string($0.rawValue) } ?? .null
        object["version"] = .string(detected.version)
        object["schema"] = schema.map(JSONValue.string) ?? .null
        object["schemaValid"] = .bool(schemaValid)
        object["errors"] = .array(violations.map { v in
            .object(["pointer": .string(v.pointer.description), "keyword": .string(v.keyword), "message": .string(v.message)])
        })
        if let mc = microCredential {
            object["microCredential"] = .object([
                "present": .array(mc.present.map { .string($0.element.rawValue) }),
                "missing": .array(mc.missing.map { .string($0.rawValue) }),
                "missingMandatory": .array(mc.missingMandatory.map { .string($0.rawValue) }),
                "details": .array(mc.present.map { found in
                    .object(["element": .string(found.element.rawValue), "pointer": .string(found.pointer.description),
                             "value": .string(String(found.value.prefix(200)))])
                }),
            ])
        } else {
            object["microCredential"] = .null
        }
        object["notes"] = .array(detected.notes.map(JSONValue.string))
        return .object(object)
    }
}

/// Inspects credentials: which format, whether they pass their schema, which EU micro-credential elements
/// they carry.
public struct CredentialInspector: Sendable {
    public var detector: FormatDetector

    public init(detector: FormatDetector = FormatDetector()) { self.detector = detector }

    /// Inspects bytes. Throws only when they are not a credential at all (detection errors).
    public func inspect(_ bytes: [UInt8]) throws(DocumentError) -> InspectionReport {
        let detected = try detector.detect(bytes)
        guard let credential = detected.credential else {
            let note = SchemaViolation(pointer: .root, keywordLocation: "", keyword: "embedded",
                                       message: "only the assertion's URL is embedded; fetch it to check the assertion")
            return InspectionReport(detected: detected, schema: nil, schemaValid: false, violations: [note], microCredential: nil)
        }
        let uri = Self.schemaURI(for: detected.format, credential: credential)
        let schema = try ShippedSchemas.schema(uri)
        let violations = schema.validate(credential)
        let mc: MicroCredentialReport?
        switch detected.format {
        case .ob2Hosted, .ob2Signed: mc = nil
        default: mc = MicroCredentialMapping.report(for: credential)
        }
        return InspectionReport(detected: detected, schema: uri, schemaValid: violations.isEmpty, violations: violations, microCredential: mc)
    }

    /// The shipped schema for a format.
    public static func schemaURI(for format: CredentialFormat, credential: JSONValue) -> String {
        switch format {
        case .ob2Hosted, .ob2Signed: return ShippedSchemas.ob2Assertion
        case .edcJAdES, .edcJSONLD: return ShippedSchemas.edcCredential
        case .ob3JSONLD, .ob3JWT:
            return FormatDetector.types(credential).contains("EndorsementCredential") ? ShippedSchemas.ob3EndorsementCredential : ShippedSchemas.ob3AchievementCredential
        }
    }
}
