import ArgumentParser
import Foundation
import NachweisDocuments
import NachweisJSON

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Say what a credential is: format and version, schema check, EU micro-credential elements.",
        discussion: """
            PATH is a credential file: JSON (OB 2.0, OB 3.0, Europass EDC), a compact JWS (OB 2.0 signed, OB 3.0 \
            VC-JWT), a JAdES envelope (sealed EDC), or a baked PNG or SVG badge.
            Exit status: 0 the credential passes its schema; 1 it does not; 2 not a credential or unreadable.
            """
    )

    @Argument(help: "The credential file.") var path: String
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        var code: Int32 = 0
        try exitingOnUsageFailure {
            let bytes = try CLIIO.readFile(path)
            let report: InspectionReport
            do { report = try CredentialInspector().inspect(bytes) } catch let error as DocumentError {
                if json {
                    CLIIO.write(JSONValue.object(["error": .string(error.code.rawValue), "message": .string(error.message)]).compactText + "\n")
                }
                throw UsageFailure("\(path): \(error)")
            }
            CLIIO.write(json ? report.json.compactText + "\n" : Self.text(report))
            code = report.schemaValid ? 0 : 1
        }
        if code != 0 { throw ExitCode(code) }
    }

    static func text(_ report: InspectionReport) -> String {
        var lines: [String] = []
        let d = report.detected
        lines.append("format:     \(d.format.rawValue)\(d.container.map { " (baked in \($0.rawValue.uppercased()))" } ?? "")")
        lines.append("version:    \(d.version)")
        for note in d.notes { lines.append("note:       \(note)") }
        lines.append("schema:     \(report.schemaValid ? "valid" : "INVALID") (\(report.schema ?? "none"))")
        for v in report.violations.prefix(50) { lines.append("  \(v.pointer.description.isEmpty ? "/" : v.pointer.description): \(v.message)") }
        if report.violations.count > 50 { lines.append("  … \(report.violations.count - 50) more") }
        if let mc = report.microCredential {
            let mandatory = MicroCredentialElement.allCases.filter(\.isMandatory)
            let present = mandatory.filter { e in mc.present.contains { $0.element == e } }.count
            lines.append("EU micro-credential elements: \(present) of \(mandatory.count) mandatory present")
            for element in MicroCredentialElement.allCases {
                let kind = element.isMandatory ? "mandatory" : "optional "
                if let found = mc.found(element) {
                    lines.append("  ✓ \(kind) \(element.rawValue): \(found.value.prefix(80)) (at \(found.pointer))")
                } else {
                    lines.append("  ✗ \(kind) \(element.rawValue): missing")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
