import NachweisJSON

/// Why the server will not start (or a request it cannot serve).
public typealias ServerError = CodedFailure<ServerDomain>

/// Keeps ServerError's codes apart from other modules'.
public enum ServerDomain {}

extension ErrorCode where Domain == ServerDomain {
    /// A configuration value is malformed (a port that is not a number, an unreadable file, …).
    public static let invalidConfiguration = Self(rawValue: "config.invalid")
    /// Production mode and something only fit for development: a development key, a non-HTTPS public URL.
    public static let refusedInProduction = Self(rawValue: "config.refused_in_production")
}
