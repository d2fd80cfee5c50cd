import Foundation
import NachweisJSON

/// Where the verifier gets the documents a credential points to (status lists, DID and key documents, OB 2.0
/// hosted documents): one injected fetcher, so that the command line can answer from files (`--document URL=PATH`),
/// the server through its bounded HTTP client, and tests from a live server.
public protocol DocumentFetcher: Sendable {
    func fetch(_ url: String) async throws(FetchError) -> FetchedDocument
    /// The document as it is now: not from a cache (for a verification asked for on demand, which must see a
    /// revocation made a minute ago). Fetchers without a cache need not implement it.
    func fetchFresh(_ url: String) async throws(FetchError) -> FetchedDocument
}

extension DocumentFetcher {
    public func fetchFresh(_ url: String) async throws(FetchError) -> FetchedDocument { try await fetch(url) }
}

/// Another fetcher's fresh documents, kept for at most `maxAge` seconds: what a page verified on every view needs —
/// a revocation shows within a second, while a link opened thousands of times a second fetches each document about
/// once a second, not once per view (concurrent misses may each fetch).
public final class RecentFetcher: DocumentFetcher, Sendable {
    public let base: any DocumentFetcher
    public let maxAge: TimeInterval
    private let cache = BoundedCache<(FetchedDocument, Date)>(capacity: 512)

    public init(_ base: any DocumentFetcher, maxAge: TimeInterval = 1) {
        self.base = base
        self.maxAge = maxAge
    }

    public func fetch(_ url: String) async throws(FetchError) -> FetchedDocument {
        let key = DocumentURL.withoutFragment(url)
        if let (document, fetched) = cache.value(key), Date().timeIntervalSince(fetched) < maxAge { return document }
        let document = try await base.fetchFresh(url)
        if document.status == 200 { cache.store(key, (document, Date())) }
        return document
    }
}

/// Another fetcher that always fetches fresh (``DocumentFetcher/fetchFresh(_:)``): the verifier of on-demand
/// verifications.
public struct FreshFetcher: DocumentFetcher {
    public let base: any DocumentFetcher

    public init(_ base: any DocumentFetcher) { self.base = base }

    public func fetch(_ url: String) async throws(FetchError) -> FetchedDocument { try await base.fetchFresh(url) }
}

public struct FetchedDocument: Sendable {
    public let url: String
    public let bytes: [UInt8]
    public let contentType: String?
    /// The HTTP status (200, or 410 for a revoked hosted assertion the fetcher passes on).
    public let status: Int

    public init(url: String, bytes: [UInt8], contentType: String? = nil, status: Int = 200) {
        self.url = url
        self.bytes = bytes
        self.contentType = contentType
        self.status = status
    }
}

/// Why a document could not be had.
public typealias FetchError = CodedFailure<FetchDomain>

/// Keeps FetchError's codes apart from other modules'.
public enum FetchDomain {}

extension ErrorCode where Domain == FetchDomain {
    public static let unavailable = Self(rawValue: "fetch.unavailable")
    public static let notFound = Self(rawValue: "fetch.not_found")
    public static let tooLarge = Self(rawValue: "fetch.too_large")
    public static let forbidden = Self(rawValue: "fetch.forbidden_address")
    public static let badURL = Self(rawValue: "fetch.bad_url")
    /// A document given that does not have the form it must (an issuer registry file).
    public static let malformed = Self(rawValue: "fetch.malformed_document")
}

/// The parts of a URL or DID URL around its `#fragment` (found by byte: fetch keys, a verification method's controller).
public enum DocumentURL {
    public static func withoutFragment(_ url: String) -> String {
        url.utf8.firstIndex(of: UInt8(ascii: "#")).map { String(url[..<$0]) } ?? url
    }

    public static func fragment(_ url: String) -> Substring? {
        url.utf8.firstIndex(of: UInt8(ascii: "#")).map { url[url.utf8.index(after: $0)...] }
    }
}

/// Documents given up front, by URL (the command line's `--document URL=PATH`, tests). Anything else is unavailable,
/// as if the network were down.
public struct OfflineDocuments: DocumentFetcher {
    public var documents: [String: [UInt8]]

    public init(_ documents: [String: [UInt8]] = [:]) { self.documents = documents }

    public func fetch(_ url: String) async throws(FetchError) -> FetchedDocument {
        let key = DocumentURL.withoutFragment(url)
        guard let bytes = documents[key] else { throw FetchError(.unavailable, "\(key) is not available offline") }
        return FetchedDocument(url: key, bytes: bytes)
    }
}

/// Documents given up front first, then another fetcher (the network) for the rest.
public struct LayeredFetcher: DocumentFetcher {
    public let given: OfflineDocuments
    public let fallback: any DocumentFetcher

    public init(given: OfflineDocuments, fallback: any DocumentFetcher) {
        self.given = given
        self.fallback = fallback
    }

    public func fetch(_ url: String) async throws(FetchError) -> FetchedDocument {
        do { return try await given.fetch(url) } catch { return try await fallback.fetch(url) }
    }

    public func fetchFresh(_ url: String) async throws(FetchError) -> FetchedDocument {
        do { return try await given.fetch(url) } catch { return try await fallback.fetchFresh(url) }
    }
}
