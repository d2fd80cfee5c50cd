import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import NachweisServer
import NachweisStore
import NachweisTestSupport

/// The service on 127.0.0.1 (a free port), in process, over an in-memory store; stopped by cancelling its task.
struct LiveServer {
    let port: Int
    let task: Task<Void, any Error>
    let storage: SQLiteStorage

    /// `selfAddressed`: the public base URL is the server's own address (a free port is reserved first), so that
    /// peers can fetch the documents credentials point to; otherwise it stays the default (127.0.0.1:8080).
    static func start(storage: SQLiteStorage, selfAddressed: Bool = false, verification: NachweisServer.Verification? = nil) async throws -> LiveServer {
        // A port reserved first can be taken before the server binds it (tests start servers in parallel): the server
        // then ends without listening, and another port is tried. (Before, its start waited for a port forever.)
        for _ in 0..<5 {
            if let server = try await attempt(storage: storage, selfAddressed: selfAddressed, verification: verification) { return server }
        }
        throw TestFailure("the test server could not bind a loopback port in five attempts")
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// One start; nil when the server ended before it listened (its port taken meanwhile).
    private static func attempt(storage: SQLiteStorage, selfAddressed: Bool, verification: NachweisServer.Verification?) async throws -> LiveServer? {
        var settings = ServerConfiguration()
        settings.port = 0
        settings.trustAnchorDirectory = TestEnvironment.repositoryRoot.appendingPathComponent("Keys/trust-anchors").path
        if selfAddressed {
            settings.port = try ServerConfiguration.freeLoopbackPort()
            settings.publicBaseURL = "http://127.0.0.1:\(settings.port)"
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test") { label in QuietOnCancel(StreamLogHandler.standardError(label: label)) }
        logger.logLevel = .warning  // one line per request would bury the test output
        let app = NachweisServer.application(configuration: settings, storage: storage, logger: logger, verification: verification) { port in
            continuation.yield(port)
        }
        let task = Task {
            defer { continuation.finish() }  // ended (a bind refused, or stopped): no port will come
            try await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = await task.result
            return nil
        }
        return LiveServer(port: port, task: task, storage: storage)
    }

    func stop() { task.cancel() }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    struct Reply {
        let status: Int
        let body: String
        let headers: [String: String]
    }

    /// One request; `token` goes in a Bearer Authorization header.
    func request(_ method: String, _ path: String, token: String? = nil, body: String? = nil,
                 contentType: String? = "application/json", headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await TestHTTP.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)".lowercased()] = "\(value)" }
        return Reply(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: headers)
    }

    /// One request with a body of bytes; the answer's bytes as they came.
    func send(_ method: String, _ path: String, token: String? = nil, bytes: [UInt8]? = nil,
              contentType: String? = nil) async throws -> (status: Int, body: [UInt8], headers: [String: String]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let bytes {
            request.httpBody = Data(bytes)
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await TestHTTP.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)".lowercased()] = "\(value)" }
        return (http.statusCode, Array(data), headers)
    }
}

/// The test servers' log: everything from warning up, except the one line HummingbirdCore writes, at error level,
/// when a server is stopped by cancelling its task while a client still holds a connection — which is how tests stop
/// it. A passing run prints no error lines.
struct QuietOnCancel: LogHandler {
    var inner: StreamLogHandler
    init(_ inner: StreamLogHandler) { self.inner = inner }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }
    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        if event.source == "HummingbirdCore", event.message.description == "Waiting on child channel: CancellationError()" { return }
        inner.log(event: event)
    }
}
