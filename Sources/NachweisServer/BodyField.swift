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
}
