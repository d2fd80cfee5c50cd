import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NachweisCrypto
import NachweisDocuments
import NachweisJSON
import NachweisLinkedData
import NachweisStatus
import NachweisTestSupport
import NachweisServer
import NachweisVerifier
import Testing

/// The verifier against credentials a live Nachweis server issued: one verdict per case, for OB 3.0 with Data
/// Integrity and as VC-JWT in three algorithms. Documents come from the live server through a fetcher that can also
/// make them unreachable or tamper with them.
@Suite("Verifier", .timeLimit(.minutes(3)))
struct VerifierTests {
    /// Fetches from the live server (did:web names https; the test server speaks http on 127.0.0.1), optionally
    /// failing or rewriting documents.
    struct LiveFetcher: DocumentFetcher {
        let port: Int
        var unreachable: @Sendable (String) -> Bool = { _ in false }
        var rewrite: @Sendable (String, [UInt8]) -> [UInt8] = { $1 }

        func fetch(_ url: String) async throws(FetchError) -> FetchedDocument {
            guard !unreachable(url) else { throw FetchError(.unavailable, "\(url): connection refused (test)") }
            let http = url.replacingOccurrences(of: "https://127.0.0.1:\(port)", with: "http://127.0.0.1:\(port)")
            guard http.hasPrefix("http://127.0.0.1:\(port)/"), let target = URL(string: http) else {
                throw FetchError(.unavailable, "\(url) is not on the test server")
            }
            do {
                let (data, response) = try await TestHTTP.data(from: target)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                guard status == 200 || status == 410 else { throw FetchError(.notFound, "\(url): \(status)") }
                return FetchedDocument(url: url, bytes: rewrite(url, Array(data)), status: status)
            } catch let error as FetchError {
                throw error
            } catch {
                throw FetchError(.unavailable, "\(url): \(error)")
            }
        }

        /// A host that changes the bits of every status list it serves (all clear → bit 7 set), signature kept.
        static func tamperingStatusLists(port: Int) -> LiveFetcher {
            var fetcher = LiveFetcher(port: port)
            fetcher.rewrite = { url, bytes in
                guard url.contains("/status/"), var list = try? JSONParser().parse(bytes).objectValue,
                      var subject = list["credentialSubject"]?.objectValue else { return bytes }
                var bits = Bitstring(size: 131_072)
                bits[7] = true
                subject["encodedList"] = .string(bits.encoded)
                list["credentialSubject"] = .object(subject)
                return JSONValue.object(list).compactBytes
            }
            return fetcher
        }
    }

    static let formats: [(String, String)] = [("ob3-di", ""), ("ob3-jwt", "EdDSA"), ("ob3-jwt", "ES256"), ("ob3-jwt", "RS256")]

    static func issue(_ s: IssuingFormatTests.Setup, _ format: String, _ algorithm: String, recipient: String = #"{"email": "Ada@Example.org"}"#)
        async throws -> (bytes: [UInt8], id: String) {
        let fields = algorithm.isEmpty ? #", "format": "\#(format)""# : #", "format": "\#(format)", "algorithm": "\#(algorithm)""#
        let reply = try await IssuingFormatTests.issue(s, fields, recipient: recipient)
        #expect(reply.status == 201, "\(reply.body)")
        return (Array(reply.body.utf8), IssuingFormatTests.credentialID(reply))
    }

    static func verify(_ bytes: [UInt8], _ fetcher: LiveFetcher, at: Date = Date(), recipient: Verifier.Recipient? = nil) async throws -> VerificationReport {
        try await Verifier(fetcher: fetcher).verify(bytes, options: .init(at: at, recipient: recipient))
    }

    static func expect(_ report: VerificationReport, _ verdict: VerificationReport.Verdict, _ check: VerificationReport.Check? = nil,
                       code: String? = nil, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(report.verdict == verdict, "\(label): \(report.text)", sourceLocation: sourceLocation)
        if let check, let code {
            #expect(report.steps.contains { $0.check == check && $0.code == code }, "\(label): expected \(check.rawValue) \(code)\n\(report.text)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("valid, recipient, tampered, not yet valid, revoked, suspended — for each format", arguments: formats)
    func lifecycle(format: String, algorithm: String) async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let fetcher = LiveFetcher(port: s.server.port)
        let (credential, id) = try await Self.issue(s, format, algorithm)
        let label = "\(format) \(algorithm)"

        let valid = try await Self.verify(credential, fetcher)
        Self.expect(valid, .valid, .proof, code: "proof.valid", label)
        #expect(valid.step(.microCredential)?.status == .passed, "all mandatory EU elements: \(valid.text)")
        Self.expect(try await Self.verify(credential, fetcher, recipient: .email("ada@example.org")), .valid, .recipient, code: "recipient.match", label)
        Self.expect(try await Self.verify(credential, fetcher, recipient: .email("eve@example.org")), .invalid, .recipient, code: "recipient.mismatch", label)
        Self.expect(try await Self.verify(credential, fetcher, at: Date(timeIntervalSinceNow: -86_400)), .invalid, .validity,
                    code: "validity.not_yet_valid", label)

        // Tampered: the achievement's name changed after signing.
        let tampered = try Self.tamper(credential) { text in text.replacingOccurrences(of: "Data Literacy for SMEs", with: "Data Literacy for CEOs") }
        Self.expect(try await Self.verify(tampered, fetcher), .invalid, .proof, code: format == "ob3-di" ? "proof.proof_invalid" : "proof.signature_invalid", label)

        // Suspended, then reinstated, then revoked.
        let base = "/api/v1/issuers/tu-berlin/credentials/\(id)"
        _ = try await s.server.request("POST", base + "/suspend", token: s.f.tuToken)
        Self.expect(try await Self.verify(credential, fetcher), .invalid, .suspension, code: "status.suspended", label)
        _ = try await s.server.request("POST", base + "/reinstate", token: s.f.tuToken)
        Self.expect(try await Self.verify(credential, fetcher), .valid, .suspension, code: "status.not_set", label)
        _ = try await s.server.request("POST", base + "/revoke", token: s.f.tuToken)
        Self.expect(try await Self.verify(credential, fetcher), .invalid, .revocation, code: "status.revoked", label)
    }

    @Test("status lists unreachable, tampered or of an unknown type, and a DID document out of reach: inconclusive, never valid",
          arguments: formats)
    func inconclusive(format: String, algorithm: String) async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let (credential, _) = try await Self.issue(s, format, algorithm)
        let label = "\(format) \(algorithm)"
        var down = LiveFetcher(port: s.server.port)
        down.unreachable = { $0.contains("/status/") }
        Self.expect(try await Self.verify(credential, down), .inconclusive, .revocation, code: "status.list_unavailable", label)

        // A list whose bits were changed by the host (all clear → one set) no longer verifies: inconclusive.
        let tampering = LiveFetcher.tamperingStatusLists(port: s.server.port)
        Self.expect(try await Self.verify(credential, tampering), .inconclusive, .revocation, code: "status.list_signature_invalid", label)

        var noDID = LiveFetcher(port: s.server.port)
        noDID.unreachable = { $0.hasSuffix("/did.json") }
        Self.expect(try await Self.verify(credential, noDID), .inconclusive, .proof, code: "proof.key_unavailable", label)
    }

    @Test("an unknown status type is inconclusive; a 1EdTechRevocationList entry is checked too")
    func otherStatusTypes() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let fetcher = LiveFetcher(port: s.server.port)
        // Re-signed with an unknown status type added, by the issuer's own key: the proof holds, the status cannot be told.
        let (credential, _) = try await Self.issue(s, "ob3-jwt", "EdDSA")
        let key = try IssuingFormatTests.key("issuer-ed25519.pem")
        let resigned = try Self.resign(credential, key: key) { claims in
            var status = claims["credentialStatus"]?.arrayValue ?? []
            status.append(["id": "https://status.example/1", "type": "ExampleStatusMethod2030"])
            claims["credentialStatus"] = .array(status)
        }
        Self.expect(try await Self.verify(resigned, fetcher), .inconclusive, .status, code: "status.unknown_type", "unknown type")
        // The same for Data Integrity: the entry added and the proof made again with the issuer's key.
        let (di, _) = try await Self.issue(s, "ob3-di", "")
        var object = try #require(try JSONParser().parse(di).objectValue)
        var options = try #require(object["proof"]?.objectValue)
        object["proof"] = nil
        options["proofValue"] = nil
        var diStatus = object["credentialStatus"].map { $0.arrayValue ?? [$0] } ?? []
        // An absolute IRI as type: the signer refuses terms no context defines (they would not be signed).
        diStatus.append(["id": "https://status.example/1", "type": "https://status.example/ns#ExampleStatusMethod2030"])
        object["credentialStatus"] = .array(diStatus)
        let signer = DataIntegrity(processor: JSONLDProcessor(loader: try ShippedContexts.loader()))
        let diResigned = try signer.sign(.object(object), key: key, proofOptions: options).compactBytes
        Self.expect(try await Self.verify(diResigned, fetcher), .inconclusive, .status, code: "status.unknown_type", "Data Integrity, unknown type")

        let listed = try await IssuingFormatTests.issue(s, #", "revocationList": true"#)
        let listedBytes = Array(listed.body.utf8)
        Self.expect(try await Self.verify(listedBytes, fetcher), .valid, .revocation, code: "status.not_listed", "1EdTech list")
        _ = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(IssuingFormatTests.credentialID(listed))/revoke", token: s.f.tuToken)
        let revoked = try await Self.verify(listedBytes, fetcher)
        #expect(revoked.verdict == .invalid && revoked.steps.filter { $0.code == "status.revoked" }.count == 2, "\(revoked.text)")
    }

    @Test("VC-JWT attacks: claims disagreeing with the body, alg none, HS256 keyed with the public key, an embedded jwk of another key, a key not in the DID document")
    func jwtAttacks() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let fetcher = LiveFetcher(port: s.server.port)
        let (credential, _) = try await Self.issue(s, "ob3-jwt", "EdDSA", recipient: #"{"did": "did:example:learner-1"}"#)
        let key = try IssuingFormatTests.key("issuer-ed25519.pem")

        let wrongJTI = try Self.resign(credential, key: key) { $0["jti"] = "urn:uuid:00000000-0000-4000-8000-000000000000" }
        Self.expect(try await Self.verify(wrongJTI, fetcher), .invalid, .claims, code: "claims.disagree", "jti")
        let wrongSub = try Self.resign(credential, key: key) { $0["sub"] = "did:example:mallory" }
        Self.expect(try await Self.verify(wrongSub, fetcher), .invalid, .claims, code: "claims.disagree", "sub")
        let wrongISS = try Self.resign(credential, key: key) { $0["iss"] = "did:web:evil.example" }
        Self.expect(try await Self.verify(wrongISS, fetcher), .invalid, .claims, code: "claims.disagree", "iss")

        let parts = String(decoding: credential, as: UTF8.self).split(separator: ".").map(String.init)
        let header = try JSONParser().parse(try Base64URL.decode(parts[0]))
        func withHeader(_ change: (inout JSONObject) -> Void, signature: (String) throws -> String) throws -> [UInt8] {
            var object = try #require(header.objectValue)
            change(&object)
            let protected = Base64URL.encode(JSONValue.object(object).compactBytes)
            return Array("\(protected).\(parts[1]).\(try signature(protected + "." + parts[1]))".utf8)
        }
        let none = try withHeader({ $0["alg"] = "none" }, signature: { _ in "" })
        Self.expect(try await Self.verify(none, fetcher), .invalid, .proof, code: "proof.algorithm_refused", "alg none")
        let publicDER = Array(try key.publicKey.pemRepresentation().utf8)
        let hs256 = try withHeader({ $0["alg"] = "HS256" }, signature: { input in Base64URL.encode(DigestAlgorithm.sha256.hmac(key: publicDER, data: Array(input.utf8))) })
        Self.expect(try await Self.verify(hs256, fetcher), .invalid, .proof, code: "proof.algorithm_refused", "HS256 with the public key")

        // An attacker signs with their own key and embeds it (and names the issuer's kid): refused.
        let mallory = try PrivateKey.generate(.ed25519)
        let substituted = try withHeader({ $0["jwk"] = try! JWK(publicKey: mallory.publicKey).json }, signature: { input in
            Base64URL.encode(try mallory.signature(for: Array(input.utf8), algorithm: .eddsa))
        })
        Self.expect(try await Self.verify(substituted, fetcher), .invalid, .proof, code: "proof.embedded_key_substituted", "embedded jwk")
        // The attacker's key named in kid on the issuer's DID: the DID document does not list it.
        let foreignKid = try withHeader({ $0["kid"] = .string("did:web:127.0.0.1%3A\(s.server.port):issuers:tu-berlin#mallory") }, signature: { input in
            Base64URL.encode(try mallory.signature(for: Array(input.utf8), algorithm: .eddsa))
        })
        Self.expect(try await Self.verify(foreignKid, fetcher), .invalid, .proof, code: "proof.key_refused", "kid not in the DID document")
        // The right kid, the wrong key's signature.
        let wrongKey = try withHeader({ _ in }, signature: { input in Base64URL.encode(try mallory.signature(for: Array(input.utf8), algorithm: .eddsa)) })
        Self.expect(try await Self.verify(wrongKey, fetcher), .invalid, .proof, code: "proof.signature_invalid", "wrong key")
    }

    @Test("OB 2.0 hosted and signed: valid, recipient, revoked (410 / revocation list), tampered, key out of reach")
    func ob2() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let fetcher = LiveFetcher(port: s.server.port)
        for format in ["ob2-hosted", "ob2-signed"] {
            let (credential, id) = try await Self.issue(s, format, "")
            Self.expect(try await Self.verify(credential, fetcher), .valid, .issuerKey, code: format == "ob2-signed" ? "issuer_key.owned" : "issuer_key.same_origin", format)
            Self.expect(try await Self.verify(credential, fetcher, recipient: .email("ADA@example.org")), .valid, .recipient, code: "recipient.match", format)
            Self.expect(try await Self.verify(credential, fetcher, recipient: .email("eve@example.org")), .invalid, .recipient, code: "recipient.mismatch", format)
            let tampered = try Self.tamper(credential) { $0.replacingOccurrences(of: "2026-", with: "2025-") }
            Self.expect(try await Self.verify(tampered, fetcher), .invalid, .proof, code: format == "ob2-signed" ? "proof.signature_invalid" : "proof.hosted_mismatch", format)
            var noKeys = LiveFetcher(port: s.server.port)
            noKeys.unreachable = { $0.contains("/ob2/keys/") || $0.contains("/ob2/assertions/") }
            #expect(try await Self.verify(credential, noKeys).verdict == .inconclusive, "\(format) without its documents")
            _ = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(id)/revoke", token: s.f.tuToken)
            Self.expect(try await Self.verify(credential, fetcher), .invalid, .revocation, code: "status.revoked", format)
        }
    }

    @Test("the OB 2.0 validator's samples get the verdicts its README and file names give: signed (key1; revoked with key3; key2), hosted, allowed origins and startsWith",
          arguments: [("simple.jwt", VerificationReport.Verdict.valid), ("simple-revoked.jwt", .invalid), ("simple-not-revoked.jwt", .valid),
                      ("basic-assertion.json", .valid), ("basic-assertion-with-allowed-origins.json", .valid),
                      ("basic-assertion-with-allowed-origins-valid-starts-with.json", .valid),
                      ("basic-assertion-with-allowed-origins-valid-multiple-starts-with.json", .valid),
                      ("basic-assertion-with-allowed-origins-invalid-starts-with.json", .invalid),
                      ("basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json", .invalid)])
    func ob2Samples(file: String, verdict: VerificationReport.Verdict) async throws {
        let folder = try TestEnvironment.reference("openbadges/ob2/validator-samples")
        // The samples' documents, by their ids and by the URLs that name them (example.org/<file>, http and https).
        var documents: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("assets").path) where name.hasSuffix(".json") {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent("assets/\(name)")))
            documents["https://example.org/\(name)"] = bytes
            documents["http://example.org/\(name)"] = bytes
            if let id = (try? JSONParser().parse(bytes))?["id"]?.stringValue, documents[id] == nil { documents[id] = bytes }
        }
        let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
        if let id = (try? JSONParser().parse(bytes))?["id"]?.stringValue { documents[id] = bytes }  // a hosted assertion is served at its id
        // Validated at a time inside the samples' window (they are from 2016–2017 and some expire).
        let report = await (try Verifier(fetcher: OfflineDocuments(documents))).verify(bytes, options: .init(at: RFC3339.parse("2017-06-01T00:00:00Z")!))
        #expect(report.verdict == verdict, "\(file): \(report.text)")
    }

    static func anchors(_ path: String) throws -> [Certificate] {
        try CertificateChainValidator(trustAnchorDirectory: path).trustAnchors
    }

    @Test("Europass samples: valid at their sigT with the ANF eSeal CA as anchor; at today's date the expired seal certificate is its own failed step; no anchor: inconclusive",
          arguments: ["Sample-MC-Annex1-signed.jsonld", "Sample-CertOfPart-signed.jsonld"])
    func europassSamples(file: String) async throws {
        let sample = Array(try Data(contentsOf: try TestEnvironment.reference("europass/elm-v3/samples/\(file)")))
        let anf = try TestEnvironment.reference("europass/derived/sample-seal-certs/xVals2_ANF_AC_Qualified_Certificates_for_eSeal.pem")
        let anchor = try Certificate.parsePEM(String(contentsOf: anf, encoding: .utf8))
        let header = try #require(try JAdESEnvelope(bytes: sample).signingTime)
        let sigT = try #require(RFC3339.parse(header))
        let verifier = try Verifier(fetcher: OfflineDocuments(), trustAnchors: anchor)
        let atSigning = await verifier.verify(sample, options: .init(at: sigT))
        Self.expect(atSigning, .valid, .issuerKey, code: "seal.chain_trusted", "\(file) at sigT")
        #expect(atSigning.steps.contains { $0.details["europassCheck"] == "SEAL" && $0.status == .passed })
        let today = await verifier.verify(sample, options: .init(at: Date()))
        Self.expect(today, .invalid, .validity, code: "seal.certificate_expired", "\(file) today")
        #expect(today.step(.proof)?.status == .passed, "the seal itself still verifies")
        let untrusted = await (try Verifier(fetcher: OfflineDocuments())).verify(sample, options: .init(at: sigT))
        Self.expect(untrusted, .inconclusive, .issuerKey, code: "seal.no_trust_anchors", "\(file) without anchors")
        // Accreditation: the seal certificate listed in a registry.
        let leaf = try #require(try JAdESEnvelope(bytes: sample).header.certificateChainDER()?.first)
        let registry = IssuerRegistry(entries: [.init(certificateSHA256: Hex.encode(DigestAlgorithm.sha256.hash(leaf)), name: "ORGANIZACION TEST")])
        let accredited = await (try Verifier(fetcher: OfflineDocuments(), trustAnchors: anchor, registry: registry)).verify(sample, options: .init(at: sigT))
        #expect(accredited.verdict == .valid && accredited.step(.trust)?.code == "trust.listed"
                && accredited.step(.trust)?.details["europassCheck"] == "ACCREDITATION", "\(accredited.text)")
        let devCA = try Self.anchors(TestEnvironment.repositoryRoot.appendingPathComponent("Keys/trust-anchors").path)
        let wrongAnchor = await (try Verifier(fetcher: OfflineDocuments(), trustAnchors: devCA)).verify(sample, options: .init(at: sigT))
        Self.expect(wrongAnchor, .inconclusive, .issuerKey, code: "seal.untrusted", "\(file) with another CA")
    }

    @Test("Europass EDC issued here: valid with the development CA as anchor; tampered, suspended, revoked: invalid")
    func europassIssued() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let devCA = try Self.anchors(TestEnvironment.repositoryRoot.appendingPathComponent("Keys/trust-anchors").path)
        let verifier = try Verifier(fetcher: LiveFetcher(port: s.server.port), trustAnchors: devCA)
        let (credential, id) = try await Self.issue(s, "edc-jades", "")
        let valid = await verifier.verify(credential)
        Self.expect(valid, .valid, .issuerKey, code: "seal.chain_trusted", "EDC")
        #expect(valid.step(.microCredential)?.status == .passed, "\(valid.text)")
        let tampered = Array(String(decoding: credential, as: UTF8.self).replacingOccurrences(of: "Data Literacy for SMEs", with: "Data Literacy for CEOs").utf8)
        Self.expect(await verifier.verify(tampered), .invalid, .proof, code: "seal.signature_invalid", "EDC tampered")
        _ = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(id)/suspend", token: s.f.tuToken)
        Self.expect(await verifier.verify(credential), .invalid, .suspension, code: "status.suspended", "EDC suspended")
        _ = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(id)/revoke", token: s.f.tuToken)
        Self.expect(await verifier.verify(credential), .invalid, .revocation, code: "status.revoked", "EDC revoked")
    }

    @Test("OB 2.0 table: wrong key, expired, not yet valid, revocation list unreachable, alg none, HS256 keyed with the public key, an embedded jwk (signed); not yet valid (hosted)")
    func ob2Table() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let fetcher = LiveFetcher(port: s.server.port)
        let (signed, _) = try await Self.issue(s, "ob2-signed", "")
        let rsa = try IssuingFormatTests.key("issuer-rsa3072.pem")
        let mallory = try PrivateKey.generate(.rsa(bits: 2048))

        Self.expect(try await Self.verify(try Self.resign(signed, key: rsa, algorithm: .rs256) { _ in }, fetcher), .valid, .proof, code: "proof.valid",
                    "re-signed by the issuer: the helper itself keeps a valid assertion valid")
        Self.expect(try await Self.verify(try Self.resign(signed, key: mallory, algorithm: .rs256) { _ in }, fetcher), .invalid, .proof,
                    code: "proof.signature_invalid", "OB 2.0 signed by another key")
        let tomorrow = RFC3339.format(Date(timeIntervalSinceNow: 86_400))
        let expiring = try Self.resign(signed, key: rsa, algorithm: .rs256) { $0["expires"] = .string(tomorrow) }
        Self.expect(try await Self.verify(expiring, fetcher), .valid, .validity, code: "validity.current", "OB 2.0 before its expiry")
        Self.expect(try await Self.verify(expiring, fetcher, at: Date(timeIntervalSinceNow: 2 * 86_400)), .invalid, .validity,
                    code: "validity.expired", "OB 2.0 expired")
        for format in ["ob2-signed", "ob2-hosted"] {
            let (credential, _) = try await Self.issue(s, format, "")
            Self.expect(try await Self.verify(credential, fetcher, at: Date(timeIntervalSinceNow: -86_400)), .invalid, .validity,
                        code: "validity.not_yet_valid", "\(format) not yet valid")
        }
        var noList = LiveFetcher(port: s.server.port)
        noList.unreachable = { $0.contains("/ob2/revocations") }
        Self.expect(try await Self.verify(signed, noList), .inconclusive, .revocation, code: "status.list_unavailable", "OB 2.0 revocation list unreachable")

        let parts = String(decoding: signed, as: UTF8.self).split(separator: ".").map(String.init)
        let header = try #require(try JSONParser().parse(try Base64URL.decode(parts[0])).objectValue)
        func withHeader(_ change: (inout JSONObject) -> Void, signature: (String) throws -> String) throws -> [UInt8] {
            var object = header
            change(&object)
            let protected = Base64URL.encode(JSONValue.object(object).compactBytes)
            return Array("\(protected).\(parts[1]).\(try signature(protected + "." + parts[1]))".utf8)
        }
        Self.expect(try await Self.verify(try withHeader({ $0["alg"] = "none" }, signature: { _ in "" }), fetcher), .invalid, .proof,
                    code: "proof.algorithm_refused", "OB 2.0 alg none")
        let publicPEM = Array(try rsa.publicKey.pemRepresentation().utf8)
        let hs256 = try withHeader({ $0["alg"] = "HS256" }, signature: { Base64URL.encode(DigestAlgorithm.sha256.hmac(key: publicPEM, data: Array($0.utf8))) })
        Self.expect(try await Self.verify(hs256, fetcher), .invalid, .proof, code: "proof.algorithm_refused", "OB 2.0 HS256 keyed with the public key")
        let jwk = try withHeader({ $0["jwk"] = try! JWK(publicKey: mallory.publicKey).json }, signature: {
            Base64URL.encode(try mallory.signature(for: Array($0.utf8), algorithm: .rs256))
        })
        let substituted = try await Self.verify(jwk, fetcher)
        #expect(substituted.verdict == .invalid && substituted.step(.proof)?.status == .failed, "OB 2.0 embedded jwk: \(substituted.text)")
    }

    @Test("Europass EDC table: wrong key, a thumbprint of another certificate, expired, not yet valid, recipient, status list unreachable or tampered, unknown status type, alg none, HS256 keyed with the public key, an embedded jwk")
    func europassTable() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let devCA = try Self.anchors(TestEnvironment.repositoryRoot.appendingPathComponent("Keys/trust-anchors").path)
        func verifier(_ fetcher: LiveFetcher) throws -> Verifier { try Verifier(fetcher: fetcher, trustAnchors: devCA) }
        let (credential, _) = try await Self.issue(s, "edc-jades", "")
        let seal = try IssuingFormatTests.key("seal-p256.key")
        let mallory = try PrivateKey.generate(.ecdsa(.p256))
        let envelope = try JWSJSONSerialization.parse(credential)
        let header = envelope.signatures[0].header.members
        let payload = try #require(try JSONParser().parse(envelope.payload).objectValue)

        func jades(_ change: (inout JSONObject) -> Void = { _ in }, payload changePayload: (inout JSONObject) -> Void = { _ in },
                   sign: ([UInt8]) throws -> [UInt8]) throws -> [UInt8] {
            try Self.jades(header: header, payload: payload, change, payload: changePayload, sign: sign)
        }
        func sealed(_ input: [UInt8]) throws -> [UInt8] { try seal.signature(for: input, algorithm: .es256) }
        func check(_ bytes: [UInt8], _ verdict: VerificationReport.Verdict, _ step: VerificationReport.Check, _ code: String, _ label: String,
                   with fetcher: LiveFetcher? = nil, at: Date = Date(), recipient: Verifier.Recipient? = nil) async throws {
            let report = await (try verifier(fetcher ?? LiveFetcher(port: s.server.port))).verify(bytes, options: .init(at: at, recipient: recipient))
            Self.expect(report, verdict, step, code: code, label)
        }

        try await check(try jades(sign: sealed), .valid, .proof, "seal.valid", "resealed by hand with the issuer's seal: the helper keeps it valid")
        try await check(try jades(payload: { $0["issuer"] = Self.otherOrganisation($0["issuer"]) }, sign: sealed), .invalid, .issuerKey,
                        "seal.not_issuer", "EDC whose seal names another organisation than its issuer")
        try await check(try jades(sign: { try mallory.signature(for: $0, algorithm: .es256) }), .invalid, .proof, "seal.signature_invalid", "EDC sealed by another key")
        try await check(try jades({ $0["x5t#S256"] = .string(Base64URL.encode(DigestAlgorithm.sha256.hash(Array("another certificate".utf8)))) }, sign: sealed),
                        .invalid, .proof, "seal.thumbprint_mismatch", "EDC x5t#S256 of another certificate")
        let yesterday = RFC3339.format(Date(timeIntervalSinceNow: -86_400))
        let tomorrow = RFC3339.format(Date(timeIntervalSinceNow: 86_400))
        try await check(try jades(payload: { $0["validUntil"] = .string(yesterday) }, sign: sealed), .invalid, .validity, "validity.expired", "EDC expired")
        try await check(try jades(payload: { $0["validFrom"] = .string(tomorrow) }, sign: sealed), .invalid, .validity, "validity.not_yet_valid", "EDC not yet valid")
        try await check(credential, .valid, .recipient, "recipient.match", "EDC recipient", recipient: .email("ada@example.org"))
        try await check(credential, .invalid, .recipient, "recipient.mismatch", "EDC another recipient", recipient: .email("eve@example.org"))
        var down = LiveFetcher(port: s.server.port)
        down.unreachable = { $0.contains("/status/") }
        try await check(credential, .inconclusive, .revocation, "status.list_unavailable", "EDC status list unreachable", with: down)
        let tampering = LiveFetcher.tamperingStatusLists(port: s.server.port)
        try await check(credential, .inconclusive, .revocation, "status.list_signature_invalid", "EDC status list tampered", with: tampering)
        let unknownStatus = try jades(payload: { body in
            var status = body["credentialStatus"].map { $0.arrayValue ?? [$0] } ?? []
            status.append(["id": "https://status.example/1", "type": "ExampleStatusMethod2030"])
            body["credentialStatus"] = .array(status)
        }, sign: sealed)
        try await check(unknownStatus, .inconclusive, .status, "status.unknown_type", "EDC unknown status type")

        try await check(try jades({ $0["alg"] = "none" }, sign: { _ in [] }), .invalid, .proof, "seal.algorithm_refused", "EDC alg none")
        let publicPEM = Array(try seal.publicKey.pemRepresentation().utf8)
        try await check(try jades({ $0["alg"] = "HS256" }, sign: { DigestAlgorithm.sha256.hmac(key: publicPEM, data: $0) }), .invalid, .proof,
                        "seal.algorithm_refused", "EDC HS256 keyed with the public key")
        try await check(try jades({ $0["jwk"] = try! JWK(publicKey: mallory.publicKey).json }, sign: { try mallory.signature(for: $0, algorithm: .es256) }),
                        .invalid, .proof, "seal.signature_invalid", "EDC embedded jwk of another key")
    }

    /// A JAdES envelope made by hand: protected header, unencoded payload, signature over the RFC 7797 input.
    static func jades(header: JSONObject, payload: JSONObject, _ change: (inout JSONObject) -> Void = { _ in },
                      payload changePayload: (inout JSONObject) -> Void = { _ in }, sign: ([UInt8]) throws -> [UInt8]) throws -> [UInt8] {
        var members = header, body = payload
        change(&members)
        changePayload(&body)
        let protected = Base64URL.encode(JSONValue.object(members).compactBytes)
        let bytes = JSONValue.object(body).compactBytes
        let signature = Base64URL.encode(try sign(Array(protected.utf8) + [UInt8(ascii: ".")] + bytes))
        let object: JSONObject = ["payload": .string(String(decoding: bytes, as: UTF8.self)),
                                  "signatures": [["protected": .string(protected), "signature": .string(signature)]]]
        return JSONValue.object(object).compactBytes
    }

    /// The issuer organisation with another legal name and eIDAS identifier than the development seal certificate names.
    static func otherOrganisation(_ issuer: JSONValue?) -> JSONValue {
        var organisation = issuer?.objectValue ?? JSONObject()
        organisation["legalName"] = ["en": "Université Exemple"]
        if var eidas = organisation["eIDASIdentifier"]?.objectValue {
            eidas["notation"] = "VATFR-999999999"
            organisation["eIDASIdentifier"] = .object(eidas)
        }
        return .object(organisation)
    }

    /// The credential text with a change; for a JWT, the payload segment decoded, changed and re-encoded (signature kept).
    static func tamper(_ credential: [UInt8], _ change: (String) -> String) throws -> [UInt8] {
        let text = String(decoding: credential, as: UTF8.self)
        guard !text.hasPrefix("{") else { return Array(change(text).utf8) }
        var parts = text.split(separator: ".").map(String.init)
        parts[1] = Base64URL.encode(Array(change(String(decoding: try Base64URL.decode(parts[1]), as: UTF8.self)).utf8))
        return Array(parts.joined(separator: ".").utf8)
    }

    /// A VC-JWT with changed claims, signed again with the issuer's key (same header).
    static func resign(_ credential: [UInt8], key: PrivateKey, algorithm: SignatureAlgorithm = .eddsa, _ change: (inout JSONObject) -> Void) throws -> [UInt8] {
        let parts = String(decoding: credential, as: UTF8.self).split(separator: ".").map(String.init)
        var claims = try #require(try JSONParser().parse(try Base64URL.decode(parts[1])).objectValue)
        change(&claims)
        let payload = Base64URL.encode(JSONValue.object(claims).compactBytes)
        let signature = try key.signature(for: Array("\(parts[0]).\(payload)".utf8), algorithm: algorithm)
        return Array("\(parts[0]).\(payload).\(Base64URL.encode(signature))".utf8)
    }
}

/// `POST /verify` on a live server, and the HTTP fetcher's limits.
@Suite("Verify API and HTTP fetcher", .timeLimit(.minutes(3)))
struct VerifyAPITests {
    @Test("POST /verify: a credential of each format in the body, or by ?url=; not a credential 422; empty 400; too large 413")
    func verifyEndpoint() async throws {
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        for format in ["ob3-di", "ob3-jwt", "ob2-signed", "ob2-hosted"] {
            let issued = try await IssuingFormatTests.issue(s, #", "format": "\#(format)""#)
            let reply = try await s.server.request("POST", "/verify?recipient=ada%40example.org", body: issued.body, contentType: "application/octet-stream")
            let report = try JSONParser().parse(Array(reply.body.utf8))
            #expect(reply.status == 200 && report["verdict"] == "valid", "\(format): \(reply.body)")
            #expect(report["steps"]?.arrayValue?.contains { $0["code"] == "recipient.match" } == true)
        }
        let hosted = try await IssuingFormatTests.issue(s, #", "format": "ob2-hosted""#)
        let url = try #require(try JSONParser().parse(Array(hosted.body.utf8))["id"]?.stringValue)
        let byURL = try await s.server.request("POST", "/verify?url=\(url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", body: nil)
        #expect(byURL.status == 200 && byURL.body.contains(#""verdict":"valid""#), "\(byURL.body)")
        // The test server trusts the development CA (Keys/trust-anchors), as `nachweis serve` does by default in development.
        let edc = try await IssuingFormatTests.issue(s, #", "format": "edc-jades""#)
        let sealed = try await s.server.request("POST", "/verify", body: edc.body)
        #expect(sealed.body.contains(#""verdict":"valid""#) && sealed.body.contains("seal.chain_trusted"), "\(sealed.body)")

        let garbage = try await s.server.request("POST", "/verify", body: "hello", contentType: "text/plain")
        #expect(garbage.status == 422 && IssuerAPITests.error(garbage) == "document.not_a_credential", "\(garbage.body)")
        #expect(try await s.server.request("POST", "/verify", body: "", contentType: "text/plain").status == 400)
        let huge = try await s.server.request("POST", "/verify", body: String(repeating: "x", count: 9 << 20), contentType: "text/plain")
        #expect(huge.status == 413)
        let badAt = try await s.server.request("POST", "/verify?at=tomorrow", body: edc.body)
        #expect(badAt.status == 400)
    }

    @Test("the HTTP fetcher in production: HTTPS only, no loopback, private or link-local addresses (SSRF), size cap, Cache-Control honoured")
    func fetcherLimits() async throws {
        let production = HTTPFetcher(limits: .init(publicOnly: true))
        for url in ["http://example.org/x", "https://127.0.0.1/x", "https://localhost/x", "https://10.1.2.3/x", "https://169.254.169.254/latest/meta-data",
                    "https://192.168.0.1/x", "https://[::1]/x", "https://[fe80::1]/x", "https://172.16.0.1/x", "file:///etc/passwd"] {
            do {
                _ = try await production.fetch(url)
                Issue.record("\(url) was fetched")
            } catch {
                #expect(error.code == .forbidden || error.code == .badURL, "\(url): \(error)")
            }
        }
        let s = try await IssuingFormatTests.setUp()
        defer { s.server.stop() }
        let local = HTTPFetcher(limits: .init(maxBytes: 4096, publicOnly: false))
        do {
            _ = try await local.fetch("\(s.server.baseURL)/openapi.json")
            Issue.record("a document over the cap was fetched")
        } catch {
            #expect(error.code == .tooLarge, "\(error)")
        }
        // The OB 2.0 issuer document says max-age=300: a change shows only after that; the revocation list says no-store.
        let cached = HTTPFetcher(limits: .init(publicOnly: false))
        let first = try await cached.fetch("\(s.server.baseURL)/issuers/tu-berlin/ob2/issuer")
        _ = try await s.server.request("PATCH", "/api/v1/issuers/tu-berlin", token: s.f.tuToken, body: #"{"name": "Technische Universität Berlin"}"#)
        let second = try await cached.fetch("\(s.server.baseURL)/issuers/tu-berlin/ob2/issuer")
        #expect(first.bytes == second.bytes, "served from the cache within max-age")
        let fresh = try await HTTPFetcher(limits: .init(publicOnly: false)).fetch("\(s.server.baseURL)/issuers/tu-berlin/ob2/issuer")
        #expect(String(decoding: fresh.bytes, as: UTF8.self).contains("Technische Universität Berlin"))
        #expect(HTTPFetcher.maxAge("no-store") == nil && HTTPFetcher.maxAge("public, max-age=300") == 300 && HTTPFetcher.maxAge("private, max-age=60") == nil)
        let gone = try await IssuingFormatTests.issue(s, #", "format": "ob2-hosted""#)
        _ = try await s.server.request("POST", "/api/v1/issuers/tu-berlin/credentials/\(IssuingFormatTests.credentialID(gone))/revoke", token: s.f.tuToken)
        let revoked = try await cached.fetch("\(s.server.baseURL)/issuers/tu-berlin/ob2/assertions/\(IssuingFormatTests.credentialID(gone))")
        #expect(revoked.status == 410)
    }

    @Test("redirects: followed in development to where a first request could go; to another scheme, in a loop, or (in production) to a private address: refused; a body without a length over the cap: refused as it arrives")
    func fetcherRedirects() async throws {
        // Production: the check a redirect must pass is the first request's (HTTPS, public address).
        let production = HTTPFetcher.Limits(publicOnly: true)
        for target in ["http://example.org/x", "https://127.0.0.1/x", "https://169.254.169.254/latest/meta-data", "https://[::1]/x", "file:///etc/passwd"] {
            #expect(throws: FetchError.self, "\(target)") { try HTTPFetcher.checkTarget(URL(string: target)!, limits: production) }
        }
        // Development, against a small local server that redirects.
        let port = try ServerConfiguration.freeLoopbackPort()
        let script = """
        import http.server, sys
        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a): pass
            def do_GET(self):
                if self.path == "/big":  # no Content-Length: the size cap can only act on what arrives
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    for _ in range(64):
                        self.wfile.write(b" " * 1024)
                    self.close_connection = True
                    return
                routes = {"/start": "/middle", "/middle": "/doc", "/ftp": "ftp://127.0.0.1/doc", "/loop": "/loop"}
                if self.path in routes:
                    target = routes[self.path]
                    self.send_response(302)
                    self.send_header("Location", target if "://" in target else "http://127.0.0.1:%d%s" % (\(port), target))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b'{"ok": true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        http.server.HTTPServer(("127.0.0.1", \(port)), H).serve_forever()
        """
        let server = Process()
        server.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        server.arguments = ["-c", script]
        // Its own output, not the test runner's pipes (the runner waits for those to close), and SIGKILL at the end:
        // a child of a concurrency thread inherits its blocked signals, SIGTERM included.
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL) }
        let development = HTTPFetcher(limits: .init(publicOnly: false))
        var followed: FetchedDocument?
        for _ in 0..<50 where followed == nil {  // until the server listens
            followed = try? await development.fetch("http://127.0.0.1:\(port)/start")
            if followed == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(followed?.bytes == Array(#"{"ok": true}"#.utf8), "two redirects followed")
        for (path, code, words) in [("/ftp", FetchError.Code.forbidden, "refused"), ("/loop", .unavailable, "more than 5 redirects")] {
            do {
                let fetched = try await development.fetch("http://127.0.0.1:\(port)\(path)")
                Issue.record("\(path) was fetched: \(fetched.status)")
            } catch {
                #expect(error.code == code && error.message.contains(words), "\(path): \(error)")
            }
        }
        // A body without a length, over the cap: refused as it arrives; the fetcher keeps working afterwards.
        let capped = HTTPFetcher(limits: .init(maxBytes: 4096, publicOnly: false))
        for _ in 0..<3 {
            do {
                _ = try await capped.fetch("http://127.0.0.1:\(port)/big")
                Issue.record("a 64 KiB body passed a 4 KiB cap")
            } catch {
                #expect(error.code == .tooLarge && error.message.contains("limit"), "\(error)")
            }
        }
        #expect(try await capped.fetch("http://127.0.0.1:\(port)/doc").bytes == Array(#"{"ok": true}"#.utf8))
    }
}

/// Every OB 3.0 validator sample, offline (no document fetched): the proof step agrees with the signature table of the
/// reference README, and the verdict follows from it. Samples the README calls valid are inconclusive here: their keys
/// are named in the fragment of an issuer URL (or only in the token's own jwk) and no issuer document confirms them
/// offline. docs/verifier.md explains each class.
@Suite("Verifier and the OB 3.0 validator samples", .timeLimit(.minutes(3)))
struct VerifierSampleTests {
    typealias Verdict = VerificationReport.Verdict
    typealias Status = VerificationReport.Status

    static let expectations: [(String, Verdict, Status)] = [
        // signature valid (README): nothing proven wrong, the key not confirmed offline
        ("simple.json", .inconclusive, .passed), ("simple.1ob", .inconclusive, .passed), ("simple-context-alias.json", .inconclusive, .passed),
        ("simple-context-version.json", .inconclusive, .passed), ("simple-did-web-method.json", .inconclusive, .passed),
        ("complete.json", .inconclusive, .passed), ("endorsement-valid.json", .inconclusive, .passed),
        ("bit-string-list/credential-status-revoked.json", .inconclusive, .passed),
        ("bit-string-list/credential-status-revoked-blank-nodes.json", .inconclusive, .passed),
        ("simple-eddsa-2022.json", .inconclusive, .passed), ("simple_v1.json", .inconclusive, .passed),
        ("credential-status-revoked.json", .inconclusive, .passed),
        ("simple-json.png", .inconclusive, .passed), ("simple-json.svg", .inconclusive, .passed),
        ("simple-jwt.png", .inconclusive, .passed), ("simple-jwt.svg", .inconclusive, .passed),
        ("simple-jwt_v1.png", .inconclusive, .passed), ("simple-jwt_v1.svg", .inconclusive, .passed),
        // did:key signature, urn:uuid issuer: nothing ties the key to the issuer
        ("simple-did-key-method.json", .inconclusive, .passed),
        // signature valid, but expired / issued in the future / a bad issuer (README: "they fail on other checks")
        ("simple-err-expired.json", .invalid, .passed), ("simple-err-issued.json", .invalid, .passed), ("simple-err-issuer.json", .invalid, .passed),
        // signature invalid (README)
        ("simple-err-context.json", .invalid, .failed), ("simple-err-type.json", .invalid, .failed), ("simple-err-evidence-type.json", .invalid, .failed),
        ("simple-err-credential-subject-type.json", .invalid, .failed), ("simple-err-issuer-type.json", .invalid, .failed),
        ("simple-err-credential-subject-identifier-type.json", .invalid, .failed), ("simple-err-credential-subject-profile-type.json", .invalid, .failed),
        ("simple-err-credential-subject-result-type.json", .invalid, .failed), ("simple-err-issuer-otheridentifier-type.json", .invalid, .failed),
        ("simple-err-issuer-parentorg-type.json", .invalid, .failed),
        ("simple-err-credential-subject-achievement-result-description-type.json", .invalid, .failed),
        ("simple-err-proof-value.json", .invalid, .failed), ("endorsement-err-schema-status-refresh.json", .invalid, .failed),
        ("simple-err-proof-method-no-scheme.json", .invalid, .failed),
        // verification methods that cannot be resolved at all: not proven wrong, not decidable
        ("simple-err-proof-method-unknown-did-method.json", .inconclusive, .inconclusive),
        ("simple-err-proof-method-unknown-scheme.json", .inconclusive, .inconclusive),
        ("simple-err-proof-method.json", .inconclusive, .inconclusive),
        ("simple-multiple-proofs.json", .inconclusive, .inconclusive),
        // VC 1.1 with non-Ed25519 key material (README: not checked), expired and against the schema
        ("complete_v1.json", .invalid, .inconclusive),
        // no proof; a VC 1.1 JWT that fails the schema; a did:velocity JWT whose claims contradict its body
        ("simple-noproof.json", .invalid, .failed), ("simple.jwt", .invalid, .inconclusive), ("velocity.jwt", .invalid, .inconclusive),
    ]

    @Test("verdict and proof step per sample", arguments: expectations)
    func sample(file: String, verdict: Verdict, proof: Status) async throws {
        let bytes = Array(try Data(contentsOf: try TestEnvironment.reference("openbadges/ob3/validator-samples/\(file)")))
        let report = await (try Verifier(fetcher: OfflineDocuments())).verify(bytes)
        #expect(report.verdict == verdict, "\(file): \(report.text)")
        #expect(report.step(.proof)?.status == proof, "\(file): \(report.text)")
    }

    @Test("the expectation table covers every sample in the folder")
    func coverage() throws {
        let folder = try TestEnvironment.reference("openbadges/ob3/validator-samples")
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter {
            ["json", "jwt", "png", "svg", "1ob"].contains(($0 as NSString).pathExtension) && !$0.hasPrefix("sd/")
        }
        #expect(Set(files) == Set(Self.expectations.map(\.0)), "not in the table: \(Set(files).subtracting(Self.expectations.map(\.0)).sorted())")
    }
}
