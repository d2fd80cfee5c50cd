import NachweisJSON

/// The public error of NachweisLinkedData.
public typealias LinkedDataError = CodedFailure<LinkedDataDomain>

/// Keeps LinkedDataError's codes apart from other modules'.
public enum LinkedDataDomain {}

extension ErrorCode where Domain == LinkedDataDomain {
    public static let invalidNQuads = Self(rawValue: "rdf.invalid_nquads")
    /// Canonicalization stopped at its work bound (a poison graph).
    public static let workLimitExceeded = Self(rawValue: "rdfc.work_limit")
    /// A JSON-LD processing error; the message starts with the spec's error code (e.g. `invalid IRI mapping`).
    public static let jsonLD = Self(rawValue: "jsonld.error")
    /// A context document could not be had (unknown URL, not in the offline loader, unreadable).
    public static let loadingDocumentFailed = Self(rawValue: "jsonld.loading_document_failed")
    /// A proof that does not hold (bad signature, wrong purpose, expired, missing previous proof, …).
    public static let proofInvalid = Self(rawValue: "di.proof_invalid")
    /// A proof Nachweis cannot check (unknown type or cryptosuite, unresolvable verification method).
    public static let proofUnsupported = Self(rawValue: "di.proof_unsupported")
    /// A verification method that cannot be resolved to a key.
    public static let verificationMethodUnresolved = Self(rawValue: "di.verification_method_unresolved")
    /// A member or type that no context defines (it would silently drop out of the RDF, and so of a signature).
    public static let undefinedTerm = Self(rawValue: "jsonld.undefined_term")
    /// A member that makes no statement in the RDF data and so is not covered by a signature: a relative or
    /// malformed IRI, a reserved keyword form, an invalid language tag, an index, a value with nothing to say.
    public static let unsignedMember = Self(rawValue: "jsonld.unsigned_member")
}

extension CodedFailure where Domain == LinkedDataDomain {
    /// Separates, while an error travels out of expansion, its message from the pointer gathered so far (a control
    /// character no message has). ``located()`` turns it into words.
    private static var mark: Character { "\u{1F}" }

    /// The same error one level further in: `token` (a member name or an array index) goes before its pointer.
    func within(_ token: String) -> LinkedDataError {
        let escaped = "/" + token.replacing("~", with: "~0").replacing("/", with: "~1")
        guard let mark = message.lastIndex(of: Self.mark) else { return LinkedDataError(code, message + String(Self.mark) + escaped) }
        return LinkedDataError(code, message[..<mark] + String(Self.mark) + escaped + message[message.index(after: mark)...])
    }

    /// The error with its pointer named at the end of the message, as callers show it: `… (at /credentialSubject/id)`.
    func located() -> LinkedDataError {
        guard let mark = message.lastIndex(of: Self.mark) else { return self }
        return LinkedDataError(code, "\(message[..<mark]) (at \(message[message.index(after: mark)...]))")
    }

    /// Where in the document the error lies, when expansion named a place: the JSON pointer at the end of the message.
    public var pointer: JSONPointer? {
        guard message.hasSuffix(")"), let start = message.ranges(of: " (at /").last?.upperBound else { return nil }
        return JSONPointer("/" + message[start..<message.index(before: message.endIndex)])
    }
}
