import NachweisJSON

/// Which micro-credential elements a credential carries, where, and which it lacks.
public struct MicroCredentialReport: Sendable, Hashable {
    /// One element found.
    public struct Found: Sendable, Hashable {
        public let element: MicroCredentialElement
        /// Where it is in the credential.
        public let pointer: JSONPointer
        /// A short human value (a label, a date, a name).
        public let value: String
    }

    /// Elements found, in the Annex's order.
    public let present: [Found]
    /// Elements not found, in the Annex's order.
    public let missing: [MicroCredentialElement]

    /// Mandatory elements not found.
    public var missingMandatory: [MicroCredentialElement] { missing.filter(\.isMandatory) }

    /// Whether all eleven mandatory elements are there.
    public var hasAllMandatoryElements: Bool { missingMandatory.isEmpty }

    public func found(_ element: MicroCredentialElement) -> Found? { present.first { $0.element == element } }
}
