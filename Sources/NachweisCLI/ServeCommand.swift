import ArgumentParser
import Foundation
import Logging
import NachweisLinkedData
import NachweisServer
import NachweisStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Nachweis service (HTTP, SQLite).",
        discussion: """
            With no settings it runs on its embedded defaults: 127.0.0.1:8080, the SQLite file nachweis.sqlite in the \
            working directory, and the development keys in Keys/. Settings come from --config FILE (JSON), then \
            NACHWEIS_* environment variables (NACHWEIS_HOST, NACHWEIS_PORT, NACHWEIS_DATA_DIR, NACHWEIS_PUBLIC_BASE_URL, \
            NACHWEIS_SIGNING_KEYS (comma-separated), NACHWEIS_SEAL_KEY, NACHWEIS_SEAL_CERTIFICATE, NACHWEIS_TRUST_ANCHORS, \
            NACHWEIS_TRUSTED_ISSUERS, NACHWEIS_PRODUCTION), then flags. \
            In production mode it refuses development keys and a non-HTTPS public base URL. SIGTERM or SIGINT stop it \
            gracefully. Exit status: 0 after a graceful stop; 2 when the configuration is refused.
            """
    )

    @Option(help: "JSON configuration file.") var config: String?
    @Option(help: "Listen address (default 127.0.0.1).") var host: String?
    @Option(help: "Port (default 8080; 0 picks a free one).") var port: Int?
    @Option(help: "Folder of the SQLite database (default: the working directory).") var dataDir: String?
    @Option(help: "URL the public documents are served under.") var publicBaseURL: String?
    @Option(help: "Issuer signing key (PEM), repeatable; replaces the configured list.") var signingKey: [String] = []
    @Flag(help: "Production mode: no development keys, HTTPS public URL only.") var production = false

    func run() async throws {
        ProcessTuning.allocator()
        let logger = Logger(label: "nachweis")
        var flags: [String: String] = [:]
        if let host { flags["host"] = host }
        if let port { flags["port"] = String(port) }
        if let dataDir { flags["dataDirectory"] = dataDir }
        if let publicBaseURL { flags["publicBaseURL"] = publicBaseURL }
        if !signingKey.isEmpty { flags["signingKeys"] = signingKey.joined(separator: ",") }
        if production { flags["production"] = "true" }
        let settings: ServerConfiguration
        let storage: SQLiteStorage
        do {
            settings = try ServerConfiguration.resolve(file: config, environment: ProcessInfo.processInfo.environment, flags: flags)
            _ = try settings.validate()
            _ = try ShippedContexts.loader()  // the pinned JSON-LD contexts must be intact before anything is signed
            try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
            storage = try SQLiteStorage.open(path: settings.databasePath)
        } catch {
            CLIIO.error("\(error)")
            throw ExitCode(2)
        }
        if !settings.production { logger.warning("development mode: the keys in Keys/ are public; never issue real credentials with them") }
        let app = NachweisServer.application(configuration: settings, storage: storage, logger: logger) { port in
            logger.info("nachweis listening", metadata: ["address": "\(settings.host):\(port)", "database": "\(settings.databasePath)"])
        }
        try await app.runService()
    }
}
