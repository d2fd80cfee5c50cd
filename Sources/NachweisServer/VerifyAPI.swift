import Foundation
import Hummingbird
import NachweisJSON
import NachweisVerifier

/// `POST /verify`: anyone may ask for a verdict. The body is the credential as it is — JSON, a compact JWS, a JAdES
/// envelope, a baked PNG or SVG (any content type, at most 8 MiB) — or, with `?url=`, the verifier fetches it (a share
/// link, a hosted assertion) through its bounded fetcher. `?at=` sets the validation time, `?recipient=` an email
/// address or DID to check. The answer is the report (200, whatever the verdict; the verdict is in it); input that is
/// not a credential is 422 `document.not_a_credential`.
struct VerifyAPI {
    let verifier: Verifier
    let fetcher: any DocumentFetcher
    static let maxBody = 8 << 20

    func register(on router: Router<BasicRequestContext>) {
        router.post("verify") { request, context in try await verify(request, context) }
    }

    func verify(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var options = Verifier.Options()
        if let at = query.get("at") {
            guard let date = RFC3339.parse(at) else { throw APIError(.badRequest, .invalidField, "at must be an RFC 3339 date-time") }
            options.at = date
        }
        if let recipient = query.get("recipient"), !recipient.isEmpty {
            options.recipient = recipient.hasPrefix("did:") ? .did(recipient) : .email(recipient)
        }
        let bytes: [UInt8]
        if let url = query.get("url") {
            do { bytes = try await fetcher.fetch(url).bytes } catch {
                throw APIError(.unprocessableContent, .init(rawValue: error.code.rawValue), "the credential could not be fetched: \(error.message)")
            }
        } else {
            var request = request
            let buffer: ByteBuffer
            do { buffer = try await request.collectBody(upTo: Self.maxBody) } catch {
                throw APIError(.contentTooLarge, .tooLarge, "the credential is larger than \(Self.maxBody) bytes")
            }
            bytes = Array(buffer.readableBytesView)
            guard !bytes.isEmpty else { throw APIError(.badRequest, .invalidField, "send the credential as the body, or ?url=") }
        }
        let report = await verifier.verify(bytes, options: options)
        if let format = report.step(.format), format.status == .failed {
            throw APIError(.unprocessableContent, .init(rawValue: format.code), format.message)
        }
        context.logger.info("verified", metadata: ["verdict": "\(report.verdict.rawValue)", "format": "\(report.format ?? "")"])
        return IssuerAPI.json(.ok, report.json)
    }
}
