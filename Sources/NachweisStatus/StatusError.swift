import NachweisJSON

/// Status list errors.
public typealias StatusError = CodedFailure<StatusDomain>

/// Keeps StatusError's codes apart from other modules'.
public enum StatusDomain {}

extension ErrorCode where Domain == StatusDomain {
    /// An `encodedList` that is not multibase base64url of gzip, or too large.
    public static let invalidList = Self(rawValue: "status.invalid_list")
}
