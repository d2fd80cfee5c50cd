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

    /// What signed the credential (proven) apart from what it calls itself (claimed), and what this server's registry
    /// says — a claimed name is never shown as if it were proven.
    static func issuerLines(_ section: IssuerSection?, claimed fallback: String?, issued: Date?) -> String {
        let claimed = section?.claimed.name ?? section?.claimed.id ?? fallback
        let calls = claimed.map { " — calls itself <em>\(escape($0))</em>" } ?? ""
        var line = "<p class=\"issuer\">"
        if let section, let proven = section.proven, section.binding != .mismatch {
            let what: String = switch proven.kind {
            case .didWeb: "the key of the web domain"
            case .didKey, .didJWK: "the key"
            case .url: "a key published at"
            case .sealCertificate: "the electronic seal of"
            case .ob2Hosted: "hosted on"
            case .ob2Key: "the key of the issuer at"
            }
            line += "Signed by \(what) <strong class=\"proven\">\(escape(proven.identity))</strong>"
            if proven.kind == .sealCertificate, let id = proven.organizationIdentifier { line += " (\(escape(id)))" }
            line += calls
        } else if let section, section.binding == .mismatch {
            line += "<strong class=\"warning\">⚠ Not signed by the issuer it names</strong>\(calls). \(escape(section.reason))"
        } else {
            line += "<strong class=\"warning\">⚠ Who signed it could not be proven</strong>\(calls)"
        }
        if let issued { line += " · issued \(date(issued))" }
        line += "</p>\n"
        switch section?.registration {
        case .registered(let name, let accreditation)?:
            line += "<p class=\"registry\">Registered with this server as <strong>\(escape(name))</strong>"
            if let accreditation { line += " (\(escape(accreditation)))" }
            line += "</p>\n"
        default:
            line += "<p class=\"registry warning\">⚠ Not in this server's registry: the name above is the credential's own claim.</p>\n"
        }
        if let section, section.binding == .boundByName {
            line += "<p class=\"registry warning\">⚠ The seal matches the issuer by legal name only, not by an identifier.</p>\n"
        }
        return line
    }

    static func html(_ link: ShareLink, _ shown: [(WalletCredential, VerificationReport)]) -> String {
        var body = ""
        for (credential, report) in shown {
            let verdict = report.verdict.rawValue
            let (words, colour) = verdictWords[verdict] ?? (verdict, "#444")
            let status = WalletAPI.status(report).rawValue
            body += "<section class=\"credential\">\n"
            body += "<h2 class=\"title\">\(escape(credential.title ?? "Untitled credential"))</h2>\n"
            body += issuerLines(report.issuer, claimed: credential.issuerName ?? credential.issuerID, issued: credential.issuedAt)
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
            .link{color:#555;font-size:.9rem}.warning{color:#8a4b00}.proven{font-family:ui-monospace,monospace}</style></head>
            <body><h1>Shared credentials</h1>
            <p class="link">\(linkLine). The link's expiry is the learner's choice; each credential's own validity is shown with it.</p>
            \(body)<p class="link">Verified by Nachweis when this page was opened.</p></body></html>
            """
    }
}
