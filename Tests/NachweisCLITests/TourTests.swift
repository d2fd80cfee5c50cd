import Foundation
import NachweisServer
import NachweisTestSupport
import Testing

/// The README's tour, run as written against `nachweis serve` on 127.0.0.1 — so that the tour cannot rot.
@Suite("README tour", .timeLimit(.minutes(3)))
struct TourTests {
    /// The shell block between `<!-- tour -->` and `<!-- /tour -->` in README.md.
    static func tour() throws -> String {
        let readme = try String(contentsOf: ServeCommandTests.root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "<!-- tour -->\n```sh\n"), let end = readme.range(of: "```\n<!-- /tour -->") else {
            throw TourFailure("README.md has no tour block")
        }
        return String(readme[start.upperBound..<end.lowerBound])
    }

    struct TourFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test("the README's tour works: issued, imported, shared, seen valid, revoked, seen revoked; then the wallet and share commands on the same wallet")
    func tourWorks() async throws {
        let root = ServeCommandTests.root
        let work = try TestEnvironment.temporaryDirectory()
        let port = try ServerConfiguration.freeLoopbackPort()
        let base = "http://127.0.0.1:\(port)"
        // The server and the CLI on one database, with the development keys by absolute path (the tour runs in a
        // scratch folder of its own, where it leaves its files).
        let keys = root.appendingPathComponent("Keys").path
        var environment = ProcessInfo.processInfo.environment
        environment.merge(["NACHWEIS_DATA_DIR": work.path, "NACHWEIS_PUBLIC_BASE_URL": base, "NACHWEIS_PORT": String(port),
                           "NACHWEIS_SIGNING_KEYS": "\(keys)/issuer-ed25519.pem,\(keys)/issuer-p256.pem,\(keys)/issuer-rsa3072.pem",
                           "NACHWEIS_SEAL_KEY": "\(keys)/seal-p256.key", "NACHWEIS_SEAL_CERTIFICATE": "\(keys)/seal-p256.pem",
                           "NACHWEIS_WALLET_KEY": "\(keys)/wallet-ed25519.pem", "NACHWEIS_TRUST_ANCHORS": "\(keys)/trust-anchors",
                           "NW": CLITests.executable, "BASE": base]) { $1 }
        let log = work.appendingPathComponent("server.log")
        let server = try ServeCommandTests.launch(["serve"], environment: environment, directory: work, log: log)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        var up = false
        for _ in 0..<100 where !up {
            try await Task.sleep(for: .milliseconds(100))
            up = await ServeCommandTests.get(URL(string: "\(base)/health")!)?.0 == 200
        }
        #expect(up, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        let result = try await runProcessOffPool("/bin/bash", ["-euo", "pipefail", "-c", try Self.tour()], environment: environment, directory: work)
        let output = result.output
        #expect(result.status == 0, "tour failed: \(output)\n\(result.standardError)\n\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.contains("Genuine and valid"), "\(output)")
        #expect(lines.contains("valid") && lines.contains("revoked") && lines.last == "3", "\(output)")
        #expect(lines.contains { $0.hasPrefix("share link: \(base)/share/") })

        // The wallet and share commands, on the same server and wallet.
        var cli = environment
        cli["NACHWEIS_SERVER"] = base
        cli["NACHWEIS_PASSWORD"] = "correct horse battery"
        func run(_ arguments: [String]) async throws -> ProcessResult {
            try await runProcessOffPool(CLITests.executable, arguments, environment: cli, directory: work)
        }
        let signedIn = try await run(["wallet", "sign-in", "--email", "ada@example.org"])
        #expect(signedIn.status == 0 && signedIn.output.hasPrefix("nws_"), "\(signedIn.standardError)")
        cli["NACHWEIS_SESSION"] = signedIn.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let again = try await run(["wallet", "import", "ada.jwt"])
        #expect(again.status == 0 && again.output.contains("ob3-jwt") && again.output.contains("(held already)"), "\(again.output) \(again.standardError)")
        let listed = try await run(["wallet", "list", "--eqf", "6"])
        // The wallet's own record is its latest verification (at import: valid, active); the revocation shows when
        // the learner re-verifies, as the employer's view showed it at once.
        #expect(listed.status == 0 && listed.output.contains("\tvalid\tactive\tEQF 6\tData Literacy\tDemo University") && listed.output.hasSuffix("1 in all\n"),
                "\(listed.output)")
        let held = String(listed.output.prefix { $0 != "\t" })
        let made = try await run(["share", "create", "--credential", held, "--days", "3", "--max-views", "1", "--label", "CLI"])
        #expect(made.status == 0 && made.output.hasPrefix("\(base)/share/"), "\(made.standardError)")
        var links = try await run(["share", "list"])
        let cliLink = try #require(links.output.split(separator: "\n").first { $0.hasSuffix("\tCLI") })
        #expect(cliLink.contains("\tlive\t0/1 views\t"))
        #expect(try await run(["share", "revoke", String(cliLink.prefix { $0 != "\t" })]).status == 0)
        links = try await run(["share", "list"])
        #expect(links.output.split(separator: "\n").contains { $0.hasSuffix("\tCLI") && $0.contains("\trevoked\t") })
        // Refusals: the server's error and exit 1; an unreachable server exit 2.
        let missing = try await run(["share", "revoke", UUID().uuidString])
        #expect(missing.status == 1 && missing.standardError.contains("404 request.not_found"))
        cli["NACHWEIS_SERVER"] = "http://127.0.0.1:1"
        #expect(try await run(["wallet", "list"]).status == 2)
    }
}
