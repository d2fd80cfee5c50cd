import ArgumentParser
import Foundation
import NachweisCrypto
import NachweisJSON

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make and inspect signing keys (Ed25519, ECDSA P-256/P-384, RSA).",
        discussion: "Key FILEs are PEM (PKCS#8 private, SubjectPublicKeyInfo public, or a certificate), DER, or a JWK.",
        subcommands: [Generate.self, Show.self, JWKCommand.self, DID.self]
    )

    enum KeyTypeOption: String, ExpressibleByArgument, CaseIterable {
        case ed25519, p256, p384, rsa
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a private key and write it as PKCS#8 PEM.",
            discussion: "The file is created with mode 0600 and never overwritten unless --force is given."
        )

        @Option(help: "Key type: ed25519, p256, p384 or rsa.") var type: KeyTypeOption
        @Option(help: "RSA modulus size, 2048 to 4096.") var bits: Int = 3072
        @Option(help: "Where to write the private key.") var out: String
        @Option(help: "Encrypt the key with the passphrase in this environment variable.") var passphraseEnv: String?
        @Flag(help: "Overwrite an existing file.") var force = false

        func run() throws {
            try exitingOnUsageFailure {
                let kind: KeyKind
                switch type {
                case .ed25519: kind = .ed25519
                case .p256: kind = .ecdsa(.p256)
                case .p384: kind = .ecdsa(.p384)
                case .rsa:
                    guard KeyKind.rsaSizes.contains(bits) else { throw UsageFailure("--bits must be between 2048 and 4096") }
                    kind = .rsa(bits: bits)
                }
                if FileManager.default.fileExists(atPath: out) && !force {
                    throw UsageFailure("\(out) exists; use --force to overwrite it")
                }
                let key = try PrivateKey.generate(kind)
                let pem = try key.pemRepresentation(passphrase: try CLIIO.passphrase(fromEnvironment: passphraseEnv))
                let created = FileManager.default.createFile(atPath: out, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600])
                guard created else { throw UsageFailure("cannot write \(out)") }
                CLIIO.write("wrote \(kind) private key to \(out)\n")
                CLIIO.write(try KeyDescription.lines(for: .privateKey(key)).joined(separator: "\n") + "\n")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe a key or certificate: type, thumbprint, did:key, public PEM.")

        @Argument(help: "A key or certificate file.") var file: String
        @Option(help: "Passphrase of an encrypted key, from this environment variable.") var passphraseEnv: String?

        func run() throws {
            try exitingOnUsageFailure {
                let material = try CLIIO.loadKey(file, passphraseEnvironment: passphraseEnv)
                var lines = try KeyDescription.lines(for: material)
                lines.append(try material.publicKey().pemRepresentation())
                CLIIO.write(lines.joined(separator: "\n"))
            }
        }
    }

    struct JWKCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jwk", abstract: "Print the key as a JWK (public unless --private), with its RFC 7638 thumbprint as kid.")

        @Argument(help: "A key file.") var file: String
        @Flag(help: "Include the private key members (keep the output secret).") var `private` = false
        @Option(help: "Passphrase of an encrypted key, from this environment variable.") var passphraseEnv: String?

        func run() throws {
            try exitingOnUsageFailure {
                let material = try CLIIO.loadKey(file, passphraseEnvironment: passphraseEnv)
                let publicJWK = try JWK(publicKey: material.publicKey())
                let extra = JSONObject(["kid": .string(publicJWK.thumbprint())])
                let jwk: JWK
                if `private` {
                    guard case .privateKey(let key) = material else { throw UsageFailure("\(file) holds no private key") }
                    jwk = try JWK(privateKey: key, extra: extra)
                } else {
                    jwk = try JWK(publicKey: material.publicKey(), extra: extra)
                }
                CLIIO.write(jwk.jsonText + "\n")
            }
        }
    }

    struct DID: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "did", abstract: "Print the did:key of an Ed25519, P-256 or P-384 key, and its verification method.")

        @Argument(help: "A key file.") var file: String
        @Option(help: "Passphrase of an encrypted key, from this environment variable.") var passphraseEnv: String?

        func run() throws {
            try exitingOnUsageFailure {
                let material = try CLIIO.loadKey(file, passphraseEnvironment: passphraseEnv)
                do {
                    let did = try DIDKey(publicKey: material.publicKey())
                    CLIIO.write(did.did + "\n" + did.verificationMethod + "\n")
                } catch let error as CryptoError {
                    throw UsageFailure(error.description)
                }
            }
        }
    }
}

enum KeyDescription {
    static func lines(for material: KeyMaterial) throws -> [String] {
        var lines: [String] = []
        if case .certificate(let cert) = material {
            lines.append("certificate:")
            lines.append("  subject: \(cert.subject)")
            lines.append("  issuer: \(cert.issuer)")
            lines.append("  serial: \(cert.serialNumber)")
            let format = ISO8601DateFormatter()
            lines.append("  valid: \(format.string(from: cert.notBefore)) to \(format.string(from: cert.notAfter))")
            lines.append("  key usage: \(cert.keyUsage.map(\.description) ?? "(any)")")
            lines.append("  x5t#S256: \(cert.x5tS256)")
        }
        let key = try material.publicKey()
        lines.append("type: \(key.kind)")
        if case .privateKey = material { lines.append("private: yes") } else { lines.append("private: no") }
        lines.append("jwk thumbprint (SHA-256): \(try JWK(publicKey: key).thumbprint())")
        if let did = try? DIDKey(publicKey: key) { lines.append("did:key: \(did.did)") }
        return lines
    }
}
