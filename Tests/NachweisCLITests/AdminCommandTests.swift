import Foundation
import NachweisTestSupport
import Testing

/// Bootstrapping from the command line: the first issuer, its signing key, staff tokens.
@Suite("nachweis issuers / tokens")
struct AdminCommandTests {
    func nachweis(_ arguments: [String], data: URL) throws -> ProcessResult {
        try runProcess(CLITests.executable, arguments + ["--data-dir", data.path], directory: ServeCommandTests.root)
    }

    @Test("started from any directory, the binary finds the development keys of the tree it was built in (was: cannot read Keys/…)")
    func anyDirectory() throws {
        let elsewhere = try TestEnvironment.temporaryDirectory()
        let created = try runProcess(CLITests.executable, ["issuers", "create", "--slug", "demo-uni", "--name", "Demo University", "--country", "DE",
                                                           "--homepage", "https://uni.example", "--data-dir", elsewhere.path], directory: elsewhere)
        #expect(created.status == 0, "\(created.standardError)")
        #expect(created.standardError.contains("active sealing key ES256") && created.standardError.contains("development key"))
        // A path an operator sets is taken as given, relative to where the binary runs.
        let given = try runProcess(CLITests.executable, ["issuers", "create", "--slug", "other", "--name", "Other", "--country", "DE",
                                                         "--homepage", "https://other.example", "--data-dir", elsewhere.path],
                                   environment: ProcessInfo.processInfo.environment.merging(["NACHWEIS_SIGNING_KEYS": "Keys/issuer-ed25519.pem"]) { $1 },
                                   directory: elsewhere)
        #expect(given.status != 0 && given.standardError.contains("Keys/issuer-ed25519.pem"), "\(given.standardError)")
    }

    @Test("create an issuer and a token, list them, revoke the token; refusals change nothing")
    func bootstrap() throws {
        let data = try TestEnvironment.temporaryDirectory()
        let create = ["issuers", "create", "--slug", "ihk-muenchen", "--name", "IHK München", "--country", "DE",
                      "--homepage", "https://www.ihk-muenchen.de", "--email", "badges@ihk-muenchen.de"]
        let created = try nachweis(create, data: data)
        #expect(created.status == 0, "\(created.standardError)")
        let issuerID = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(UUID(uuidString: issuerID) != nil)
        #expect(created.standardError.contains("development key"))
        // The same slug again, a bad country, an unknown issuer for a token: refused, nothing added.
        #expect(try nachweis(create, data: data).status == 1)
        var bad = create
        bad[3] = "other"
        bad[7] = "Germany"
        let refused = try nachweis(bad, data: data)
        #expect(refused.status == 1 && refused.standardError.contains("store.constraint"))
        #expect(try nachweis(["tokens", "create", "--issuer", "nobody", "--label", "x"], data: data).status == 1)
        #expect(try nachweis(["issuers", "list"], data: data).output == "\(issuerID)\tihk-muenchen\tDE\tIHK München\n")

        let token = try nachweis(["tokens", "create", "--issuer", "ihk-muenchen", "--label", "registrar"], data: data)
        #expect(token.status == 0)
        #expect(token.output.hasPrefix("nw_") && token.output.count == 47)
        let listed = try nachweis(["tokens", "list", "--issuer", "ihk-muenchen"], data: data).output
        #expect(listed.hasSuffix("\tregistrar\tactive\n") && !listed.contains("nw_"))
        let tokenID = String(listed.prefix { $0 != "\t" })
        // The secret is in none of the database's files (main, WAL, shared memory): only its hash is.
        let secret = Data(token.output.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        let files = try FileManager.default.contentsOfDirectory(atPath: data.path).filter { $0.hasPrefix("nachweis.sqlite") }
        #expect(!files.isEmpty)
        for file in files { #expect(try Data(contentsOf: data.appendingPathComponent(file)).range(of: secret) == nil, "\(file)") }
        #expect(try nachweis(["tokens", "revoke", "--issuer", "ihk-muenchen", tokenID], data: data).status == 0)
        #expect(try nachweis(["tokens", "list", "--issuer", "ihk-muenchen"], data: data).output.hasSuffix("\tregistrar\trevoked\n"))
        #expect(try nachweis(["tokens", "revoke", "--issuer", "ihk-muenchen", UUID().uuidString], data: data).status == 1)
    }
}
