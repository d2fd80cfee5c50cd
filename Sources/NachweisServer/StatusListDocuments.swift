import Foundation
import Hummingbird
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData
import NachweisStatus
import NachweisStore

/// Serves an issuer's status lists as signed `BitstringStatusListCredential`s at stable URLs
/// (`/issuers/{slug}/status/{list id}`), with an ETag per list version (304 on `If-None-Match`) and
/// `Cache-Control`. Signed with the issuer's active key, `eddsa-rdfc-2022`, verification method on its `did:web`.
struct StatusListDocuments {
    let storage: any Storage
    let documents: PublicDocuments
    let dataIntegrity: DataIntegrity
    let signer: IssuerSigner

    func register(on router: Router<BasicRequestContext>) {
        router.get("issuers/:slug/status/:list") { request, context in try await statusList(request, context) }
    }

    func statusList(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let issuer = try await documents.issuer(context)
        guard let id = context.parameters.get("list").flatMap(UUID.init(uuidString:)) else {
            throw APIError(.notFound, .notFound, "no such status list")
        }
        let list: StatusList
        do { list = try await storage.statusLists.list(id: id) } catch { throw IssuerAPI.refused(error) }
        guard list.issuerID == issuer.id else { throw APIError(.notFound, .notFound, "no such status list") }
        let etag = "\"\(list.id.lowercasedText)-\(list.version)\""
        let caching: HTTPFields = [.eTag: etag, .cacheControl: "public, max-age=300", .accessControlAllowOrigin: "*"]
        if request.headers[.ifNoneMatch]?.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) == true {
            return Response(status: .notModified, headers: caching)
        }
        let credential = try await signedCredential(list, issuer: issuer, url: documents.statusListURL(issuer, list.id))
        var headers = caching
        headers[.contentType] = "application/vc+ld+json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: credential.compactText)))
    }

    func signedCredential(_ list: StatusList, issuer: Issuer, url: String) async throws -> JSONValue {
        let signing = try await signer.eddsa(for: issuer, refusal: .serviceUnavailable, purpose: "signing status lists")
        let did = documents.did(issuer)
        let validFrom = RFC3339.format(list.updatedAt)
        let credential: JSONValue = [
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": .string(url),
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": .string(did),
            "validFrom": .string(validFrom),
            "credentialSubject": [
                "id": .string(url + "#list"), "type": "BitstringStatusList", "statusPurpose": .string(list.purpose.rawValue),
                "encodedList": .string(Bitstring(bytes: Array(list.bits)).encoded),
            ],
        ]
        do {
            return try dataIntegrity.sign(credential, key: signing.key, options: .init(verificationMethod: signing.verificationMethod, created: validFrom))
        } catch {
            throw APIError(.serviceUnavailable, .unavailable, "signing the status list failed: \(error.message)")
        }
    }
}
