import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import NachweisVerifier

/// The documents of this server, answered in process by the same handlers that serve them (so from the store, as
/// they are this moment: no HTTP cache between a revocation and the next verdict of this server), and every other
/// document from another fetcher. A URL is this server's when it starts with the public base URL, either scheme
/// (a `did:web` always names https, while a development server speaks plain HTTP).
struct OwnDocuments: DocumentFetcher {
    let base: Substring
    let responder: any HTTPResponder<BasicRequestContext>
    let others: any DocumentFetcher
    let logger = Logger(label: "nachweis.own-documents")

    init(baseURL: String, responder: some HTTPResponder<BasicRequestContext>, others: any DocumentFetcher) {
        self.base = Self.withoutScheme(baseURL)
        self.responder = responder
        self.others = others
    }

    static func withoutScheme(_ url: String) -> Substring {
        for scheme in ["https://", "http://"] where url.hasPrefix(scheme) { return url.dropFirst(scheme.count) }
        return Substring(url)
    }

    /// The path of one of this server's URLs (without fragment), nil for any other.
    func ownPath(_ url: String) -> String? {
        let rest = Self.withoutScheme(DocumentURL.withoutFragment(url))
        guard rest.count > base.count, rest.hasPrefix(base), rest.dropFirst(base.count).first == "/",
              url.hasPrefix("http://") || url.hasPrefix("https://") else { return nil }
        return String(rest.dropFirst(base.count))
    }

    func fetch(_ url: String) async throws(FetchError) -> FetchedDocument {
        guard let path = ownPath(url) else { return try await others.fetch(url) }
        return try await answer(url, path)
    }

    func fetchFresh(_ url: String) async throws(FetchError) -> FetchedDocument {
        guard let path = ownPath(url) else { return try await others.fetchFresh(url) }
        return try await answer(url, path)
    }

    /// The handler's answer: 200 (or 410, a revoked hosted assertion) with its bytes; anything else unavailable.
    func answer(_ url: String, _ path: String) async throws(FetchError) -> FetchedDocument {
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: path), body: RequestBody(buffer: ByteBuffer()))
        let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: logger))
        let response: Response
        do { response = try await responder.respond(to: request, context: context) } catch let error as HTTPResponseError {
            throw FetchError(.unavailable, "\(url): HTTP \(error.status.code) from this server")
        } catch {
            throw FetchError(.unavailable, "\(url): \(error)")
        }
        guard response.status == .ok || response.status == .gone else {
            throw FetchError(.unavailable, "\(url): HTTP \(response.status.code) from this server")
        }
        let collected = Collected()
        do { try await response.body.write(Collector(collected: collected)) } catch {
            throw FetchError(.unavailable, "\(url): \(error)")
        }
        return FetchedDocument(url: DocumentURL.withoutFragment(url), bytes: collected.bytes, contentType: response.headers[.contentType],
                               status: Int(response.status.code))
    }

    /// The body's bytes. `@unchecked Sendable` invariant: written by one writer, read after it finished.
    final class Collected: @unchecked Sendable {
        var bytes: [UInt8] = []
    }

    struct Collector: ResponseBodyWriter {
        let collected: Collected
        mutating func write(_ buffer: ByteBuffer) async throws { collected.bytes += buffer.readableBytesView }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
