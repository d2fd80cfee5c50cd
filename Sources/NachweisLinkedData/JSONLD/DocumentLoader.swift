import Foundation
import NachweisCrypto
import NachweisJSON

/// Loads remote JSON-LD context documents. Nachweis never fetches them from the network: every context comes from
/// a local file known in advance.
public protocol DocumentLoader: Sendable {
    /// The parsed document at url. Throws `jsonld.loading_document_failed` for anything not available offline.
    func load(_ url: String) throws(LinkedDataError) -> JSONValue
}

/// An offline loader: a fixed map from context URLs to local files, parsed once and cached.
///
/// `@unchecked Sendable` invariant: `cache` is only touched under `lock`.
public final class OfflineDocumentLoader: DocumentLoader, @unchecked Sendable {
    private let files: [String: URL]
    private let digests: [String: String]
    private let lock = NSLock()
    private var cache: [String: JSONValue] = [:]

    /// - Parameters:
    ///   - files: context URL → local file.
    ///   - digests: context URL → expected SHA-256 (lowercase hex) of its file, checked by ``checkIntegrity()``.
    public init(files: [String: URL], digests: [String: String] = [:]) {
        self.files = files
        self.digests = digests
    }

    /// Checks every file with a known digest (run it at start-up): a changed context would change what
    /// signatures mean. Throws `jsonld.loading_document_failed` naming the first file that differs or is missing.
    public func checkIntegrity() throws(LinkedDataError) {
        for (url, expected) in digests.sorted(by: { $0.key < $1.key }) {
            guard let file = files[OfflineDocumentLoader.normalize(url)], let data = FileManager.default.contents(atPath: file.path) else {
                throw LinkedDataError(.loadingDocumentFailed, "context \(url) has a pinned digest but no readable file")
            }
            let actual = Hex.encode(DigestAlgorithm.sha256.hash(Array(data)))
            guard actual == expected.lowercased() else {
                throw LinkedDataError(.loadingDocumentFailed, "context file \(file.lastPathComponent) for \(url) does not match its pinned SHA-256 (\(actual))")
            }
        }
    }

    public func load(_ url: String) throws(LinkedDataError) -> JSONValue {
        let key = OfflineDocumentLoader.normalize(url)
        lock.lock()
        if let cached = cache[key] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        guard let file = files[key] else {
            throw LinkedDataError(.loadingDocumentFailed, "loading document failed: \(url) is not available offline (Nachweis never fetches contexts; add it to the local context directory)")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw LinkedDataError(.loadingDocumentFailed, "loading document failed: cannot read \(file.path) for \(url)")
        }
        let value: JSONValue
        do { value = try JSONParser().parse(Array(data)) } catch {
            throw LinkedDataError(.loadingDocumentFailed, "loading document failed: \(file.lastPathComponent) is not valid JSON: \(error)")
        }
        lock.lock()
        cache[key] = value
        lock.unlock()
        return value
    }

    /// URLs without a fragment.
    static func normalize(_ url: String) -> String {
        url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? url
    }
}
