import Foundation
import NachweisJSON

/// The verdict on one credential: ordered steps, each with a status, a stable code, a message and details, and one
/// overall verdict that follows one rule — **invalid** when a deciding step failed (the credential is proven wrong),
/// **inconclusive** when none failed but one could not decide (something needed was missing or untrustworthy),
/// **valid** only when every deciding step passed. Informational steps (EU micro-credential elements) never decide.
public struct VerificationReport: Sendable {
    public enum Status: String, Sendable, Hashable, Codable {
        case passed, failed, skipped, inconclusive
    }

    public enum Verdict: String, Sendable, Hashable, Codable {
        case valid, invalid, inconclusive
    }

    /// What a step checks. The raw values are stable: reports and tests name steps by them.
    public enum Check: String, Sendable, Hashable, CaseIterable, Codable {
        case format, schema, proof
        case issuerKey = "issuer_key"
        case claims, validity
        case revocation = "status.revocation"
        case suspension = "status.suspension"
        case status
        case recipient, trust, endorsements
        case microCredential = "micro_credential"

        /// Whether the step counts toward the verdict. Endorsements are third parties' statements about the
        /// credential: reported, each with its own verdict, but they do not make the credential itself valid or not.
        public var decides: Bool { self != .microCredential && self != .endorsements }
    }

    public struct Step: Sendable {
        public let check: Check
        public let status: Status
        /// A stable code for the outcome, e.g. `proof.signature_invalid`, `status.revoked`, `validity.expired`.
        public let code: String
        public let message: String
        public let details: JSONObject

        public init(_ check: Check, _ status: Status, _ code: String, _ message: String, details: JSONObject = JSONObject()) {
            self.check = check
            self.status = status
            self.code = code
            self.message = message
            self.details = details
        }

        public var json: JSONValue {
            var o: JSONObject = ["check": .string(check.rawValue), "status": .string(status.rawValue), "code": .string(code),
                                 "message": .string(message)]
            if !details.members.isEmpty { o["details"] = .object(details) }
            return .object(o)
        }
    }

    public var steps: [Step] = []
    /// The format found, when one was.
    public var format: String?
    /// The validation time used.
    public var at: Date

    /// Who stands behind the verdict: claimed, proven, bound (``IssuerSection``); nil when the bytes were no credential.
    public var issuer: IssuerSection?
    /// What a reader must see although it does not change the verdict: what a pipeline noted (an OB 2.0 spelling it
    /// tolerated, …), then what the issuer section says (a seal bound to the issuer by its legal name only, an issuer
    /// not in this server's registry) — worked out when asked, not on every verification.
    public var warnings: [String] {
        var all = notes
        if let issuer {
            if issuer.binding == .boundByName { all.append(issuer.reason) }
            switch issuer.registration {
            case .registered: break
            case .notRegistered: all.append("the issuer is not in this server's registry: \(issuer.summary)")
            case .noRegistry: all.append("the issuer is not in this server's registry (none is configured): \(issuer.summary)")
            }
        }
        return all
    }

    /// Warnings a pipeline noted on its way (see ``warnings``).
    var notes: [String] = []

    public init(at: Date) { self.at = at }

    public var verdict: Verdict {
        let deciding = steps.filter { $0.check.decides }
        if deciding.contains(where: { $0.status == .failed }) { return .invalid }
        if deciding.contains(where: { $0.status == .inconclusive }) || deciding.isEmpty { return .inconclusive }
        return .valid
    }

    public func step(_ check: Check) -> Step? { steps.first { $0.check == check } }

    mutating func add(_ step: Step) { steps.append(step) }

    public var json: JSONValue {
        var o: JSONObject = ["verdict": .string(verdict.rawValue), "validationTime": .string(RFC3339.format(at))]
        if let format { o["format"] = .string(format) }
        if let issuer { o["issuer"] = issuer.json }
        if !warnings.isEmpty { o["warnings"] = .array(warnings.map(JSONValue.string)) }
        o["steps"] = .array(steps.map(\.json))
        return .object(o)
    }

    /// A human-readable report: the verdict, then one line per step.
    public var text: String {
        var lines = ["verdict: \(verdict.rawValue)" + (format.map { " (\($0))" } ?? "") + " at \(RFC3339.format(at))"]
        if let issuer { lines.append("issuer: \(issuer.summary)") }
        for warning in warnings { lines.append("warning: \(warning)") }
        for step in steps {
            lines.append("  \(step.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(step.check.rawValue): \(step.message) [\(step.code)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
