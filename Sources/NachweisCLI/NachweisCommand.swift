import ArgumentParser

public struct NachweisCommand: ParsableCommand {
    public init() {}
}
