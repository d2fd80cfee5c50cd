import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// HTTP for tests talking to a live server on 127.0.0.1, through FoundationNetworking's URLSession with a deadline.
/// Twice a full suite run hung in a request that never completed (URLSession on Linux has a history of such hangs,
/// swift-corelibs-foundation #3287, #3876): a request here gives up after `deadline` and is tried once more on a fresh
/// session, and a request that never answers fails the test with a message instead of holding the run until its time
/// limit. What is under test is the server; a retried request is one the server had not answered or whose answer the
/// client lost, and a repeat of a GET, or of an idempotent request, changes nothing.
public enum TestHTTP {
    public struct TimedOut: Error, CustomStringConvertible {
        public let url: String
        public var description: String { "no answer from \(url) within the deadline, twice" }
    }

    public static func data(for request: URLRequest, deadline: Duration = .seconds(20)) async throws -> (Data, URLResponse) {
        do { return try await once(request, deadline: deadline) } catch is TimedOut {
            return try await once(request, deadline: deadline)
        }
    }

    public static func data(from url: URL, deadline: Duration = .seconds(20)) async throws -> (Data, URLResponse) {
        try await data(for: URLRequest(url: url), deadline: deadline)
    }

    /// One attempt on its own ephemeral session; whichever comes first, the answer or the deadline, resumes the caller
    /// (a stuck transfer is cancelled and left behind rather than waited for).
    private static func once(_ request: URLRequest, deadline: Duration) async throws -> (Data, URLResponse) {
        let session = URLSession(configuration: .ephemeral)
        let resumed = Mutex(false)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), any Error>) in
            let finish = { @Sendable (result: Result<(Data, URLResponse), any Error>) in
                guard resumed.withLock({ done in defer { done = true }; return !done }) else { return }
                continuation.resume(with: result)
            }
            let task = session.dataTask(with: request) { data, response, error in
                if let data, let response { finish(.success((data, response))) } else { finish(.failure(error ?? URLError(.badServerResponse))) }
                session.finishTasksAndInvalidate()
            }
            task.resume()
            Task {
                try? await Task.sleep(for: deadline)
                finish(.failure(TimedOut(url: request.url?.absoluteString ?? "?")))
                task.cancel()
            }
        }
    }
}
