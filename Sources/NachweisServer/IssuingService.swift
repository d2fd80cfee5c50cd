import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisLinkedData
import NachweisStore

/// Issues credentials: builds the document, checks it against our own schema, gives it status entries, signs it
/// with the issuer's active key and stores it — and never issues twice for one idempotency key. The HTTP API and
/// (later) bulk issuing call this; nothing here knows about HTTP.
public struct IssuingService: Sendable {
    public enum Recipient: Sendable {
        case email(String)
        case did(String)
    }

    public struct Issued: Sendable {
        public let credential: IssuedCredential
        /// False when an earlier request with the same idempotency key had already issued it.
        public let created: Bool
    }

    let storage: any Storage
    let documents: PublicDocuments
    let dataIntegrity: DataIntegrity
    let schema: JSONSchema
    let signer: IssuerSigner
    /// Entries per new status list.
    let statusListSize = 131_072

    init(storage: any Storage, documents: PublicDocuments, dataIntegrity: DataIntegrity, schema: JSONSchema, signer: IssuerSigner) {
        self.storage = storage
        self.documents = documents
        self.dataIntegrity = dataIntegrity
        self.schema = schema
        self.signer = signer
    }

    /// A service over a store, with the shipped contexts (integrity checked) and our OB 3.0 schema.
    public init(storage: any Storage, publicBaseURL: String) throws {
        let base = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        let documents = PublicDocuments(storage: storage, baseURL: base)
        self.init(storage: storage, documents: documents,
                  dataIntegrity: DataIntegrity(processor: JSONLDProcessor(loader: try ShippedContexts.loader())),
                  schema: try ShippedSchemas.shared.get().schema(ShippedSchemas.ob3AchievementCredential),
                  signer: IssuerSigner(storage: storage, documents: documents))
    }

    public func issue(issuer: Issuer, achievementID: UUID, recipient: Recipient, idempotencyKey: String?) async throws(APIError) -> Issued {
        if let idempotencyKey, let earlier = try await stored(idempotencyKey, issuer) { return Issued(credential: earlier, created: false) }
        let achievement: NachweisStore.Achievement
        do { achievement = try await storage.achievements.achievement(id: achievementID, issuerID: issuer.id) } catch {
            throw APIError(.unprocessableContent, .invalidField, "achievement: \(error.message)")
        }
        guard !achievement.archived else { throw APIError(.unprocessableContent, .invalidField, "achievement \(achievementID) is archived") }
        let signing = try await signer.eddsa(for: issuer, refusal: .unprocessableContent, purpose: "OB 3.0 Data Integrity issuing")
        let id = UUID()
        let revocation: StatusAllocation, suspension: StatusAllocation
        do {
            revocation = try await storage.statusLists.allocate(issuerID: issuer.id, purpose: .revocation, credentialID: id, size: statusListSize)
            suspension = try await storage.statusLists.allocate(issuerID: issuer.id, purpose: .suspension, credentialID: id, size: statusListSize)
        } catch { throw IssuerAPI.refused(error) }
        let (unsigned, recipientValue) = document(id: id, issuer: issuer, achievement: achievement, recipient: recipient,
                                                  revocation: revocation, suspension: suspension)
        let violations = schema.validate(unsigned)
        guard violations.isEmpty else {
            throw APIError(.unprocessableContent, .invalidField, "the credential would not pass the OB 3.0 schema: \(violations.prefix(3).map { "\($0)" }.joined(separator: "; "))")
        }
        let signed: JSONValue
        do {
            signed = try dataIntegrity.sign(unsigned, key: signing.key, options: .init(
                verificationMethod: signing.verificationMethod, created: unsigned["validFrom"]?.stringValue))
        } catch {
            throw APIError(.serviceUnavailable, .unavailable, "signing failed: \(error)")
        }
        let credential = IssuedCredential(id: id, issuerID: issuer.id, achievementID: achievement.id, format: .ob3DataIntegrity,
                                          recipient: recipientValue, idempotencyKey: idempotencyKey, document: signed.compactText,
                                          revocation: revocation, suspension: suspension)
        do { try await storage.credentials.add(credential) } catch {
            // The same key raced in from another request: answer with what that one stored.
            if error.code == .conflict, let idempotencyKey, let earlier = try await stored(idempotencyKey, issuer) {
                return Issued(credential: earlier, created: false)
            }
            throw IssuerAPI.refused(error)
        }
        return Issued(credential: credential, created: true)
    }

    func stored(_ idempotencyKey: String, _ issuer: Issuer) async throws(APIError) -> IssuedCredential? {
        do { return try await storage.credentials.credential(idempotencyKey: idempotencyKey, issuerID: issuer.id) } catch {
            throw IssuerAPI.refused(error)
        }
    }

    /// The unsigned OB 3.0 AchievementCredential, and the recipient as stored (a salted hash for emails).
    func document(id: UUID, issuer: Issuer, achievement a: NachweisStore.Achievement, recipient: Recipient, revocation: StatusAllocation,
                  suspension: StatusAllocation) -> (JSONValue, String) {
        var subject: JSONObject = ["type": ["AchievementSubject"]]
        let stored: String
        switch recipient {
        case .did(let did):
            subject["id"] = .string(did)
            stored = did
        case .email(let email):
            let salt = Hex.encode((try? SecureRandom.bytes(16)) ?? [])
            let hash = RecipientHash.sha256(email.lowercased(), salt: salt)
            subject["identifier"] = [["type": "IdentityObject", "hashed": true, "identityHash": .string(hash),
                                      "identityType": "emailAddress", "salt": .string(salt)]]
            stored = "email:" + hash
        }
        var criteria: JSONObject = ["narrative": .string(a.criteriaNarrative)]
        if let url = a.criteriaURL { criteria["id"] = .string(url) }
        var achievement: JSONObject = [
            "id": .string("urn:uuid:\(a.id.uuidString.lowercased())"), "type": ["Achievement"], "name": .string(a.name),
            "description": .string(a.description), "criteria": .object(criteria), "achievementType": .string(a.achievementType),
        ]
        if let ects = a.ects, let number = JSONNumber(ects) { achievement["creditsAvailable"] = .number(number) }
        if !a.tags.isEmpty { achievement["tag"] = .array(a.tags.map(JSONValue.string)) }
        if let image = a.imageURL { achievement["image"] = ["id": .string(image), "type": "Image"] }
        if let language = a.language { achievement["inLanguage"] = .string(language) }
        if !a.alignments.isEmpty {
            achievement["alignment"] = .array(a.alignments.map { al in
                var o: JSONObject = ["type": ["Alignment"], "targetName": .string(al.targetName), "targetUrl": .string(al.targetURL)]
                if let v = al.targetFramework { o["targetFramework"] = .string(v) }
                if let v = al.targetCode { o["targetCode"] = .string(v) }
                if let v = al.targetType { o["targetType"] = .string(v) }
                return .object(o)
            })
        }
        subject["achievement"] = .object(achievement)
        let base = documents.profileURL(issuer) + "/status/"
        func entry(_ allocation: StatusAllocation, _ purpose: String) -> JSONValue {
            let list = base + allocation.listID.uuidString.lowercased()
            return ["id": .string("\(list)#\(allocation.index)"), "type": "BitstringStatusListEntry", "statusPurpose": .string(purpose),
                    "statusListIndex": .string(String(allocation.index)), "statusListCredential": .string(list)]
        }
        var profile: JSONObject = ["id": .string(documents.did(issuer)), "type": ["Profile"], "name": .string(issuer.name),
                                   "url": .string(issuer.homepage)]
        if let email = issuer.email { profile["email"] = .string(email) }
        let credential: JSONValue = [
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": .string("urn:uuid:\(id.uuidString.lowercased())"),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": .object(profile),
            "validFrom": .string(IssuerAPI.timestamp(Date())),
            "name": .string(a.name),
            "credentialSubject": .object(subject),
            "credentialStatus": [entry(revocation, "revocation"), entry(suspension, "suspension")],
        ]
        return (credential, stored)
    }
}
