import Foundation
import NachweisCrypto
import NachweisJSON
import NachweisLinkedData
import NachweisTestSupport
import Testing

/// A test resolver: an HTTPS verification method whose fragment is the key's Multikey value (as in the 1EdTech
/// samples, whose issuer profiles would be fetched in production).
struct FragmentMultikeyResolver: VerificationMethodResolver {
    func publicKey(for verificationMethod: String) throws(LinkedDataError) -> PublicKey {
        guard let fragment = verificationMethod.split(separator: "#").last, let key = try? Multikey.decodePublicKey(fragment) else {
            throw LinkedDataError(.verificationMethodUnresolved, "cannot resolve \(verificationMethod)")
        }
        return key
    }
}

@Suite("Data Integrity (vc-di-eddsa)")
struct DataIntegrityTests {
    static let v = "w3c/vc-di-eddsa/TestVectors/"

    static func json(_ path: String) throws -> JSONValue { try JSONParser().parse(Array(try ReferenceContexts.read(path).utf8)) }
    static func text(_ path: String) throws -> String { try ReferenceContexts.read(path).trimmingCharacters(in: .whitespacesAndNewlines) }

    static func integrity() throws -> DataIntegrity {
        DataIntegrity(processor: JSONLDProcessor(loader: try ReferenceContexts.loader()), resolver: DIDKeyResolver(next: FragmentMultikeyResolver()))
    }

    static func w3cKey() throws -> PrivateKey {
        try Multikey.decodePrivateKey(try json(v + "keyPair.json")["privateKeyMultibase"]!.stringValue!)
    }

    /// The W3C vectors: (folder, suffix, suite) — every intermediate is compared.
    static let chains: [(String, String, DataIntegrity.Suite)] = [
        ("eddsa-rdfc-2022", "DataInt", .eddsaRdfc2022), ("eddsa-jcs-2022", "JCS", .eddsaJcs2022),
        ("Ed25519Signature2020", "EdSig", .ed25519Signature2020),
    ]

    @Test("W3C vectors: canonical document, canonical proof options, hashes, signature, proofValue", arguments: chains)
    func intermediates(folder: String, suffix: String, suite: DataIntegrity.Suite) throws {
        let base = Self.v + folder + "/"
        let document = try Self.json(suite == .ed25519Signature2020 ? base + "signed\(suffix).json" : Self.v + "unsigned.json")
        var unsecured = document.objectValue!
        unsecured["proof"] = nil
        let config = try Self.json(base + "proofConfig\(suffix).json").objectValue!
        let data = try Self.integrity().hashData(document: .object(unsecured), proofConfiguration: config, suite: suite)
        #expect(data.canonicalDocument.trimmingCharacters(in: .whitespacesAndNewlines) == (try Self.text(base + "canonDoc\(suffix).txt")))
        #expect(data.canonicalProofConfiguration.trimmingCharacters(in: .whitespacesAndNewlines) == (try Self.text(base + "proofCanon\(suffix).txt")))
        #expect(hex(data.documentHash) == (try Self.text(base + "docHash\(suffix).txt")))
        #expect(hex(data.proofConfigurationHash) == (try Self.text(base + "proofHash\(suffix).txt")))
        #expect(hex(data.combined) == (try Self.text(base + "combinedHash\(suffix).txt")))
        let signature = try Self.w3cKey().signature(for: data.combined, algorithm: .eddsa)
        #expect(hex(signature) == (try Self.text(base + "sigHex\(suffix).txt")))
        #expect(Multibase.encodeBase58BTC(signature) == (try Self.text(base + "sigBTC58\(suffix).txt")))
    }

    @Test("W3C vectors: signing the unsigned credential gives the signed document, which verifies", arguments: chains.prefix(2))
    func signedDocument(folder: String, suffix: String, suite: DataIntegrity.Suite) throws {
        let base = Self.v + folder + "/"
        var options = try Self.json(base + "proofConfig\(suffix).json").objectValue!
        // eddsa-rdfc-2022 proofs take @context from the document; eddsa-jcs-2022 proofs carry it (vc-di-eddsa §3.3).
        if suite == .eddsaRdfc2022 { options["@context"] = nil }
        let signed = try Self.integrity().sign(try Self.json(Self.v + "unsigned.json"), key: try Self.w3cKey(), proofOptions: options)
        let expected = try Self.json(base + "signed\(suffix).json")
        #expect(signed["proof"]?["proofValue"] == expected["proof"]?["proofValue"])
        #expect(signed == expected)
        let results = try Self.integrity().verify(expected)
        #expect(results.count == 1 && results[0].isValid, "\(results.map { $0.error?.description ?? "ok" })")
    }

    @Test("a signer's cache of proof configurations: the W3C vector's signed document twice, with one entry; another created time, another")
    func proofConfigurationCache() throws {
        var integrity = try Self.integrity()
        let cache = BoundedCache<String>(capacity: 4)
        integrity.proofConfigurations = cache
        var options = try Self.json(Self.v + "eddsa-rdfc-2022/proofConfigDataInt.json").objectValue!
        options["@context"] = nil
        let expected = try Self.json(Self.v + "eddsa-rdfc-2022/signedDataInt.json")
        for _ in 0..<2 {
            #expect(try integrity.sign(try Self.json(Self.v + "unsigned.json"), key: try Self.w3cKey(), proofOptions: options) == expected)
        }
        #expect(cache.count == 1)
        // What the cache answers with is the canonical form (hashData through the cache, against the vector's text).
        var unsecured = expected.objectValue!
        unsecured["proof"] = nil
        let data = try integrity.hashData(document: .object(unsecured), proofConfiguration: options, suite: .eddsaRdfc2022)
        #expect(data.canonicalProofConfiguration.trimmingCharacters(in: .whitespacesAndNewlines) == (try Self.text(Self.v + "eddsa-rdfc-2022/proofCanonDataInt.txt")))
        #expect(cache.count == 1)
        // A different configuration is computed, not taken from the cache: it verifies, and it is a second entry.
        options["created"] = "2030-01-01T00:00:00Z"
        let later = try integrity.sign(try Self.json(Self.v + "unsigned.json"), key: try Self.w3cKey(), proofOptions: options)
        #expect(later["proof"]?["proofValue"] != expected["proof"]?["proofValue"])
        #expect(try Self.integrity().verify(later, expecting: .init(at: Date(timeIntervalSince1970: 1_900_000_000))).allSatisfy(\.isValid))
        #expect(cache.count == 2)
    }

    @Test("W3C vectors: the legacy Ed25519Signature2020 document verifies")
    func legacySuite() throws {
        let results = try Self.integrity().verify(try Self.json(Self.v + "Ed25519Signature2020/signedEdSig.json"))
        #expect(results.map(\.isValid) == [true], "\(results.map { $0.error?.description ?? "ok" })")
    }

    @Test("W3C vectors: proof sets and proof chains verify, and signing reproduces them", arguments: ["signedProofSet2.json", "signedProofChain2.json"])
    func setsAndChains(file: String) throws {
        let base = Self.v + "proof-set-chain/"
        let expected = try Self.json(base + file)
        let results = try Self.integrity().verify(expected)
        #expect(results.count >= 2 && results.allSatisfy(\.isValid), "\(results.map { $0.error?.description ?? "ok" })")
        // Reproduce it proof by proof from the unsigned credential with the published keys.
        let pairs = try Self.json(base + "multiKeyPairs.json")
        var document = try Self.json(base + "unsigned.json")
        for proof in expected["proof"]!.arrayValue! {
            var options = proof.objectValue!
            options["proofValue"] = nil
            let method = options["verificationMethod"]!.stringValue!
            let pair = pairs.objectValue!.first { method.hasSuffix($0.value["publicKeyMultibase"]!.stringValue!) }!
            let key = try Multikey.decodePrivateKey(pair.value["privateKeyMultibase"]!.stringValue!)
            document = try Self.integrity().sign(document, key: key, proofOptions: options)
        }
        #expect(document == expected)
    }

    @Test("1EdTech OB 3.0 vector: hashes, signature and the signed credential, byte for byte")
    func openBadgesVector() throws {
        let base = "openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/"
        let expected = try Self.json(base + "expected.json")
        let seed = hexBytes(try Self.json(base + "keypair.json")["privateKeySeedHex"]!.stringValue!)
        let key = try PrivateKey(ed25519Seed: seed)
        let options = try Self.json(base + "proof-options.json").objectValue!
        let signed = try Self.integrity().sign(try Self.json(base + "unsigned-credential.json"), key: key, proofOptions: options)
        let reference = try ReferenceContexts.read(base + "signed-credential.json")
        #expect(signed == (try JSONParser().parse(Array(reference.utf8))))
        #expect(signed["proof"]?["proofValue"] == expected["proofValue"])
        let data = try Self.integrity().hashData(document: try Self.json(base + "unsigned-credential.json"), proofConfiguration: options, suite: .eddsaRdfc2022)
        #expect(hex(data.documentHash) == expected["documentHashHex"]?.stringValue)
        #expect(hex(data.proofConfigurationHash) == expected["proofHashHex"]?.stringValue)
        #expect(try Self.integrity().verify(signed).map(\.isValid) == [true])
    }

    @Test("tampering with a literal or an IRI fails; reordering members and set arrays still verifies")
    func tampering() throws {
        let signed = try Self.json(Self.v + "eddsa-rdfc-2022/signedDataInt.json")
        let di = try Self.integrity()
        for (pointer, value) in [("/name", JSONValue.string("Alumni Credential!")), ("/credentialSubject/id", "did:example:other"),
                                 ("/issuer", "https://vc.example/issuers/9999"), ("/validFrom", "2023-01-02T00:00:00Z"),
                                 ("/proof/created", "2023-02-24T23:36:39Z")] {
            var copy = signed
            copy.set(JSONPointer(pointer), to: value)
            #expect(di.verify(copy).map(\.isValid) == [false], "\(pointer)")
        }
        // Reordered members and reversed type array: same RDF, same signature.
        var object = signed.objectValue!
        let members = object.members.reversed()
        var reordered = JSONObject()
        for member in members { reordered[member.key] = member.value }
        reordered["type"] = ["AlumniCredential", "VerifiableCredential"]
        object = reordered
        #expect(di.verify(.object(object)).map(\.isValid) == [true])
    }

    @Test("purpose, challenge, domain, created and expires are checked")
    func proofChecks() throws {
        let di = try Self.integrity()
        let key = try Self.w3cKey()
        let vm = try DIDKey(publicKey: key.publicKey).verificationMethod
        let unsigned = try Self.json(Self.v + "unsigned.json")
        let signed = try di.sign(unsigned, key: key, options: .init(verificationMethod: vm, proofPurpose: "authentication", created: "2026-01-01T00:00:00Z",
                                                                      expires: "2026-06-01T00:00:00Z", challenge: "c-1", domain: "verifier.example"))
        let at = ISO8601DateFormatter().date(from: "2026-02-01T00:00:00Z")!
        #expect(di.verify(signed, expecting: .init(proofPurpose: "authentication", challenge: "c-1", domain: "verifier.example", at: at)).map(\.isValid) == [true])
        #expect(di.verify(signed, expecting: .init(proofPurpose: "assertionMethod", at: at)).map(\.isValid) == [false])
        #expect(di.verify(signed, expecting: .init(proofPurpose: "authentication", challenge: "other", at: at)).map(\.isValid) == [false])
        #expect(di.verify(signed, expecting: .init(proofPurpose: "authentication", domain: "evil.example", at: at)).map(\.isValid) == [false])
        let later = ISO8601DateFormatter().date(from: "2026-07-01T00:00:00Z")!
        #expect(di.verify(signed, expecting: .init(proofPurpose: "authentication", at: later)).first?.error?.message.contains("expired") == true)
        let earlier = ISO8601DateFormatter().date(from: "2025-07-01T00:00:00Z")!
        #expect(di.verify(signed, expecting: .init(proofPurpose: "authentication", at: earlier)).first?.error?.message.contains("future") == true)
    }

    @Test("a member or type that no context defines is refused when signing and when verifying (OB 3.0 has no @vocab)")
    func undefinedMembers() throws {
        let base = "openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/"
        let di = try Self.integrity()
        let key = try Self.w3cKey()
        var unsigned = try Self.json(base + "unsigned-credential.json")
        unsigned.set(JSONPointer("/credentialSubject/notInAnyContext"), to: "unsigned data")
        let vm = try DIDKey(publicKey: key.publicKey).verificationMethod
        let error = #expect(throws: LinkedDataError.self) { try di.sign(unsigned, key: key, options: .init(verificationMethod: vm, created: "2026-01-01T00:00:00Z")) }
        #expect(error?.code == .undefinedTerm)
        #expect(error?.message.contains("notInAnyContext") == true)
        var signed = try Self.json(base + "signed-credential.json")
        #expect(di.verify(signed).map(\.isValid) == [true])
        signed.set(JSONPointer("/credentialSubject/notInAnyContext"), to: "smuggled")
        #expect(di.verify(signed).first?.error?.code == .undefinedTerm)
        var typed = try Self.json(base + "signed-credential.json")
        typed.set(JSONPointer("/type"), to: ["VerifiableCredential", "OpenBadgeCredential", "UndefinedCredentialType"])
        #expect(di.verify(typed).first?.error?.code == .undefinedTerm)
        // With a vocabulary that catches every term (the W3C examples context), the member is signed data:
        // adding it afterwards breaks the signature instead.
        var withVocab = try Self.json(Self.v + "eddsa-rdfc-2022/signedDataInt.json")
        withVocab.set(JSONPointer("/credentialSubject/notInAnyContext"), to: "smuggled")
        #expect(di.verify(withVocab).first?.error?.code == .proofInvalid)
    }

    @Test("an unknown context is refused with a clear error, never fetched")
    func unknownContext() throws {
        var unsigned = try Self.json(Self.v + "unsigned.json")
        unsigned.set(JSONPointer("/@context/1"), to: "https://unknown.example/context.jsonld")
        let error = #expect(throws: LinkedDataError.self) { try JSONLDProcessor(loader: try ReferenceContexts.loader()).toRDF(unsigned) }
        #expect(error?.code == .loadingDocumentFailed)
        #expect(error?.message.contains("https://unknown.example/context.jsonld") == true)
    }
}

func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

func hexBytes(_ text: String) -> [UInt8] { Hex.decode(text)! }
