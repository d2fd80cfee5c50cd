import Foundation
import NachweisDocuments
import NachweisJSON
import NachweisTestSupport
import Testing

/// Every sample under ../shared/reference: detected correctly, parsed, re-encoded byte-identically where the input
/// was compact, and validated against Schemas/ as the samples' READMEs say.
@Suite("Reference samples")
struct ReferenceSampleTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        let path: String
        let format: CredentialFormat
        let container: CredentialContainer?
        /// Schema verdict; nil when only a URL is embedded.
        let valid: Bool?
        /// Pointers the violations must include (the sample's deliberate error).
        let pointers: [String]
        var testDescription: String { path }

        init(_ path: String, _ format: CredentialFormat, _ container: CredentialContainer? = nil, valid: Bool?, _ pointers: [String] = []) {
            self.path = path
            self.format = format
            self.container = container
            self.valid = valid
            self.pointers = pointers
        }
    }

    static let ob3 = "openbadges/ob3/validator-samples/"
    static let ob2 = "openbadges/ob2/validator-samples/"
    static let elm = "europass/elm-v3/samples/"
    static let ebsi = "europass/ebsi-edc-jsonschema/examples/"

    static let samples: [Sample] = [
        // OB 3.0 validator samples: valid shapes (proof, date and status errors are the verifier's job).
        Sample(ob3 + "simple.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple.1ob", .ob3JSONLD, valid: true),
        Sample(ob3 + "complete.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple_v1.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-context-alias.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-context-version.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-did-key-method.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-did-web-method.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-eddsa-2022.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-multiple-proofs.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-err-expired.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-err-proof-value.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-err-proof-method.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-err-proof-method-no-scheme.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-err-proof-method-unknown-did-method.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "simple-err-proof-method-unknown-scheme.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "credential-status-revoked.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "bit-string-list/credential-status-revoked.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "bit-string-list/credential-status-revoked-blank-nodes.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "endorsement-valid.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "endorsement-err-schema-status-refresh.json", .ob3JSONLD, valid: true),
        Sample(ob3 + "sd/derivedcredential.json", .ob3JSONLD, valid: true),
        // OB 3.0 samples with deliberate shape errors, each found where it is.
        Sample(ob3 + "simple-err-type.json", .ob3JSONLD, valid: false, ["/type"]),
        Sample(ob3 + "simple-err-credential-subject-type.json", .ob3JSONLD, valid: false, ["/credentialSubject/type"]),
        Sample(ob3 + "simple-err-credential-subject-identifier-type.json", .ob3JSONLD, valid: false, ["/credentialSubject/identifier/0/type"]),
        Sample(ob3 + "simple-err-credential-subject-profile-type.json", .ob3JSONLD, valid: false, ["/credentialSubject/source/type"]),
        Sample(ob3 + "simple-err-credential-subject-result-type.json", .ob3JSONLD, valid: false, ["/credentialSubject/result/1/type"]),
        Sample(ob3 + "simple-err-credential-subject-achievement-result-description-type.json", .ob3JSONLD, valid: false,
               ["/credentialSubject/achievement/resultDescription/2/type"]),
        Sample(ob3 + "simple-err-evidence-type.json", .ob3JSONLD, valid: false, ["/evidence/1/type"]),
        Sample(ob3 + "simple-err-issuer-type.json", .ob3JSONLD, valid: false, ["/issuer/type"]),
        Sample(ob3 + "simple-err-issuer-parentorg-type.json", .ob3JSONLD, valid: false, ["/issuer/parentOrg/type"]),
        Sample(ob3 + "simple-err-issuer-otheridentifier-type.json", .ob3JSONLD, valid: false, ["/issuer/otherIdentifier/1/type"]),
        Sample(ob3 + "simple-err-issuer.json", .ob3JSONLD, valid: false, [""]),
        Sample(ob3 + "simple-err-context.json", .ob3JSONLD, valid: false, ["/@context"]),
        Sample(ob3 + "simple-err-issued.json", .ob3JSONLD, valid: false, ["/credentialSubject"]),
        Sample(ob3 + "simple-noproof.json", .ob3JSONLD, valid: false, ["/credentialSubject"]),
        Sample(ob3 + "complete_v1.json", .ob3JSONLD, valid: false, ["/endorsement/0"]),
        // OB 3.0 VC-JWTs and baked images.
        Sample(ob3 + "simple.jwt", .ob3JWT, valid: false, ["/@context", "/credentialSubject"]),
        Sample(ob3 + "velocity.jwt", .ob3JWT, valid: true),
        Sample(ob3 + "simple-json.png", .ob3JSONLD, .png, valid: true),
        Sample(ob3 + "simple-json.svg", .ob3JSONLD, .svg, valid: true),
        Sample(ob3 + "simple-jwt.png", .ob3JWT, .png, valid: true),
        Sample(ob3 + "simple-jwt.svg", .ob3JWT, .svg, valid: true),
        Sample(ob3 + "simple-jwt_v1.png", .ob3JWT, .png, valid: true),
        Sample(ob3 + "simple-jwt_v1.svg", .ob3JWT, .svg, valid: true),
        // OB 2.0 validator samples (date, key, origin and revocation problems are the verifier's job).
        Sample(ob2 + "basic-assertion.json", .ob2Hosted, valid: true),
        Sample(ob2 + "basic-assertion-expired.json", .ob2Hosted, valid: true),
        Sample(ob2 + "basic-assertion-expired-before-issued.json", .ob2Hosted, valid: true),
        Sample(ob2 + "basic-assertion-in-future.json", .ob2Hosted, valid: true),
        Sample(ob2 + "basic-assertion-no-public-key.json", .ob2Hosted, valid: true),
        Sample(ob2 + "basic-assertion-with-language.json", .ob2Hosted, valid: true),
        Sample(ob2 + "basic-assertion-with-allowed-origins.json", .ob2Hosted, valid: true),
        Sample(ob2 + "assertion-with-data-image.json", .ob2Hosted, valid: true),
        Sample(ob2 + "assertion-with-endorsements.json", .ob2Hosted, valid: true),
        Sample(ob2 + "assertion-with-extension-node-basic.json", .ob2Hosted, valid: true),
        Sample(ob2 + "assertion-with-multiple-extensions.json", .ob2Hosted, valid: true),
        Sample(ob2 + "warning-issuer-non-http.json", .ob2Hosted, valid: true),
        Sample(ob2 + "basic-assertion-invalid-type.json", .ob2Hosted, valid: false, ["/type"]),
        Sample(ob2 + "basic-assertion-invalid-context.json", .ob2Hosted, valid: false, ["/@context"]),
        Sample(ob2 + "simple.jwt", .ob2Signed, valid: true),
        Sample(ob2 + "simple-revoked.jwt", .ob2Signed, valid: true),
        Sample(ob2 + "simple-not-revoked.jwt", .ob2Signed, valid: true),
        Sample(ob2 + "simple-badge.png", .ob2Hosted, .png, valid: true),
        // Europass: the sealed credentials pass the generic profile; the unsigned ones are issuer input before
        // sealing and lack `issued`, which the profile requires (SHACL cred:issued minCount 1).
        Sample(elm + "Sample-MC-Annex1-signed.jsonld", .edcJAdES, valid: true),
        Sample(elm + "Sample-CertOfPart-signed.jsonld", .edcJAdES, valid: true),
        Sample("europass/mynextid/edc-mc-signed.jsonld", .edcJAdES, valid: true),
        Sample(elm + "Sample-MC-Annex1-unsigned.jsonld", .edcJSONLD, valid: false, [""]),
        Sample(elm + "Sample-CertOfPart-unsigned.jsonld", .edcJSONLD, valid: false, [""]),
        Sample(elm + "Sample-MC-Annex1-unsigned-uploadable.json", .edcJSONLD, valid: false, [""]),
        Sample(elm + "Sample-CertOfPart-unsigned-uploadable.json", .edcJSONLD, valid: false, [""]),
        Sample(elm + "credential-sample.jsonld", .edcJSONLD, valid: false, ["/displayParameter"]),
        Sample(ebsi + "Microcredential_-_Data_and_software_business.json", .edcJSONLD, valid: true),
        Sample(ebsi + "DigiComp_Generic.json", .edcJSONLD, valid: true),
        Sample(ebsi + "Bengales_highSchoolDiploma.json", .edcJSONLD, valid: true),
        Sample(ebsi + "Diploma_rntuo_credential.json", .edcJSONLD, valid: true),
        Sample(ebsi + "Francisco_Cruz_Argudo_Certificate_of_Completion.json", .edcJSONLD, valid: true),
        Sample(ebsi + "Transcript_of_records_-_generic.json", .edcJSONLD, valid: true),
        Sample("europass/mynextid/open-badge-mc-example.json", .ob3JSONLD, valid: true),
        Sample("europass/obv3/Basic_OpenBadgeCredential.json", .ob3JSONLD, valid: true),
        Sample("europass/obv3/Complete_OpenBadgeCredential.json", .ob3JSONLD, valid: true),
    ]

    @Test("detected, schema-checked, with the deliberate errors where they are", arguments: samples)
    func sample(_ sample: Sample) throws {
        let bytes = try Docs.reference(sample.path)
        let report = try CredentialInspector().inspect(bytes)
        #expect(report.detected.format == sample.format)
        #expect(report.detected.container == sample.container)
        if let valid = sample.valid {
            #expect(report.schemaValid == valid, "\(report.violations)")
        }
        let pointers = Set(report.violations.map(\.pointer.description))
        for pointer in sample.pointers {
            #expect(pointers.contains(pointer), "expected a violation at \(pointer.isEmpty ? "/" : pointer), got \(pointers.sorted())")
        }
    }

    @Test("these are not credentials, each with the reason", arguments: [
        ("openbadges/ob3/validator-samples/bit-string-list/testlist", "BitstringStatusListCredential"),
        ("openbadges/ob2/validator-samples/assets/badgeclass1.json", "BadgeClass"),
        ("openbadges/ob2/validator-samples/assets/key1.json", "CryptographicKey"),
        ("openbadges/ob2/validator-samples/assets/revocation-list.json", "RevocationList"),
        ("openbadges/ob2/validator-samples/assets/robotics-badge.png", "no openbadges"),
        ("europass/edci-2.0.6/json_to_seal-signed-jades-baseline-lta.json", "not a Europass credential"),
        ("openbadges/ob3/test-vectors/spec-eddsa-rdfc-2022/document-canon.txt", "not an SVG"),
        ("europass/derived/sample-seal-certs/signing-cert_x5c0_TEST_SEAL.pem", "not a credential"),
    ])
    func notCredentials(path: String, reason: String) throws {
        let bytes = try Docs.reference(path)
        let error = #expect(throws: DocumentError.self) { try FormatDetector().detect(bytes) }
        #expect(error?.message.contains(reason) ?? false, "\(String(describing: error))")
    }

    /// Whether JSON text has no white space outside strings.
    static func isCompact(_ bytes: [UInt8]) -> Bool {
        var inString = false, escaped = false
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
            } else if b == 0x22 {
                inString = true
            } else if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                return false
            }
        }
        return true
    }

    @Test("every JSON sample parses; compact ones re-encode byte for byte, the others to the same value",
          arguments: samples.filter { !$0.path.hasSuffix(".png") && !$0.path.hasSuffix(".svg") && !$0.path.hasSuffix(".jwt") })
    func roundTrip(_ sample: Sample) throws {
        let bytes = try Docs.reference(sample.path)
        let value = try JSONParser().parse(bytes)
        if Self.isCompact(bytes) {
            #expect(value.compactBytes == bytes)
        }
        #expect(try JSONParser().parse(value.compactBytes) == value)
    }

    @Test("compact payloads inside signed samples re-encode byte for byte, through the typed models too")
    func signedPayloads() throws {
        for path in [Self.elm + "Sample-MC-Annex1-signed.jsonld", Self.elm + "Sample-CertOfPart-signed.jsonld", "europass/mynextid/edc-mc-signed.jsonld"] {
            let bytes = try Docs.reference(path)
            #expect(Self.isCompact(bytes) ? JSONValue.object(try JSONParser().parse(bytes).objectValue!).compactBytes == bytes : true)
            let envelope = try JAdESEnvelope(bytes: bytes)
            let payload = Array(envelope.payloadText.utf8)
            #expect(Self.isCompact(payload))
            #expect(envelope.credential.compactText == envelope.payloadText, "\(path)")
            // Through Codable (our models are Codable): every member survives, in order.
            let encoded = try JSONEncoder().encode(envelope.credential)
            let decoded = try JSONDecoder().decode(EuropeanDigitalCredential.self, from: encoded)
            #expect(Set(decoded.json.keys) == Set(envelope.credential.json.keys))
        }
        for path in [Self.ob3 + "simple.jwt", Self.ob2 + "simple.jwt"] {
            let detected = try FormatDetector().detect(try Docs.reference(path))
            let payload = try #require(detected.jws).payload
            let claims = try JSONParser().parse(payload)
            if Self.isCompact(payload) { #expect(claims.compactBytes == payload) }
        }
    }

    @Test("typed models read the samples")
    func models() throws {
        let simple = try AchievementCredential(try Docs.referenceJSON(Self.ob3 + "simple.json"))
        #expect(simple.name == "Teamwork Badge")
        #expect(simple.issuer?.name == "Example Corp")
        #expect(simple.credentialSubject?.achievement?.name == "Teamwork")
        #expect(simple.proofs.first?.cryptosuite == "eddsa-rdfc-2022")
        #expect(simple.validFrom == ISO8601DateFormatter().date(from: "2010-01-01T00:00:00Z"))
        #expect(!simple.isVC11)
        #expect(try AchievementCredential(try Docs.referenceJSON(Self.ob3 + "simple_v1.json")).isVC11)
        let complete = try AchievementCredential(try Docs.referenceJSON(Self.ob3 + "complete.json"))
        #expect(complete.credentialSubject?.achievement?.alignments.isEmpty == false)
        #expect(complete.credentialStatus.first?.json["type"] != nil)

        let assertion = try Assertion(try Docs.referenceJSON(Self.ob2 + "basic-assertion.json"))
        #expect(assertion.recipient?.matches("nobody@example.org") == true)
        #expect(assertion.recipient?.matches("somebody@example.org") == false)
        #expect(assertion.verification?.isSigned == false)
        #expect(assertion.badgeIRI == "https://example.org/robotics-badge.json")
        let revocations = try RevocationList(try Docs.referenceJSON(Self.ob2 + "assets/revocation-list.json"))
        #expect(revocations.isRevoked("urn:uuid:6deb4a00-ebce-4b28-8cc2-afa705ef7be4"))
        #expect(revocations.revoked.first?.reason == "A good reason, for sure")
        let key = try CryptographicKey(try Docs.referenceJSON(Self.ob2 + "assets/key1.json"))
        #expect(key.publicKeyPem?.contains("BEGIN PUBLIC KEY") == true)

        let edc = try EuropeanDigitalCredential(try Docs.referenceJSON(Self.elm + "Sample-MC-Annex1-unsigned.jsonld"))
        #expect(edc.credentialSubject?.fullName?.text() == "Ana Andromeda")
        let claim = try #require(edc.credentialSubject?.claims.first)
        #expect(claim.title?.text() == "Digital micro-credential creation")
        #expect(claim.specifiedBy.first?.eqfLevelNumber == 6)
        #expect(claim.specifiedBy.first?.ectsCredits == 2)
        #expect(claim.awardedBy?.awardingBodies.first?.legalName?.text() == "University of Zed")
        #expect(edc.issuer?.countryCode == "IRL")
        let envelope = try JAdESEnvelope(bytes: try Docs.reference(Self.elm + "Sample-MC-Annex1-signed.jsonld"))
        #expect(envelope.signingTime != nil)
        #expect(envelope.header.critical.contains("b64"))
    }

    @Test("recipient hashes: sha256 and md5, salted, e-mail case ignored (values from Python's hashlib)")
    func recipientHashes() throws {
        #expect(RecipientHash.sha256("nobody@example.org", salt: "deadsea")
            == "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942")
        #expect(RecipientHash.matches(identity: "Nobody@Example.org", hashed: true, value: "md5$20ef289f337bed59b6986a224889564c", salt: "salt"))
        #expect(!RecipientHash.matches(identity: "other@example.org", hashed: true, value: "md5$20ef289f337bed59b6986a224889564c", salt: "salt"))
        #expect(!RecipientHash.matches(identity: "nobody@example.org", hashed: true, value: "sha1$00", salt: nil))
        #expect(RecipientHash.matches(identity: "a@example.org", hashed: false, value: "A@example.org", salt: nil))
    }

    @Test("unknown members survive decode and encode, in order, through the models and Codable")
    func unknownMembers() throws {
        let text = #"{"@context":["https://www.w3.org/ns/credentials/v2"],"zz":{"b":1.50,"a":[true]},"type":["VerifiableCredential","OpenBadgeCredential"],"ext:custom":"x","name":"n"}"#
        var credential = try AchievementCredential(parsing: Array(text.utf8))
        #expect(credential.compactText == text)
        credential.name = "renamed"
        #expect(credential.compactText == text.replacing(#""name":"n""#, with: #""name":"renamed""#))
        let data = try JSONEncoder().encode(credential)
        let back = try JSONDecoder().decode(AchievementCredential.self, from: data)
        #expect(back.json["ext:custom"] == "x")
        #expect(back.json["zz"]?["a"] == [true])
    }
}
