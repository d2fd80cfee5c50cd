import NachweisCrypto

/// Turns a proof's `verificationMethod` into a public key.
public protocol VerificationMethodResolver: Sendable {
    func publicKey(for verificationMethod: String) throws(LinkedDataError) -> PublicKey
}

/// Resolves `did:key` verification methods locally; hands everything else (did:web, HTTPS key documents) to an
/// optional next resolver, which the verifier injects with its bounded fetcher.
public struct DIDKeyResolver: VerificationMethodResolver {
    public let next: (any VerificationMethodResolver)?

    public init(next: (any VerificationMethodResolver)? = nil) { self.next = next }

    public func publicKey(for verificationMethod: String) throws(LinkedDataError) -> PublicKey {
        if verificationMethod.hasPrefix("did:key:") {
            do { return try DIDKey(parsing: verificationMethod).publicKey } catch {
                throw LinkedDataError(.verificationMethodUnresolved, "\(verificationMethod): \(error.message)")
            }
        }
        guard let next else {
            throw LinkedDataError(.verificationMethodUnresolved, "\(verificationMethod) needs a did:web or HTTPS resolver, and none is configured")
        }
        return try next.publicKey(for: verificationMethod)
    }
}
