import Foundation
import Hummingbird
import NachweisStore
import Synchronization

/// The service's Prometheus metrics, rendered at `GET /metrics` in the text exposition format (0.0.4): HTTP
/// requests by method, route and status, request durations as a histogram, credentials issued by format, state
/// changes, and whether the database answers. Counters live in memory, per process (each instance behind a load
/// balancer is scraped on its own).
public final class Metrics: Sendable {
    struct Key: Hashable, Comparable {
        let name: String
        let labels: [String]

        static func < (a: Key, b: Key) -> Bool { (a.name, a.labels.joined(separator: "\u{0}")) < (b.name, b.labels.joined(separator: "\u{0}")) }
    }

    struct Histogram {
        var buckets: [Int]
        var count = 0
        var sum = 0.0
    }

    struct State {
        var counters: [Key: Int] = [:]
        var histograms: [Key: Histogram] = [:]
    }

    /// Upper bounds of the duration buckets, in seconds.
    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
    static let labelNames: [String: [String]] = [
        "nachweis_http_requests_total": ["method", "route", "status"],
        "nachweis_http_request_duration_seconds": ["method", "route"],
        "nachweis_credentials_issued_total": ["format"],
        "nachweis_credential_state_changes_total": ["state"],
    ]
    static let help: [String: String] = [
        "nachweis_http_requests_total": "HTTP requests answered, by method, matched route and status.",
        "nachweis_http_request_duration_seconds": "Time from request to response head, by method and matched route.",
        "nachweis_credentials_issued_total": "Credentials issued (newly stored; idempotent replays not counted), by format.",
        "nachweis_credential_state_changes_total": "Revocations, suspensions and reinstatements that changed a credential.",
    ]

    private let state = Mutex(State())

    public init() {}

    func increment(_ name: String, _ labels: [String]) {
        state.withLock { $0.counters[Key(name: name, labels: labels), default: 0] += 1 }
    }

    func observe(_ name: String, _ labels: [String], seconds: Double) {
        state.withLock { state in
            var histogram = state.histograms[Key(name: name, labels: labels)] ?? Histogram(buckets: Array(repeating: 0, count: Self.bounds.count))
            for (n, bound) in Self.bounds.enumerated() where seconds <= bound { histogram.buckets[n] += 1 }
            histogram.count += 1
            histogram.sum += seconds
            state.histograms[Key(name: name, labels: labels)] = histogram
        }
    }

    func issued(_ format: IssuedCredential.Format) { increment("nachweis_credentials_issued_total", [format.rawValue]) }
    func changed(to state: IssuedCredential.State) { increment("nachweis_credential_state_changes_total", [state.rawValue]) }

    /// The exposition text; `databaseUp` becomes the `nachweis_database_up` gauge.
    func render(databaseUp: Bool) -> String {
        let snapshot = state.withLock { $0 }
        var out = "# HELP nachweis_database_up Whether the database answered the scrape's ping.\n# TYPE nachweis_database_up gauge\n"
        out += "nachweis_database_up \(databaseUp ? 1 : 0)\n"
        func labels(_ name: String, _ values: [String], extra: String? = nil) -> String {
            var pairs = zip(Self.labelNames[name] ?? [], values).map { "\($0)=\"\(Self.escape($1))\"" }
            if let extra { pairs.append(extra) }
            return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
        }
        for name in ["nachweis_http_requests_total", "nachweis_credentials_issued_total", "nachweis_credential_state_changes_total"] {
            out += "# HELP \(name) \(Self.help[name] ?? "")\n# TYPE \(name) counter\n"
            for (key, value) in snapshot.counters.filter({ $0.key.name == name }).sorted(by: { $0.key < $1.key }) {
                out += "\(name)\(labels(name, key.labels)) \(value)\n"
            }
        }
        let name = "nachweis_http_request_duration_seconds"
        out += "# HELP \(name) \(Self.help[name] ?? "")\n# TYPE \(name) histogram\n"
        for (key, histogram) in snapshot.histograms.sorted(by: { $0.key < $1.key }) {
            for (n, bound) in Self.bounds.enumerated() {
                out += "\(name)_bucket\(labels(name, key.labels, extra: "le=\"\(bound)\"")) \(histogram.buckets[n])\n"
            }
            out += "\(name)_bucket\(labels(name, key.labels, extra: "le=\"+Inf\"")) \(histogram.count)\n"
            out += "\(name)_sum\(labels(name, key.labels)) \(histogram.sum)\n"
            out += "\(name)_count\(labels(name, key.labels)) \(histogram.count)\n"
        }
        return out
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Counts every routed request by its matched route (the pattern, never the concrete path: ids do not make new
    /// series). Router middleware runs only for requests a route matches, so paths no route knows make no series.
    struct Middleware: RouterMiddleware {
        typealias Context = BasicRequestContext
        let metrics: Metrics

        func handle(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
            let start = ContinuousClock.now
            let method = request.method.rawValue
            do {
                let response = try await next(request, context)
                record(method, context.endpointPath, Int(response.status.code), since: start)
                return response
            } catch {
                let status = (error as? any HTTPResponseError)?.status.code ?? 500
                record(method, context.endpointPath, Int(status), since: start)
                throw error
            }
        }

        func record(_ method: String, _ route: String?, _ status: Int, since start: ContinuousClock.Instant) {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let route = route ?? "unknown"
            metrics.increment("nachweis_http_requests_total", [method, route, String(status)])
            metrics.observe("nachweis_http_request_duration_seconds", [method, route], seconds: seconds)
        }
    }
}
