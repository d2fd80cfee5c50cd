// `nachweis-bench crypto`: single-threaded sign and verify rates of Nachweis next to `openssl speed`,
// measured in the same run on the same machine.
//
// Both sides are timed in CPU time of the measuring thread/process (openssl speed's default), so
// other load on the machine changes the figures little. The message is 128 bytes (a JWS signing input
// is of that order); openssl speed signs a short fixed buffer without hashing it (ECDSA, RSA), so the
// comparison is slightly in OpenSSL's favour.
import Foundation
import NachweisCrypto

/// CPU time of this thread in seconds.
func threadCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Operations per CPU second of body, run in batches until `seconds` of CPU time have passed.
func rate(seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<20 { try body() }  // warm up
    var count = 0
    let start = threadCPUTime()
    var elapsed = 0.0
    repeat {
        for _ in 0..<16 { try body() }
        count += 16
        elapsed = threadCPUTime() - start
    } while elapsed < seconds
    return Double(count) / elapsed
}

struct Case {
    let name: String
    let kind: KeyKind
    let algorithm: SignatureAlgorithm
    /// `openssl speed` algorithm name and bits, as printed in its -mr output.
    let speedName: String
}

let cases = [
    Case(name: "EdDSA (Ed25519)", kind: .ed25519, algorithm: .eddsa, speedName: "ed25519"),
    Case(name: "ES256 (P-256)", kind: .ecdsa(.p256), algorithm: .es256, speedName: "ecdsap256"),
    Case(name: "ES384 (P-384)", kind: .ecdsa(.p384), algorithm: .es384, speedName: "ecdsap384"),
    Case(name: "RS256 (RSA 2048)", kind: .rsa(bits: 2048), algorithm: .rs256, speedName: "rsa2048"),
    Case(name: "PS256 (RSA 2048)", kind: .rsa(bits: 2048), algorithm: .ps256, speedName: "rsa2048"),
    Case(name: "RS256 (RSA 3072)", kind: .rsa(bits: 3072), algorithm: .rs256, speedName: "rsa3072"),
]

/// Runs `openssl speed -mr` for the algorithms and returns sign/verify rates by algorithm name.
/// `openssl speed` rates; `multi` runs that many processes and gives their sum (the final `+F` line).
func opensslSpeed(_ names: [String], seconds: Double, multi: Int = 1) -> [String: (sign: Double, verify: Double)] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl", "speed", "-mr", "-seconds", String(Int(seconds.rounded(.up)))] + (multi > 1 ? ["-multi", String(multi)] : []) + names
    // `openssl speed` times itself with SIGALRM, and a child inherits the spawning thread's signal mask: from a
    // Swift concurrency worker thread (where signals are blocked) it would never stop. Unblock SIGALRM here first.
    var alarm = sigset_t()
    sigemptyset(&alarm)
    sigaddset(&alarm, SIGALRM)
    pthread_sigmask(SIG_UNBLOCK, &alarm, nil)
    // Output to a file, read after exit.
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("nachweis-openssl-speed-\(UUID().uuidString).txt")
    guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = try? FileHandle(forWritingTo: file) else {
        print("cannot create \(file.path)")
        return [:]
    }
    defer { try? FileManager.default.removeItem(at: file) }
    process.standardOutput = handle
    process.standardError = handle
    do { try process.run() } catch {
        print("cannot run openssl speed: \(error)")
        return [:]
    }
    process.waitUntilExit()
    try? handle.close()
    let output = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    var rates: [String: (Double, Double)] = [:]
    for line in output.split(separator: "\n") {
        let fields = line.split(separator: ":")
        // +F2:idx:bits:sign:verify (RSA) · +F4:idx:bits:sign:verify (ECDSA) · +F6:idx:bits:name:sign:verify (EdDSA)
        switch fields.first {
        case "+F2" where fields.count >= 5: rates["rsa\(fields[2])"] = (Double(fields[3]) ?? 0, Double(fields[4]) ?? 0)
        case "+F4" where fields.count >= 5: rates["ecdsap\(fields[2])"] = (Double(fields[3]) ?? 0, Double(fields[4]) ?? 0)
        case "+F6" where fields.count >= 6: rates[fields[3].lowercased()] = (Double(fields[4]) ?? 0, Double(fields[5]) ?? 0)
        default: break
        }
    }
    return rates
}

func runCryptoBenchmark(_ options: Options) throws {
    let message = (0..<128).map { UInt8(truncatingIfNeeded: $0 &* 37) }

    func format(_ value: Double) -> String { String(format: "%10.0f", value) }
    func percent(_ ours: Double, _ theirs: Double?) -> String {
        guard let theirs, theirs > 0 else { return "      n/a" }
        return String(format: "%8.1f%%", 100 * ours / theirs)
    }

    var host = utsname()
    uname(&host)
    let machine = withUnsafeBytes(of: &host.machine) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown"
    print("nachweis-bench crypto · \(machine) · \(cpu) · \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print("single thread, \(options.seconds) s of CPU time per figure, \(message.count)-byte message")
    print("peer: `openssl speed -mr` (\(OpenSSLVersion.text)) in the same run\n")

    let speedNames = Array(Set(cases.map(\.speedName))).sorted()
    // openssl speed runs before and after Nachweis's rounds; each side keeps its best figure.
    let opensslBefore = opensslSpeed(speedNames, seconds: options.seconds)
    let rounds = 3

    var lines: [(Case, Double, Double)] = []
    for c in cases {
        let key = try PrivateKey.generate(c.kind)
        let publicKey = key.publicKey
        let signature = try key.signature(for: message, algorithm: c.algorithm)
        var sign = 0.0, verify = 0.0
        for _ in 0..<rounds {
            sign = max(sign, try rate(seconds: options.seconds) { _ = try key.signature(for: message, algorithm: c.algorithm) })
            verify = max(verify, rate(seconds: options.seconds) {
                precondition(publicKey.isValidSignature(signature, for: message, algorithm: c.algorithm))
            })
        }
        lines.append((c, sign, verify))
    }
    let opensslAfter = opensslSpeed(speedNames, seconds: options.seconds)
    var openssl: [String: (sign: Double, verify: Double)] = [:]
    for name in speedNames {
        let a = opensslBefore[name] ?? (0, 0), b = opensslAfter[name] ?? (0, 0)
        openssl[name] = (max(a.sign, b.sign), max(a.verify, b.verify))
    }

    print("best of \(rounds) rounds (Nachweis) and of 2 runs (openssl speed)")
    print("algorithm           |  sign/s Nachweis | sign/s OpenSSL |   ratio | verify/s Nachweis | verify/s OpenSSL |   ratio")
    print(String(repeating: "-", count: 115))
    for (c, sign, verify) in lines {
        let peer = openssl[c.speedName]
        print("\(c.name.padding(toLength: 19, withPad: " ", startingAt: 0)) |       \(format(sign)) |     \(format(peer?.sign ?? 0)) | \(percent(sign, peer?.sign)) |        \(format(verify)) |       \(format(peer?.verify ?? 0)) | \(percent(verify, peer?.verify))")
    }

    // Whole compact JWS operations (header JSON, base64url, signing input), for reference.
    print("\nJWS compact (sign = JWSSigner.sign + compactSerialization; verify = parse + policy + signature)")
    for c in cases where c.speedName != "rsa3072" {
        let key = try PrivateKey.generate(c.kind)
        let verifier = JWSVerifier(allowedAlgorithms: [c.algorithm])
        let token = try JWSSigner.sign(payload: message, key: key, algorithm: c.algorithm).compactSerialization()
        let publicKey = key.publicKey
        let sign = try rate(seconds: options.seconds / 2) {
            _ = try JWSSigner.sign(payload: message, key: key, algorithm: c.algorithm).compactSerialization()
        }
        let verify = try rate(seconds: options.seconds / 2) { _ = try verifier.verify(compact: token, key: publicKey) }
        let peer = openssl[c.speedName]
        print("\(c.name.padding(toLength: 19, withPad: " ", startingAt: 0)) | sign \(format(sign))/s (\(percent(sign, peer?.sign)) of OpenSSL) | verify \(format(verify))/s (\(percent(verify, peer?.verify)) of OpenSSL)")
    }

}
