import NachweisJSON

/// The public error of NachweisLinkedData.
public struct LinkedDataError: CodedError {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidNQuads = Code(rawValue: "rdf.invalid_nquads")
        /// Canonicalization stopped at its work bound (a poison graph).
        public static let workLimitExceeded = Code(rawValue: "rdfc.work_limit")
        /// A JSON-LD processing error; the message starts with the spec's error code (e.g. `invalid IRI mapping`).
        public static let jsonLD = Code(rawValue: "jsonld.error")
        /// A context document could not be had (unknown URL, not in the offline loader, unreadable).
        public static let loadingDocumentFailed = Code(rawValue: "jsonld.loading_document_failed")
        /// A proof that does not hold (bad signature, wrong purpose, expired, missing previous proof, …).
        public static let proofInvalid = Code(rawValue: "di.proof_invalid")
        /// A proof Nachweis cannot check (unknown type or cryptosuite, unresolvable verification method).
        public static let proofUnsupported = Code(rawValue: "di.proof_unsupported")
        /// A verification method that cannot be resolved to a key.
        public static let verificationMethodUnresolved = Code(rawValue: "di.verification_method_unresolved")
        /// A member or type that no context defines (it would silently drop out of the RDF, and so of a signature).
        public static let undefinedTerm = Code(rawValue: "jsonld.undefined_term")
    }

    public let code: Code
    public let message: String
    public let location: String

    public init(_ code: Code, _ message: String, fileID: StaticString = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.location = "\(fileID):\(line)"
    }
}
