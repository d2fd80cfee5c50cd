import COpenSSL

extension CryptoError {
    /// Builds an error from a failed OpenSSL call, draining the thread's OpenSSL error queue
    /// so that the library's own reason strings reach the caller and no stale error lingers.
    static func openSSL(_ code: Code, _ what: String, fileID: StaticString = #fileID, line: UInt = #line) -> CryptoError {
        let reasons = drainOpenSSLErrors()
        let message = reasons.isEmpty ? what : "\(what): \(reasons.joined(separator: "; "))"
        return CryptoError(code, message, fileID: fileID, line: line)
    }
}

/// Empties the OpenSSL error queue of this thread and returns its reason strings, oldest first.
func drainOpenSSLErrors() -> [String] {
    var reasons: [String] = []
    while true {
        let error = ERR_get_error()
        if error == 0 { break }
        if let reason = ERR_reason_error_string(error) {
            reasons.append(String(cString: reason))
        } else {
            reasons.append("error 0x\(String(error, radix: 16))")
        }
    }
    return reasons
}

/// Clears stale errors (decoders that try several formats leave some behind).
func clearOpenSSLErrors() {
    ERR_clear_error()
}
