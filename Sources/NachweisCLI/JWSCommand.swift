import ArgumentParser
import Foundation
import NachweisCrypto
import NachweisJSON

struct JWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jws",
        abstract: "Sign and verify JSON Web Signatures (RFC 7515, compact serialization).",
        subcommands: [Sign.self, Verify.self]
    )

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the bytes on standard input; print the compact JWS.",
            discussion: "The payload is signed exactly as read (a trailing newline is part of it: use echo -n)."
        )

        @Option(help: "Private key file (PEM, DER or JWK).") var key: String
        @Option(help: "EdDSA, ES256, ES384, RS256 or PS256 (default: the key's usual algorithm).") var alg: SignatureAlgorithm?
        @Option(help: "kid header value.") var kid: String?
        @Option(help: "typ header value.") var typ: String?
        @Flag(help: "Unencoded payload (RFC 7797: b64=false), detached from the output.") var unencoded = false
        @Option(help: "Passphrase of an encrypted key, from this environment variable.") var passphraseEnv: String?

        func run() throws {
            try exitingOnUsageFailure {
                guard case .privateKey(let privateKey) = try CLIIO.loadKey(key, passphraseEnvironment: passphraseEnv) else {
                    throw UsageFailure("\(key) holds no private key")
                }
                var header = JSONObject()
                if let kid { header["kid"] = .string(kid) }
                if let typ { header["typ"] = .string(typ) }
                do {
                    let jws = try JWSSigner.sign(payload: CLIIO.readStandardInput(), key: privateKey, algorithm: alg,
                                                 header: header, unencodedPayload: unencoded)
                    CLIIO.write(try jws.compactSerialization(detached: unencoded) + "\n")
                } catch let error as CryptoError {
                    throw UsageFailure(error.description)
                }
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the compact JWS on standard input; print its payload.",
            discussion: """
                Exit status: 0 valid; 1 the signature or header was rejected (alg none or HMAC, algorithm not \
                allowed, key not fitting the algorithm, unknown crit, wrong signature); 2 unusable input \
                (unreadable key, not a compact JWS, malformed base64url or header). The reason goes to standard error.
                """
        )

        @Option(help: "Public or private key file (PEM, DER, certificate or JWK).") var key: String
        @Option(help: "Allowed algorithm; repeat for several (default: the key's usual algorithm).") var alg: [SignatureAlgorithm] = []
        @Option(help: "A critical header name you process yourself; repeat for several.") var crit: [String] = []
        @Option(help: "File holding the detached payload.") var payload: String?

        func run() throws {
            var code: Int32 = 0
            try exitingOnUsageFailure {
                let publicKey = try CLIIO.loadKey(key, passphraseEnvironment: nil).publicKey()
                let allowed = alg.isEmpty ? [SignatureAlgorithm.default(for: publicKey.kind)] : alg
                let verifier = JWSVerifier(allowedAlgorithms: Set(allowed), understoodCriticalHeaders: Set(crit))
                let text = String(decoding: CLIIO.readStandardInput(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                let detached = try payload.map(CLIIO.readFile)
                do {
                    let jws = try verifier.verify(compact: text, key: publicKey, detachedPayload: detached)
                    CLIIO.writeBytes(jws.payload)
                } catch let error as CryptoError {
                    if Verify.unusableInputCodes.contains(error.code) { throw UsageFailure(error.description) }
                    CLIIO.error("rejected: \(error)")
                    code = 1
                }
            }
            if code != 0 { throw ExitCode(code) }
        }

        /// Input that is not a JWS at all; everything else is a rejection.
        static let unusableInputCodes: Set<CryptoError.Code> = [
            .malformedJWS, .malformedBase64URL, .trailingGarbage, .malformedHeader, .payloadRequired,
        ]
    }
}

extension SignatureAlgorithm: ExpressibleByArgument {}
