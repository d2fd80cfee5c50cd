import Foundation
import NachweisJSON

/// One member of a request body, read as the type a field needs; a mismatch is 400 `request.invalid_field` naming
/// the member. `null` clears optional fields.
struct BodyField {
    let key: String
    let value: JSONValue

    init(_ member: JSONObject.Member) {
        key = member.key
        value = member.value
    }

    /// A member the body must have (400 naming it when it is missing).
    init(_ body: JSONObject, _ key: String) throws(APIError) {
        guard let value = body[key] else { throw APIError(.badRequest, .invalidField, "\(key) is required") }
        self.key = key
        self.value = value
    }

    /// A member the body may have: absent reads as `null` (so the optional readers give nil). `name` is how errors call
    /// it (for a member of a member, e.g. `eqfLevel.min`).
    init(_ body: JSONObject, optional key: String, name: String? = nil) {
        self.key = name ?? key
        value = body[key] ?? .null
    }

    func invalid(_ expected: String) -> APIError { APIError(.badRequest, .invalidField, "\(key) must be \(expected)") }

    func text() throws(APIError) -> String {
        guard let s = value.stringValue else { throw invalid("a string") }
        return s
    }

    func optionalText() throws(APIError) -> String? { value == .null ? nil : try text() }

    func texts() throws(APIError) -> [String] {
        guard let items = value.arrayValue else { throw invalid("an array of strings") }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { throw invalid("an array of strings") }
            out.append(s)
        }
        return out
    }

    func optionalInteger() throws(APIError) -> Int? {
        if value == .null { return nil }
        guard let i = value.numberValue?.intValue else { throw invalid("an integer") }
        return i
    }

    func optionalNumber() throws(APIError) -> Double? {
        if value == .null { return nil }
        guard let n = value.numberValue, n.doubleValue.isFinite else { throw invalid("a number") }
        return n.doubleValue
    }

    /// Different ids of the learner's credentials, between `counts` of them: a malformed id names no credential of the
    /// wallet (404, as one of another learner's), a repeated one or a count outside the range is 400.
    func credentialIDs(_ counts: ClosedRange<Int>) throws(APIError) -> [UUID] {
        let texts = try texts()
        guard counts.contains(texts.count), Set(texts).count == texts.count else {
            throw invalid("\(counts.lowerBound)–\(counts.upperBound) different credentials of the wallet")
        }
        var ids: [UUID] = []
        for text in texts {
            guard let id = UUID(uuidString: text) else { throw APIError(.notFound, .notFound, "no credential \(text) in this wallet") }
            ids.append(id)
        }
        return ids
    }
}
