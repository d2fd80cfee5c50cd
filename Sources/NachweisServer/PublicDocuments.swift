import Foundation
import Hummingbird
import NachweisCrypto
import NachweisJSON
import NachweisStore

/// Documents anyone may fetch to check an issuer's credentials: the OB 3.0 `Profile`, the JWKS (every key, retired
/// ones too, so old credentials keep verifying) and a `did:web` DID document.
struct PublicDocuments {
    let storage: any Storage
    /// Scheme, host and port, without a trailing slash.
    let baseURL: String
    /// `did:web:{host%3Aport}:{base path…}:issuers:`, worked out once from the base URL.
    let didPrefix: String

    init(storage: any Storage, baseURL: String) {
        self.storage = storage
        self.baseURL = baseURL
        didPrefix = Self.didWeb(baseURL, ["issuers", ""])
    }

    /// The `did:web` of `{base}/{segments…}/did.json`: the host (port percent-encoded), the base URL's path segments,
    /// then `segments`.
    static func didWeb(_ baseURL: String, _ segments: [String]) -> String {
        let url = URL(string: baseURL)
        var authority = url?.host ?? "localhost"
        if let port = url?.port { authority += "%3A\(port)" }
        let path = (url?.path ?? "").split(separator: "/").map(String.init)
        return (["did:web", authority] + path + segments).joined(separator: ":")
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("issuers/:slug") { _, context in try await profile(context) }
        router.get("issuers/:slug/jwks.json") { _, context in try await jwks(context) }
        router.get("issuers/:slug/did.json") { _, context in try await didDocument(context) }
    }

    func issuer(_ context: BasicRequestContext) async throws(APIError) -> Issuer {
        do { return try await storage.issuers.issuer(slug: context.parameters.get("slug") ?? "") } catch {
            throw IssuerAPI.refused(error)
        }
    }

    /// The issuer's URL, which is also its OB 3.0 Profile `id`.
    func profileURL(_ issuer: Issuer) -> String { "\(baseURL)/issuers/\(issuer.slug)" }

    /// A status list's stable URL (the list credential's `id`, and `statusListCredential` in entries).
    func statusListURL(_ issuer: Issuer, _ id: UUID) -> String { "\(profileURL(issuer))/status/\(id.lowercasedText)" }
    func achievementURL(_ issuer: Issuer, _ id: UUID) -> String { "\(profileURL(issuer))/achievements/\(id.lowercasedText)" }
    /// The `1EdTechRevocationList` of the issuer's OB 3.0 credentials.
    func revocationListURL(_ issuer: Issuer) -> String { "\(profileURL(issuer))/revocations" }
    func ob2IssuerURL(_ issuer: Issuer) -> String { "\(profileURL(issuer))/ob2/issuer" }
    func ob2BadgeURL(_ issuer: Issuer, _ id: UUID) -> String { "\(profileURL(issuer))/ob2/badges/\(id.lowercasedText)" }
    func ob2KeyURL(_ issuer: Issuer, _ id: UUID) -> String { "\(profileURL(issuer))/ob2/keys/\(id.lowercasedText)" }
    func ob2AssertionURL(_ issuer: Issuer, _ id: UUID) -> String { "\(profileURL(issuer))/ob2/assertions/\(id.lowercasedText)" }
    func ob2RevocationListURL(_ issuer: Issuer) -> String { "\(profileURL(issuer))/ob2/revocations" }

    /// `did:web` for `{base}/issuers/{slug}/did.json`: host (port percent-encoded), then the path segments.
    func did(_ issuer: Issuer) -> String { didPrefix + issuer.slug }

    /// A key's verification method id: the issuer's DID and the key's RFC 7638 thumbprint.
    func verificationMethod(_ issuer: Issuer, _ jwk: JWK) -> String { verificationMethod(issuer, jwk.thumbprint()) }
    func verificationMethod(_ issuer: Issuer, _ thumbprint: String) -> String { "\(did(issuer))#\(thumbprint)" }

    func profile(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await issuer(context)
        var profile: JSONObject = [
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": .string(profileURL(issuer)), "type": ["Profile"], "name": .string(issuer.name), "url": .string(issuer.homepage),
            "address": ["type": ["Address"], "addressCountryCode": .string(issuer.country)],
        ]
        if let email = issuer.email { profile["email"] = .string(email) }
        if let legalName = issuer.legalName { profile["description"] = .string(legalName) }
        if let image = issuer.imageURL { profile["image"] = ["id": .string(image), "type": "Image"] }
        if let eidas = issuer.eidasIdentifier {
            profile["otherIdentifier"] = [["type": "IdentifierEntry", "identifier": .string(eidas), "identifierType": "ext:eIDAS"]]
        }
        return document(.object(profile), type: "application/ld+json")
    }

    func jwks(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await issuer(context)
        var keys: [JSONValue] = []
        for (key, jwk) in try await publicKeys(issuer) {
            var members = jwk.json.objectValue ?? JSONObject()
            members["kid"] = .string(jwk.thumbprint())
            members["alg"] = .string(key.algorithm)
            members["use"] = "sig"
            keys.append(.object(members))
        }
        return document(["keys": .array(keys)], type: "application/jwk-set+json")
    }

    func didDocument(_ context: BasicRequestContext) async throws -> Response {
        let issuer = try await issuer(context)
        let did = did(issuer)
        var methods: [JSONValue] = [], ids: [JSONValue] = []
        for (_, jwk) in try await publicKeys(issuer) {
            let id = verificationMethod(issuer, jwk)
            var method: JSONObject = ["id": .string(id), "controller": .string(did)]
            if let multikey = try? Multikey.encode(jwk.publicKey) {
                method["type"] = "Multikey"
                method["publicKeyMultibase"] = .string(multikey)
            } else {
                method["type"] = "JsonWebKey"
                method["publicKeyJwk"] = jwk.json
            }
            methods.append(.object(method))
            ids.append(.string(id))
        }
        let body: JSONObject = [
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1", "https://w3id.org/security/jwk/v1"],
            "id": .string(did), "alsoKnownAs": [.string(profileURL(issuer))],
            "verificationMethod": .array(methods), "assertionMethod": .array(ids), "authentication": .array(ids),
        ]
        return document(.object(body), type: "application/did+json")
    }

    /// The issuer's keys, newest first, with their public JWKs.
    func publicKeys(_ issuer: Issuer) async throws(APIError) -> [(SigningKey, JWK)] {
        let keys: [SigningKey]
        do { keys = try await storage.signingKeys.keys(issuerID: issuer.id) } catch { throw IssuerAPI.refused(error) }
        return keys.compactMap { key in (try? JWK(json: Array(key.publicJWK.utf8))).map { (key, $0) } }
    }

    func document(_ value: JSONValue, type: String) -> Response { document(text: value.compactText, type: type) }

    func document(text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300", .accessControlAllowOrigin: "*"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
