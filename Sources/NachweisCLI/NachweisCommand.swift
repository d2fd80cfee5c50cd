import ArgumentParser

/// The `nachweis` command line.
public struct NachweisCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "nachweis",
        abstract: "Nachweis: issue, verify and keep digital credentials (Open Badges 2.0/3.0, Europass EDC).",
        discussion: """
            Start with a key:
              nachweis keys generate --type ed25519 --out issuer.pem
              echo -n '{"hello":"world"}' | nachweis jws sign --key issuer.pem > token.jws
              nachweis jws verify --key issuer.pem < token.jws

            Development keys for trying things out are in Keys/ (never use them in production).
            """,
        subcommands: [KeysCommand.self, JWSCommand.self, InspectCommand.self, BakeCommand.self, UnbakeCommand.self, CanonicalizeCommand.self]
    )

    public init() {}
}
