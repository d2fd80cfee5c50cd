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
}
