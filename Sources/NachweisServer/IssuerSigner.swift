import Foundation
import Hummingbird
import NachweisCrypto
import NachweisStore
import Synchronization

/// An issuer's active keys, ready to sign: each read from its PEM file once per key record (a key record never
/// changes its file; a rotation is a new record) and named by its verification method on the issuer's `did:web`, the
/// same id the DID document lists and the `kid` of JWS headers. Issuing in every format and status lists sign through it.
final class IssuerSigner: Sendable {
    struct Signer: Sendable {
        let record: SigningKey
        let key: PrivateKey
        let verificationMethod: String
        /// A sealing key's certificate chain, leaf first, for `x5c`.
        let certificates: [Certificate]
    }

    let storage: any Storage
    let documents: PublicDocuments
    let cache = IssuingCache()
    private let parsed = Mutex<[UUID: (PrivateKey, [Certificate], String)]>([:])

    init(storage: any Storage, documents: PublicDocuments) {
        self.storage = storage
        self.documents = documents
    }

    /// An Ed25519 signer for `eddsa-rdfc-2022`. When the issuer has no active Ed25519 key the request is refused with
    /// `refusal` (a client error for issuing, 503 for a public document the server cannot sign).
    func eddsa(for issuer: Issuer, refusal: HTTPResponse.Status, purpose: @autoclosure () -> String) async throws(APIError) -> Signer {
        try await signer(for: issuer, algorithm: "EdDSA", refusal: refusal, purpose: "\(purpose()) (eddsa-rdfc-2022)")
    }

    /// The issuer's active key for a JOSE algorithm and key purpose. `purpose` names what the key is for in a refusal
    /// (made only then: this runs for every credential issued).
    func signer(for issuer: Issuer, keyPurpose: SigningKey.Purpose = .signing, algorithm: String, refusal: HTTPResponse.Status,
                purpose: @autoclosure () -> String) async throws(APIError) -> Signer {
        let active: [SigningKey]
        do { active = try await cache.activeKeys(issuerID: issuer.id, storage: storage) } catch { throw IssuerAPI.refused(error) }
        guard let record = active.first(where: { $0.purpose == keyPurpose && $0.algorithm == algorithm }) else {
            throw APIError(refusal, refusal == .serviceUnavailable ? .unavailable : .invalidField,
                           "\(purpose()) needs an active \(keyPurpose.rawValue) key for \(algorithm); the issuer has none")
        }
        let key: PrivateKey, certificates: [Certificate], thumbprint: String
        if let cached = parsed.withLock({ $0[record.id] }) {
            (key, certificates, thumbprint) = cached
        } else {
            do {
                key = try ServerConfiguration.loadKey(record.privateKeyPath)
                certificates = try record.certificatePath.map(ServerConfiguration.loadCertificateChain) ?? []
                thumbprint = try JWK(publicKey: key.publicKey).thumbprint()
            } catch {
                throw APIError(.serviceUnavailable, .unavailable, "the issuer's \(algorithm) key cannot be read: \(error)")
            }
            parsed.withLock { $0[record.id] = (key, certificates, thumbprint) }
        }
        return Signer(record: record, key: key, verificationMethod: documents.verificationMethod(issuer, thumbprint), certificates: certificates)
    }
}
