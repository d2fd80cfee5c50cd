import Foundation
import NachweisCrypto
import NachweisTestSupport
import Testing

/// X.509 parsing and chain validation, checked against the `openssl` command line on the same files.
@Suite("X.509 certificates")
struct CertificateTests {
    /// Builds a small PKI with the openssl command line: a root, an intermediate, leaves for each case.
    static let pkiScript = #"""
    set -euo pipefail
    key() { openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
    root() { key "$1.key"; openssl req -new -x509 -key "$1.key" -sha256 -days 3650 -subj "/CN=$1" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$1.pem"; }
    # issue NAME ISSUER DAYS EXTENSIONS
    issue() { key "$1.key"; openssl req -new -key "$1.key" -subj "/C=BE/O=Org $1/organizationIdentifier=VATBE-0123456789/CN=$1" -out "$1.csr"
      printf '%b' "$4" > "$1.ext"
      openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -sha256 -days "$3" -set_serial "0x$(openssl rand -hex 8)" -extfile "$1.ext" -out "$1.pem"; }
    CA='basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n'
    BADCA='basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature\n'
    LEAF='basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n'
    root root; root other
    issue inter root 1000 "$CA"
    issue leaf inter 365 "$LEAF"
    issue shortleaf inter 2 "$LEAF"
    issue otherleaf other 365 "$LEAF"
    issue badinter root 1000 "$BADCA"
    issue badleaf badinter 365 "$LEAF"
    issue notca leaf 365 "$LEAF"
    """#

    static func makePKI() throws -> URL {
        let dir = try TestEnvironment.temporaryDirectory()
        let result = try runProcess("bash", ["-c", pkiScript], directory: dir)
        guard result.status == 0 else { throw CryptoError(.io, "PKI script failed: \(result.standardError)") }
        return dir
    }

    static func load(_ dir: URL, _ name: String) throws -> Certificate {
        try Certificate.parse(Array(try Data(contentsOf: dir.appendingPathComponent("\(name).pem"))))[0]
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String, leaf: String, intermediate: String?, anchor: String
        /// Seconds from now at which to validate.
        let offset: TimeInterval
        /// The code Nachweis must give, nil when valid.
        let expected: CryptoError.Code?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "good chain", leaf: "leaf", intermediate: "inter", anchor: "root", offset: 0, expected: nil),
        Case(name: "good chain, later", leaf: "leaf", intermediate: "inter", anchor: "root", offset: 86400 * 300, expected: nil),
        Case(name: "expired leaf", leaf: "shortleaf", intermediate: "inter", anchor: "root", offset: 86400 * 5, expected: .certificateExpired),
        Case(name: "expired leaf, checked before expiry", leaf: "shortleaf", intermediate: "inter", anchor: "root", offset: 86400, expected: nil),
        Case(name: "not yet valid", leaf: "leaf", intermediate: "inter", anchor: "root", offset: -86400 * 3, expected: .certificateNotYetValid),
        Case(name: "wrong CA", leaf: "otherleaf", intermediate: nil, anchor: "root", offset: 0, expected: .untrustedChain),
        Case(name: "missing intermediate", leaf: "leaf", intermediate: nil, anchor: "root", offset: 0, expected: .untrustedChain),
        Case(name: "intermediate without keyCertSign", leaf: "badleaf", intermediate: "badinter", anchor: "root", offset: 0,
             expected: .keyUsageNotAllowed),
        Case(name: "issuer that is not a CA", leaf: "notca", intermediate: "leaf inter", anchor: "root", offset: 0, expected: .invalidCA),
    ]

    @Test("chain validation agrees with openssl verify", arguments: cases)
    func agreesWithOpenSSL(testCase: Case) throws {
        let dir = try Self.makePKI()
        let time = Date().addingTimeInterval(testCase.offset)
        let intermediates = try (testCase.intermediate?.split(separator: " ") ?? []).map { try Self.load(dir, String($0)) }
        let validator = CertificateChainValidator(trustAnchors: [try Self.load(dir, testCase.anchor)])

        var arguments = ["verify", "-CAfile", "\(testCase.anchor).pem", "-attime", String(Int(time.timeIntervalSince1970))]
        if let names = testCase.intermediate {
            let bundle = try names.split(separator: " ").map { try String(contentsOf: dir.appendingPathComponent("\($0).pem"), encoding: .utf8) }.joined()
            try Data(bundle.utf8).write(to: dir.appendingPathComponent("untrusted.pem"))
            arguments += ["-untrusted", "untrusted.pem"]
        }
        let openssl = try runProcess("openssl", arguments + ["\(testCase.leaf).pem"], directory: dir)

        do {
            let chain = try validator.validate(leaf: try Self.load(dir, testCase.leaf), intermediates: intermediates, at: time)
            #expect(testCase.expected == nil, "Nachweis accepted a chain it should refuse")
            #expect(openssl.status == 0, "openssl refused what Nachweis accepted: \(openssl.output)")
            #expect(chain.count == 3)
            #expect(chain.last == (try Self.load(dir, testCase.anchor)))
        } catch {
            #expect((error as? CryptoError)?.code == testCase.expected, "\(error)")
            #expect(openssl.status != 0, "openssl accepted what Nachweis refused (\(error))")
        }
    }

    @Test("fields match what openssl x509 prints")
    func fields() throws {
        let dir = try Self.makePKI()
        let leaf = try Self.load(dir, "leaf")
        #expect(leaf.subject.commonName == "leaf")
        #expect(leaf.subject.organization == "Org leaf")
        #expect(leaf.subject.country == "BE")
        #expect(leaf.subject.organizationIdentifier == "VATBE-0123456789")
        #expect(leaf.issuer.commonName == "inter")
        #expect(leaf.keyUsage == [.digitalSignature, .nonRepudiation])
        #expect(!leaf.isCA)
        #expect(try Self.load(dir, "inter").isCA)
        let printed = try runProcess("openssl", ["x509", "-in", "leaf.pem", "-noout", "-serial", "-fingerprint", "-sha256", "-enddate", "-startdate"],
                                     directory: dir).output
        #expect(printed.contains("serial=\(leaf.serialNumber)"))
        let fingerprint = leaf.sha256Thumbprint.map { String(format: "%02X", $0) }.joined(separator: ":")
        #expect(printed.contains("sha256 Fingerprint=\(fingerprint)"))
        #expect(leaf.x5tS256 == Base64URL.encode(leaf.sha256Thumbprint))
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
        let notAfter = printed.split(separator: "\n").first { $0.hasPrefix("notAfter=") }!.dropFirst("notAfter=".count)
        #expect(format.date(from: String(notAfter).replacingOccurrences(of: "  ", with: " ")) == leaf.notAfter)
        #expect(leaf.notBefore < Date() && Date() < leaf.notAfter)
        #expect(try leaf.publicKey().kind == .ecdsa(.p256))
        // PEM re-encoding is byte-identical to what openssl wrote.
        #expect(leaf.pemRepresentation == (try String(contentsOf: dir.appendingPathComponent("leaf.pem"), encoding: .utf8)))
        #expect(try Certificate(der: leaf.derRepresentation) == leaf)
    }

    @Test("the development seal certificate chains to Keys/trust-anchors and allows nonRepudiation only")
    func developmentSeal() throws {
        let keys = TestEnvironment.repositoryRoot.appendingPathComponent("Keys")
        let seal = try Certificate.parse(Array(try Data(contentsOf: keys.appendingPathComponent("seal-p256.pem"))))[0]
        #expect(seal.subject.organizationIdentifier == "VATDE-000000000")
        #expect(seal.subject.country == "DE")
        let validator = try CertificateChainValidator(trustAnchorDirectory: keys.appendingPathComponent("trust-anchors").path,
                                                      requiredLeafKeyUsage: .nonRepudiation)
        #expect(try validator.validate(leaf: seal).count == 2)
        var strict = validator
        strict.requiredLeafKeyUsage = .digitalSignature
        expectError(.keyUsageNotAllowed) { try strict.validate(leaf: seal) }
        // The seal key is the certificate's key.
        let sealKey = try PrivateKey(pem: try String(contentsOf: keys.appendingPathComponent("seal-p256.key"), encoding: .utf8))
        #expect(sealKey.publicKey == (try seal.publicKey()))
    }

    @Test("broken certificate input is a typed error", arguments: [
        "", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a certificate",
    ])
    func broken(text: String) {
        expectError(.invalidCertificate) { try Certificate.parse(Array(text.utf8)) }
    }

    @Test("a DER certificate with trailing bytes is refused")
    func trailingBytes() throws {
        let dir = try Self.makePKI()
        let leaf = try Self.load(dir, "leaf")
        expectError(.invalidCertificate) { try Certificate(der: leaf.derRepresentation + [0]) }
    }
}
