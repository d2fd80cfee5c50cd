import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NachweisJSON

/// The verifier's HTTP client: bounded in time and size, careful about where it goes, and caching what it may.
///
/// - Time: a request gives up after `timeout` seconds.
/// - Size: the body is counted as it arrives (after any `Content-Encoding` is undone, so a compressed bomb stops at the
///   cap too) and the transfer is cancelled at `maxBytes`; a `Content-Length` above the cap is refused before any body.
/// - Where: `http`/`https` only; with `httpsOnly` (production) HTTPS only; with `publicOnly` no host that resolves to
///   a loopback, private, link-local, unique-local or unspecified address (SSRF). The check resolves the name before the request;
///   a resolver that answers differently the second time (DNS rebinding) is not caught — pinning the address needs
///   a client that connects to a given IP, which URLSession does not offer.
/// - Development (`publicOnly` false): plain HTTP allowed, and `https` on 127.0.0.1 / localhost is fetched over
///   HTTP (a local server has no TLS, while `did:web` always names https).
/// - Cache: 200 answers kept in memory for their `Cache-Control: max-age` (at most `maxCacheAge`), never with
///   `no-store` / `no-cache`; 410 answers are passed on (a revoked hosted assertion).
public final class HTTPFetcher: DocumentFetcher, Sendable {
    public struct Limits: Sendable {
        public var timeout: TimeInterval = 5
        public var maxBytes = 2 << 20
        public var maxCacheAge: TimeInterval = 300
        /// No loopback, private or link-local addresses (SSRF).
        public var publicOnly = true
        /// HTTPS only (production); plain HTTP is fetched otherwise.
        public var httpsOnly = true

        /// `httpsOnly` defaults to `publicOnly`: the server in production wants both, in development neither.
        public init(timeout: TimeInterval = 5, maxBytes: Int = 2 << 20, maxCacheAge: TimeInterval = 300, publicOnly: Bool = true,
                    httpsOnly: Bool? = nil) {
            self.timeout = timeout
            self.maxBytes = maxBytes
            self.maxCacheAge = maxCacheAge
            self.publicOnly = publicOnly
            self.httpsOnly = httpsOnly ?? publicOnly
        }
    }

    public let limits: Limits
    /// Answers that allow caching, with the time they expire.
    private let cache = BoundedCache<(FetchedDocument, Date)>(capacity: 1024)

    public init(limits: Limits = Limits()) { self.limits = limits }

    public func fetch(_ url: String) async throws(FetchError) -> FetchedDocument { try await fetch(url, fresh: false) }

    /// Fetched again, whatever the cache holds (what it fetches is cached as usual).
    public func fetchFresh(_ url: String) async throws(FetchError) -> FetchedDocument { try await fetch(url, fresh: true) }

    func fetch(_ url: String, fresh: Bool) async throws(FetchError) -> FetchedDocument {
        let key = DocumentURL.withoutFragment(url)
        if !fresh, let (document, until) = cache.value(key), until > Date() { return document }
        guard let requested = URL(string: key), let scheme = requested.scheme?.lowercased(), let host = requested.host, !host.isEmpty else {
            throw FetchError(.badURL, "\(url) is not an absolute URL")
        }
        try Self.checkTarget(requested, limits: limits)
        var target = requested
        // Development only: a server on this machine speaks plain HTTP, while did:web always names https.
        if !limits.publicOnly, scheme == "https", ["127.0.0.1", "localhost", "::1"].contains(host),
           let plain = URL(string: "http" + key.dropFirst("https".count)) {
            target = plain
        }
        var request = URLRequest(url: target, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: limits.timeout)
        request.setValue("application/ld+json, application/json;q=0.9, */*;q=0.1", forHTTPHeaderField: "Accept")
        let limits = self.limits
        let collector = BoundedCollector(limit: limits.maxBytes) { target throws(FetchError) in
            do throws(FetchError) { try Self.checkTarget(target, limits: limits) } catch {
                throw FetchError(error.code, "a redirect to \(target.absoluteString) was refused: \(error.message)")
            }
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = limits.timeout
        configuration.timeoutIntervalForResource = limits.timeout * 2
        configuration.httpShouldSetCookies = false
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        let outcome = await collector.run(session.dataTask(with: request), deadline: limits.timeout * 2 + 1)
        let response: HTTPURLResponse, body: [UInt8]
        switch outcome {
        case .success(let value): (response, body) = value
        case .failure(let error): throw error
        }
        guard response.statusCode == 200 || response.statusCode == 410 else {
            throw FetchError(response.statusCode == 404 ? .notFound : .unavailable, "\(url) answered \(response.statusCode)")
        }
        let document = FetchedDocument(url: key, bytes: body, contentType: response.value(forHTTPHeaderField: "Content-Type"), status: response.statusCode)
        if response.statusCode == 200, let age = Self.maxAge(response.value(forHTTPHeaderField: "Cache-Control")), age > 0 {
            let until = Date().addingTimeInterval(min(age, limits.maxCacheAge))
            cache.store(key, (document, until))
        }
        return document
    }

    /// `max-age` of a Cache-Control value; nil for `no-store`, `no-cache`, `private` or none.
    public static func maxAge(_ header: String?) -> TimeInterval? {
        guard let header else { return nil }
        let directives = header.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if directives.contains(where: { $0 == "no-store" || $0 == "no-cache" || $0 == "private" }) { return nil }
        for directive in directives where directive.hasPrefix("max-age=") {
            return TimeInterval(directive.dropFirst("max-age=".count))
        }
        return nil
    }

    /// Where a request may go, the first one and every redirect alike: HTTPS (HTTP too in development) and, in
    /// production, a public address — a redirect checked less would carry the fetch past the SSRF check.
    public static func checkTarget(_ target: URL, limits: Limits) throws(FetchError) {
        guard let scheme = target.scheme?.lowercased(), let host = target.host, !host.isEmpty,
              scheme == "https" || (scheme == "http" && !limits.httpsOnly) else {
            throw FetchError(.forbidden, "\(target.absoluteString): only \(limits.httpsOnly ? "HTTPS documents are fetched in production" : "HTTP(S) documents are fetched")")
        }
        if limits.publicOnly { try refusePrivate(host) }
    }

    /// Refuses a host that is, or resolves to, a non-public address.
    static func refusePrivate(_ host: String) throws(FetchError) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let name = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else {
            throw FetchError(.unavailable, "\(host) does not resolve")
        }
        defer { freeaddrinfo(first) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let address = current.pointee.ai_addr, !isPublic(address) {
                throw FetchError(.forbidden, "\(host) resolves to a private, loopback or link-local address: refused (SSRF)")
            }
            node = current.pointee.ai_next
        }
    }

    static func isPublic(_ address: UnsafePointer<sockaddr>) -> Bool {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let raw = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
            let a = raw >> 24, b = (raw >> 16) & 0xFF
            if a == 0 || a == 10 || a == 127 || a >= 224 { return false }          // this network, private, loopback, multicast/reserved
            if a == 169 && b == 254 { return false }                              // link-local (cloud metadata)
            if a == 172 && (16...31).contains(b) { return false }                 // private
            if a == 192 && b == 168 { return false }                              // private
            if a == 100 && (64...127).contains(b) { return false }                // carrier-grade NAT
            return true
        case AF_INET6:
            let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
            }
            if bytes.allSatisfy({ $0 == 0 }) { return false }                                    // ::
            if bytes.prefix(15).allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return false }       // ::1
            if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return false }                      // fe80::/10 link-local
            if bytes[0] & 0xFE == 0xFC { return false }                                          // fc00::/7 unique local
            if bytes[0] == 0xFF { return false }                                                 // multicast
            if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {   // IPv4-mapped
                let a = bytes[12], b = bytes[13]
                return !(a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168))
            }
            return true
        default:
            return false
        }
    }
}

/// Collects one response body and cancels the transfer once it passes the limit. The caller is answered exactly once:
/// at completion, at the moment the transfer is refused (URLSession on Linux does not always report a cancelled task
/// as completed), or when the deadline passes.
private final class BoundedCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    typealias Outcome = Result<(HTTPURLResponse, [UInt8]), FetchError>
    let limit: Int
    private let lock = NSLock()
    private var body: [UInt8] = []
    private var response: HTTPURLResponse?
    private var continuation: CheckedContinuation<Outcome, Never>?
    private var answered: Outcome?

    /// Checks a redirect's target; a refusal ends the fetch with its error.
    let redirect: @Sendable (URL) throws(FetchError) -> Void
    private var redirects = 0
    private var refusedRedirect: FetchError?
    static let maxRedirects = 5

    init(limit: Int, redirect: @escaping @Sendable (URL) throws(FetchError) -> Void) {
        self.limit = limit
        self.redirect = redirect
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        // A refused redirect is not followed (nil): the task then ends with the 3xx response, and the refusal is what
        // the caller gets. (No cancel here: cancelling inside this callback stalled FoundationNetworking's queue.)
        let refusal: FetchError?
        let count = lock.withLock { () -> Int in
            redirects += 1
            return redirects
        }
        if count > Self.maxRedirects {
            refusal = FetchError(.unavailable, "more than \(Self.maxRedirects) redirects")
        } else if let target = request.url {
            do {
                try redirect(target)
                refusal = nil
            } catch {
                refusal = error
            }
        } else {
            refusal = FetchError(.unavailable, "a redirect without a target")
        }
        if let refusal { lock.withLock { refusedRedirect = refusal } }
        completionHandler(refusal == nil ? request : nil)
    }

    func run(_ task: URLSessionDataTask, deadline: TimeInterval) async -> Outcome {
        await withCheckedContinuation { continuation in
            let early = lock.withLock { () -> Outcome? in
                if let answered { return answered }
                self.continuation = continuation
                return nil
            }
            if let early {
                continuation.resume(returning: early)
                return
            }
            task.resume()
            DispatchQueue.global().asyncAfter(deadline: .now() + deadline) { [weak self] in
                task.cancel()
                self?.answer(.failure(FetchError(.unavailable, "no answer within \(Int(deadline)) seconds")))
            }
        }
    }

    /// Answers the caller once; later answers are dropped.
    func answer(_ outcome: Outcome) {
        let waiting = lock.withLock { () -> CheckedContinuation<Outcome, Never>? in
            guard answered == nil else { return nil }
            answered = outcome
            let waiting = continuation
            continuation = nil
            return waiting
        }
        waiting?.resume(returning: outcome)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let http = response as? HTTPURLResponse else {
            completionHandler(.cancel)
            answer(.failure(FetchError(.unavailable, "not an HTTP response")))
            return
        }
        if let length = http.value(forHTTPHeaderField: "Content-Length").flatMap(Int.init), length > limit {
            completionHandler(.cancel)
            answer(.failure(FetchError(.tooLarge, "the document is \(length) bytes, more than the \(limit) allowed")))
            return
        }
        lock.withLock { self.response = http }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over = lock.withLock { () -> Bool in
            guard answered == nil else { return false }  // refused already: nothing more is kept
            body.append(contentsOf: data)
            return body.count > limit
        }
        if over {
            answer(.failure(FetchError(.tooLarge, "the document passed the \(limit)-byte limit")))
            // Cancelled from outside this callback, as the deadline does: cancelling inside FoundationNetworking's
            // delegate callbacks can stall its queue (it did for redirects, and other requests then hung).
            DispatchQueue.global().async { dataTask.cancel() }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (response, body, refusal) = lock.withLock { (self.response, self.body, self.refusedRedirect) }
        if let refusal {
            answer(.failure(refusal))
        } else if let error {
            answer(.failure(FetchError(.unavailable, "\(task.originalRequest?.url?.absoluteString ?? "the request"): \(error.localizedDescription)")))
        } else if let response {
            answer(.success((response, body)))
        } else {
            answer(.failure(FetchError(.unavailable, "no response")))
        }
    }
}
