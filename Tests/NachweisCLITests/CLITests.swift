import Foundation
import NachweisTestSupport
import Testing

/// End-to-end tests of the `nachweis` executable, run as a separate process.
@Suite("nachweis CLI")
struct CLITests {
    /// The built executable, beside the test bundle in the build folder.
    static var executable: String {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // The test binary lives in .build/<triple>/debug/NachweisPackageTests.xctest (a file on Linux).
        for _ in 0..<3 where !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("nachweis").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("nachweis").path
    }

    func nachweis(_ arguments: [String], input: String? = nil, in directory: URL) throws -> ProcessResult {
        try runProcess(Self.executable, arguments, input: input.map { Data($0.utf8) }, directory: directory)
    }

    @Test("nachweis --version answers from any directory (it was an unknown option)")
    func version() throws {
        let run = try nachweis(["--version"], in: try TestEnvironment.temporaryDirectory())
        #expect(run.status == 0 && run.output.hasPrefix("0.2.0-dev"), "\(run.output) \(run.standardError)")
    }

    @Test("keys generate, jws sign and jws verify work for every key type", arguments: [
        ("ed25519", "EdDSA"), ("p256", "ES256"), ("p384", "ES384"), ("rsa", "RS256"), ("rsa", "PS256"),
    ])
    func signAndVerify(type: String, alg: String) throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let generated = try nachweis(["keys", "generate", "--type", type, "--bits", "2048", "--out", "k.pem"], in: dir)
        #expect(generated.status == 0, "\(generated.standardError)")
        let signed = try nachweis(["jws", "sign", "--key", "k.pem", "--alg", alg, "--kid", "key-1"], input: #"{"a":1}"#, in: dir)
        #expect(signed.status == 0, "\(signed.standardError)")
        let token = signed.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.split(separator: ".").count == 3)
        // Verify with the public JWK, as a relying party would hold it.
        let jwk = try nachweis(["keys", "jwk", "k.pem"], in: dir)
        try Data(jwk.output.utf8).write(to: dir.appendingPathComponent("pub.jwk"))
        let verified = try nachweis(["jws", "verify", "--key", "pub.jwk", "--alg", alg], input: token + "\n", in: dir)
        #expect(verified.status == 0, "\(verified.standardError)")
        #expect(verified.output == #"{"a":1}"#)
    }

    @Test("jws verify exits 1 for rejected signatures and headers, 2 for unusable input")
    func exitCodes() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        _ = try nachweis(["keys", "generate", "--type", "ed25519", "--out", "a.pem"], in: dir)
        _ = try nachweis(["keys", "generate", "--type", "ed25519", "--out", "b.pem"], in: dir)
        let token = try nachweis(["jws", "sign", "--key", "a.pem"], input: "payload", in: dir).output
        let wrongKey = try nachweis(["jws", "verify", "--key", "b.pem"], input: token, in: dir)
        #expect(wrongKey.status == 1)
        #expect(wrongKey.standardError.contains("jws.signature_invalid"))
        let none = try nachweis(["jws", "verify", "--key", "a.pem"], input: "eyJhbGciOiJub25lIn0.cGF5bG9hZA.", in: dir)
        #expect(none.status == 1)
        #expect(none.standardError.contains("jws.alg_none"))
        let notAllowed = try nachweis(["jws", "verify", "--key", "a.pem", "--alg", "ES256"], input: token, in: dir)
        #expect(notAllowed.status == 1)
        #expect(notAllowed.standardError.contains("jws.alg_not_allowed"))
        let garbage = try nachweis(["jws", "verify", "--key", "a.pem"], input: "not a jws", in: dir)
        #expect(garbage.status == 2)
        let missingKey = try nachweis(["jws", "verify", "--key", "absent.pem"], input: token, in: dir)
        #expect(missingKey.status == 2)
        #expect(missingKey.standardError.contains("cannot read absent.pem"))
    }

    @Test("keys show and keys did describe a key; did:key round-trips through the key")
    func showAndDID() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        _ = try nachweis(["keys", "generate", "--type", "p256", "--out", "k.pem"], in: dir)
        let shown = try nachweis(["keys", "show", "k.pem"], in: dir)
        #expect(shown.status == 0)
        #expect(shown.output.contains("type: ECDSA P-256"))
        #expect(shown.output.contains("-----BEGIN PUBLIC KEY-----"))
        let did = try nachweis(["keys", "did", "k.pem"], in: dir)
        #expect(did.output.hasPrefix("did:key:zDn"))
        #expect(shown.output.contains(did.output.split(separator: "\n")[0]))
        let rsa = try nachweis(["keys", "generate", "--type", "rsa", "--bits", "2048", "--out", "r.pem"], in: dir)
        #expect(rsa.status == 0)
        #expect(try nachweis(["keys", "did", "r.pem"], in: dir).status == 2)
    }

    @Test("keys generate refuses to overwrite, and encrypts with a passphrase from the environment")
    func generateSafety() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        _ = try nachweis(["keys", "generate", "--type", "ed25519", "--out", "k.pem"], in: dir)
        #expect(try nachweis(["keys", "generate", "--type", "ed25519", "--out", "k.pem"], in: dir).status == 2)
        let encrypted = try runProcess(Self.executable, ["keys", "generate", "--type", "ed25519", "--out", "e.pem", "--passphrase-env", "PASS"],
                                       environment: ["PASS": "correct horse"], directory: dir)
        #expect(encrypted.status == 0)
        let pem = try String(contentsOf: dir.appendingPathComponent("e.pem"), encoding: .utf8)
        #expect(pem.contains("ENCRYPTED PRIVATE KEY"))
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("e.pem").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try nachweis(["keys", "show", "e.pem"], in: dir).status == 2)
        let shown = try runProcess(Self.executable, ["keys", "show", "e.pem", "--passphrase-env", "PASS"],
                                   environment: ["PASS": "correct horse"], directory: dir)
        #expect(shown.status == 0)
    }

    @Test("the help explains the commands")
    func help() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let help = try nachweis(["--help"], in: dir)
        #expect(help.output.contains("keys"))
        #expect(help.output.contains("jws"))
        let verifyHelp = try nachweis(["jws", "verify", "--help"], in: dir)
        #expect(verifyHelp.output.contains("Exit status"))
    }
}
