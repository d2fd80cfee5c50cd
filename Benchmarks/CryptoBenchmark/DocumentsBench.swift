// `nachweis-bench documents`: parse + JSON Schema validation per second of the 1EdTech OB 3.0 sample credential
// (validator sample complete.json), next to python-jsonschema (Draft 2019-09, format checking on) validating the
// same document against the same schema, in the same run. Both sides parse the bytes every time.
import Foundation
import NachweisDocuments
import NachweisJSON

func runDocumentsBenchmark(_ options: Options) throws {
    let reference = URL(fileURLWithPath: options.reference)
    let document = reference.appendingPathComponent("openbadges/ob3/validator-samples/complete.json")
    let officialDir = reference.appendingPathComponent("openbadges/ob3/schema")
    guard let bytes = FileManager.default.contents(atPath: document.path).map(Array.init) else {
        print("reference data not found at \(reference.path) (use --reference DIR)")
        exit(2)
    }
    let official = SchemaRegistry()
    try official.registerDirectory(officialDir)
    let officialSchema = try official.schema("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json")
    let ours = try ShippedSchemas.schema(ShippedSchemas.ob3AchievementCredential)
    let parser = JSONParser()

    print("nachweis-bench documents · \(ProcessInfo.processInfo.activeProcessorCount) cores · single thread")
    print("document: \(document.lastPathComponent) (\(bytes.count) bytes); parse + validate, all violations collected")
    let parseOnly = try rate(seconds: options.seconds) { _ = try parser.parse(bytes) }
    var officialRate = 0.0, ourRate = 0.0
    for _ in 0..<3 {
        officialRate = max(officialRate, try rate(seconds: options.seconds) {
            let value = try parser.parse(bytes)
            precondition(officialSchema.validate(value).isEmpty)
        })
        ourRate = max(ourRate, try rate(seconds: options.seconds) {
            let value = try parser.parse(bytes)
            precondition(ours.validate(value).isEmpty)
        })
    }
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("python/jsonschema_bench.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: options.python)
    process.arguments = [script, officialDir.appendingPathComponent("achievementcredential.json").path, document.path, String(options.seconds * 3)]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let pythonRate = Double(output.split(separator: " ").first.map(String.init) ?? "") ?? 0

    print("")
    print(String(format: "%-64@ %12@", "measure" as NSString, "per second" as NSString))
    print(String(repeating: "-", count: 78))
    func line(_ label: String, _ value: Double) { print(label.padding(toLength: 64, withPad: " ", startingAt: 0) + String(format: " %12.0f", value)) }
    line("Nachweis: parse only", parseOnly)
    line("Nachweis: parse + validate, 1EdTech schema", officialRate)
    line("Nachweis: parse + validate, Nachweis schema (Schemas/)", ourRate)
    line("python-jsonschema \(output.split(separator: " ").dropFirst().joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)): loads + validate, 1EdTech", pythonRate)
    if pythonRate > 0 {
        print(String(format: "\nNachweis / python-jsonschema on the same schema and document: %.1f×\n", officialRate / pythonRate))
    }
}
