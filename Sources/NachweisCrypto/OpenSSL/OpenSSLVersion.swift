import COpenSSL

/// The OpenSSL library Nachweis runs on.
public enum OpenSSLVersion {
    /// e.g. "OpenSSL 3.0.19 27 Jan 2026".
    public static var text: String { String(cString: OpenSSL_version(OPENSSL_VERSION)) }
}
