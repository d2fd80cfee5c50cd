import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisLinkedData

/// One pipeline for every credential: format and schema, proof, issuer key binding, VC-JWT claims, validity window,
/// status, recipient, trust, EU micro-credential elements — each a step of the ``VerificationReport``.
///
/// Implemented so far: OB 3.0 as JSON-LD with Data Integrity proofs and as VC-JWT (VC 2.0 and VC 1.1), with Bitstring
/// Status List and 1EdTech revocation list status; OB 2.0 hosted and signed; baked PNG and SVG of both; Europass EDC
/// sealed as JAdES (seal, certificate chain to configured anchors, certificate expiry, status).
public struct Verifier: Sendable {
    public enum Recipient: Sendable, Hashable {
        case email(String)
        case did(String)
    }

    public struct Options: Sendable {
        /// Validation time.
        public var at: Date
        /// Whom the credential must be about (optional).
        public var recipient: Recipient?
        /// How deep endorsements of endorsements are followed.
        public var endorsementDepth: Int

        public init(at: Date = Date(), recipient: Recipient? = nil, endorsementDepth: Int = 3) {
            self.at = at
            self.recipient = recipient
            self.endorsementDepth = endorsementDepth
        }
    }

    let fetcher: any DocumentFetcher
    /// Certificates a seal must chain to (Europass); none configured: the seal's owner is inconclusive.
    let trustAnchors: [Certificate]
    /// Trusted issuers; nil: the trust step is skipped.
    let registry: IssuerRegistry?
    let processor: JSONLDProcessor
    let schemas: SchemaRegistry
    /// The schemas the formats need, compiled once.
    let compiled: [String: JSONSchema]
    let detector = FormatDetector()
    /// Status lists already checked, documents already parsed (shared by the copies of this verifier).
    let statusLists = VerifiedStatusLists()
    let parsed = ParsedDocuments()
    /// The JWS algorithms accepted: never `none`, never HMAC (a public key is no secret).
    static let algorithms: Set<SignatureAlgorithm> = [.eddsa, .es256, .es384, .rs256, .ps256]

    public init(fetcher: any DocumentFetcher, trustAnchors: [Certificate] = [], registry: IssuerRegistry? = nil,
                contexts: OfflineDocumentLoader? = nil) throws {
        self.fetcher = fetcher
        self.trustAnchors = trustAnchors
        self.registry = registry
        self.processor = JSONLDProcessor(loader: try contexts ?? ShippedContexts.loader())
        self.schemas = try ShippedSchemas.shared.get()
        var compiled: [String: JSONSchema] = [:]
        for uri in [ShippedSchemas.ob3AchievementCredential, ShippedSchemas.ob3EndorsementCredential, ShippedSchemas.ob2Assertion,
                    ShippedSchemas.edcCredential] {
            compiled[uri] = try? schemas.schema(uri)
        }
        self.compiled = compiled
    }

    public func verify(_ bytes: [UInt8], options: Options = Options()) async -> VerificationReport {
        var report = VerificationReport(at: options.at)
        let detected: DetectedCredential
        do { detected = try detector.detect(bytes) } catch {
            report.add(.init(.format, .failed, error.code.rawValue, "not a credential Nachweis recognises: \(error.message)"))
            return report
        }
        report.format = detected.format.rawValue
        var formatDetails: JSONObject = ["format": .string(detected.format.rawValue), "version": .string(detected.version)]
        if let container = detected.container { formatDetails["bakedInto"] = .string(container.rawValue) }
        report.add(.init(.format, .passed, "format.recognised", detected.version, details: formatDetails))
        switch detected.format {
        case .ob3JSONLD, .ob3JWT:
            await OB3Pipeline(verifier: self, detected: detected, options: options, keys: KeyDirectory(fetcher: fetcher, parsed: parsed)).run(into: &report)
        case .ob2Hosted, .ob2Signed:
            await OB2Pipeline(verifier: self, detected: detected, options: options, keys: KeyDirectory(fetcher: fetcher, parsed: parsed)).run(into: &report)
        case .edcJAdES, .edcJSONLD:
            await EDCPipeline(verifier: self, detected: detected, options: options, keys: KeyDirectory(fetcher: fetcher, parsed: parsed)).run(into: &report)
        }
        return report
    }

    func schemaStep(_ credential: JSONValue, format: CredentialFormat) -> VerificationReport.Step {
        let uri = CredentialInspector.schemaURI(for: format, credential: credential)
        guard let schema = compiled[uri] ?? (try? schemas.schema(uri)) else {
            return .init(.schema, .inconclusive, "schema.unavailable", "no schema \(uri)")
        }
        let violations = schema.validate(credential)
        if violations.isEmpty { return .init(.schema, .passed, "schema.valid", "passes \(uri)", details: ["schema": .string(uri)]) }
        return .init(.schema, .failed, "schema.invalid", "\(violations.count) schema violation(s): \(violations.prefix(3).map(\.description).joined(separator: "; "))",
                     details: ["schema": .string(uri), "violations": .array(violations.prefix(20).map { .string($0.description) })])
    }

    static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        return RFC3339.parse(text)
    }
}
