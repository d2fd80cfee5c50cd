import ArgumentParser

/// The `nachweis` command line.
public struct NachweisCommand: AsyncParsableCommand {
    /// The release this build is (`nachweis --version`).
    public static let version = "0.2.0-dev (wave 2: verdicts that hold)"

    public static let configuration = CommandConfiguration(
        commandName: "nachweis",
        abstract: "Nachweis: issue, verify and keep digital credentials (Open Badges 2.0/3.0, Europass EDC).",
        discussion: """
            Run the service (SQLite file and development keys by default):
              nachweis serve

            Start with a key:
              nachweis keys generate --type ed25519 --out issuer.pem
              echo -n '{"hello":"world"}' | nachweis jws sign --key issuer.pem > token.jws
              nachweis jws verify --key issuer.pem < token.jws

            Development keys for trying things out are in Keys/ (never use them in production).
            """,
        version: version,
        subcommands: [ServeCommand.self, IssuersCommand.self, TokensCommand.self, WalletCommand.self, ShareCommand.self, KeysCommand.self, JWSCommand.self, InspectCommand.self, VerifyCommand.self, BakeCommand.self, UnbakeCommand.self, CanonicalizeCommand.self]
    )

    public init() {}

    /// The executable's entry point: parses the arguments and runs the command, awaiting it when it is asynchronous
    /// (`serve`). Spelled out because from top-level code the synchronous `main()` wins overload resolution.
    public static func entry() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
