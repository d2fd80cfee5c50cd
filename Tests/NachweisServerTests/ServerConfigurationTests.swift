import Foundation
import NachweisCrypto
import NachweisServer
import NachweisTestSupport
import Testing

@Suite("Server configuration", .timeLimit(.minutes(3)))
struct ServerConfigurationTests {
    /// The repository root (Keys/ lives there), from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func configuration(_ flags: [String: String] = [:]) throws -> ServerConfiguration {
        var all = ["signingKeys": path("Keys/issuer-ed25519.pem") + "," + path("Keys/issuer-rsa3072.pem"), "sealKeyPath": path("Keys/seal-p256.key"),
                   "sealCertificatePath": path("Keys/seal-p256.pem"), "walletKeyPath": path("Keys/wallet-ed25519.pem")]
        all.merge(flags) { $1 }
        return try ServerConfiguration.resolve(file: nil, environment: [:], flags: all)
    }

    @Test("defaults are the embedded ones: 127.0.0.1:8080, SQLite in the working directory, development keys")
    func defaults() throws {
        let configuration = try ServerConfiguration.resolve(file: nil, environment: [:], flags: [:])
        #expect(configuration.host == "127.0.0.1" && configuration.port == 8080)
        #expect(configuration.databasePath == "./nachweis.sqlite")
        #expect(configuration.signingKeyPaths == ["Keys/issuer-ed25519.pem", "Keys/issuer-p256.pem", "Keys/issuer-rsa3072.pem"])
        #expect(!configuration.production)
    }

    @Test("file, then environment, then flags; malformed values and unknown settings are refused by name")
    func precedence() throws {
        let dir = try TestEnvironment.temporaryDirectory()
        let file = dir.appendingPathComponent("nachweis.json")
        try Data(#"{"port": 9000, "host": "127.0.0.2", "dataDirectory": "/var/lib/nachweis", "production": false}"#.utf8).write(to: file)
        let configuration = try ServerConfiguration.resolve(file: file.path, environment: ["NACHWEIS_PORT": "9100", "NACHWEIS_DATA_DIR": "/srv"],
                                                            flags: ["port": "9200"])
        #expect(configuration.port == 9200 && configuration.host == "127.0.0.2" && configuration.dataDirectory == "/srv")
        for (file, environment, flags, fragment) in [
            (nil, ["NACHWEIS_PORT": "eighty"], [:], "NACHWEIS_PORT: port must be"),
            (nil, [:], ["port": "70000"], "--port: port must be"),
            (nil, ["NACHWEIS_PRODUCTION": "maybe"], [:], "production must be true or false"),
            (nil, [:], ["colour": "blue"], "unknown setting colour"),
            (dir.appendingPathComponent("missing.json").path, [:], [:], "cannot read the configuration file"),
        ] as [(String?, [String: String], [String: String], String)] {
            let error = #expect(throws: ServerError.self) { try ServerConfiguration.resolve(file: file, environment: environment, flags: flags) }
            #expect(error?.code == .invalidConfiguration && error?.message.contains(fragment) == true, "\(String(describing: error))")
        }
    }

    @Test("production mode refuses an http public URL and every development key; accepts its own key over https")
    func production() throws {
        _ = try Self.configuration().validate()  // development mode: fine
        let http = #expect(throws: ServerError.self) { try Self.configuration(["production": "true", "publicBaseURL": "http://badges.example"]).validate() }
        #expect(http?.code == .refusedInProduction)
        let devKey = #expect(throws: ServerError.self) {
            try Self.configuration(["production": "true", "publicBaseURL": "https://badges.example"]).validate()
        }
        #expect(devKey?.code == .refusedInProduction && devKey?.message.contains("Keys/issuer-ed25519.pem") == true)
        let secondDevKey = #expect(throws: ServerError.self) {
            try Self.configuration(["production": "true", "publicBaseURL": "https://badges.example",
                                    "signingKeys": "\(Self.path("Keys/issuer-ed25519.pem")).missing, x"]).validate()
        }
        #expect(secondDevKey?.code == .invalidConfiguration, "every listed key file must be readable")
        // The operator's own keys pass, even when copied somewhere else under another name.
        let dir = try TestEnvironment.temporaryDirectory()
        let own = dir.appendingPathComponent("issuer.pem"), seal = dir.appendingPathComponent("seal.pem"), wallet = dir.appendingPathComponent("wallet.pem")
        try Data(try PrivateKey.generate(.ed25519).pemRepresentation().utf8).write(to: own)
        try Data(try PrivateKey.generate(.ecdsa(.p256)).pemRepresentation().utf8).write(to: seal)
        try Data(try PrivateKey.generate(.ed25519).pemRepresentation().utf8).write(to: wallet)
        // The development wallet key is refused like the others.
        let devWallet = #expect(throws: ServerError.self) {
            try Self.configuration(["production": "true", "publicBaseURL": "https://badges.example", "signingKeys": own.path, "sealKeyPath": seal.path,
                                    "trustAnchors": ""]).validate()
        }
        #expect(devWallet?.code == .refusedInProduction && devWallet?.message.contains("Keys/wallet-ed25519.pem") == true, "\(String(describing: devWallet))")
        let ownSettings = ["production": "true", "publicBaseURL": "https://badges.example", "signingKeys": own.path, "sealKeyPath": seal.path,
                           "walletKeyPath": wallet.path]
        // The development CA as a trust anchor is refused too; no anchors (or the operator's own) are fine.
        let devCA = #expect(throws: ServerError.self) { try Self.configuration(ownSettings).validate() }
        #expect(devCA?.code == .refusedInProduction && devCA?.message.contains("Keys/dev-ca.key") == true, "\(String(describing: devCA))")
        _ = try Self.configuration(ownSettings.merging(["trustAnchors": ""]) { $1 }).validate()
        let copied = dir.appendingPathComponent("renamed.pem")
        try FileManager.default.copyItem(atPath: Self.path("Keys/seal-p256.key"), toPath: copied.path)
        let renamed = #expect(throws: ServerError.self) {
            try Self.configuration(["production": "true", "publicBaseURL": "https://badges.example", "signingKeys": own.path,
                                    "sealKeyPath": copied.path, "trustAnchors": ""]).validate()
        }
        #expect(renamed?.message.contains("Keys/seal-p256.key") == true)
    }

    @Test("the development key list matches the files in Keys/", arguments: DevelopmentKeys.publicKeySHA256.sorted { $0.value < $1.value })
    func developmentKeys(entry: (key: String, value: String)) throws {
        let pem = try String(contentsOfFile: Self.path(entry.value), encoding: .utf8)
        #expect(DevelopmentKeys.published(try PrivateKey(pem: pem).publicKey) == entry.value)
    }
}
