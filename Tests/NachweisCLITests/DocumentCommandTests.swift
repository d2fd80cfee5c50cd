import Foundation
import NachweisJSON
import NachweisTestSupport
import Testing

/// `nachweis inspect`, `bake` and `unbake`, run as a process.
@Suite("nachweis inspect, bake, unbake")
struct DocumentCommandTests {
    func nachweis(_ arguments: [String], in directory: URL? = nil) throws -> ProcessResult {
        try runProcess(CLITests.executable, arguments, directory: directory)
    }

    @Test("inspect --json: format, container, schemaValid, errors with pointers, micro-credential elements; exit codes 0/1/2")
    func inspectJSON() throws {
        let valid = try nachweis(["inspect", "--json", try TestEnvironment.reference("europass/elm-v3/samples/Sample-MC-Annex1-signed.jsonld").path])
        #expect(valid.status == 0, "\(valid.standardError)")
        let report = try JSONParser().parse(Array(valid.standardOutput))
        #expect(report["format"] == "edc-jades")
        #expect(report["container"] == .null)
        #expect(report["schemaValid"] == true)
        #expect(report["errors"] == [])
        #expect(report["microCredential"]?["missing"] == ["qualityAssurance", "furtherInformation"])
        #expect(report["microCredential"]?["present"]?.arrayValue?.contains("workload") == true)

        let invalid = try nachweis(["inspect", "--json", try TestEnvironment.reference("openbadges/ob3/validator-samples/simple-err-issuer-type.json").path])
        #expect(invalid.status == 1)
        let errors = try JSONParser().parse(Array(invalid.standardOutput))["errors"]?.arrayValue ?? []
        #expect(errors.contains { $0["pointer"] == "/issuer/type" })
        #expect(errors.allSatisfy { $0["message"]?.stringValue?.isEmpty == false })

        let baked = try nachweis(["inspect", "--json", try TestEnvironment.reference("openbadges/ob3/validator-samples/simple-jwt.svg").path])
        let bakedReport = try JSONParser().parse(Array(baked.standardOutput))
        #expect(bakedReport["format"] == "ob3-jwt")
        #expect(bakedReport["container"] == "svg")

        let dir = try TestEnvironment.temporaryDirectory()
        try Data("just text".utf8).write(to: dir.appendingPathComponent("x.txt"))
        let notCredential = try nachweis(["inspect", "x.txt"], in: dir)
        #expect(notCredential.status == 2)
        #expect(notCredential.standardError.contains("document.not_a_credential"))
        #expect(try nachweis(["inspect", "missing.json"], in: dir).status == 2)
    }

    @Test("inspect in text form lists the elements found and missing")
    func inspectText() throws {
        let result = try nachweis(["inspect", try TestEnvironment.reference("europass/elm-v3/samples/Sample-MC-Annex1-unsigned.jsonld").path])
        #expect(result.status == 1)  // the unsigned sample lacks `issued`
        #expect(result.output.contains("format:     edc-jsonld"))
        #expect(result.output.contains("required member issued is missing"))
        #expect(result.output.contains("✓ mandatory level: Level 6"))
        #expect(result.output.contains("✗ mandatory qualityAssurance: missing"))
    }

    @Test("bake then unbake gives back the credential exactly, in PNG and SVG")
    func bakeUnbake() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let credential = try TestEnvironment.reference("openbadges/ob3/validator-samples/simple.json")
        let original = try String(contentsOf: credential, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try Data(Self.pngBytes()).write(to: dir.appendingPathComponent("badge.png"))
        try Data(#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>"#.utf8)
            .write(to: dir.appendingPathComponent("badge.svg"))
        for image in ["badge.png", "badge.svg"] {
            let out = "baked-" + image
            let baked = try nachweis(["bake", "--image", image, "--credential", credential.path, "--out", out], in: dir)
            #expect(baked.status == 0, "\(baked.standardError)")
            let unbaked = try nachweis(["unbake", out], in: dir)
            #expect(unbaked.status == 0)
            #expect(unbaked.output == original)
            let inspected = try nachweis(["inspect", "--json", out], in: dir)
            #expect(try JSONParser().parse(Array(inspected.standardOutput))["format"] == "ob3-jsonld")
        }
        #expect(try nachweis(["unbake", "badge.png"], in: dir).status == 2)
    }

    /// A minimal valid PNG (1×1 pixel) to bake into.
    static func pngBytes() -> [UInt8] {
        let base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        return Array(Data(base64Encoded: base64)!)
    }
}
