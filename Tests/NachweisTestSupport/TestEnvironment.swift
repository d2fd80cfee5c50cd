import Foundation
import Testing

/// Where the tests find what lies outside Swift: the repository, the shared reference data,
/// the Python peers (installed by `.ci/run` into `.venv`), command-line tools.
public enum TestEnvironment {
    /// The repository root (this file is Tests/NachweisTestSupport/TestEnvironment.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether this is a CI run (missing peers then fail instead of skipping).
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// `../shared/reference` beside the repository, or `NACHWEIS_REFERENCE`.
    public static var referenceRoot: URL? {
        let env = ProcessInfo.processInfo.environment["NACHWEIS_REFERENCE"]
        let url = env.map { URL(fileURLWithPath: $0) }
            ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/reference")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A file of the reference data; cancels the test (shown as skipped, with the reason) when absent.
    public static func reference(_ path: String) throws -> URL {
        guard let root = referenceRoot else {
            try Test.cancel("reference data ../shared/reference is absent: skipping \(path)")
        }
        let url = root.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            try Test.cancel("reference file \(path) is absent: skipping")
        }
        return url
    }

    /// The Python interpreter with the pinned peers (`NACHWEIS_PYTHON`, else `.venv/bin/python`).
    /// Without one, the test is skipped with a message, or fails on CI where `.ci/run` must have made it.
    public static func python() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["NACHWEIS_PYTHON"],
                          repositoryRoot.appendingPathComponent(".venv/bin/python").path].compactMap { $0 }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        let message = "no Python with the interop peers (run scripts/test, which makes .venv)"
        if isCI { Issue.record(Comment(rawValue: message)) }
        try Test.cancel(Comment(rawValue: message))
    }

    /// An interop script under Tests/Interop.
    /// Python 3.8 with the OB 2.0 validator `openbadges` (`NACHWEIS_OB2_PYTHON`, else `.venv-ob2/bin/python`, made
    /// by scripts/bootstrap); skipped with a message when absent, a failure on CI.
    public static func ob2Python() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["NACHWEIS_OB2_PYTHON"],
                          repositoryRoot.appendingPathComponent(".venv-ob2/bin/python").path].compactMap { $0 }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        let message = "no Python 3.8 with the OB 2.0 validator (run scripts/test, which makes .venv-ob2)"
        if isCI { Issue.record(Comment(rawValue: message)) }
        try Test.cancel(Comment(rawValue: message))
    }

    public static func interopScript(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/Interop/\(name)").path
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nachweis-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The result of running a program.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let standardOutput: Data
    public let standardError: String
    public var output: String { String(decoding: standardOutput, as: UTF8.self) }
}

/// Runs a program to completion with optional standard input.
public func runProcess(_ executable: String, _ arguments: [String], input: Data? = nil,
                       environment: [String: String]? = nil, directory: URL? = nil) throws -> ProcessResult {
    let process = Process()
    if executable.contains("/") {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
    }
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    if let directory { process.currentDirectoryURL = directory }
    let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = stdin
    try process.run()
    // Read both pipes concurrently so neither fills up and blocks the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        errData = stderr.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    if let input { stdin.fileHandleForWriting.write(input) }
    try stdin.fileHandleForWriting.close()
    let outData = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, standardOutput: outData, standardError: String(decoding: errData, as: UTF8.self))
}

/// A seeded generator (SplitMix64) so property tests are repeatable.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }

    /// A copy of input with a few random bytes flipped, inserted, or removed, or cut short.
    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var out = input
        for _ in 0..<Int.random(in: 1...4, using: &self) {
            switch Int.random(in: 0..<4, using: &self) {
            case 0 where !out.isEmpty: out[Int.random(in: 0..<out.count, using: &self)] = UInt8.random(in: 0...255, using: &self)
            case 1: out.insert(UInt8.random(in: 0...255, using: &self), at: Int.random(in: 0...out.count, using: &self))
            case 2 where !out.isEmpty: out.remove(at: Int.random(in: 0..<out.count, using: &self))
            case 3 where !out.isEmpty: out = Array(out.prefix(Int.random(in: 0..<out.count, using: &self)))
            default: break
            }
        }
        return out
    }
}

/// ``runProcess`` for async tests: the blocking wait happens on a Dispatch thread, not on one of Swift concurrency's
/// cooperative threads. A peer that calls back into an in-process server (the OB 2.0 validator fetching a live
/// server's documents) would otherwise deadlock when every cooperative thread — two on a two-core machine — waits for
/// a child that waits for the server.
public func runProcessOffPool(_ executable: String, _ arguments: [String], input: Data? = nil,
                              environment: [String: String]? = nil, directory: URL? = nil) async throws -> ProcessResult {
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<ProcessResult, any Error>, Never>) in
        DispatchQueue.global().async {
            continuation.resume(returning: Result { try runProcess(executable, arguments, input: input, environment: environment, directory: directory) })
        }
    }
    return try result.get()
}
