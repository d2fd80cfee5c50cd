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
    static func start(storage: SQLiteStorage, selfAddressed: Bool = false) async throws -> LiveServer {
        var settings = ServerConfiguration()
        settings.port = 0
        settings.trustAnchorDirectory = TestEnvironment.repositoryRoot.appendingPathComponent("Keys/trust-anchors").path
        if selfAddressed {
            settings.port = try freePort()
            settings.publicBaseURL = "http://127.0.0.1:\(settings.port)"
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test")
        logger.logLevel = .warning  // one line per request would bury the test output
        let app = NachweisServer.application(configuration: settings, storage: storage, logger: logger) { port in
            continuation.yield(port)
        }
        let task = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return LiveServer(port: port, task: task, storage: storage)
    }

    func stop() { task.cancel() }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// A port the kernel hands out for 127.0.0.1 (bound once, then released for the server).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CancellationError() }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CancellationError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

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
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)".lowercased()] = "\(value)" }
        return Reply(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: headers)
    }
}
