import ArgumentParser
import Foundation
import NachweisCrypto

/// Terminal input and output shared by the commands.
enum CLIIO {
    static func readStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageFailure("cannot read \(path)")
        }
        return Array(data)
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func writeBytes(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("nachweis: " + text + "\n").utf8))
    }

    /// A passphrase from the environment variable named, if any.
    static func passphrase(fromEnvironment name: String?) throws -> String? {
        guard let name else { return nil }
        guard let value = ProcessInfo.processInfo.environment[name] else {
            throw UsageFailure("environment variable \(name) is not set")
        }
        return value
    }

    static func loadKey(_ path: String, passphraseEnvironment: String?) throws -> KeyMaterial {
        let bytes = try readFile(path)
        do {
            return try KeyMaterial.parse(bytes, passphrase: try passphrase(fromEnvironment: passphraseEnvironment))
        } catch let error as CryptoError {
            throw UsageFailure("\(path): \(error)")
        }
    }
}

/// Unusable input or arguments: printed to standard error, exit code 2.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension ParsableCommand {
    /// Runs body, turning unusable input into exit code 2 with the reason on standard error.
    func exitingOnUsageFailure(_ body: () throws -> Void) throws {
        do { try body() } catch let failure as UsageFailure {
            CLIIO.error(failure.description)
            throw ExitCode(2)
        }
    }

    func exitingOnUsageFailureAsync(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let failure as UsageFailure {
            CLIIO.error(failure.description)
            throw ExitCode(2)
        }
    }
}
