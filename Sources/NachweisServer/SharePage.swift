import Foundation
import NachweisDocuments
import NachweisJSON
import NachweisStore
import NachweisVerifier

/// The page a share link opens for people: each credential's name, issuer and the verdict computed now, its own
/// validity, and the EU micro-credential elements it carries — the link's expiry shown apart from the credentials'.
/// Plain HTML, no script, every value escaped.
enum SharePage {
    /// Text for HTML and XML content or attribute values (`&`, `<`, `>`, `"`, `'`); also the default badge image's SVG.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func date(_ date: Date) -> String {
        let text = RFC3339.format(date)
        return escape(String(text.prefix(10)))
    }

    static let verdictWords: [String: (String, String)] = [
        "valid": ("Genuine and valid", "#1b7f3b"), "invalid": ("Not valid", "#b3261e"), "inconclusive": ("Could not be fully checked", "#8a6d00"),
    ]

    static func html(_ link: ShareLink, _ shown: [(WalletCredential, VerificationReport)]) -> String {
        var body = ""
        for (credential, report) in shown {
            let verdict = report.verdict.rawValue
            let (words, colour) = verdictWords[verdict] ?? (verdict, "#444")
            let status = WalletAPI.status(report).rawValue
            body += "<section class=\"credential\">\n"
            body += "<h2 class=\"title\">\(escape(credential.title ?? "Untitled credential"))</h2>\n"
            body += "<p class=\"issuer\">Issued by <strong>\(escape(credential.issuerName ?? credential.issuerID ?? "an unnamed issuer"))</strong>"
            if let issued = credential.issuedAt { body += " on \(date(issued))" }
            body += "</p>\n"
            body += "<p class=\"verdict\" data-verdict=\"\(escape(verdict))\" style=\"color:\(colour)\"><strong>\(escape(words))</strong>"
            body += " — checked \(escape(RFC3339.format(report.at)))</p>\n"
            body += "<p class=\"status\">Status: \(escape(status == "active" ? "not revoked, not suspended" : status))</p>\n"
            if let validity = report.step(.validity) {
                let until = validity.details["validUntil"]?.stringValue
                body += "<p class=\"validity\">Credential valid \(until.map { "until \(escape($0))" } ?? "with no end date")</p>\n"
            }
            var facts: [String] = []
            if let level = credential.eqfLevel { facts.append("EQF level \(level)") }
            if let ects = credential.ects { facts.append("\(ects.formatted()) ECTS credits") }
            if let type = credential.achievementType { facts.append(escape(type)) }
            if !facts.isEmpty { body += "<p class=\"facts\">\(facts.joined(separator: " · "))</p>\n" }
            if let micro = report.step(.microCredential) {
                let present = (micro.details["present"]?.arrayValue ?? []).compactMap(\.stringValue)
                let missing = (micro.details["missingMandatory"]?.arrayValue ?? []).compactMap(\.stringValue)
                let label = { (name: String) in MicroCredentialElement(rawValue: name)?.label ?? name }
                body += "<details class=\"micro\"><summary>EU micro-credential elements: \(present.count) present"
                body += missing.isEmpty ? ", all mandatory ones" : ", \(missing.count) mandatory missing"
                body += "</summary><ul>"
                for name in present { body += "<li>✓ \(escape(label(name)))</li>" }
                for name in missing { body += "<li>✗ \(escape(label(name))) (missing)</li>" }
                body += "</ul></details>\n"
            }
            body += "<details class=\"steps\"><summary>How it was checked</summary><ul>"
            for step in report.steps {
                body += "<li>\(escape(step.check.rawValue)): \(escape(step.status.rawValue)) — \(escape(step.message))</li>"
            }
            body += "</ul></details>\n</section>\n"
        }
        var linkLine = "This link expires on \(date(link.expiresAt))"
        if let max = link.maxViews { linkLine += " and after \(max) view\(max == 1 ? "" : "s") (this is view \(link.views))" }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>Shared credentials — Nachweis</title>
            <style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
            .credential{border:1px solid #ccc;border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0}h2{margin:.2rem 0}
            .link{color:#555;font-size:.9rem}</style></head>
            <body><h1>Shared credentials</h1>
            <p class="link">\(linkLine). The link's expiry is the learner's choice; each credential's own validity is shown with it.</p>
            \(body)<p class="link">Verified by Nachweis when this page was opened.</p></body></html>
            """
    }
}
