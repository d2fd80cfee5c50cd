import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NachweisTestSupport
import Testing

/// `nachweis serve` as a real process on 127.0.0.1: embedded defaults, health, graceful stop, refusals.
@Suite("nachweis serve")
struct ServeCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func get(_ url: URL) async -> (Int, String)? {
        guard let (data, response) = try? await TestHTTP.data(from: url, deadline: .seconds(5)), let http = response as? HTTPURLResponse else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    /// `nachweis` started with its output in `log`.
    static func launch(_ arguments: [String], environment: [String: String]? = nil, directory: URL, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = directory
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    @Test("serve starts on its defaults (SQLite in --data-dir, development keys), answers /health, stops on SIGTERM with 0")
    func liveServer() async throws {
        let data = try TestEnvironment.temporaryDirectory()
        let port = Int.random(in: 30000..<60000)
        let log = data.appendingPathComponent("log")
        let process = try Self.launch(["serve", "--port", String(port), "--data-dir", data.path], directory: Self.root, log: log)
        defer { if process.isRunning { process.terminate() } }
        var health: (Int, String)?
        for _ in 0..<100 where health == nil {
            try await Task.sleep(for: .milliseconds(100))
            health = await Self.get(URL(string: "http://127.0.0.1:\(port)/health")!)
        }
        #expect(health?.0 == 200, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect(health?.1 == #"{"status":"ok","database":"ok"}"#)
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("nachweis.sqlite").path))
        #expect(await Self.get(URL(string: "http://127.0.0.1:\(port)/nothing-here")!)?.0 == 404)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    @Test("production mode refuses development keys and plain HTTP before opening anything (exit 2)")
    func productionRefusals() throws {
        let data = try TestEnvironment.temporaryDirectory().appendingPathComponent("db")
        let http = try runProcess(CLITests.executable, ["serve", "--production", "--data-dir", data.path], directory: Self.root)
        #expect(http.status == 2 && http.standardError.contains("config.refused_in_production"))
        let devKey = try runProcess(CLITests.executable, ["serve", "--production", "--public-base-url", "https://badges.example",
                                                          "--data-dir", data.path], directory: Self.root)
        #expect(devKey.status == 2 && devKey.standardError.contains("Keys/issuer-ed25519.pem"))
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }
}
