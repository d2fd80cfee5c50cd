import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData
import Synchronization

/// Finds the public key a verification method (or a JWS `kid`) names: `did:key` locally, `did:web` and HTTPS key
/// documents through the fetcher. It tells apart a key that could not be had (unreachable: the verdict cannot be
/// decided) from a document that was had and does not hold the key (the key is not the controller's: proven wrong).
final class KeyDirectory: Sendable {
    enum Outcome: Sendable {
        case key(PublicKey)
        /// The controller's document could not be had, but the method's fragment is itself a Multikey (the 1EdTech
        /// samples' `https://issuer#z6Mk…`): the signature can be checked, the key's owner cannot.
        case unboundKey(PublicKey, String)
        /// The document could not be fetched or parsed: inconclusive.
        case unavailable(String)
        /// The document was fetched and does not list the key for assertions: the credential is wrong.
        case refused(String)
    }

    let fetcher: any DocumentFetcher
    let parsed: ParsedDocuments?
    /// What one verification resolved and fetched. A lock, not an actor: a verification asks one thing at a time, and
    /// an actor hop per question cost more than the question.
    private struct State {
        var resolved: [String: Outcome] = [:]
        var documents: [String: Result<JSONValue, FetchError>] = [:]
        /// SHA-256 (hex) of each fetched document's bytes, for caches keyed by content.
        var digests: [String: String] = [:]
    }
    private let state = Mutex(State())

    func digest(_ url: String) -> String? { state.withLock { $0.digests[url] } }

    init(fetcher: any DocumentFetcher, parsed: ParsedDocuments? = nil) {
        self.fetcher = fetcher
        self.parsed = parsed
    }

    /// The keys resolved so far, for a synchronous Data Integrity resolver.
    var keys: [String: PublicKey] {
        state.withLock { $0.resolved }.compactMapValues {
            switch $0 {
            case .key(let key), .unboundKey(let key, _): key
            default: nil
            }
        }
    }

    func resolve(_ method: String) async -> Outcome {
        if let known = state.withLock({ $0.resolved[method] }) { return known }
        let outcome = await lookUp(method)
        state.withLock { $0.resolved[method] = outcome }
        return outcome
    }

    private func lookUp(_ method: String) async -> Outcome {
        guard let colon = method.firstIndex(of: ":"), method[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
              method.first?.isLetter == true else {
            return .refused("\(method) is not a URI: a verification method must name its key by DID or URL")
        }
        if method.hasPrefix("did:key:") {
            do { return .key(try DIDKey(parsing: method).publicKey) } catch { return .refused("\(method): \(error.message)") }
        }
        let controller = DocumentURL.withoutFragment(method)
        if controller.hasPrefix("did:jwk:") {
            // Resolved from the DID itself, like did:key: its document is the key's.
            do { return .key(try DIDDocument(try DIDJWK.document(controller), did: controller).key(method)) } catch {
                return .refused("\(method): \(error.message)")
            }
        }
        let url: String
        if controller.hasPrefix("did:web:") {
            guard let documentURL = Self.didWebURL(controller) else { return .refused("\(controller) is not a valid did:web") }
            url = documentURL
        } else if controller.hasPrefix("https://") || controller.hasPrefix("http://") {
            url = controller
        } else {
            return .unavailable("cannot resolve \(method): only did:key, did:web and HTTPS key documents are supported")
        }
        let document: JSONValue
        switch await fetchJSON(url) {
        case .success(let value): document = value
        case .failure(let error):
            if let fragment = DocumentURL.fragment(method), fragment.hasPrefix("z"),
               let key = try? Multikey.decodePublicKey(fragment) {
                return .unboundKey(key, "\(url): \(error.message)")
            }
            return .unavailable("\(url): \(error.message)")
        }
        guard let parsed, let digest = digest(url) else { return Self.key(method, controller: controller, in: document) }
        if let known = parsed.key(method: method, digest: digest) { return known }
        let outcome = Self.key(method, controller: controller, in: document)
        parsed.remember(outcome, method: method, digest: digest)
        return outcome
    }

    func fetchJSON(_ url: String) async -> Result<JSONValue, FetchError> {
        if let cached = state.withLock({ $0.documents[url] }) { return cached }
        let result: Result<JSONValue, FetchError>
        do {
            let fetched = try await fetcher.fetch(url)
            if let known = parsed?.value(url: url, bytes: fetched.bytes) {
                result = .success(known.value)
                state.withLock { $0.digests[url] = known.digest }
            } else {
                do {
                    let value = try JSONParser(limits: .init(maxBytes: 1 << 20, maxDepth: 32)).parse(fetched.bytes)
                    let digest = Hex.encode(DigestAlgorithm.sha256.hash(fetched.bytes))
                    parsed?.store(url: url, bytes: fetched.bytes, value: value, digest: digest)
                    state.withLock { $0.digests[url] = digest }
                    result = .success(value)
                } catch {
                    result = .failure(FetchError(.unavailable, "not JSON: \(error.message)"))
                }
            }
        } catch {
            result = .failure(error)
        }
        state.withLock { $0.documents[url] = result }
        return result
    }

    /// The key in a DID or controller document. A DID document is read as DID Core says (``DIDDocument``: the method
    /// listed for `assertionMethod`, referenced or embedded, controlled by the DID). Another controller document (an
    /// HTTPS key document): a verification method with that id (absolute, or `#fragment` relative to the controller),
    /// listed for `assertionMethod` when the document lists any; a document that is itself the key (`id` = method)
    /// counts too.
    static func key(_ method: String, controller: String, in document: JSONValue) -> Outcome {
        if controller.hasPrefix("did:") {
            do { return .key(try DIDDocument(document, did: controller).key(method)) } catch { return .refused(error.message) }
        }
        if let id = document["id"]?.stringValue, id != controller && id != method {
            return .refused("the document at \(controller) names itself \(id)")
        }
        func matches(_ id: String?) -> Bool {
            guard let id else { return false }
            return id == method || (id.hasPrefix("#") && controller + id == method)
        }
        var candidates = document["verificationMethod"]?.arrayValue ?? []
        if document["id"]?.stringValue == method { candidates.append(document) }
        guard let entry = candidates.first(where: { matches($0["id"]?.stringValue) }) else {
            return .refused("\(method) is not a key of \(controller)")
        }
        if let assertion = document["assertionMethod"]?.arrayValue {
            let listed = assertion.contains { item in matches(item.stringValue) || matches(item["id"]?.stringValue) }
            guard listed else { return .refused("\(method) is not listed for assertions by \(controller)") }
        }
        if let controllerOfKey = entry["controller"]?.stringValue, controllerOfKey != controller, document["id"]?.stringValue != method {
            return .refused("\(method) is controlled by \(controllerOfKey), not \(controller)")
        }
        do {
            if let multibase = entry["publicKeyMultibase"]?.stringValue { return .key(try Multikey.decodePublicKey(multibase)) }
            if let jwk = entry["publicKeyJwk"] {
                let parsed = try JWK(jwk)
                return .key(parsed.publicKey)
            }
        } catch {
            return .refused("\(method): \(error.message)")
        }
        return .refused("\(method) has no publicKeyMultibase or publicKeyJwk")
    }

    /// `did:web:host%3Aport:a:b` → `https://host:port/a/b/did.json`; no path → `/.well-known/did.json`.
    static func didWebURL(_ did: String) -> String? {
        let parts = did.utf8.dropFirst("did:web:".count).split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard let host = parts.first.flatMap(percentDecoded), !host.isEmpty, !host.contains("/"),
              parts.dropFirst().allSatisfy({ !$0.isEmpty && !$0.contains(UInt8(ascii: "/")) }) else { return nil }
        let path = parts.count > 1 ? "/" + parts.dropFirst().compactMap(percentDecoded).joined(separator: "/") + "/did.json" : "/.well-known/did.json"
        return "https://\(host)\(path)"
    }
}

/// RFC 3986 percent-decoding of one did:web segment; nil when a `%` is not followed by two hex digits or the result
/// is not UTF-8.
func percentDecoded(_ segment: Substring.UTF8View.SubSequence) -> String? {
    guard segment.contains(UInt8(ascii: "%")) else { return String(decoding: segment, as: UTF8.self) }
    var out: [UInt8] = []
    var i = segment.startIndex
    while i < segment.endIndex {
        if segment[i] == UInt8(ascii: "%") {
            let a = segment.index(after: i)
            guard a < segment.endIndex, case let b = segment.index(after: a), b < segment.endIndex,
                  let high = Hex.digit(segment[a]), let low = Hex.digit(segment[b]) else { return nil }
            out.append(high << 4 | low)
            i = segment.index(after: b)
        } else {
            out.append(segment[i])
            i = segment.index(after: i)
        }
    }
    return String(validating: out, as: UTF8.self)
}

/// Documents parsed once, by URL, as long as the fetcher returns the same bytes for it (the fetcher's own cache
/// decides how long that is), and the keys found in them, by the document's digest.
final class ParsedDocuments: Sendable {
    private let documents = BoundedCache<(bytes: [UInt8], value: JSONValue, digest: String)>(capacity: 512)
    private let keys = BoundedCache<KeyDirectory.Outcome>(capacity: 512)

    func value(url: String, bytes: [UInt8]) -> (value: JSONValue, digest: String)? {
        guard let entry = documents.value(url), entry.bytes == bytes else { return nil }
        return (entry.value, entry.digest)
    }

    func store(url: String, bytes: [UInt8], value: JSONValue, digest: String) {
        documents.store(url, (bytes, value, digest))
    }

    /// The key a document gives a method depends on nothing else.
    func key(method: String, digest: String) -> KeyDirectory.Outcome? { keys.value(digest + " " + method) }

    func remember(_ outcome: KeyDirectory.Outcome, method: String, digest: String) { keys.store(digest + " " + method, outcome) }
}

/// The keys a verification found, for the synchronous Data Integrity verifier (everything fetched beforehand).
struct PrefetchedKeys: VerificationMethodResolver {
    let keys: [String: PublicKey]

    func publicKey(for verificationMethod: String) throws(LinkedDataError) -> PublicKey {
        guard let key = keys[verificationMethod] else {
            throw LinkedDataError(.verificationMethodUnresolved, "\(verificationMethod) was not resolved")
        }
        return key
    }
}
