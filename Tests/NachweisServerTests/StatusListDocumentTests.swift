import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData
import NachweisServer
import NachweisStatus
import NachweisStore
import NachweisTestSupport
import Testing

/// Status list credentials through a live server: signed, verifiable through the issuer's did:web document,
/// decodable by an independent implementation, cached by ETag.
@Suite("Status list credentials", .timeLimit(.minutes(3)))
struct StatusListDocumentTests {
    /// Resolves verification methods from a DID document fetched beforehand (the resolver protocol is synchronous).
    struct DocumentResolver: VerificationMethodResolver {
        let methods: [String: String]
        func publicKey(for verificationMethod: String) throws(LinkedDataError) -> PublicKey {
            guard let multibase = methods[verificationMethod] else {
                throw LinkedDataError(.verificationMethodUnresolved, "\(verificationMethod) is not in the DID document")
            }
            do { return try Multikey.decodePublicKey(multibase) } catch { throw LinkedDataError(.verificationMethodUnresolved, "\(error)") }
        }
    }

    @Test("revoked entries show in a signed BitstringStatusListCredential that verifies, decodes in Python, and caches by ETag")
    func statusListCredential() async throws {
        let f = try await IssuerAPITests.fixture()
        defer { f.server.stop() }
        let storage = f.server.storage
        let key = try PrivateKey.generate(.ed25519)
        let keyFile = try TestEnvironment.temporaryDirectory().appendingPathComponent("issuer.pem")
        try Data(try key.pemRepresentation().utf8).write(to: keyFile)
        try await storage.signingKeys.add(SigningKey(issuerID: f.tu.id, algorithm: "EdDSA", publicJWK: try JWK(publicKey: key.publicKey).jsonText,
                                                     privateKeyPath: keyFile.path))
        var entries: [StatusAllocation] = []
        for _ in 0..<5 { entries.append(try await storage.statusLists.allocate(issuerID: f.tu.id, purpose: .revocation, credentialID: UUID(), size: 131_072)) }
        for entry in entries.prefix(2) { try await storage.statusLists.setStatus(true, at: entry, issuerID: f.tu.id) }
        let path = "/issuers/tu-berlin/status/\(entries[0].listID.uuidString.lowercased())"

        let reply = try await f.server.request("GET", path)
        #expect(reply.status == 200 && reply.headers["content-type"] == "application/vc+ld+json", "\(reply.body)")
        let credential = try JSONParser().parse(Array(reply.body.utf8))
        #expect(credential["credentialSubject"]?["statusPurpose"] == "revocation")
        // The signature, through the issuer's did:web document as served.
        let did = try JSONParser().parse(Array(try await f.server.request("GET", "/issuers/tu-berlin/did.json").body.utf8))
        var methods: [String: String] = [:]
        for method in did["verificationMethod"]?.arrayValue ?? [] {
            if let id = method["id"]?.stringValue, let key = method["publicKeyMultibase"]?.stringValue { methods[id] = key }
        }
        #expect(credential["issuer"] == did["id"])
        let verifier = DataIntegrity(processor: JSONLDProcessor(loader: try ShippedContexts.loader()), resolver: DocumentResolver(methods: methods))
        let results = verifier.verify(credential)
        #expect(results.count == 1 && results.allSatisfy(\.isValid), "\(results)")
        // The bits, read by an independent decoder.
        let encoded = try #require(credential["credentialSubject"]?["encodedList"]?.stringValue)
        let request: JSONValue = ["encodedList": .string(encoded), "indices": .array(entries.map { .number(JSONNumber($0.index)) })]
        let peer = try await runProcessOffPool(try TestEnvironment.python(), [TestEnvironment.interopScript("status_peer.py")], input: Data(request.compactText.utf8))
        let decoded = try JSONParser().parse(Array(peer.standardOutput))
        #expect(decoded["size"] == 131072)
        #expect(Set(decoded["all"]?.arrayValue?.compactMap { $0.numberValue?.intValue } ?? []) == Set(entries.prefix(2).map(\.index)))
        // Tampering breaks it.
        var tampered = try #require(credential.objectValue)
        tampered["credentialSubject"] = ["id": credential["credentialSubject"]!["id"]!, "type": "BitstringStatusList",
                                         "statusPurpose": "revocation", "encodedList": .string(Bitstring(size: 131_072).encoded)]
        #expect(verifier.verify(.object(tampered)).allSatisfy { !$0.isValid })

        // ETag: 304 while unchanged; a new version after a change.
        let etag = try #require(reply.headers["etag"])
        #expect(reply.headers["cache-control"]?.contains("max-age") == true)
        var conditional = URLRequest(url: URL(string: "http://127.0.0.1:\(f.server.port)\(path)")!)
        conditional.setValue(etag, forHTTPHeaderField: "If-None-Match")
        let (_, unchanged) = try await TestHTTP.data(for: conditional)
        #expect((unchanged as? HTTPURLResponse)?.statusCode == 304)
        try await storage.statusLists.setStatus(true, at: entries[2], issuerID: f.tu.id)
        let changed = try await f.server.request("GET", path)
        #expect(changed.status == 200 && changed.headers["etag"] != etag)
        // Another issuer's slug does not reach the list.
        #expect(try await f.server.request("GET", path.replacingOccurrences(of: "tu-berlin", with: "ihk-muenchen")).status == 404)
    }
}
