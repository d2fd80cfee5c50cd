import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisLinkedData
import NachweisStore
import NachweisVerifier

/// Issues credentials: builds the document, checks it against our own schema, gives it status entries, signs it
/// with the issuer's active key for the format and stores it — and never issues twice for one idempotency key. The
/// HTTP API and (later) bulk issuing call this; nothing here knows about HTTP.
public struct IssuingService: Sendable {
    public enum Recipient: Sendable {
        case email(String)
        case did(String)
    }

    /// What to issue.
    public enum Format: Sendable, Hashable {
        /// OB 3.0 with an `eddsa-rdfc-2022` proof.
        case ob3DataIntegrity
        /// OB 3.0 as a VC-JWT: EdDSA, ES256 or RS256.
        case ob3JWT(SignatureAlgorithm)
        /// OB 2.0, a JWS (RS256) over the assertion.
        case ob2Signed
        /// OB 2.0, served at its URL (410 Gone once revoked).
        case ob2Hosted
        /// Europass EDC sealed as JAdES.
        case edcJAdES

        public var stored: IssuedCredential.Format {
            switch self {
            case .ob3DataIntegrity: .ob3DataIntegrity
            case .ob3JWT: .ob3JWT
            case .ob2Signed: .ob2Signed
            case .ob2Hosted: .ob2Hosted
            case .edcJAdES: .edcJAdES
            }
        }

        public static let jwtAlgorithms: [SignatureAlgorithm] = [.eddsa, .es256, .rs256]
    }

    public struct Request: Sendable {
        public var achievementID: UUID
        public var recipient: Recipient
        public var format: Format
        /// Adds a `1EdTechRevocationList` entry (OB 3.0) beside the Bitstring ones.
        public var revocationList: Bool
        public var idempotencyKey: String?

        public init(achievementID: UUID, recipient: Recipient, format: Format = .ob3DataIntegrity, revocationList: Bool = false,
                    idempotencyKey: String? = nil) {
            self.achievementID = achievementID
            self.recipient = recipient
            self.format = format
            self.revocationList = revocationList
            self.idempotencyKey = idempotencyKey
        }
    }

    public struct Issued: Sendable {
        public let credential: IssuedCredential
        /// False when an earlier request with the same idempotency key had already issued it.
        public let created: Bool
    }

    let storage: any Storage
    let documents: PublicDocuments
    let builder: CredentialDocuments
    let dataIntegrity: DataIntegrity
    let schemas: SchemaRegistry
    /// The three schemas issuing checks against, compiled once.
    let compiled: [String: JSONSchema]
    let signer: IssuerSigner
    let metrics: Metrics?
    let cache: IssuingCache
    /// Entries per new status list.
    let statusListSize = 131_072

    init(storage: any Storage, documents: PublicDocuments, dataIntegrity: DataIntegrity, schemas: SchemaRegistry, signer: IssuerSigner,
         metrics: Metrics? = nil) {
        self.metrics = metrics
        self.cache = signer.cache
        self.storage = storage
        self.documents = documents
        self.builder = CredentialDocuments(documents: documents)
        self.dataIntegrity = dataIntegrity
        self.schemas = schemas
        var compiled: [String: JSONSchema] = [:]
        for id in [ShippedSchemas.ob3AchievementCredential, ShippedSchemas.ob2Assertion, ShippedSchemas.edcCredential] {
            compiled[id] = try? schemas.schema(id)
        }
        self.compiled = compiled
        self.signer = signer
    }

    /// A service over a store, with the shipped contexts (integrity checked) and our schemas.
    public init(storage: any Storage, publicBaseURL: String) throws {
        let base = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        let documents = PublicDocuments(storage: storage, baseURL: base)
        self.init(storage: storage, documents: documents,
                  dataIntegrity: .forSigning(JSONLDProcessor(loader: try ShippedContexts.loader())),
                  schemas: try ShippedSchemas.shared.get(), signer: IssuerSigner(storage: storage, documents: documents))
    }

    public func issue(issuer: Issuer, achievementID: UUID, recipient: Recipient, idempotencyKey: String?) async throws(APIError) -> Issued {
        try await issue(issuer: issuer, Request(achievementID: achievementID, recipient: recipient, idempotencyKey: idempotencyKey))
    }

    /// Issues one credential. A repeated idempotency key is found when the credential is stored (the store's unique
    /// constraint, not a read before: retries are rare, reads on every request are not), and answers with the
    /// credential stored the first time.
    public func issue(issuer: Issuer, _ request: Request) async throws(APIError) -> Issued {
        // Announced to the store from the start (its group commit may wait for a fuller batch while many are coming).
        storage.credentials.expect()
        defer { storage.credentials.settled() }
        let achievement: NachweisStore.Achievement
        do { achievement = try await cache.achievement(request.achievementID, issuerID: issuer.id, storage: storage) } catch {
            throw APIError(.unprocessableContent, .invalidField, "achievement: \(error.message)")
        }
        guard !achievement.archived else { throw APIError(.unprocessableContent, .invalidField, "achievement \(achievement.id) is archived") }
        let format = request.format
        switch (format, request.recipient) {
        case (.ob2Signed, .did), (.ob2Hosted, .did):
            throw APIError(.unprocessableContent, .invalidField, "OB 2.0 recipients are email addresses here (hashed); issue to a DID in OB 3.0 or Europass")
        default: break
        }
        if request.revocationList, format.stored != .ob3DataIntegrity && format.stored != .ob3JWT {
            throw APIError(.unprocessableContent, .invalidField, "revocationList (1EdTechRevocationList) is an OB 3.0 status method")
        }
        let signing = try await signer(for: format, issuer)
        // OB 3.0 and Europass credentials get time-ordered ids (the store's index then grows at its end); OB 2.0 keeps
        // version 4: the OB 2.0 validator accepts only versions 1–5 in urn:uuid ids (a v7 was refused).
        let id = format.stored == .ob2Signed || format.stored == .ob2Hosted ? UUID() : UUID.timeOrdered()
        var revocation: StatusAllocation?, suspension: StatusAllocation?
        if format.stored.hasStatusEntries {
            do {
                revocation = try await cache.statusEntry(issuerID: issuer.id, purpose: .revocation, size: statusListSize, storage: storage)
                suspension = try await cache.statusEntry(issuerID: issuer.id, purpose: .suspension, size: statusListSize, storage: storage)
            } catch { throw IssuerAPI.refused(error) }
        }
        let learner = CredentialDocuments.Learner(request.recipient)
        let document = try render(id: id, issuer: issuer, achievement: achievement, learner: learner, format: format, signing: signing,
                                  revocation: revocation, suspension: suspension, revocationList: request.revocationList)
        let credential = IssuedCredential(id: id, issuerID: issuer.id, achievementID: achievement.id, format: format.stored,
                                          recipient: learner.stored, idempotencyKey: request.idempotencyKey, document: document,
                                          revocation: revocation, suspension: suspension)
        do { try await storage.credentials.add(credential) } catch {
            // Refused for itself (a reused key, an archived achievement): its entries go back to the pool (see giveBack).
            let archived = error.code == .constraint && error.message.contains("archived")
            if error.code == .conflict || archived {
                cache.giveBack([revocation.map { ($0, .revocation) }, suspension.map { ($0, .suspension) }].compactMap { $0 }, issuerID: issuer.id)
            }
            // The same key stored before (or raced in from another request): answer with what that one stored.
            if error.code == .conflict, let key = request.idempotencyKey, let earlier = try await stored(key, issuer) {
                return Issued(credential: earlier, created: false)
            }
            if archived { throw APIError(.unprocessableContent, .invalidField, "achievement \(achievement.id) is archived") }
            throw IssuerAPI.refused(error)
        }
        metrics?.issued(credential.format)
        return Issued(credential: credential, created: true)
    }

    /// The CPU part of issuing: the document built, checked against our schema and signed (or sealed). Pure but for
    /// the clock and the salt.
    func render(id: UUID, issuer: Issuer, achievement: NachweisStore.Achievement, learner: CredentialDocuments.Learner, format: Format,
                        signing: IssuerSigner.Signer, revocation: StatusAllocation?, suspension: StatusAllocation?,
                        revocationList: Bool) throws(APIError) -> String {
        let now = Date()
        let timestamp = RFC3339.format(now)
        let document: String
        switch format {
        case .ob3DataIntegrity, .ob3JWT:
            let parts = cache.sharedParts(issuer, achievement, build: builder.sharedParts)
            let unsigned = builder.ob3(id: id, parts: parts, learner: learner, validFrom: timestamp,
                                       revocation: revocation!, suspension: suspension!, revocationList: revocationList)
            try check(unsigned, ShippedSchemas.ob3AchievementCredential, "OB 3.0", memo: parts.memo)
            if case .ob3JWT(let algorithm) = format {
                document = try compact(sign(jws: builder.jwtClaims(unsigned, validFrom: now).compactBytes, signing, algorithm,
                                            header: ["kid": .string(signing.verificationMethod), "typ": "JWT"]))
            } else {
                do {
                    document = try dataIntegrity.sign(unsigned, key: signing.key, options: .init(
                        verificationMethod: signing.verificationMethod, created: timestamp)).compactText
                } catch { throw APIError(.serviceUnavailable, .unavailable, "signing failed: \(error)") }
            }
        case .ob2Signed, .ob2Hosted:
            let assertion = builder.ob2Assertion(id: id, issuer: issuer, achievement: achievement, learner: learner, issuedOn: timestamp,
                                                 signingKey: format == .ob2Signed ? signing.record : nil)
            try check(assertion, ShippedSchemas.ob2Assertion, "OB 2.0")
            document = format == .ob2Signed
                ? try compact(sign(jws: assertion.compactBytes, signing, .rs256, header: ["typ": "JWT"]))
                : assertion.compactText
        case .edcJAdES:
            let unsigned = builder.edc(id: id, issuer: issuer, achievement: achievement, learner: learner, issued: timestamp,
                                       revocation: revocation!, suspension: suspension!)
            try check(unsigned, ShippedSchemas.edcCredential, "Europass EDC")
            // A seal names one organisation: sealing another issuer's credential with it makes credentials every
            // verifier (ours included) calls invalid (EDCI's OWNER check).
            if let leaf = signing.certificates.first, case (.mismatch, let reason) = IssuerSection.sealBinding(leaf, issuer: unsigned["issuer"]) {
                throw APIError(.unprocessableContent, .invalidField,
                               "\(reason): give the issuer the eIDAS identifier (or legal name) its seal certificate names")
            }
            document = try seal(unsigned.compactBytes, signing, signingTime: timestamp)
        }
        return document
    }

    /// Renders `count` credentials without storing them (status entries are made up): for the benchmark, which
    /// times the CPU part of issuing alone.
    package func renderForBenchmark(issuer: Issuer, achievementID: UUID, format: Format, count: Int) async throws(APIError) {
        let achievement: NachweisStore.Achievement
        do { achievement = try await cache.achievement(achievementID, issuerID: issuer.id, storage: storage) } catch { throw IssuerAPI.refused(error) }
        let signing = try await signer(for: format, issuer)
        let entry = StatusAllocation(listID: UUID(), index: 4711)
        for _ in 0..<count {
            _ = try render(id: UUID.timeOrdered(), issuer: issuer, achievement: achievement, learner: .init(.email("learner@example.org")), format: format,
                           signing: signing, revocation: entry, suspension: entry, revocationList: false)
        }
    }

    /// The key a format signs with: Ed25519 for Data Integrity, the algorithm's key for VC-JWT, RSA for OB 2.0,
    /// the seal for Europass. Hosted OB 2.0 needs none (the placeholder is never used to sign).
    func signer(for format: Format, _ issuer: Issuer) async throws(APIError) -> IssuerSigner.Signer {
        switch format {
        case .ob3DataIntegrity: try await signer.eddsa(for: issuer, refusal: .unprocessableContent, purpose: "OB 3.0 Data Integrity issuing")
        case .ob3JWT(let algorithm):
            try await signer.signer(for: issuer, algorithm: algorithm.rawValue, refusal: .unprocessableContent, purpose: "OB 3.0 VC-JWT \(algorithm)")
        case .ob2Signed, .ob2Hosted:
            try await signer.signer(for: issuer, algorithm: "RS256", refusal: .unprocessableContent, purpose: "OB 2.0 issuing")
        case .edcJAdES:
            try await sealer(issuer)
        }
    }

    func sealer(_ issuer: Issuer) async throws(APIError) -> IssuerSigner.Signer {
        let keys: [SigningKey]
        do { keys = try await cache.activeKeys(issuerID: issuer.id, storage: storage) } catch { throw IssuerAPI.refused(error) }
        guard let seal = keys.first(where: { $0.purpose == .sealing }) else {
            throw APIError(.unprocessableContent, .invalidField, "Europass issuing needs an electronic seal (a key with its certificate); the issuer has none")
        }
        return try await signer.signer(for: issuer, keyPurpose: .sealing, algorithm: seal.algorithm, refusal: .unprocessableContent,
                                       purpose: "Europass sealing")
    }

    func check(_ document: JSONValue, _ schemaID: String, _ name: String, memo: SchemaMemo? = nil) throws(APIError) {
        guard let schema = compiled[schemaID] else {
            throw APIError(.serviceUnavailable, .unavailable, "the \(name) schema is not available")
        }
        let violations = memo.map { schema.validate(document, memo: $0) } ?? schema.validate(document)
        guard violations.isEmpty else {
            throw APIError(.unprocessableContent, .invalidField,
                           "the credential would not pass the \(name) schema: \(violations.prefix(3).map { "\($0)" }.joined(separator: "; "))")
        }
    }

    func sign(jws payload: [UInt8], _ signing: IssuerSigner.Signer, _ algorithm: SignatureAlgorithm, header: JSONObject) throws(APIError) -> JWS {
        do { return try JWSSigner.sign(payload: payload, key: signing.key, algorithm: algorithm, header: header) } catch {
            throw APIError(.serviceUnavailable, .unavailable, "signing failed: \(error.message)")
        }
    }

    func compact(_ jws: JWS) throws(APIError) -> String {
        do { return try jws.compactSerialization() } catch { throw APIError(.serviceUnavailable, .unavailable, "serializing the JWS failed: \(error.message)") }
    }

    /// The JAdES baseline-B seal Europass uses: JWS JSON serialization, unencoded payload (RFC 7797), the
    /// certificate chain in `x5c`, its SHA-256 thumbprint in `x5t#S256`, the signing time in `sigT`, and `b64` and
    /// `sigT` listed in `crit`.
    func seal(_ payload: [UInt8], _ signing: IssuerSigner.Signer, signingTime: String) throws(APIError) -> String {
        guard let leaf = signing.certificates.first else {
            throw APIError(.serviceUnavailable, .unavailable, "the seal has no certificate")
        }
        let header: JSONObject = [
            "cty": "application/json", "typ": "jose+json",
            "x5t#S256": .string(leaf.x5tS256),
            "x5c": .array(signing.certificates.map { .string(Data($0.derRepresentation).base64EncodedString()) }),
            "sigT": .string(signingTime),
            "crit": ["b64", "sigT"],
        ]
        do {
            let jws = try JWSSigner.sign(payload: payload, key: signing.key, algorithm: .default(for: signing.key.kind), header: header,
                                         unencodedPayload: true)
            return try JWSJSONSerialization(signatures: [jws]).serialized()
        } catch {
            throw APIError(.serviceUnavailable, .unavailable, "sealing failed: \(error.message)")
        }
    }

    func stored(_ idempotencyKey: String, _ issuer: Issuer) async throws(APIError) -> IssuedCredential? {
        do { return try await storage.credentials.credential(idempotencyKey: idempotencyKey, issuerID: issuer.id) } catch {
            throw IssuerAPI.refused(error)
        }
    }
}
