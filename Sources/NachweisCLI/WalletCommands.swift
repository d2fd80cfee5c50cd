import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NachweisJSON

/// Where the wallet commands talk to: a running server and a learner's session (`nachweis wallet sign-in` prints one).
struct WalletConnection: ParsableArguments {
    @Option(help: "The server (default: NACHWEIS_SERVER, else http://127.0.0.1:8080).") var server: String?
    @Option(help: "A session token (default: NACHWEIS_SESSION).") var session: String?
    @Flag(help: "Print the server's JSON answer as it is.") var json = false

    var base: String {
        let value = server ?? ProcessInfo.processInfo.environment["NACHWEIS_SERVER"] ?? "http://127.0.0.1:8080"
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    func token() throws -> String {
        guard let token = session ?? ProcessInfo.processInfo.environment["NACHWEIS_SESSION"], !token.isEmpty else {
            throw UsageFailure("no session: pass --session or set NACHWEIS_SESSION (nachweis wallet sign-in prints one)")
        }
        return token
    }

    /// One request; a non-2xx answer prints the server's error and exits 1, an unreachable server exits 2.
    func call(_ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = "application/json",
              authorized: Bool = true) async throws -> JSONValue {
        guard let url = URL(string: base + path) else { throw UsageFailure("\(base) is not a URL") }
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.httpMethod = method
        if authorized { request.setValue("Bearer \(try token())", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body)
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        let data: Data, response: URLResponse
        do { (data, response) = try await URLSession.shared.data(for: request) } catch {
            CLIIO.error("\(base) did not answer: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let value = (try? JSONParser().parse(Array(data))) ?? .null
        guard (200..<300).contains(status) else {
            CLIIO.error("\(status) \(value["error"]?.stringValue ?? ""): \(value["message"]?.stringValue ?? String(decoding: data, as: UTF8.self))")
            throw ExitCode(1)
        }
        return value
    }

    func show(_ value: JSONValue, _ text: () -> String) {
        CLIIO.write(json ? value.compactText + "\n" : text())
    }
}

/// The learner's wallet on a running server: sign in, import, list.
struct WalletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "A learner's wallet on a running server: sign in, import credentials, list them.",
        discussion: """
            NACHWEIS_PASSWORD=… nachweis wallet sign-in --email ada@example.org   # prints a session token
            export NACHWEIS_SESSION=nws_…
            nachweis wallet import credential.jwt        # any format: JSON, JWS, JAdES, baked PNG/SVG
            nachweis wallet import --url https://issuer.example/ob2/assertions/1
            nachweis wallet list --eqf 6
            """,
        subcommands: [SignIn.self, Import.self, List.self]
    )

    struct SignIn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-in", abstract: "Sign in and print a session token (the password from NACHWEIS_PASSWORD, else standard input).")
        @OptionGroup var connection: WalletConnection
        @Option(help: "The account's email address.") var email: String

        func run() async throws {
            var password = ProcessInfo.processInfo.environment["NACHWEIS_PASSWORD"]
            if password == nil {
                password = String(decoding: CLIIO.readStandardInput(), as: UTF8.self).trimmingCharacters(in: .newlines)
            }
            let body: JSONValue = ["email": .string(email), "password": .string(password ?? "")]
            let answer = try await connection.call("POST", "/api/v1/wallet/sessions", body: body.compactBytes, authorized: false)
            connection.show(answer) { "\(answer["token"]?.stringValue ?? "")\n" }
            CLIIO.error("session until \(answer["expires"]?.stringValue ?? "?"); export NACHWEIS_SESSION=<token> for the other commands")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a credential from a file (as it is) or a URL; prints its id, format and verdict.",
            discussion: "Exit status: 0 imported (or held already), 1 refused by the server, 2 server unreachable.")
        @OptionGroup var connection: WalletConnection
        @Argument(help: "The credential file.") var file: String?
        @Option(help: "Fetch the credential from this URL instead (through the server's bounded fetcher).") var url: String?

        func run() async throws {
            let answer: JSONValue
            switch (file, url) {
            case (let file?, nil):
                answer = try await connection.call("POST", "/api/v1/wallet/credentials", body: try CLIIO.readFile(file), contentType: nil)
            case (nil, let url?):
                let query = url.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))) ?? url
                answer = try await connection.call("POST", "/api/v1/wallet/credentials?url=\(query)")
            default:
                throw UsageFailure("name a credential file or --url, one of them")
            }
            connection.show(answer) {
                let held = answer["duplicate"] == true ? " (held already)" : ""
                return "\(answer["id"]?.stringValue ?? "") \(answer["format"]?.stringValue ?? "") \(answer["verdict"]?.stringValue ?? "")\(held) \(answer["title"]?.stringValue ?? "")\n"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the wallet's credentials, newest import first: id, verdict, status, EQF, title, issuer.")
        @OptionGroup var connection: WalletConnection
        @Option(help: "Issuer name or id.") var issuer: String?
        @Option(help: "Achievement type.") var type: String?
        @Option(help: "EQF level 1–8.") var eqf: Int?
        @Option(help: "active, revoked, suspended or unknown.") var status: String?
        @Option(help: "Text in the title or the issuer's name.") var search: String?
        @Option(help: "At most this many (1–200).") var limit = 50

        func run() async throws {
            var query = [("limit", String(limit))]
            if let issuer { query.append(("issuer", issuer)) }
            if let type { query.append(("type", type)) }
            if let eqf { query.append(("eqf", String(eqf))) }
            if let status { query.append(("status", status)) }
            if let search { query.append(("q", search)) }
            var components = URLComponents()
            components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            let answer = try await connection.call("GET", "/api/v1/wallet/credentials?" + (components.percentEncodedQuery ?? ""))
            connection.show(answer) {
                var lines = ""
                for item in answer["items"]?.arrayValue ?? [] {
                    let fields = [item["id"]?.stringValue, item["verdict"]?.stringValue, item["status"]?.stringValue,
                                  item["eqfLevel"].map { "EQF \($0.compactText)" } ?? "-", item["title"]?.stringValue, item["issuer"]?["name"]?.stringValue]
                    lines += fields.map { $0 ?? "-" }.joined(separator: "\t") + "\n"
                }
                return lines + "\(answer["total"]?.compactText ?? "0") in all\n"
            }
        }
    }
}

/// Share links on a running server: make one, list them, revoke one.
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Share links for wallet credentials on a running server (NACHWEIS_SESSION): create, list, revoke.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a share link; prints its URL (the token is in it, shown once).")
        @OptionGroup var connection: WalletConnection
        @Option(name: .customLong("credential"), help: "A wallet credential's id (repeatable).") var credentials: [String] = []
        @Option(help: "A collection's id, instead of credentials.") var collection: String?
        @Option(help: "Days until the link expires (default 30).") var days: Int?
        @Option(help: "At most this many views.") var maxViews: Int?
        @Option(help: "A note for yourself (who the link is for).") var label: String?

        func run() async throws {
            var body: JSONObject = [:]
            if !credentials.isEmpty { body["credentials"] = .array(credentials.map(JSONValue.string)) }
            if let collection { body["collection"] = .string(collection) }
            if let days { body["expiresInDays"] = .number(JSONNumber(days)) }
            if let maxViews { body["maxViews"] = .number(JSONNumber(maxViews)) }
            if let label { body["label"] = .string(label) }
            let answer = try await connection.call("POST", "/api/v1/wallet/shares", body: JSONValue.object(body).compactBytes)
            connection.show(answer) { "\(answer["url"]?.stringValue ?? "")\n" }
            CLIIO.error("link \(answer["id"]?.stringValue ?? "") until \(answer["expires"]?.stringValue ?? "?")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List share links: id, state, views, expiry, label.")
        @OptionGroup var connection: WalletConnection

        func run() async throws {
            let answer = try await connection.call("GET", "/api/v1/wallet/shares")
            connection.show(answer) {
                (answer.arrayValue ?? []).map { link in
                    let views = link["views"]?.compactText ?? "0"
                    let max = link["maxViews"].map { "/\($0.compactText)" } ?? ""
                    return [link["id"]?.stringValue ?? "-", link["state"]?.stringValue ?? "-", "\(views)\(max) views",
                            link["expires"]?.stringValue ?? "-", link["label"]?.stringValue ?? ""].joined(separator: "\t") + "\n"
                }.joined()
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a share link at once.")
        @OptionGroup var connection: WalletConnection
        @Argument(help: "The link's id.") var id: String

        func run() async throws {
            _ = try await connection.call("DELETE", "/api/v1/wallet/shares/\(id)")
            CLIIO.error("link \(id) revoked")
        }
    }
}
