import Foundation
import Hummingbird
import NachweisCrypto
import NachweisJSON
import NachweisStore

/// The public documents behind issued credentials: OB 3.0 achievements and the `1EdTechRevocationList`, and the
/// OB 2.0 family — Issuer, BadgeClass, CryptographicKey, RevocationList and hosted assertions (410 Gone once
/// revoked, as OB 2.0 asks).
struct CredentialPublicDocuments {
    let storage: any Storage
    let documents: PublicDocuments
    let builder: CredentialDocuments

    func register(on router: Router<BasicRequestContext>) {
        router.get("issuers/:slug/achievements/:id") { _, context in try await achievement(context) }
        router.get("issuers/:slug/revocations") { _, context in try await revocationList(context) }
        router.get("issuers/:slug/ob2/issuer") { _, context in try await ob2Issuer(context) }
        router.get("issuers/:slug/ob2/badges/:id") { _, context in try await badgeClass(context) }
        router.get("issuers/:slug/ob2/badges/:id/image") { _, context in try await badgeImage(context) }
        router.get("issuers/:slug/ob2/keys/:id") { _, context in try await cryptographicKey(context) }
        router.get("issuers/:slug/ob2/revocations") { _, context in try await ob2RevocationList(context) }
        router.get("issuers/:slug/ob2/assertions/:id") { _, context in try await hostedAssertion(context) }
    }

    func id(_ context: BasicRequestContext, _ what: String) throws(APIError) -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError(.notFound, .notFound, "no such \(what)") }
        return id
    }

    func storedAchievement(_ context: BasicRequestContext, _ issuer: Issuer) async throws(APIError) -> NachweisStore.Achievement {
        let id = try id(context, "achievement")
        do { return try await storage.achievements.achievement(id: id, issuerID: issuer.id) } catch { throw IssuerAPI.refused(error) }
    }

    /// The OB 3.0 Achievement, as embedded in credentials (with the EU elements as alignments), with a context.
    func achievement(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await documents.issuer(context)
        let stored = try await storedAchievement(context, issuer)
        var body: JSONObject = ["@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]]
        for member in builder.ob3Achievement(issuer, stored) { body[member.key] = member.value }
        body["creator"] = .object(builder.ob3Issuer(issuer))
        return documents.document(.object(body), type: "application/ld+json")
    }

    /// `1EdTechRevocationList`: the issuer's revoked OB 3.0 credentials with their reasons.
    func revocationList(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await documents.issuer(context)
        let revoked = try await revokedCredentials(issuer, [.ob3DataIntegrity, .ob3JWT, .edcJAdES])
        let entries: [JSONValue] = revoked.map { credential in
            var entry: JSONObject = ["id": .string(Self.documentID(credential)), "revoked": true]
            if let reason = credential.revocationReason { entry["revocationReason"] = .string(reason) }
            return .object(entry)
        }
        let body: JSONValue = ["id": .string(documents.revocationListURL(issuer)), "issuer": .string(documents.did(issuer)),
                               "revokedCredentials": .array(entries)]
        return noStore(documents.document(body, type: "application/json"))
    }

    func ob2Issuer(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await documents.issuer(context)
        var body: JSONObject = [
            "@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": .string(documents.ob2IssuerURL(issuer)),
            "name": .string(issuer.name), "url": .string(issuer.homepage),
        ]
        if let email = issuer.email { body["email"] = .string(email) }
        if let image = issuer.imageURL { body["image"] = .string(image) }
        let keys = try await documents.publicKeys(issuer).filter { $0.0.algorithm == "RS256" && $0.0.purpose == .signing }
        if !keys.isEmpty { body["publicKey"] = .array(keys.map { .string(documents.ob2KeyURL(issuer, $0.0.id)) }) }
        body["revocationList"] = .string(documents.ob2RevocationListURL(issuer))
        return documents.document(.object(body), type: "application/ld+json")
    }

    func badgeClass(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await documents.issuer(context)
        let a = try await storedAchievement(context, issuer)
        var body: JSONObject = [
            "@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": .string(documents.ob2BadgeURL(issuer, a.id)),
            "name": .string(a.name), "description": .string(a.description),
            "criteria": a.criteriaURL.map { ["id": .string($0), "narrative": .string(a.criteriaNarrative)] } ?? ["narrative": .string(a.criteriaNarrative)],
            "issuer": .string(documents.ob2IssuerURL(issuer)),
        ]
        // OB 2.0 requires an image: the achievement's, else a plain SVG badge made from its name.
        body["image"] = .string(a.imageURL ?? documents.ob2BadgeURL(issuer, a.id) + "/image")
        if !a.tags.isEmpty { body["tags"] = .array(a.tags.map(JSONValue.string)) }
        if !a.alignments.isEmpty {
            body["alignment"] = .array(a.alignments.map { al in
                var o: JSONObject = ["targetName": .string(al.targetName), "targetUrl": .string(al.targetURL)]
                if let v = al.targetFramework { o["targetFramework"] = .string(v) }
                if let v = al.targetCode { o["targetCode"] = .string(v) }
                return .object(o)
            })
        }
        return documents.document(.object(body), type: "application/ld+json")
    }

    /// The default badge image: an SVG disc with the achievement's name (escaped), for achievements without an image.
    func badgeImage(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await documents.issuer(context)
        let a = try await storedAchievement(context, issuer)
        let name = SharePage.escape(String(a.name.prefix(40)))
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">\
            <circle cx="128" cy="128" r="120" fill="#1f4e79"/><circle cx="128" cy="128" r="104" fill="none" stroke="#ffffff" stroke-width="4"/>\
            <text x="128" y="136" font-family="sans-serif" font-size="16" fill="#ffffff" text-anchor="middle">\(name)</text></svg>
            """
        return documents.document(text: svg, type: "image/svg+xml")
    }

    /// An issuer's RSA key as an OB 2.0 CryptographicKey (retired keys too: old signed assertions keep verifying).
    func cryptographicKey(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await documents.issuer(context)
        let id = try id(context, "key")
        guard let (record, jwk) = try await documents.publicKeys(issuer).first(where: { $0.0.id == id }) else {
            throw APIError(.notFound, .notFound, "no such key")
        }
        let pem: String
        do { pem = try jwk.publicKey.pemRepresentation() } catch { throw APIError(.serviceUnavailable, .unavailable, "the key has no PEM form") }
        let body: JSONValue = [
            "@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey", "id": .string(documents.ob2KeyURL(issuer, record.id)),
            "owner": .string(documents.ob2IssuerURL(issuer)), "publicKeyPem": .string(pem),
        ]
        return documents.document(body, type: "application/ld+json")
    }

    func ob2RevocationList(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await documents.issuer(context)
        let revoked = try await revokedCredentials(issuer, [.ob2Signed, .ob2Hosted])
        let entries: [JSONValue] = revoked.map { credential in
            var entry: JSONObject = ["id": .string(Self.documentID(credential, ob2Hosted: documents.ob2AssertionURL(issuer, credential.id)))]
            if let reason = credential.revocationReason { entry["revocationReason"] = .string(reason) }
            return .object(entry)
        }
        let body: JSONValue = ["@context": "https://w3id.org/openbadges/v2", "type": "RevocationList",
                               "id": .string(documents.ob2RevocationListURL(issuer)), "issuer": .string(documents.ob2IssuerURL(issuer)),
                               "revokedAssertions": .array(entries)]
        return noStore(documents.document(body, type: "application/ld+json"))
    }

    /// A hosted assertion; once revoked, 410 Gone with `{"revoked": true}` (and the reason). Only hosted assertions
    /// live here: other formats are 404.
    func hostedAssertion(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await documents.issuer(context)
        let id = try id(context, "assertion")
        let credential: IssuedCredential
        do { credential = try await storage.credentials.credential(id: id, issuerID: issuer.id) } catch { throw IssuerAPI.refused(error) }
        guard credential.format == .ob2Hosted else { throw APIError(.notFound, .notFound, "no such assertion") }
        if credential.state == .revoked {
            var body: JSONObject = ["revoked": true]
            if let reason = credential.revocationReason { body["revocationReason"] = .string(reason) }
            var response = IssuerAPI.json(.gone, .object(body))
            response.headers[.cacheControl] = "no-store"
            return response
        }
        return noStore(documents.document(text: credential.document, type: "application/ld+json"))
    }

    func revokedCredentials(_ issuer: Issuer, _ formats: Set<IssuedCredential.Format>) async throws(APIError) -> [IssuedCredential] {
        do { return try await storage.credentials.revoked(issuerID: issuer.id, formats: formats) } catch { throw IssuerAPI.refused(error) }
    }

    /// Revocation must be seen at once: lists and hosted assertions are not cached.
    func noStore(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The credential's own `id`: `urn:uuid:` for OB 3.0 and signed OB 2.0, `urn:credential:` for Europass, the URL
    /// of a hosted assertion.
    static func documentID(_ credential: IssuedCredential, ob2Hosted: String? = nil) -> String {
        let uuid = credential.id.lowercasedText
        switch credential.format {
        case .edcJAdES: return "urn:credential:\(uuid)"
        case .ob2Hosted: return ob2Hosted ?? "urn:uuid:\(uuid)"
        default: return "urn:uuid:\(uuid)"
        }
    }
}
