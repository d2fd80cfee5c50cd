import Foundation
import Hummingbird
import NachweisCrypto
import NachweisStore
import Synchronization

/// The issuer's active key, ready to sign Data Integrity proofs: read from its PEM file once per signing key (a key
/// record never changes its file; a rotation is a new record) and named by its verification method on the issuer's
/// `did:web`, the same id the DID document lists. Issuing and status lists both sign through it.
final class IssuerSigner: Sendable {
    struct Signer: Sendable {
        let key: PrivateKey
        let verificationMethod: String
    }

    let storage: any Storage
    let documents: PublicDocuments
    private let parsed = Mutex<[UUID: PrivateKey]>([:])

    init(storage: any Storage, documents: PublicDocuments) {
        self.storage = storage
        self.documents = documents
    }

    /// An Ed25519 signer for `eddsa-rdfc-2022`. When the active key is of another kind the request is refused with
    /// `refusal` (a client error for issuing, 503 for a public document the server cannot sign).
    func eddsa(for issuer: Issuer, refusal: HTTPResponse.Status, purpose: String) async throws(APIError) -> Signer {
        let record: SigningKey
        do { record = try await storage.signingKeys.activeKey(issuerID: issuer.id) } catch { throw IssuerAPI.refused(error) }
        let key: PrivateKey
        if let cached = parsed.withLock({ $0[record.id] }) {
            key = cached
        } else {
            do { key = try ServerConfiguration.loadKey(record.privateKeyPath) } catch {
                throw APIError(.serviceUnavailable, .unavailable, "the issuer's signing key cannot be read")
            }
            parsed.withLock { $0[record.id] = key }
        }
        guard key.kind == .ed25519 else {
            throw APIError(refusal, refusal == .serviceUnavailable ? .unavailable : .invalidField,
                           "\(purpose) needs an Ed25519 key (eddsa-rdfc-2022); the active key is \(record.algorithm)")
        }
        do {
            return Signer(key: key, verificationMethod: documents.verificationMethod(issuer, try JWK(publicKey: key.publicKey)))
        } catch {
            throw APIError(.serviceUnavailable, .unavailable, "the issuer's signing key has no JWK form: \(error.message)")
        }
    }
}
