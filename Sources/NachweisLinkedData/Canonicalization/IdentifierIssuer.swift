/// Issues blank node identifiers with a prefix and a counter, remembering the order (RDFC-1.0 §4.5).
struct IdentifierIssuer: Sendable {
    let prefix: String
    private(set) var counter = 0
    private(set) var issued: [String: String] = [:]
    /// Existing identifiers in the order they were issued.
    private(set) var order: [String] = []

    init(prefix: String) { self.prefix = prefix }

    func identifier(for existing: String) -> String? { issued[existing] }

    /// A new identifier for a node that has no existing label (it is never looked up).
    mutating func issueFresh() -> String {
        let id = prefix + String(counter)
        counter += 1
        return id
    }

    @discardableResult
    mutating func issue(_ existing: String) -> String {
        if let id = issued[existing] { return id }
        let id = prefix + String(counter)
        counter += 1
        issued[existing] = id
        order.append(existing)
        return id
    }
}
