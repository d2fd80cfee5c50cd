import Foundation
import NachweisCrypto
import NachweisJSON

/// Data Integrity proofs (W3C VC Data Integrity 1.0) with the EdDSA cryptosuites (W3C vc-di-eddsa 1.0):
/// creates and verifies `eddsa-rdfc-2022` and `eddsa-jcs-2022`; verifies the legacy `Ed25519Signature2020` and
/// `eddsa-2022`; proof sets and proof chains (`previousProof`).
///
/// ```swift
/// let di = DataIntegrity(processor: JSONLDProcessor(loader: contexts))
/// let signed = try di.sign(credential, key: key, options: .init(verificationMethod: vm, created: "2026-01-01T00:00:00Z"))
/// let results = di.verify(signed)   // one result per proof
/// ```
public struct DataIntegrity: Sendable {
    public let processor: JSONLDProcessor
    public let resolver: any VerificationMethodResolver
    public var canonicalizer: RDFCanonicalizer
    /// Canonical forms of proof configurations already met, by their JSON text: an issuer signs thousands of
    /// credentials a second whose proof configurations differ only in `created`, to the second. Nil (the default)
    /// for verifiers, which meet each configuration once.
    public var proofConfigurations: BoundedCache<String>?

    public init(processor: JSONLDProcessor, resolver: any VerificationMethodResolver = CachingResolver(wrapping: DIDKeyResolver()),
                canonicalizer: RDFCanonicalizer = RDFCanonicalizer(), proofConfigurations: BoundedCache<String>? = nil) {
        self.processor = processor
        self.resolver = resolver
        self.canonicalizer = canonicalizer
        self.proofConfigurations = proofConfigurations
    }

    /// An instance for signing: it keeps the canonical forms of the last 64 proof configurations it met.
    public static func forSigning(_ processor: JSONLDProcessor) -> DataIntegrity {
        DataIntegrity(processor: processor, proofConfigurations: BoundedCache(capacity: 64))
    }

    public enum Suite: String, Sendable, CaseIterable {
        case eddsaRdfc2022 = "eddsa-rdfc-2022"
        case eddsaJcs2022 = "eddsa-jcs-2022"
        /// The 2022 draft name of eddsa-rdfc-2022 (same algorithm), verification only.
        case eddsa2022 = "eddsa-2022"
        /// The legacy `Ed25519Signature2020` proof type (RDFC with URDNA2015), verification only.
        case ed25519Signature2020 = "Ed25519Signature2020"
    }

    /// Options of a new proof.
    public struct ProofOptions: Sendable {
        public var suite: Suite
        public var verificationMethod: String
        public var proofPurpose: String
        /// XML Schema dateTime, e.g. `2026-01-01T00:00:00Z`.
        public var created: String?
        public var expires: String?
        public var challenge: String?
        public var domain: String?
        public var id: String?
        /// For a proof chain: the ids of the proofs this one signs over.
        public var previousProof: [String]

        public init(suite: Suite = .eddsaRdfc2022, verificationMethod: String, proofPurpose: String = "assertionMethod",
                    created: String? = nil, expires: String? = nil, challenge: String? = nil, domain: String? = nil,
                    id: String? = nil, previousProof: [String] = []) {
            self.suite = suite
            self.verificationMethod = verificationMethod
            self.proofPurpose = proofPurpose
            self.created = created
            self.expires = expires
            self.challenge = challenge
            self.domain = domain
            self.id = id
            self.previousProof = previousProof
        }

        /// The proof options as JSON, in the order the specification's examples use.
        public var json: JSONObject {
            var proof = JSONObject()
            if let id { proof["id"] = .string(id) }
            proof["type"] = "DataIntegrityProof"
            proof["cryptosuite"] = .string(suite.rawValue)
            if let created { proof["created"] = .string(created) }
            if let expires { proof["expires"] = .string(expires) }
            proof["verificationMethod"] = .string(verificationMethod)
            proof["proofPurpose"] = .string(proofPurpose)
            if let challenge { proof["challenge"] = .string(challenge) }
            if let domain { proof["domain"] = .string(domain) }
            if !previousProof.isEmpty {
                proof["previousProof"] = previousProof.count == 1 ? .string(previousProof[0]) : .array(previousProof.map(JSONValue.string))
            }
            return proof
        }
    }

    /// The inputs a proof is computed from (exposed for test vectors and diagnostics).
    public struct HashData: Sendable {
        public let canonicalDocument: String
        public let canonicalProofConfiguration: String
        public let documentHash: [UInt8]
        public let proofConfigurationHash: [UInt8]
        /// proofConfigurationHash ‖ documentHash: what the Ed25519 signature covers.
        public var combined: [UInt8] { proofConfigurationHash + documentHash }
    }

    // MARK: Signing

    /// Adds a proof to document (existing proofs stay: a proof set, or a chain with `previousProof`).
    public func sign(_ document: JSONValue, key: PrivateKey, options: ProofOptions) throws(LinkedDataError) -> JSONValue {
        try sign(document, key: key, proofOptions: options.json)
    }

    /// Adds a proof made from proof options given as JSON (members kept in their order; `proofValue` is appended).
    /// The options name the cryptosuite (`eddsa-rdfc-2022` or `eddsa-jcs-2022`) and may carry `previousProof`.
    public func sign(_ document: JSONValue, key: PrivateKey, proofOptions: JSONObject) throws(LinkedDataError) -> JSONValue {
        guard var object = document.objectValue else { throw LinkedDataError(.jsonLD, "a document to sign must be a JSON object") }
        guard proofOptions["type"] == "DataIntegrityProof", let name = proofOptions["cryptosuite"]?.stringValue,
              let suite = Suite(rawValue: name), suite == .eddsaRdfc2022 || suite == .eddsaJcs2022 else {
            throw LinkedDataError(.proofUnsupported, "Nachweis creates DataIntegrityProof eddsa-rdfc-2022 and eddsa-jcs-2022 proofs")
        }
        guard key.kind == .ed25519 else { throw LinkedDataError(.proofUnsupported, "the EdDSA cryptosuites sign with Ed25519 keys") }
        let existing = Self.proofs(of: object)
        var proof = proofOptions
        proof["proofValue"] = nil
        var unsecured = object
        unsecured["proof"] = nil
        let previous = try Self.previousProofs(Self.previousProofIDs(proof), among: existing)
        if !previous.isEmpty { unsecured["proof"] = previous.count == 1 ? previous[0] : .array(previous) }
        let data = try hashData(document: .object(unsecured), proofConfiguration: proof, suite: suite)
        let signature: [UInt8]
        do { signature = try key.signature(for: data.combined, algorithm: .eddsa) } catch {
            throw LinkedDataError(.proofInvalid, "signing failed: \(error.message)")
        }
        proof["proofValue"] = .string(Multibase.encodeBase58BTC(signature))
        let all = existing + [JSONValue.object(proof)]
        object["proof"] = all.count == 1 ? all[0] : .array(all)
        return .object(object)
    }

    static func previousProofIDs(_ proof: JSONObject) -> [String] {
        proof["previousProof"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue].compactMap { $0 } } ?? []
    }

    /// The canonical forms and hashes for a document (without the proof being made) and a proof configuration.
    public func hashData(document: JSONValue, proofConfiguration: JSONObject, suite: Suite) throws(LinkedDataError) -> HashData {
        var configuration = proofConfiguration
        configuration["proofValue"] = nil
        if configuration["@context"] == nil, let context = document["@context"] { configuration["@context"] = context }
        let canonicalDocument: String, canonicalConfiguration: String
        switch suite {
        case .eddsaJcs2022:
            do {
                canonicalDocument = try document.canonicalText()
                canonicalConfiguration = try JSONValue.object(configuration).canonicalText()
            } catch { throw LinkedDataError(.jsonLD, "JCS canonicalization failed: \(error.message)") }
        default:
            canonicalDocument = try canonicalizer.canonicalize(try processor.toRDF(document), distinct: true).nquads
            let key = proofConfigurations.map { _ in JSONValue.object(configuration).compactText }
            if let key, let known = proofConfigurations?.value(key) {
                canonicalConfiguration = known
            } else {
                canonicalConfiguration = try canonicalizer.canonicalize(try processor.toRDF(.object(configuration)), distinct: true).nquads
                if let key { proofConfigurations?.store(key, canonicalConfiguration) }
            }
        }
        return HashData(canonicalDocument: canonicalDocument, canonicalProofConfiguration: canonicalConfiguration,
                        documentHash: DigestAlgorithm.sha256.hash(Array(canonicalDocument.utf8)),
                        proofConfigurationHash: DigestAlgorithm.sha256.hash(Array(canonicalConfiguration.utf8)))
    }

    // MARK: Verification

    /// What must hold besides the signature.
    public struct Expectations: Sendable {
        public var proofPurpose: String
        public var challenge: String?
        public var domain: String?
        /// Validation time for `created` (not in the future) and `expires`.
        public var at: Date

        public init(proofPurpose: String = "assertionMethod", challenge: String? = nil, domain: String? = nil, at: Date = Date()) {
            self.proofPurpose = proofPurpose
            self.challenge = challenge
            self.domain = domain
            self.at = at
        }
    }

    /// The outcome for one proof.
    public struct ProofResult: Sendable {
        public let proof: JSONObject
        /// nil when the proof holds.
        public let error: LinkedDataError?
        public var isValid: Bool { error == nil }
        public var verificationMethod: String? { proof["verificationMethod"]?.stringValue }
    }

    /// Verifies every proof of a document; never throws for a failed check.
    public func verify(_ document: JSONValue, expecting expectations: Expectations = Expectations()) -> [ProofResult] {
        guard let object = document.objectValue else { return [] }
        let all = Self.proofs(of: object)
        return all.map { proofValue in
            guard let proof = proofValue.objectValue else {
                return ProofResult(proof: JSONObject(), error: LinkedDataError(.proofInvalid, "a proof must be an object"))
            }
            do throws(LinkedDataError) {
                try verifyOne(proof, in: object, all: all, expectations: expectations)
                return ProofResult(proof: proof, error: nil)
            } catch {
                return ProofResult(proof: proof, error: error)
            }
        }
    }

    private func verifyOne(_ proof: JSONObject, in document: JSONObject, all: [JSONValue], expectations: Expectations) throws(LinkedDataError) {
        let suite: Suite
        switch (proof["type"]?.stringValue, proof["cryptosuite"]?.stringValue) {
        case ("DataIntegrityProof", let cryptosuite?):
            guard let s = Suite(rawValue: cryptosuite), s != .ed25519Signature2020 else {
                throw LinkedDataError(.proofUnsupported, "cryptosuite \(cryptosuite) is not supported")
            }
            suite = s
        case ("Ed25519Signature2020", _): suite = .ed25519Signature2020
        case (let type, _): throw LinkedDataError(.proofUnsupported, "proof type \(type ?? "(none)") is not supported")
        }
        guard let proofValue = proof["proofValue"]?.stringValue else { throw LinkedDataError(.proofInvalid, "the proof has no proofValue") }
        guard proof["proofPurpose"]?.stringValue == expectations.proofPurpose else {
            throw LinkedDataError(.proofInvalid, "proof purpose \(proof["proofPurpose"]?.stringValue ?? "(none)") is not the expected \(expectations.proofPurpose)")
        }
        if let challenge = expectations.challenge, proof["challenge"]?.stringValue != challenge {
            throw LinkedDataError(.proofInvalid, "the proof's challenge does not match")
        }
        if let domain = expectations.domain {
            let domains = proof["domain"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue ?? ""] } ?? []
            guard domains.contains(domain) else { throw LinkedDataError(.proofInvalid, "the proof's domain does not match") }
        }
        if let created = proof["created"]?.stringValue {
            guard let date = Self.parseDate(created) else { throw LinkedDataError(.proofInvalid, "created is not a date-time") }
            if date > expectations.at.addingTimeInterval(300) { throw LinkedDataError(.proofInvalid, "the proof was created in the future (\(created))") }
        }
        if let expires = proof["expires"]?.stringValue {
            guard let date = Self.parseDate(expires) else { throw LinkedDataError(.proofInvalid, "expires is not a date-time") }
            if date < expectations.at { throw LinkedDataError(.proofInvalid, "the proof expired at \(expires)") }
        }
        guard let method = proof["verificationMethod"]?.stringValue else { throw LinkedDataError(.proofInvalid, "the proof has no verificationMethod") }
        let key = try resolver.publicKey(for: method)
        guard key.kind == .ed25519 else { throw LinkedDataError(.proofInvalid, "the verification method is not an Ed25519 key") }
        let signature: [UInt8]
        guard proofValue.hasPrefix("z"), let decoded = try? Multibase.decode(proofValue) else {
            throw LinkedDataError(.proofInvalid, "proofValue is not multibase base58btc")
        }
        signature = decoded
        var unsecured = document
        unsecured["proof"] = nil
        let previous = try Self.previousProofs(Self.previousProofIDs(proof), among: all)
        if !previous.isEmpty { unsecured["proof"] = previous.count == 1 ? previous[0] : .array(previous) }
        var configuration = proof
        if let proofContext = configuration["@context"] {
            // The document's context must start with the proof's (VC Data Integrity §4.4).
            let documentContexts = document["@context"].map { $0.arrayValue ?? [$0] } ?? []
            let proofContexts = proofContext.arrayValue ?? [proofContext]
            guard documentContexts.starts(with: proofContexts) else { throw LinkedDataError(.proofInvalid, "the proof's @context does not match the document's") }
            unsecured["@context"] = proofContext
        }
        configuration["proofValue"] = nil
        let data = try hashData(document: .object(unsecured), proofConfiguration: configuration, suite: suite)
        guard key.isValidSignature(signature, for: data.combined, algorithm: .eddsa) else {
            throw LinkedDataError(.proofInvalid, "the signature does not match the document and proof options")
        }
    }

    static func proofs(of object: JSONObject) -> [JSONValue] {
        guard let proof = object["proof"] else { return [] }
        return proof.arrayValue ?? [proof]
    }

    static func previousProofs(_ ids: [String], among proofs: [JSONValue]) throws(LinkedDataError) -> [JSONValue] {
        var out: [JSONValue] = []
        for id in ids {
            guard let match = proofs.first(where: { $0["id"]?.stringValue == id }) else {
                throw LinkedDataError(.proofInvalid, "previous proof \(id) is not in the document")
            }
            out.append(match)
        }
        return out
    }

    static func parseDate(_ text: String) -> Date? { RFC3339.parse(text) }
}
