import Foundation
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisLinkedData
import NachweisStatus
import NachweisTestSupport
import NachweisVerifier
import Testing

/// Nachweis and openbadgeslib on one corpus of OB 3.0 credentials made here (`did:key` issuers, so both verify offline):
/// VC-JWT in EdDSA and ES256 and `eddsa-rdfc-2022`, each valid and broken in thirteen ways, for three credential
/// bodies — 117 credentials. Where openbadgeslib gives a verdict, Nachweis gives the same, except the cases listed in
/// `expectedDisagreements`, each explained in docs/verifier.md ("Agreement with openbadgeslib").
@Suite("Agreement with openbadgeslib", .timeLimit(.minutes(3)))
struct AgreementTests {
    struct Case {
        let name: String
        let bytes: [UInt8]
        let key: PrivateKey
    }

    /// Cases where the two differ by design (see docs/verifier.md).
    static let expectedDisagreements: Set<String> = [
        // openbadgeslib's Data Integrity check is the proof alone: it does not read validFrom/validUntil.
        "di/expired", "di/not-yet-valid",
    ]

    static func credential(_ body: Int, issuer: String, validFrom: String, validUntil: String?) -> JSONObject {
        let names = ["Welding I", "Data Literacy for SMEs", "Barrierefreies Webdesign"]
        var credential: JSONObject = [
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": .string("urn:uuid:\(UUID().uuidString.lowercased())"), "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": ["id": .string(issuer), "type": ["Profile"], "name": "Kammer Test"],
            "validFrom": .string(validFrom), "name": .string(names[body]),
            "credentialSubject": ["id": .string("did:example:learner-\(body)"), "type": ["AchievementSubject"],
                                  "achievement": ["id": .string("urn:uuid:\(UUID().uuidString.lowercased())"), "type": ["Achievement"],
                                                  "name": .string(names[body]), "description": "Practical skills", "criteria": ["narrative": "Exam"]]],
        ]
        if let validUntil { credential["validUntil"] = .string(validUntil) }
        return credential
    }

    static func jwt(_ claims: JSONObject, key: PrivateKey, kid: String, algorithm: SignatureAlgorithm, alg: String? = nil) throws -> [UInt8] {
        let header: JSONObject = ["alg": .string(alg ?? algorithm.rawValue), "kid": .string(kid), "typ": "JWT"]
        let input = Base64URL.encode(JSONValue.object(header).compactBytes) + "." + Base64URL.encode(JSONValue.object(claims).compactBytes)
        let signature = alg == "none" ? [] : try key.signature(for: Array(input.utf8), algorithm: algorithm)
        return Array((input + "." + Base64URL.encode(signature)).utf8)
    }

    static func corpus() throws -> [Case] {
        var cases: [Case] = []
        let past = "2020-01-01T00:00:00Z", soon = "2030-01-01T00:00:00Z", future = "2099-01-01T00:00:00Z", now = "2026-01-01T00:00:00Z"
        for body in 0..<3 {
            for (label, kind, algorithm) in [("jwt-eddsa", KeyKind.ed25519, SignatureAlgorithm.eddsa), ("jwt-es256", .ecdsa(.p256), .es256)] {
                let key = try PrivateKey.generate(kind), other = try PrivateKey.generate(kind)
                let did = try DIDKey(publicKey: key.publicKey)
                func claims(_ validFrom: String = now, _ validUntil: String? = nil, change: (inout JSONObject) -> Void = { _ in }) -> JSONObject {
                    var c = credential(body, issuer: did.did, validFrom: validFrom, validUntil: validUntil)
                    c["iss"] = .string(did.did)
                    c["jti"] = c["id"]
                    c["sub"] = .string("did:example:learner-\(body)")
                    c["nbf"] = .number(JSONNumber(Int(RFC3339.parse(validFrom)!.timeIntervalSince1970)))
                    if let validUntil { c["exp"] = .number(JSONNumber(Int(RFC3339.parse(validUntil)!.timeIntervalSince1970))) }
                    change(&c)
                    return c
                }
                let kid = did.verificationMethod
                func add(_ name: String, _ bytes: [UInt8]) { cases.append(Case(name: "\(label)/\(name)#\(body)", bytes: bytes, key: key)) }
                add("valid", try jwt(claims(), key: key, kid: kid, algorithm: algorithm))
                add("valid-until", try jwt(claims(now, soon), key: key, kid: kid, algorithm: algorithm))
                var tampered = String(decoding: try jwt(claims(), key: key, kid: kid, algorithm: algorithm), as: UTF8.self).split(separator: ".").map(String.init)
                var body2 = claims()
                body2["name"] = "Forged"
                tampered[1] = Base64URL.encode(JSONValue.object(body2).compactBytes)
                add("tampered", Array(tampered.joined(separator: ".").utf8))
                add("other-key", try jwt(claims(), key: other, kid: kid, algorithm: algorithm))
                add("expired", try jwt(claims(past, "2021-01-01T00:00:00Z"), key: key, kid: kid, algorithm: algorithm))
                add("not-yet-valid", try jwt(claims(future), key: key, kid: kid, algorithm: algorithm))
                add("jti-mismatch", try jwt(claims { $0["jti"] = "urn:uuid:00000000-0000-4000-8000-000000000000" }, key: key, kid: kid, algorithm: algorithm))
                add("sub-mismatch", try jwt(claims { $0["sub"] = "did:example:mallory" }, key: key, kid: kid, algorithm: algorithm))
                add("iss-mismatch", try jwt(claims { $0["iss"] = "did:example:issuer" }, key: key, kid: kid, algorithm: algorithm))
                var flipped = try jwt(claims(), key: key, kid: kid, algorithm: algorithm)
                flipped[flipped.count - 3] = flipped[flipped.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
                add("signature-flipped", flipped)
                add("alg-none", try jwt(claims(), key: key, kid: kid, algorithm: algorithm, alg: "none"))
                add("exp-past-only", try jwt(claims { $0["exp"] = .number(JSONNumber(1_600_000_000)) }, key: key, kid: kid, algorithm: algorithm))
                add("valid-until-past-only", try jwt(claims(past, "2021-01-01T00:00:00Z") { $0["exp"] = nil }, key: key, kid: kid, algorithm: algorithm))
            }
            // eddsa-rdfc-2022
            let key = try PrivateKey.generate(.ed25519), other = try PrivateKey.generate(.ed25519)
            let did = try DIDKey(publicKey: key.publicKey)
            let integrity = DataIntegrity(processor: JSONLDProcessor(loader: try ShippedContexts.loader()))
            func signed(_ c: JSONObject, with signer: PrivateKey? = nil, purpose: String = "assertionMethod") throws -> JSONObject {
                try integrity.sign(.object(c), key: signer ?? key, options: .init(verificationMethod: did.verificationMethod, proofPurpose: purpose,
                                                                                  created: now)).objectValue!
            }
            func add(_ name: String, _ value: JSONObject) { cases.append(Case(name: "di/\(name)#\(body)", bytes: JSONValue.object(value).compactBytes, key: key)) }
            let base = credential(body, issuer: did.did, validFrom: now, validUntil: nil)
            let valid = try signed(base)
            add("valid", valid)
            add("valid-until", try signed(credential(body, issuer: did.did, validFrom: now, validUntil: soon)))
            var tampered = valid
            tampered["name"] = "Forged"
            add("tampered", tampered)
            add("other-key", try signed(base, with: other))
            add("expired", try signed(credential(body, issuer: did.did, validFrom: past, validUntil: "2021-01-01T00:00:00Z")))
            add("not-yet-valid", try signed(credential(body, issuer: did.did, validFrom: future, validUntil: nil)))
            var flipped = valid
            var proof = flipped["proof"]!.objectValue!
            let value = proof["proofValue"]!.stringValue!
            proof["proofValue"] = .string(String(value.dropLast()) + (value.last == "A" ? "B" : "A"))
            flipped["proof"] = .object(proof)
            add("proof-value-flipped", flipped)
            var added = valid
            added["description"] = "added after signing"
            add("member-added", added)
            var reordered = JSONObject()
            for member in valid.members.reversed() { reordered[member.key] = member.value }
            add("members-reordered", reordered)
            var noProof = valid
            noProof["proof"] = nil
            add("no-proof", noProof)
            var otherMethod = valid
            var methodProof = otherMethod["proof"]!.objectValue!
            methodProof["verificationMethod"] = .string(try DIDKey(publicKey: other.publicKey).verificationMethod)
            otherMethod["proof"] = .object(methodProof)
            add("other-method", otherMethod)
            add("purpose-authentication", try signed(base, purpose: "authentication"))
            var subject = valid
            var credentialSubject = subject["credentialSubject"]!.objectValue!
            credentialSubject["id"] = "did:example:mallory"
            subject["credentialSubject"] = .object(credentialSubject)
            add("subject-changed", subject)
        }
        return cases
    }

    @Test("117 credentials: the same verdict as openbadgeslib wherever it gives one, but for the documented differences")
    func agreement() async throws {
        let corpus = try Self.corpus()
        #expect(corpus.count >= 100)
        let verifier = try Verifier(fetcher: OfflineDocuments())
        var ours: [Bool?] = []
        for item in corpus {
            let report = await verifier.verify(item.bytes, options: .init(at: RFC3339.parse("2026-06-01T00:00:00Z")!))
            ours.append(report.verdict == .valid ? true : report.verdict == .invalid ? false : nil)
        }
        var tasks: [JSONValue] = []
        for item in corpus {
            let pem = JSONValue.string(try item.key.publicKey.pemRepresentation())
            let text = String(decoding: item.bytes, as: UTF8.self)
            tasks.append(item.name.hasPrefix("di/") ? ["op": "obl_verify", "document": try JSONParser().parse(item.bytes), "public_key_pem": pem]
                                                    : ["op": "obl_jwt_verify", "token": .string(text), "public_key_pem": pem])
        }
        let request: JSONValue = ["contexts": [:], "tasks": .array(tasks)]
        let result = try await runProcessOffPool(try TestEnvironment.python(), [TestEnvironment.interopScript("ldp_peer.py")], input: Data(request.compactText.utf8))
        #expect(result.status == 0, "\(result.standardError)")
        let theirs = try JSONParser().parse(Array(result.standardOutput))["results"]?.arrayValue ?? []
        try #require(theirs.count == corpus.count)
        var disagreements: Set<String> = []
        var compared = 0
        for (index, item) in corpus.enumerated() {
            guard let mine = ours[index], let peer = theirs[index]["valid"]?.boolValue else { continue }
            compared += 1
            if mine != peer { disagreements.insert(String(item.name.split(separator: "#")[0])) }
        }
        #expect(compared >= 100, "compared \(compared)")
        let valid = ours.filter { $0 == true }.count, invalid = ours.filter { $0 == false }.count
        print("agreement corpus: \(corpus.count) credentials, \(compared) with a verdict from both; Nachweis \(valid) valid, \(invalid) invalid, \(corpus.count - valid - invalid) inconclusive; disagreements \(disagreements.sorted())")
        #expect(disagreements == Self.expectedDisagreements, "unexplained: \(disagreements.subtracting(Self.expectedDisagreements).sorted()); expected but absent: \(Self.expectedDisagreements.subtracting(disagreements).sorted())")
    }
}

@Suite("Verifier: endorsements", .timeLimit(.minutes(3)))
struct EndorsementTests {
    @Test("endorsements are verified as credentials of their own, to a depth bound; they are reported but do not decide")
    func endorsements() async throws {
        let integrity = DataIntegrity(processor: JSONLDProcessor(loader: try ShippedContexts.loader()))
        func sign(_ value: JSONObject, _ key: PrivateKey) throws -> JSONObject {
            let did = try DIDKey(publicKey: key.publicKey)
            return try integrity.sign(.object(value), key: key, options: .init(verificationMethod: did.verificationMethod, created: "2026-01-01T00:00:00Z")).objectValue!
        }
        let issuerKey = try PrivateKey.generate(.ed25519), endorserKey = try PrivateKey.generate(.ed25519)
        let issuer = try DIDKey(publicKey: issuerKey.publicKey).did, endorser = try DIDKey(publicKey: endorserKey.publicKey).did
        func endorsement(_ about: String) throws -> JSONObject {
            try sign([
                "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                "id": .string("urn:uuid:\(UUID().uuidString.lowercased())"), "type": ["VerifiableCredential", "EndorsementCredential"],
                "issuer": ["id": .string(endorser), "type": ["Profile"], "name": "Akkreditierungsrat"], "validFrom": "2026-01-01T00:00:00Z",
                "name": "Accredited", "credentialSubject": ["id": .string(about), "type": ["EndorsementSubject"], "endorsementComment": "Quality assured"],
            ], endorserKey)
        }
        var good = try endorsement(issuer)
        var forged = try endorsement(issuer)
        forged["name"] = "Forged"
        var credential = AgreementTests.credential(0, issuer: issuer, validFrom: "2026-01-01T00:00:00Z", validUntil: nil)
        credential["endorsement"] = [.object(good)]
        let verifier = try Verifier(fetcher: OfflineDocuments())
        let valid = await verifier.verify(JSONValue.object(try sign(credential, issuerKey)).compactBytes)
        #expect(valid.verdict == .valid && valid.step(.endorsements)?.code == "endorsements.valid", "\(valid.text)")
        credential["endorsement"] = [.object(good), .object(forged)]
        let mixed = await verifier.verify(JSONValue.object(try sign(credential, issuerKey)).compactBytes)
        #expect(mixed.verdict == .valid && mixed.step(.endorsements)?.status == .failed, "a bad endorsement is reported, the credential stands: \(mixed.text)")
        // An endorsement endorsed again and again: followed to the bound, then inconclusive.
        for _ in 0..<4 {
            var next = try endorsement(issuer)
            next["proof"] = nil
            next["endorsement"] = [.object(good)]
            good = try sign(next, endorserKey)
        }
        credential["endorsement"] = [.object(good)]
        let deep = await verifier.verify(JSONValue.object(try sign(credential, issuerKey)).compactBytes, options: .init(endorsementDepth: 2))
        #expect(deep.step(.endorsements)?.status == .inconclusive && deep.verdict == .valid, "\(deep.text)")
    }
}

/// Nachweis and the OB 2.0 validator `openbadges` on OB 2.0 assertions issued by a live Nachweis server (hosted and
/// signed; valid, revoked, tampered, signed by a key the issuer does not own, with the right and a wrong recipient),
/// with the validator's HTTP mocked to that server.
@Suite("Agreement with the OB 2.0 validator", .timeLimit(.minutes(3)))
struct OB2AgreementTests {
    @Test("same verdict as the OB 2.0 validator on every assertion it judges")
    func agreement() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        struct Item { let name: String; let input: String; let bytes: [UInt8]; let recipient: String }
        var items: [Item] = []
        let mallory = try PrivateKey.generate(.rsa(bits: 2048))
        for round in 0..<3 {
            for format in ["ob2-hosted", "ob2-signed"] {
                let issued = try await IssuingFormatTests.issue(s, #", "format": "\#(format)""#)
                let id = IssuingFormatTests.credentialID(issued)
                let input = format == "ob2-hosted" ? try #require(try JSONParser().parse(Array(issued.body.utf8))["id"]?.stringValue) : issued.body
                items.append(Item(name: "\(format)/valid#\(round)", input: input, bytes: Array(issued.body.utf8), recipient: "ada@example.org"))
                items.append(Item(name: "\(format)/other-recipient#\(round)", input: input, bytes: Array(issued.body.utf8), recipient: "eve@example.org"))
                if format == "ob2-signed" {
                    let parts = issued.body.split(separator: ".").map(String.init)
                    var claims = try #require(try JSONParser().parse(try Base64URL.decode(parts[1])).objectValue)
                    claims["issuedOn"] = "2020-01-01T00:00:00Z"
                    let tampered = "\(parts[0]).\(Base64URL.encode(JSONValue.object(claims).compactBytes)).\(parts[2])"
                    items.append(Item(name: "\(format)/tampered#\(round)", input: tampered, bytes: Array(tampered.utf8), recipient: "ada@example.org"))
                    let input = "\(parts[0]).\(parts[1])"
                    let forged = input + "." + Base64URL.encode(try mallory.signature(for: Array(input.utf8), algorithm: .rs256))
                    items.append(Item(name: "\(format)/other-key#\(round)", input: forged, bytes: Array(forged.utf8), recipient: "ada@example.org"))
                }
                if round == 2 {
                    _ = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(id)/revoke", token: s.f.tuToken)
                    items.append(Item(name: "\(format)/revoked#\(round)", input: input, bytes: Array(issued.body.utf8), recipient: "ada@example.org"))
                }
            }
        }
        let fetcher = VerifierTests.LiveFetcher(port: s.server.port)
        let verifier = try Verifier(fetcher: fetcher)
        var ours: [VerificationReport.Verdict] = []
        for item in items {
            ours.append(await verifier.verify(item.bytes, options: .init(recipient: .email(item.recipient))).verdict)
        }
        let theirs = try await IssuingFormatTests.ob2Validator(items.map { ["input": .string($0.input), "recipient": .string($0.recipient)] })
        try #require(theirs.count == items.count)
        var disagreements: [String] = []
        for (index, item) in items.enumerated() where ours[index] != .inconclusive {
            let peerValid = theirs[index]["valid"] == true
            if (ours[index] == .valid) != peerValid { disagreements.append("\(item.name): Nachweis \(ours[index].rawValue), validator \(peerValid ? "valid" : "invalid") \(theirs[index]["errors"] ?? .null)") }
        }
        #expect(items.count >= 20 && !ours.contains(.inconclusive), "\(ours)")
        #expect(disagreements.isEmpty, "\(disagreements)")
    }
}

/// The steps of the Europass and OB 2.0 pipelines, case by case: credentials issued by a live server, then re-sealed
/// or re-signed with the development keys after a change, so that each case breaks one thing.
@Suite("Verifier: Europass and OB 2.0 step table", .timeLimit(.minutes(3)))
struct StepTableTests {
    static func seal(_ payload: [UInt8], header: JSONObject) throws -> [UInt8] {
        let key = try IssuingFormatTests.key("seal-p256.key")
        let jws = try JWSSigner.sign(payload: payload, key: key, algorithm: .es256, header: header, unencodedPayload: true)
        return Array(try JWSJSONSerialization(signatures: [jws]).serialized().utf8)
    }

    @Test("Europass: thumbprint mismatch, no certificate, forbidden algorithm, unknown critical header, a certificate without non-repudiation, expired credential")
    func europass() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let devCA = try CertificateChainValidator(trustAnchorDirectory: TestEnvironment.repositoryRoot.appendingPathComponent("Keys/trust-anchors").path).trustAnchors
        let verifier = try Verifier(fetcher: VerifierTests.LiveFetcher(port: s.server.port), trustAnchors: devCA)
        let issued = try await IssuingFormatTests.issue(s, #", "format": "edc-jades""#)
        let envelope = try JAdESEnvelope(bytes: Array(issued.body.utf8))
        let header = envelope.header.members
        let payload = Array(envelope.payloadText.utf8)
        let resealed = try Self.seal(payload, header: Self.strip(header))
        VerifierTests.expect(await verifier.verify(resealed), .valid, .proof, code: "seal.valid", "re-sealed as issued")
        var wrongThumbprint = Self.strip(header)
        wrongThumbprint["x5t#S256"] = .string(Base64URL.encode([UInt8](repeating: 7, count: 32)))
        VerifierTests.expect(await verifier.verify(try Self.seal(payload, header: wrongThumbprint)), .invalid, .proof, code: "seal.thumbprint_mismatch", "x5t#S256")
        var noCertificate = Self.strip(header)
        noCertificate["x5c"] = nil
        noCertificate["x5t#S256"] = nil
        VerifierTests.expect(await verifier.verify(try Self.seal(payload, header: noCertificate)), .invalid, .proof, code: "seal.no_certificate", "no x5c")
        var unknownCritical = Self.strip(header)
        unknownCritical["crit"] = ["sigT", "exp-2030"]
        unknownCritical["exp-2030"] = true
        VerifierTests.expect(await verifier.verify(try Self.seal(payload, header: unknownCritical)), .invalid, .proof, code: "seal.critical_header_refused", "unknown crit")
        // alg none: the protected header says none, no signature.
        var none = Self.strip(header)
        none["alg"] = "none"
        none["b64"] = false
        none["crit"] = ["b64", "sigT"]
        let protected = Base64URL.encode(JSONValue.object(none).compactBytes)
        let unsigned = JSONValue.object(["payload": .string(envelope.payloadText), "signatures": [["protected": .string(protected), "signature": ""]]]).compactBytes
        VerifierTests.expect(await verifier.verify(unsigned), .invalid, .proof, code: "seal.algorithm_refused", "alg none")
        // Sealed with the development CA's own key and certificate: chains (it is the anchor) but may not seal.
        let caKey = try IssuingFormatTests.key("dev-ca.key")
        let caCertificate = try #require(try Certificate.parsePEM(String(contentsOf: TestEnvironment.repositoryRoot
            .appendingPathComponent("Keys/trust-anchors/nachweis-dev-ca.pem"), encoding: .utf8)).first)
        var caHeader = Self.strip(header)
        caHeader["x5c"] = [.string(Data(caCertificate.derRepresentation).base64EncodedString())]
        caHeader["x5t#S256"] = .string(caCertificate.x5tS256)
        let caJWS = try JWSSigner.sign(payload: payload, key: caKey, algorithm: .es256, header: caHeader, unencodedPayload: true)
        let caSealed = Array(try JWSJSONSerialization(signatures: [caJWS]).serialized().utf8)
        VerifierTests.expect(await verifier.verify(caSealed), .invalid, .issuerKey, code: "seal.key_usage", "a CA certificate as seal")
        // An expired credential, properly sealed.
        var credential = try #require(try JSONParser().parse(payload).objectValue)
        credential["validUntil"] = "2026-01-02T00:00:00Z"
        credential["validFrom"] = "2026-01-01T00:00:00Z"
        credential["issued"] = "2026-01-01T00:00:00Z"
        VerifierTests.expect(await verifier.verify(try Self.seal(JSONValue.object(credential).compactBytes, header: Self.strip(header))), .invalid, .validity,
                             code: "validity.expired", "expired EDC")
    }

    /// The header without what JWSSigner sets itself (`alg`, `b64`, `crit` for b64 — `sigT` stays critical).
    static func strip(_ header: JSONObject) -> JSONObject {
        var result = JSONObject()
        for member in header where !["alg", "b64", "crit"].contains(member.key) { result[member.key] = member.value }
        result["crit"] = ["sigT"]
        return result
    }

    @Test("OB 2.0 signed: expired, expiring before issued, issued in the future, a key that is not the issuer's")
    func ob2() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let verifier = try Verifier(fetcher: VerifierTests.LiveFetcher(port: s.server.port))
        let issued = try await IssuingFormatTests.issue(s, #", "format": "ob2-signed""#)
        let parts = issued.body.split(separator: ".").map(String.init)
        let assertion = try #require(try JSONParser().parse(try Base64URL.decode(parts[1])).objectValue)
        let rsa = try IssuingFormatTests.key("issuer-rsa3072.pem")
        func resigned(_ change: (inout JSONObject) -> Void, key: PrivateKey? = nil) throws -> [UInt8] {
            var changed = assertion
            change(&changed)
            let input = parts[0] + "." + Base64URL.encode(JSONValue.object(changed).compactBytes)
            return Array((input + "." + Base64URL.encode(try (key ?? rsa).signature(for: Array(input.utf8), algorithm: .rs256))).utf8)
        }
        VerifierTests.expect(await verifier.verify(try resigned { _ in }), .valid, .proof, code: "proof.valid", "re-signed as issued")
        VerifierTests.expect(await verifier.verify(try resigned { $0["expires"] = "2020-01-01T00:00:00Z"; $0["issuedOn"] = "2019-01-01T00:00:00Z" }),
                             .invalid, .validity, code: "validity.expired", "expired")
        VerifierTests.expect(await verifier.verify(try resigned { $0["issuedOn"] = "2099-01-01T00:00:00Z" }), .invalid, .validity,
                             code: "validity.not_yet_valid", "issued in the future")
        VerifierTests.expect(await verifier.verify(try resigned({ _ in }, key: try PrivateKey.generate(.rsa(bits: 2048)))), .invalid, .proof,
                             code: "proof.signature_invalid", "another key")
        VerifierTests.expect(await verifier.verify(try resigned { $0["verification"] = ["type": "SignedBadge", "creator": "https://elsewhere.example/key.json"] }),
                             .inconclusive, .proof, code: "proof.key_unavailable", "a key document out of reach")
    }
}

@Suite("Verifier: StatusList2021", .timeLimit(.minutes(3)))
struct StatusList2021Tests {
    @Test("a StatusList2021 entry is checked like a Bitstring one (its encodedList has no multibase prefix)")
    func legacyList() async throws {
        let integrity = DataIntegrity(processor: JSONLDProcessor(loader: try ShippedContexts.loader()))
        let key = try PrivateKey.generate(.ed25519)
        let did = try DIDKey(publicKey: key.publicKey)
        func sign(_ value: JSONObject) throws -> JSONValue {
            try integrity.sign(.object(value), key: key, options: .init(verificationMethod: did.verificationMethod, created: "2026-01-01T00:00:00Z"))
        }
        var credential = AgreementTests.credential(0, issuer: did.did, validFrom: "2026-01-01T00:00:00Z", validUntil: nil)
        // StatusList2021 belongs to VC 1.1 (its context redefines terms VC 2.0 protects).
        credential["@context"] = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                                  "https://w3id.org/vc/status-list/2021/v1", "https://w3id.org/security/data-integrity/v2"]
        credential["validFrom"] = nil
        credential["issuanceDate"] = "2026-01-01T00:00:00Z"
        credential["credentialStatus"] = ["id": "https://status.example/2021#5", "type": "StatusList2021Entry", "statusPurpose": "revocation",
                                          "statusListIndex": "5", "statusListCredential": "https://status.example/2021"]
        let signed = try sign(credential)
        func list(revoked: Bool) throws -> [UInt8] {
            var bits = Bitstring(size: 131_072)
            bits[5] = revoked
            let list: JSONObject = [
                "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/vc/status-list/2021/v1",
                             "https://w3id.org/security/data-integrity/v2"], "id": "https://status.example/2021",
                "type": ["VerifiableCredential", "StatusList2021Credential"], "issuer": .string(did.did), "issuanceDate": "2026-01-01T00:00:00Z",
                "credentialSubject": ["id": "https://status.example/2021#list", "type": "StatusList2021", "statusPurpose": "revocation",
                                      "encodedList": .string(String(bits.encoded.dropFirst()))],
            ]
            return try sign(list).compactBytes
        }
        for (revoked, verdict, code) in [(false, VerificationReport.Verdict.valid, "status.not_set"), (true, .invalid, "status.revoked")] {
            let verifier = try Verifier(fetcher: OfflineDocuments(["https://status.example/2021": try list(revoked: revoked)]))
            let report = await verifier.verify(signed.compactBytes)
            #expect(report.verdict == verdict && report.step(.revocation)?.code == code, "\(report.text)")
        }
    }
}
