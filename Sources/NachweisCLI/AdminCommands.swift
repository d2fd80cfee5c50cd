import ArgumentParser
import Foundation
import NachweisJSON
import NachweisCrypto
import NachweisServer
import NachweisStore

/// Where the admin commands find the database: the same settings `nachweis serve` reads.
struct StoreOptions: ParsableArguments {
    @Option(help: "JSON configuration file (as for serve).") var config: String?
    @Option(help: "Folder of the SQLite database (default: the working directory).") var dataDir: String?

    func settings(flags extra: [String: String] = [:]) throws(ServerError) -> ServerConfiguration {
        var flags = extra
        if let dataDir { flags["dataDirectory"] = dataDir }
        return try ServerConfiguration.resolve(file: config, environment: ProcessInfo.processInfo.environment, flags: flags)
    }

    func open(_ settings: ServerConfiguration) throws -> SQLiteStorage {
        try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
        return try SQLiteStorage.open(path: settings.databasePath)
    }
}

/// Runs an admin command body: typed failures print `code: message` and exit 1; success exits 0.
func runAdmin(_ body: () async throws -> Void) async throws {
    do { try await body() } catch let error as StoreError {
        CLIIO.error("\(error)")
        throw ExitCode(1)
    } catch let error as ServerError {
        CLIIO.error("\(error)")
        throw ExitCode(2)
    } catch let error as CryptoError {
        CLIIO.error("\(error)")
        throw ExitCode(2)
    }
}

struct IssuersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issuers",
        abstract: "Create and list issuers (tenants) in the service's database.",
        subcommands: [Create.self, AddKey.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an issuer with its active signing key (bootstrap; the first staff token comes from `tokens create`).",
            discussion: "Exit status: 0 created (prints the issuer's id); 1 refused by the store (slug taken, bad field); 2 unusable settings or key."
        )
        @OptionGroup var store: StoreOptions
        @Option(help: "URL-safe handle: lower-case letters, digits, hyphens.") var slug: String
        @Option(help: "Display name.") var name: String
        @Option(help: "ISO 3166-1 alpha-2 country code, e.g. DE.") var country: String
        @Option(help: "Homepage URL.") var homepage: String
        @Option(help: "Registered legal name.") var legalName: String?
        @Option(help: "eIDAS legal-person identifier.") var eidas: String?
        @Option(help: "Contact email.") var email: String?
        @Option(help: "Logo URL.") var image: String?
        @Option(help: "Signing key (PEM), repeatable; default: the configured signing keys (development keys unless set).") var key: [String] = []

        func run() async throws {
            try await runAdmin {
                let settings = try store.settings(flags: key.isEmpty ? [:] : ["signingKeys": key.joined(separator: ",")])
                let privateKeys = try settings.validate()
                let storage = try store.open(settings)
                let issuer = Issuer(slug: slug, name: name, legalName: legalName, country: country, eidasIdentifier: eidas,
                                    homepage: homepage, email: email, imageURL: image)
                try await storage.issuers.create(issuer)
                for (privateKey, path) in zip(privateKeys, settings.signingKeyPaths) {
                    try await IssuersCommand.addKey(privateKey, path: path, certificate: nil, issuer: issuer, storage: storage)
                }
                let seal = try ServerConfiguration.loadKey(settings.sealKeyPath)
                try await IssuersCommand.addKey(seal, path: settings.sealKeyPath, certificate: settings.sealCertificatePath, issuer: issuer, storage: storage)
                CLIIO.write("\(issuer.id.lowercasedText)\n")
            }
        }
    }

    struct AddKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-key",
            abstract: "Add a signing key (or, with --certificate, a seal) to an issuer: it becomes the active key for its algorithm.",
            discussion: "The key it replaces is retired, not deleted: the JWKS and DID document keep listing it, so credentials signed with it keep verifying."
        )
        @OptionGroup var store: StoreOptions
        @Option(help: "Issuer slug.") var issuer: String
        @Option(help: "Private key (PEM).") var key: String
        @Option(help: "Certificate chain (PEM, leaf first): makes the key the issuer's electronic seal.") var certificate: String?

        func run() async throws {
            try await runAdmin {
                let settings = try store.settings()
                let storage = try store.open(settings)
                let owner = try await storage.issuers.issuer(slug: issuer)
                try await IssuersCommand.addKey(try ServerConfiguration.loadKey(key), path: key, certificate: certificate, issuer: owner, storage: storage)
            }
        }
    }

    /// Stores a key as the issuer's active one for its algorithm (a seal when it comes with a certificate chain).
    static func addKey(_ privateKey: PrivateKey, path: String, certificate: String?, issuer: Issuer, storage: some Storage) async throws {
        let publicKey = privateKey.publicKey
        if let certificate {
            let chain = try ServerConfiguration.loadCertificateChain(certificate)
            guard try chain[0].publicKey() == publicKey else {
                throw ServerError(.invalidConfiguration, "\(certificate): the first certificate is not for the key in \(path)")
            }
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        try await storage.signingKeys.add(SigningKey(issuerID: issuer.id, algorithm: algorithm(publicKey.kind),
                                                     publicJWK: try JWK(publicKey: publicKey).jsonText, privateKeyPath: absolute,
                                                     purpose: certificate == nil ? .signing : .sealing,
                                                     certificatePath: certificate.map { URL(fileURLWithPath: $0).standardizedFileURL.path }))
        CLIIO.error("\(issuer.slug): active \(certificate == nil ? "signing" : "sealing") key \(algorithm(publicKey.kind)) from \(path)")
        if DevelopmentKeys.published(publicKey) != nil {
            CLIIO.error("note: \(path) is a development key; production mode will refuse it")
        }
    }

    static func algorithm(_ kind: KeyKind) -> String {
        switch kind {
        case .ed25519: "EdDSA"
        case .ecdsa(.p256): "ES256"
        case .ecdsa(.p384): "ES384"
        case .rsa: "RS256"
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List issuers: id, slug, country, name.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await runAdmin {
                let storage = try store.open(try store.settings())
                for issuer in try await storage.issuers.issuers() {
                    CLIIO.write("\(issuer.id.lowercasedText)\t\(issuer.slug)\t\(issuer.country)\t\(issuer.name)\n")
                }
            }
        }
    }
}

struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create, list and revoke an issuer's staff API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print its secret — the only time it is shown; the database keeps its SHA-256."
        )
        @OptionGroup var store: StoreOptions
        @Option(help: "Issuer slug.") var issuer: String
        @Option(help: "What the token is for.") var label: String

        func run() async throws {
            try await runAdmin {
                let storage = try store.open(try store.settings())
                let owner = try await storage.issuers.issuer(slug: issuer)
                let secret = try APITokenSecret.generate()
                let token = APIToken(issuerID: owner.id, label: label, secretHash: secret.hash)
                try await storage.apiTokens.add(token)
                CLIIO.write("\(secret.text)\n")
                CLIIO.error("token \(token.id.lowercasedText) for \(owner.slug); store the secret now, it is not shown again")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an issuer's tokens: id, label, state (never secrets).")
        @OptionGroup var store: StoreOptions
        @Option(help: "Issuer slug.") var issuer: String

        func run() async throws {
            try await runAdmin {
                let storage = try store.open(try store.settings())
                let owner = try await storage.issuers.issuer(slug: issuer)
                for token in try await storage.apiTokens.tokens(issuerID: owner.id) {
                    CLIIO.write("\(token.id.lowercasedText)\t\(token.label)\t\(token.isRevoked ? "revoked" : "active")\n")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token (it stops working at once).")
        @OptionGroup var store: StoreOptions
        @Option(help: "Issuer slug.") var issuer: String
        @Argument(help: "Token id (from `tokens list`).") var id: String

        func run() async throws {
            try await runAdmin {
                guard let tokenID = UUID(uuidString: id) else { throw StoreError(.notFound, "\(id) is not a token id") }
                let storage = try store.open(try store.settings())
                let owner = try await storage.issuers.issuer(slug: issuer)
                try await storage.apiTokens.revoke(tokenID: tokenID, issuerID: owner.id, at: Date())
            }
        }
    }
}
