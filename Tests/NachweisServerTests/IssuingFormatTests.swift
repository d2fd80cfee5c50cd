import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisLinkedData
import NachweisServer
import NachweisStore
import NachweisTestSupport
import Testing

/// Every issuing format through a live server, checked by independent peers: OB 3.0 VC-JWT in openbadgeslib,
/// OB 2.0 signed and hosted in the OB 2.0 validator (`openbadges`, HTTP mocked to this server), the Europass JAdES
/// seal with `openssl` over the RFC 7797 signing input; and the revocation documents of each.
@Suite("Issuing in every format", .timeLimit(.minutes(3)))
struct IssuingFormatTests {
    struct Setup {
        let f: IssuerAPITests.Fixture
        let achievementID: String
        var server: LiveServer { f.server }
    }

    static func key(_ name: String) throws -> PrivateKey {
        try PrivateKey(pem: String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("Keys/\(name)"), encoding: .utf8))
    }

    /// TU Berlin with the development keys: Ed25519, P-256, RSA and the seal with its certificate.
    static func setUp(seal: Bool = true, verification: NachweisServer.Verification? = nil) async throws -> Setup {
        let f = try await IssuerAPITests.fixture(selfAddressed: true, verification: verification)
        let keys = TestEnvironment.repositoryRoot.appendingPathComponent("Keys")
        var entries: [(String, String, SigningKey.Purpose, String?)] = [
            ("issuer-ed25519.pem", "EdDSA", .signing, nil), ("issuer-p256.pem", "ES256", .signing, nil), ("issuer-rsa3072.pem", "RS256", .signing, nil),
        ]
        if seal { entries.append(("seal-p256.key", "ES256", .sealing, keys.appendingPathComponent("seal-p256.pem").path)) }
        for (file, algorithm, purpose, certificate) in entries {
            let key = try key(file)
            try await f.server.storage.signingKeys.add(SigningKey(issuerID: f.tu.id, algorithm: algorithm, publicJWK: try JWK(publicKey: key.publicKey).jsonText,
                                                                  privateKeyPath: keys.appendingPathComponent(file).path, purpose: purpose,
                                                                  certificatePath: certificate))
        }
        let created = try await f.server.request("POST", "/api/v1/issuers/tu-berlin/achievements", token: f.tuToken, body: AchievementAPITests.microCredential)
        let id = try #require(try JSONParser().parse(Array(created.body.utf8))["id"]?.stringValue)
        return Setup(f: f, achievementID: id)
    }

    static func issue(_ s: Setup, _ fields: String, recipient: String = #"{"email": "Ada@Example.org"}"#) async throws -> LiveServer.Reply {
        try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials", token: s.f.tuToken,
                                   body: #"{"achievement": "\#(s.achievementID)", "recipient": \#(recipient)\#(fields)}"#)
    }

    static func credentialID(_ reply: LiveServer.Reply) -> String {
        String(reply.headers["location"]?.split(separator: "/").last ?? "")
    }

    static func decodeJWT(_ token: String) throws -> (header: JSONValue, claims: JSONValue) {
        let parts = token.split(separator: ".")
        return (try JSONParser().parse(try Base64URL.decode(String(parts[0]))), try JSONParser().parse(try Base64URL.decode(String(parts[1]))))
    }

    @Test("OB 3.0 VC-JWT in EdDSA, ES256 and RS256: claims agree with the body, verifies here and in openbadgeslib",
          arguments: [("EdDSA", "issuer-ed25519.pem"), ("ES256", "issuer-p256.pem"), ("RS256", "issuer-rsa3072.pem")])
    func vcJWT(algorithm: String, keyFile: String) async throws {
        let s = try await Self.setUp()
        defer { s.server.stop() }
        let reply = try await Self.issue(s, #", "format": "ob3-jwt", "algorithm": "\#(algorithm)""#, recipient: #"{"did": "did:example:learner-7"}"#)
        #expect(reply.status == 201, "\(reply.body)")
        #expect(reply.headers["content-type"] == "application/vc+jwt" && reply.headers["nachweis-credential-format"] == "ob3-jwt")
        let (header, claims) = try Self.decodeJWT(reply.body)
        let did = "did:web:127.0.0.1%3A\(s.server.port):issuers:tu-berlin"
        #expect(header["alg"]?.stringValue == algorithm && header["kid"]?.stringValue?.hasPrefix(did + "#") == true)
        #expect(claims["iss"]?.stringValue == did && claims["issuer"]?["id"]?.stringValue == did)
        #expect(claims["jti"] == claims["id"] && claims["sub"] == "did:example:learner-7")
        #expect(claims["nbf"]?.numberValue != nil && claims["credentialStatus"]?.arrayValue?.count == 2)
        let violations = try ShippedSchemas.shared.get().schema(ShippedSchemas.ob3AchievementCredential).validate(claims)
        #expect(violations.isEmpty, "\(violations)")
        // The EU micro-credential elements of the achievement read back from the issued credential.
        let report = MicroCredentialMapping.report(for: claims)
        #expect(report.hasAllMandatoryElements && report.found(.stackability) != nil, "missing: \(report.missing)")
        let key = try Self.key(keyFile)
        _ = try JWSVerifier(allowedAlgorithms: [SignatureAlgorithm(rawValue: algorithm)!]).verify(compact: reply.body, key: key.publicKey)
        let peer = try await Self.openbadgeslib(["op": "obl_jwt_verify", "token": .string(reply.body),
                                           "public_key_pem": .string(try key.publicKey.pemRepresentation())])
        #expect(peer["valid"] == true, "\(peer)")
        // The kid names a key the DID document lists.
        let document = try JSONParser().parse(Array(try await s.server.request("GET", "/issuers/tu-berlin/did.json").body.utf8))
        #expect(document["verificationMethod"]?.arrayValue?.contains { $0["id"] == header["kid"] } == true)
    }

    /// One openbadgeslib task (Tests/Interop/ldp_peer.py).
    static func openbadgeslib(_ task: JSONValue) async throws -> JSONValue {
        let request: JSONValue = ["contexts": [:], "tasks": [task]]
        let result = try await runProcessOffPool(try TestEnvironment.python(), [TestEnvironment.interopScript("ldp_peer.py")], input: Data(request.compactText.utf8))
        #expect(result.status == 0, "\(result.standardError)")
        return try JSONParser().parse(Array(result.standardOutput))["results"]?.arrayValue?.first ?? .null
    }

    /// The OB 2.0 validator's verdicts (Tests/Interop/ob2_peer.py), the OB 2.0 context from our shipped copy.
    static func ob2Validator(_ tasks: [JSONValue]) async throws -> [JSONValue] {
        let context = ShippedContexts.directory.appendingPathComponent(try #require(ShippedContexts.entries["https://w3id.org/openbadges/v2"]).file).path
        let request: JSONValue = ["contexts": ["https://w3id.org/openbadges/v2": .string(context)], "tasks": .array(tasks)]
        let result = try await runProcessOffPool(try TestEnvironment.ob2Python(), [TestEnvironment.interopScript("ob2_peer.py")], input: Data(request.compactText.utf8))
        #expect(result.status == 0, "\(result.standardError)")
        return try JSONParser().parse(Array(result.standardOutput))["results"]?.arrayValue ?? []
    }

    @Test("OB 2.0 hosted and signed: the OB 2.0 validator accepts both, for the right recipient; revoked, hosted is 410 and both are listed")
    func ob2() async throws {
        let s = try await Self.setUp()
        defer { s.server.stop() }
        let hosted = try await Self.issue(s, #", "format": "ob2-hosted""#)
        let signed = try await Self.issue(s, #", "format": "ob2-signed""#)
        #expect(hosted.status == 201 && signed.status == 201, "\(hosted.body) \(signed.body)")
        #expect(signed.headers["content-type"] == "application/jwt")
        let assertion = try JSONParser().parse(Array(hosted.body.utf8))
        let url = try #require(assertion["id"]?.stringValue)
        #expect(url == "\(s.server.baseURL)/issuers/tu-berlin/ob2/assertions/\(Self.credentialID(hosted))")
        #expect(!hosted.body.contains("Ada@") && !signed.body.lowercased().contains("ada@"))
        let served = try await s.server.request("GET", String(url.dropFirst(s.server.baseURL.count)))
        #expect(served.status == 200 && served.body == hosted.body)
        // The signature, the key document and its owner.
        let (_, claims) = try Self.decodeJWT(signed.body)
        let creator = try #require(claims["verification"]?["creator"]?.stringValue)
        let keyDocument = try JSONParser().parse(Array(try await s.server.request("GET", String(creator.dropFirst(s.server.baseURL.count))).body.utf8))
        #expect(keyDocument["type"] == "CryptographicKey" && keyDocument["owner"]?.stringValue == "\(s.server.baseURL)/issuers/tu-berlin/ob2/issuer")
        let publicKeyPem = try #require(keyDocument["publicKeyPem"]?.stringValue)
        _ = try JWSVerifier(allowedAlgorithms: [.rs256]).verify(compact: signed.body, key: try PublicKey(pem: publicKeyPem))

        let verdicts = try await Self.ob2Validator([["input": .string(url), "recipient": "ada@example.org"],
                                              ["input": .string(signed.body), "recipient": "ada@example.org"],
                                              ["input": .string(url), "recipient": "eve@example.org"]])
        try #require(verdicts.count == 3)
        #expect(verdicts[0]["valid"] == true && verdicts[0]["errors"]?.arrayValue?.isEmpty == true, "\(verdicts[0])")
        #expect(verdicts[1]["valid"] == true && verdicts[1]["errors"]?.arrayValue?.isEmpty == true, "\(verdicts[1])")
        #expect(verdicts[2]["valid"] == false, "a different recipient must not match: \(verdicts[2])")
        for verdict in verdicts { #expect(verdict["offline"]?.arrayValue?.isEmpty == true, "fetched outside the server: \(verdict)") }

        // OB 2.0 has no suspension; revocation: 410 for hosted, the RevocationList for both.
        let suspend = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(Self.credentialID(hosted))/suspend", token: s.f.tuToken)
        #expect(suspend.status == 409, "\(suspend.body)")
        for reply in [hosted, signed] {
            let revoke = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(Self.credentialID(reply))/revoke", token: s.f.tuToken,
                                                    body: #"{"reason": "issued in error"}"#)
            #expect(revoke.status == 200, "\(revoke.body)")
        }
        let gone = try await s.server.request("GET", String(url.dropFirst(s.server.baseURL.count)))
        let goneBody = try JSONParser().parse(Array(gone.body.utf8))
        #expect(gone.status == 410 && goneBody["revoked"] == true)
        let list = try JSONParser().parse(Array(try await s.server.request("GET", "/issuers/tu-berlin/ob2/revocations").body.utf8))
        let ids = Set(list["revokedAssertions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
        #expect(ids == [url, "urn:uuid:\(Self.credentialID(signed))"], "\(list)")
        let after = try await Self.ob2Validator([["input": .string(url)], ["input": .string(signed.body)]])
        #expect(after.count == 2 && after.allSatisfy { $0["valid"] == false }, "\(after)")
        #expect(after.last?["revoked"] == true, "the validator names the revocation: \(after)")
    }

    @Test("Europass EDC sealed as JAdES: schema-valid payload, x5c/x5t#S256/sigT/crit, and openssl verifies the RFC 7797 signing input")
    func edc() async throws {
        let s = try await Self.setUp()
        defer { s.server.stop() }
        let reply = try await Self.issue(s, #", "format": "edc-jades""#)
        #expect(reply.status == 201, "\(reply.body)")
        #expect(!reply.body.lowercased().contains("ada@example.org"))
        let envelope = try JAdESEnvelope(bytes: Array(reply.body.utf8))
        let header = envelope.header
        #expect(header.algorithmName == "ES256" && !header.base64EncodedPayload && Set(header.critical) == ["b64", "sigT"])
        #expect(envelope.signingTime != nil && header.members["x5c"]?.arrayValue?.count == 1)
        let x5c = try #require(header.members["x5c"]?.arrayValue?.first?.stringValue)
        let certificate = try Certificate(der: Array(try #require(Data(base64Encoded: x5c))))
        #expect(header.members["x5t#S256"]?.stringValue == certificate.x5tS256)
        let payload = try JSONParser().parse(Array(envelope.payloadText.utf8))
        let violations = try ShippedSchemas.shared.get().schema(ShippedSchemas.edcCredential).validate(payload)
        #expect(violations.isEmpty, "\(violations)")
        let report = MicroCredentialMapping.report(for: payload)
        #expect(report.hasAllMandatoryElements, "missing: \(report.missingMandatory)")
        let shipped = try Certificate.parsePEM(String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("Keys/seal-p256.pem"), encoding: .utf8))
        #expect(shipped.first == certificate)

        // openssl: the signing input is ASCII(protected) "." payload bytes, unencoded; ES256's r‖s becomes DER.
        let jws = envelope.serialization.signatures[0]
        let dir = try TestEnvironment.temporaryDirectory()
        try Data(JWS.signingInput(protectedSegment: jws.protectedSegment, payload: jws.payload, base64EncodedPayload: false))
            .write(to: dir.appendingPathComponent("input"))
        try Data(Self.derSignature(jws.signature)).write(to: dir.appendingPathComponent("signature.der"))
        try Data(certificate.pemRepresentation.utf8).write(to: dir.appendingPathComponent("seal.pem"))
        let extract = try await runProcessOffPool("openssl", ["x509", "-in", "seal.pem", "-pubkey", "-noout", "-out", "seal-public.pem"], directory: dir)
        #expect(extract.status == 0, "\(extract.standardError)")
        let check = try await runProcessOffPool("openssl", ["dgst", "-sha256", "-verify", "seal-public.pem", "-signature", "signature.der", "input"], directory: dir)
        #expect(check.status == 0 && String(decoding: check.standardOutput, as: UTF8.self).contains("Verified OK"), "\(check.standardError)")
        // One byte of the payload changed: openssl refuses.
        var tampered = JWS.signingInput(protectedSegment: jws.protectedSegment, payload: jws.payload, base64EncodedPayload: false)
        tampered[tampered.count - 2] ^= 1
        try Data(tampered).write(to: dir.appendingPathComponent("input"))
        let refused = try await runProcessOffPool("openssl", ["dgst", "-sha256", "-verify", "seal-public.pem", "-signature", "signature.der", "input"], directory: dir)
        #expect(refused.status != 0)
    }

    /// An ECDSA JWS signature (r‖s, 32 bytes each) as the DER `SEQUENCE { INTEGER r, INTEGER s }` openssl reads.
    static func derSignature(_ raw: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty { value = [0] }
            if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw[0..<32]) + integer(raw[32..<64])
        return [0x30, UInt8(body.count)] + body
    }

    @Test("1EdTechRevocationList where asked: the OB 3.0 credential points to it and, once revoked, the list names it with its reason")
    func revocationList() async throws {
        let s = try await Self.setUp()
        defer { s.server.stop() }
        let reply = try await Self.issue(s, #", "revocationList": true"#)
        #expect(reply.status == 201, "\(reply.body)")
        let credential = try JSONParser().parse(Array(reply.body.utf8))
        let status = credential["credentialStatus"]?.arrayValue ?? []
        let listURL = "\(s.server.baseURL)/issuers/tu-berlin/revocations"
        #expect(status.contains { $0["type"] == "1EdTechRevocationList" && $0["id"]?.stringValue == listURL }, "\(status)")
        let empty = try JSONParser().parse(Array(try await s.server.request("GET", "/issuers/tu-berlin/revocations").body.utf8))
        #expect(empty["revokedCredentials"]?.arrayValue?.isEmpty == true)
        _ = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(Self.credentialID(reply))/revoke", token: s.f.tuToken,
                                       body: #"{"reason": "plagiarism"}"#)
        let list = try JSONParser().parse(Array(try await s.server.request("GET", "/issuers/tu-berlin/revocations").body.utf8))
        let entries = list["revokedCredentials"]?.arrayValue ?? []
        #expect(entries.count == 1 && entries[0]["id"] == credential["id"] && entries[0]["revocationReason"] == "plagiarism", "\(list)")
        // The achievement behind it is public, as an OB 3.0 Achievement and an OB 2.0 BadgeClass.
        let achievementURL = try #require(credential["credentialSubject"]?["achievement"]?["id"]?.stringValue)
        let achievement = try await s.server.request("GET", String(achievementURL.dropFirst(s.server.baseURL.count)))
        #expect(achievement.status == 200 && achievement.headers["content-type"] == "application/ld+json")
        let badge = try await s.server.request("GET", "/issuers/tu-berlin/ob2/badges/\(s.achievementID)")
        let badgeClass = try JSONParser().parse(Array(badge.body.utf8))
        #expect(badge.status == 200 && badgeClass["type"] == "BadgeClass")
    }

    @Test("refusals: unknown format or algorithm 400; OB 2.0 to a DID, no seal, revocationList off OB 3.0 422 — nothing stored",
          arguments: [
              (#", "format": "ob4""#, #"{"email": "ada@example.org"}"#, 400),
              (#", "format": "ob3-jwt", "algorithm": "HS256""#, #"{"email": "ada@example.org"}"#, 400),
              (#", "algorithm": "ES256""#, #"{"email": "ada@example.org"}"#, 400),
              (#", "format": "ob2-hosted""#, #"{"did": "did:example:learner"}"#, 422),
              (#", "format": "edc-jades""#, #"{"email": "ada@example.org"}"#, 422),
              (#", "format": "ob2-signed", "revocationList": true"#, #"{"email": "ada@example.org"}"#, 422),
              (#", "revocationList": "yes""#, #"{"email": "ada@example.org"}"#, 400),
          ])
    func refusals(fields: String, recipient: String, status: Int) async throws {
        let s = try await Self.setUp(seal: false)
        defer { s.server.stop() }
        let reply = try await Self.issue(s, fields, recipient: recipient)
        #expect(reply.status == status && IssuerAPITests.error(reply) != nil, "\(reply.status) \(reply.body)")
        #expect(try await s.server.storage.credentials.revoked(issuerID: s.f.tu.id, formats: Set(IssuedCredential.Format.allCases)).isEmpty)
        #expect(try await s.server.storage.statusLists.lists(issuerID: s.f.tu.id).isEmpty, "no status entry handed out")
    }
}
