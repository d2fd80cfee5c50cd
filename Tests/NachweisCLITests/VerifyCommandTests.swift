import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisLinkedData
import NachweisServer
import NachweisStatus
import NachweisTestSupport
import Testing

/// `nachweis verify`, run as a process, offline: a did:key issuer, its status list given with --document.
@Suite("nachweis verify")
struct VerifyCommandTests {
    func nachweis(_ arguments: [String], in directory: URL) throws -> ProcessResult {
        try runProcess(CLITests.executable, arguments, directory: directory)
    }

    /// A signed OB 3.0 credential of a did:key issuer with a revocation entry at index 42 of https://status.example/1,
    /// and that list (bit 42 set when `revoked`), signed by the same key.
    static func files(in dir: URL, revoked: Bool = false) throws {
        let key = try PrivateKey.generate(.ed25519)
        let did = try DIDKey(publicKey: key.publicKey)
        let integrity = DataIntegrity(processor: JSONLDProcessor(loader: try ShippedContexts.loader()))
        let credential: JSONValue = [
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:3f0c5bd2-4b6e-4c3e-9a53-0d4b5b6e7f11", "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": ["id": .string(did.did), "type": ["Profile"], "name": "Kammer Test"],
            "validFrom": "2026-01-01T00:00:00Z", "name": "Welding I",
            "credentialSubject": ["id": "did:example:learner", "type": ["AchievementSubject"],
                                  "achievement": ["id": "urn:uuid:8a7f0c44-1c55-4d0e-9a34-64c1d2a0e5b1", "type": ["Achievement"], "name": "Welding I",
                                                  "description": "MIG welding basics", "criteria": ["narrative": "Practical exam"]]],
            "credentialStatus": ["id": "https://status.example/1#42", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                                 "statusListIndex": "42", "statusListCredential": "https://status.example/1"],
        ]
        let signed = try integrity.sign(credential, key: key, options: .init(verificationMethod: did.verificationMethod, created: "2026-01-01T00:00:00Z"))
        var bits = Bitstring(size: 131_072)
        bits[42] = revoked
        let list: JSONValue = [
            "@context": ["https://www.w3.org/ns/credentials/v2"], "id": "https://status.example/1",
            "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": .string(did.did), "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": ["id": "https://status.example/1#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                                  "encodedList": .string(bits.encoded)],
        ]
        let signedList = try integrity.sign(list, key: key, options: .init(verificationMethod: did.verificationMethod, created: "2026-01-01T00:00:00Z"))
        try Data(signed.compactBytes).write(to: dir.appendingPathComponent("credential.json"))
        try Data(signedList.compactBytes).write(to: dir.appendingPathComponent("list.json"))
        let tampered = signed.compactText.replacingOccurrences(of: "Welding I", with: "Welding II")
        try Data(tampered.utf8).write(to: dir.appendingPathComponent("tampered.json"))
    }

    @Test("the exit status is always the verdict --json prints: valid, tampered, no status list, not a credential, a PNG whose credential chunk is compressed")
    func exitMatchesVerdict() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        try Self.files(in: dir)
        try Data("not a credential".utf8).write(to: dir.appendingPathComponent("x.txt"))
        // A baked sample with its credential chunk replaced by a compressed one (Open Badges baking stores it uncompressed).
        var png = try PNGImage(bytes: Array(try Data(contentsOf: try TestEnvironment.reference("openbadges/ob3/validator-samples/simple-json.png"))))
        png.chunks.removeAll { $0.type == "iTXt" }
        png.chunks.insert(.init(type: "iTXt", data: Array("openbadgecredential".utf8) + [0, 1, 0, 0, 0, 0x78, 0x9C]), at: 1)
        try Data(png.bytes).write(to: dir.appendingPathComponent("compressed.png"))
        let exits = ["valid": Int32(0), "invalid": 1, "inconclusive": 2]
        for (file, expected) in [("credential.json", "valid"), ("tampered.json", "invalid"), ("x.txt", "invalid"), ("compressed.png", "invalid")] {
            for extra in [["--document=https://status.example/1=list.json"], []] {
                let run = try nachweis(["verify", "--json"] + extra + [file], in: dir)
                let verdict = try JSONParser().parse(Array(run.standardOutput))["verdict"]?.stringValue
                #expect(run.status == exits[verdict ?? ""], "\(file) \(extra): exit \(run.status), verdict \(verdict ?? "none")")
                if extra.isEmpty && file == "credential.json" { #expect(verdict == "inconclusive") } else { #expect(verdict == expected, "\(file)") }
            }
        }
    }

    @Test("--online outside production fetches plain HTTP; loopback only with --allow-local; --production wants HTTPS")
    func onlineOverHTTP() async throws {
        let dir = try TestEnvironment.temporaryDirectory()
        try Self.files(in: dir)
        let port = try ServerConfiguration.freeLoopbackPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", dir.path, String(port)]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL) }
        let url = "http://127.0.0.1:\(port)/credential.json"
        let list = "--document=https://status.example/1=list.json"
        var local = try nachweis(["verify", "--online", "--allow-local", list, url], in: dir)
        for _ in 0..<50 where local.status != 0 {  // until the server listens
            try await Task.sleep(for: .milliseconds(100))
            local = try nachweis(["verify", "--online", "--allow-local", list, url], in: dir)
        }
        #expect(local.status == 0, "\(local.standardError)")
        let loopback = try nachweis(["verify", "--online", list, url], in: dir)
        #expect(loopback.status == 2 && loopback.standardError.contains("SSRF") && !loopback.standardError.contains("only HTTPS"), "\(loopback.standardError)")
        let production = try nachweis(["verify", "--online", "--allow-local", "--production", list, url], in: dir)
        #expect(production.status == 2 && production.standardError.contains("only HTTPS documents are fetched in production"), "\(production.standardError)")
    }

    @Test("exit 0 valid, 1 invalid (tampered, revoked, not yet valid, wrong recipient), 2 inconclusive (list not given) or unusable")
    func verdicts() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        try Self.files(in: dir)
        let list = "--document=https://status.example/1=list.json"
        let valid = try nachweis(["verify", "--json", list, "credential.json"], in: dir)
        #expect(valid.status == 0, "\(String(decoding: valid.standardOutput, as: UTF8.self)) \(valid.standardError)")
        let report = try JSONParser().parse(Array(valid.standardOutput))
        #expect(report["verdict"] == "valid" && report["format"] == "ob3-jsonld")
        let codes = report["steps"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
        #expect(codes.contains("proof.valid") && codes.contains("issuer_key.bound") && codes.contains("status.not_set"), "\(codes)")

        let text = try nachweis(["verify", list, "credential.json"], in: dir)
        #expect(text.status == 0 && String(decoding: text.standardOutput, as: UTF8.self).hasPrefix("verdict: valid"))
        #expect(try nachweis(["verify", list, "tampered.json"], in: dir).status == 1)
        #expect(try nachweis(["verify", list, "--at", "2025-06-01T00:00:00Z", "credential.json"], in: dir).status == 1)
        #expect(try nachweis(["verify", list, "--recipient", "did:example:someone-else", "credential.json"], in: dir).status == 1)
        #expect(try nachweis(["verify", list, "--recipient", "did:example:learner", "credential.json"], in: dir).status == 0)
        let unreachable = try nachweis(["verify", "--json", "credential.json"], in: dir)
        #expect(unreachable.status == 2)
        let steps = try JSONParser().parse(Array(unreachable.standardOutput))["steps"]?.arrayValue ?? []
        #expect(steps.contains { $0["code"] == "status.list_unavailable" && $0["status"] == "inconclusive" })

        try Data("not a credential".utf8).write(to: dir.appendingPathComponent("x.txt"))
        let notCredential = try nachweis(["verify", "x.txt"], in: dir)
        #expect(notCredential.status == 1 && notCredential.standardError.contains("document.not_a_credential"), "\(notCredential.standardError)")
        #expect(try nachweis(["verify", "--at", "yesterday", "credential.json"], in: dir).status == 2)

        // An issuer registry: listed, the trust step passes and the report says "registered as"; not listed, the verdict
        // stays valid with a warning (the registry says who is known, not who may issue).
        let issuerID = try #require(try JSONParser().parse(Array(Data(contentsOf: dir.appendingPathComponent("credential.json"))))["issuer"]?["id"]?.stringValue)
        try Data(#"{"issuers": [{"id": "\#(issuerID)", "name": "Kammer Test", "accreditation": "Landesregister 42"}]}"#.utf8)
            .write(to: dir.appendingPathComponent("registry.json"))
        try Data(#"{"issuers": [{"id": "did:web:other.example", "name": "Someone else"}]}"#.utf8).write(to: dir.appendingPathComponent("other.json"))
        let listed = try nachweis(["verify", "--json", list, "--trusted-issuers", "registry.json", "credential.json"], in: dir)
        #expect(listed.status == 0 && String(decoding: listed.standardOutput, as: UTF8.self).contains("trust.listed"))
        let section = try JSONParser().parse(Array(listed.standardOutput))["issuer"]
        #expect(section?["binding"]?["registry"]?["name"] == "Kammer Test" && section?["proven"]?["kind"] == "did:key", "\(section?.compactText ?? "")")
        let unlisted = try nachweis(["verify", "--json", list, "--trusted-issuers", "other.json", "credential.json"], in: dir)
        let unlistedReport = try JSONParser().parse(Array(unlisted.standardOutput))
        #expect(unlisted.status == 0 && unlistedReport["verdict"] == "valid" && String(decoding: unlisted.standardOutput, as: UTF8.self).contains("trust.not_listed"))
        #expect(unlistedReport["warnings"]?.arrayValue?.first?.stringValue?.contains("not in this server's registry") == true)
        try Data(#"{"issuers": [{"name": "no id"}]}"#.utf8).write(to: dir.appendingPathComponent("bad.json"))
        #expect(try nachweis(["verify", "--trusted-issuers", "bad.json", "credential.json"], in: dir).status == 2)

        // A URL instead of a file: given with --document, or fetched with --online (HTTPS, public addresses only).
        let byURL = try nachweis(["verify", list, "--document=https://badges.example/c/1=credential.json", "https://badges.example/c/1"], in: dir)
        #expect(byURL.status == 0, "\(byURL.standardError)")
        let notGiven = try nachweis(["verify", "https://badges.example/c/2"], in: dir)
        #expect(notGiven.status == 2 && notGiven.standardError.contains("--online"), "\(notGiven.standardError)")
        let loopback = try nachweis(["verify", "--online", "https://127.0.0.1:9/c/3"], in: dir)
        #expect(loopback.status == 2 && loopback.standardError.contains("fetch.forbidden_address"), "\(loopback.standardError)")

        let revokedDir = try TestEnvironment.temporaryDirectory()
        try Self.files(in: revokedDir, revoked: true)
        let revoked = try nachweis(["verify", "--json", list, "credential.json"], in: revokedDir)
        #expect(revoked.status == 1)
        #expect(String(decoding: revoked.standardOutput, as: UTF8.self).contains("status.revoked"))
    }
}
