import Foundation
import NachweisDocuments
import NachweisJSON
import NachweisTestSupport
import Testing

@Test func exploreSchemas() throws {
    let official = SchemaRegistry()
    try official.registerDirectory(try TestEnvironment.reference("openbadges/ob3/schema"))
    let ours = SchemaRegistry()
    try ours.registerDirectory(ShippedSchemas.directory)
    let oa = try official.schema("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json")
    let oe = try official.schema("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential-jsonschema1.json")
    let ma = try ours.schema("https://nachweis.dev/schemas/ob3/achievement-credential.json")
    let me = try ours.schema("https://nachweis.dev/schemas/ob3/endorsement-credential.json")
    let dir = try TestEnvironment.reference("openbadges/ob3/validator-samples")
    for name in try FileManager.default.subpathsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".json") || name.hasSuffix("testlist") || name.hasSuffix(".1ob") {
        let value = try JSONParser().parse(Array(try Data(contentsOf: dir.appendingPathComponent(name))))
        let isEndorsement = value["type"]?.arrayValue?.contains("EndorsementCredential") ?? false
        let o = (isEndorsement ? oe : oa).validate(value)
        let m = (isEndorsement ? me : ma).validate(value)
        print("SAMPLE \(name): official \(o.isEmpty ? "VALID" : "INVALID") \(o.prefix(4).map { "\($0.pointer) \($0.keyword)" }) | ours \(m.isEmpty ? "VALID" : "INVALID") \(m.prefix(5).map { "\($0.pointer) \($0.keyword)" })")
    }
}

@Test func exploreDetection() throws {
    let root = try TestEnvironment.reference("")
    for dir in ["openbadges/ob3/validator-samples", "openbadges/ob2/validator-samples", "europass", "openbadges/ob3/test-vectors"] {
        let base = root.appendingPathComponent(dir)
        for name in try FileManager.default.subpathsOfDirectory(atPath: base.path).sorted() {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: base.appendingPathComponent(name).path, isDirectory: &isDir)
            if isDir.boolValue || name.hasSuffix(".md") || name.hasSuffix(".ttl") || name.hasSuffix(".xsd") || name.hasSuffix(".csv") { continue }
            let bytes = Array(try Data(contentsOf: base.appendingPathComponent(name)))
            do {
                let d = try FormatDetector().detect(bytes)
                print("DETECT \(dir)/\(name): \(d.format.rawValue) \(d.container?.rawValue ?? "-") \(d.version) \(d.notes)")
            } catch {
                print("DETECT \(dir)/\(name): ERROR \(error)")
            }
        }
    }
}
