import Foundation
@testable import NachweisCrypto
import NachweisTestSupport
import Testing

@Suite("Keys")
struct KeyTests {
    static let kinds: [KeyKind] = [.ed25519, .ecdsa(.p256), .ecdsa(.p384), .rsa(bits: 2048)]

    @Test("generate, save and load PEM and DER, sign and verify", arguments: kinds)
    func roundTrip(kind: KeyKind) throws {
        let key = try PrivateKey.generate(kind)
        #expect(key.kind == kind)
        let pem = try key.pemRepresentation()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let fromPEM = try PrivateKey(pem: pem)
        let fromDER = try PrivateKey(der: try key.derRepresentation())
        #expect(fromPEM.publicKey == key.publicKey)
        #expect(fromDER.publicKey == key.publicKey)
        let publicPEM = try key.publicKey.pemRepresentation()
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try PublicKey(pem: publicPEM) == key.publicKey)
        #expect(try PublicKey(der: key.publicKey.derRepresentation) == key.publicKey)

        let algorithm = SignatureAlgorithm.default(for: kind)
        let message = Array("message".utf8)
        let signature = try fromPEM.signature(for: message, algorithm: algorithm)
        #expect(key.publicKey.isValidSignature(signature, for: message, algorithm: algorithm))
        #expect(!key.publicKey.isValidSignature(signature, for: Array("messagf".utf8), algorithm: algorithm))
        let other = try PrivateKey.generate(kind)
        #expect(!other.publicKey.isValidSignature(signature, for: message, algorithm: algorithm))
    }

    @Test("encrypted PKCS#8: right passphrase loads, wrong or missing one is a typed error", arguments: [KeyKind.ed25519, .ecdsa(.p256)])
    func encryptedPKCS8(kind: KeyKind) throws {
        let key = try PrivateKey.generate(kind)
        let pem = try key.pemRepresentation(passphrase: "s3cret")
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        #expect(try PrivateKey(pem: pem, passphrase: "s3cret").publicKey == key.publicKey)
        expectError(.wrongPassphrase) { try PrivateKey(pem: pem, passphrase: "wrong") }
        expectError(.wrongPassphrase) { try PrivateKey(pem: pem) }
        let der = try key.derRepresentation(passphrase: "s3cret")
        #expect(try PrivateKey(der: der, passphrase: "s3cret").publicKey == key.publicKey)
        #expect(throws: CryptoError.self) { try PrivateKey(der: der, passphrase: "wrong") }
    }

    @Test("OpenSSL reads what Nachweis writes: openssl pkey decrypts our encrypted PKCS#8")
    func opensslReadsEncryptedKey() throws {
        let key = try PrivateKey.generate(.ecdsa(.p256))
        let dir = try TestEnvironment.temporaryDirectory()
        let file = dir.appendingPathComponent("k.pem")
        try Data(try key.pemRepresentation(passphrase: "pw").utf8).write(to: file)
        let result = try runProcess("openssl", ["pkey", "-in", file.path, "-passin", "pass:pw", "-pubout"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try PublicKey(pem: result.output) == key.publicKey)
    }

    @Test("keys from the openssl command line load, including traditional EC PEM")
    func opensslKeysLoad() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let file = dir.appendingPathComponent("ec.pem").path
        #expect(try runProcess("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file]).status == 0)
        let pem = try String(contentsOfFile: file, encoding: .utf8)
        #expect(pem.contains("BEGIN EC PRIVATE KEY"))
        #expect(try PrivateKey(pem: pem).kind == .ecdsa(.p256))
    }

    @Test("RSA below 2048 bits and other curves are refused with typed errors")
    func refusedKeys() throws {
        expectError(.invalidKeySize) { try PrivateKey.generate(.rsa(bits: 1024)) }
        expectError(.invalidKeySize) { try PrivateKey.generate(.rsa(bits: 8192)) }
        let dir = try TestEnvironment.temporaryDirectory()
        let small = dir.appendingPathComponent("small.pem").path
        #expect(try runProcess("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", small]).status == 0)
        expectError(.invalidKeySize) { try PrivateKey(pem: try String(contentsOfFile: small, encoding: .utf8)) }
        let k1 = dir.appendingPathComponent("k1.pem").path
        #expect(try runProcess("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", k1]).status == 0)
        expectError(.unsupportedKeyType) { try PrivateKey(pem: try String(contentsOfFile: k1, encoding: .utf8)) }
    }

    @Test("an algorithm that does not fit the key is refused when signing and false when verifying")
    func algorithmFit() throws {
        let ed = try PrivateKey.generate(.ed25519)
        expectError(.keyAlgorithmMismatch) { try ed.signature(for: [1], algorithm: .es256) }
        let p256 = try PrivateKey.generate(.ecdsa(.p256))
        let signature = try p256.signature(for: [1], algorithm: .es256)
        #expect(!p256.publicKey.isValidSignature(signature, for: [1], algorithm: .es384))
    }

    @Test("ECDSA signatures: JOSE r||s converts to DER that openssl dgst verifies", arguments: [KeyKind.Curve.p256, .p384])
    func ecdsaDERInterop(curve: KeyKind.Curve) throws {
        let key = try PrivateKey.generate(.ecdsa(curve))
        let algorithm: SignatureAlgorithm = curve == .p256 ? .es256 : .es384
        let message = Array("interop".utf8)
        let raw = try key.signature(for: message, algorithm: algorithm)
        #expect(raw.count == 2 * curve.coordinateSize)
        let der = try key.derSignature(for: message, algorithm: algorithm)
        #expect(der.first == 0x30)
        #expect(key.publicKey.isValidDERSignature(der, for: message, algorithm: algorithm))
        let dir = try TestEnvironment.temporaryDirectory()
        try Data(message).write(to: dir.appendingPathComponent("m"))
        try Data(der).write(to: dir.appendingPathComponent("sig"))
        try Data(try key.publicKey.pemRepresentation().utf8).write(to: dir.appendingPathComponent("pub.pem"))
        let digest = curve == .p256 ? "-sha256" : "-sha384"
        let result = try runProcess("openssl", ["dgst", digest, "-verify", "pub.pem", "-signature", "sig", "m"], directory: dir)
        #expect(result.status == 0, "\(result.output) \(result.standardError)")
        // And an OpenSSL-made DER signature verifies in JOSE form after conversion by Nachweis.
        try Data(try key.pemRepresentation().utf8).write(to: dir.appendingPathComponent("key.pem"))
        #expect(try runProcess("openssl", ["dgst", digest, "-sign", "key.pem", "-out", "sig2", "m"], directory: dir).status == 0)
        let opensslDER = Array(try Data(contentsOf: dir.appendingPathComponent("sig2")))
        #expect(key.publicKey.isValidDERSignature(opensslDER, for: message, algorithm: algorithm))
    }

    @Test("one key signs and verifies from many tasks at once (pooled OpenSSL contexts)", arguments: kinds)
    func concurrentUse(kind: KeyKind) async throws {
        let key = try PrivateKey.generate(kind)
        let publicKey = key.publicKey
        let algorithms: [SignatureAlgorithm] = kind == .rsa(bits: 2048) ? [.rs256, .ps256] : [.default(for: kind)]
        let failures = await withTaskGroup(of: Int.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var failures = 0
                    for i in 0..<(kind == .rsa(bits: 2048) ? 20 : 100) {
                        let algorithm = algorithms[(task + i) % algorithms.count]
                        let message = Array("task \(task) message \(i)".utf8)
                        guard let signature = try? key.signature(for: message, algorithm: algorithm) else { failures += 1; continue }
                        if !publicKey.isValidSignature(signature, for: message, algorithm: algorithm) { failures += 1 }
                        // A wrong signature fails and does not poison the pooled contexts.
                        if publicKey.isValidSignature(signature, for: message + [0], algorithm: algorithm) { failures += 1 }
                    }
                    return failures
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }

    @Test("digests, HMAC, random bytes and constant-time comparison")
    func primitives() throws {
        // FIPS 180-2 "abc" vectors.
        let abc = Array("abc".utf8)
        #expect(DigestAlgorithm.sha256.hash(abc) == hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        #expect(DigestAlgorithm.sha384.hash(abc) == hex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"))
        #expect(DigestAlgorithm.sha512.hash(abc) == hex("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"))
        // RFC 4231 test case 2.
        #expect(DigestAlgorithm.sha256.hmac(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
            == hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        let a = try SecureRandom.bytes(32), b = try SecureRandom.bytes(32)
        #expect(a.count == 32 && a != b)
        // Pooled draws: the asked length, never the same bytes twice across a refill of the pool (4 096 bytes).
        let drawn = try (0..<600).map { _ in try SecureRandom.pooled(16) }
        #expect(drawn.allSatisfy { $0.count == 16 } && Set(drawn).count == drawn.count)
        #expect(try SecureRandom.pooled(1_000).count == 1_000 && SecureRandom.pooled(0).isEmpty)
        #expect(ConstantTime.equal(a, a))
        #expect(!ConstantTime.equal(a, b))
        #expect(!ConstantTime.equal(a, Array(a.prefix(31))))
        #expect(ConstantTime.equal([UInt8](), [UInt8]()))
    }

    @Test("the development keys in Keys/ load and have the documented kinds")
    func developmentKeys() throws {
        let keys = TestEnvironment.repositoryRoot.appendingPathComponent("Keys")
        func load(_ name: String) throws -> PrivateKey {
            try PrivateKey(pem: try String(contentsOf: keys.appendingPathComponent(name), encoding: .utf8))
        }
        #expect(try load("issuer-ed25519.pem").kind == .ed25519)
        #expect(try load("issuer-p256.pem").kind == .ecdsa(.p256))
        #expect(try load("issuer-rsa3072.pem").kind == .rsa(bits: 3072))
    }
}

func hex(_ text: String) -> [UInt8] { Hex.decode(text)! }

@Suite("Password hashes")
struct PasswordHashTests {
    @Test("scrypt through OpenSSL matches RFC 7914 §12")
    func rfcVector() throws {
        let derived = try PasswordHash.derive("password", salt: Array("NaCl".utf8), cost: .init(logN: 10, r: 8, p: 16), length: 64)
        #expect(Hex.encode(derived) == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    @Test("a stored hash verifies its password only; salts differ per hash; broken or hostile stored values are errors")
    func makeAndVerify() throws {
        let stored = try PasswordHash.make("correct horse battery")
        #expect(stored.hasPrefix("scrypt$ln=15,r=8,p=3$"))
        #expect(try PasswordHash.verify("correct horse battery", against: stored))
        #expect(try !PasswordHash.verify("correct horse batterz", against: stored))
        #expect(try !PasswordHash.verify("", against: stored))
        let again = try PasswordHash.make("correct horse battery")
        #expect(again != stored)
        let cheap = try PasswordHash.make("x", cost: .init(logN: 10, r: 8, p: 1))
        #expect(!PasswordHash.needsRehash(stored) && PasswordHash.needsRehash(cheap))
        // A cost beyond the allowed bounds (2^30 would ask for 128 GiB) is refused before any work.
        for broken in ["", "scrypt$ln=15,r=8,p=3$abc", "bcrypt$x$y$z", stored.replacingOccurrences(of: "ln=15", with: "ln=30"),
                       stored.replacingOccurrences(of: "r=8", with: "r=800"), String(stored.dropLast(2))] {
            #expect(throws: CryptoError.self) { try PasswordHash.verify("correct horse battery", against: broken) }
        }
    }
}
