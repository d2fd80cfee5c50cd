import Foundation
import Hummingbird
import Logging
import NachweisDocuments
import NachweisLinkedData
import NachweisSchemas
import NachweisVerifier
import NachweisCrypto
import NachweisStore

/// The HTTP service: its routes over a ``Storage``, and the application that serves them.
public enum NachweisServer {
    /// The routes: `GET /health` (200 when the database answers, 503 otherwise), `GET /metrics` (Prometheus), the staff API (``IssuerAPI``, ``AchievementAPI``) and the public
    /// documents (``PublicDocuments``).
    public static func router(storage: any Storage, publicBaseURL: String = "http://127.0.0.1:8080", metrics: Metrics = Metrics(),
                              verification: Verification = Verification(), wallet: WalletSettings? = nil) -> Router<BasicRequestContext> {
        // The shipped contexts are pinned and checked here; without them nothing can be signed as linked data.
        // (It signs only: status lists and credentials, whose proof configurations repeat within a second.)
        let dataIntegrity = (try? ShippedContexts.loader()).map { DataIntegrity.forSigning(JSONLDProcessor(loader: $0)) }
        let router = Router()
        // Structured request logs (method, path, request id from the logger metadata; never headers: tokens live there).
        router.add(middleware: LogRequestsMiddleware(.info, includeHeaders: .none))
        router.add(middleware: Metrics.Middleware(metrics: metrics))
        router.get("/metrics") { _, _ -> Response in
            let up: Bool
            do { try await storage.ping(); up = true } catch { up = false }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics.render(databaseUp: up))))
        }
        let openAPI = FileManager.default.contents(atPath: SchemaFiles.openAPIDocument.path) ?? Data()
        router.get("/openapi.json") { _, _ -> Response in
            guard !openAPI.isEmpty else { throw APIError(.serviceUnavailable, .unavailable, "the OpenAPI document is not installed") }
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300", .accessControlAllowOrigin: "*"],
                            body: .init(byteBuffer: ByteBuffer(bytes: openAPI)))
        }
        router.get("/health") { _, _ -> Response in
            do {
                try await storage.ping()
                return IssuerAPI.json(.ok, ["status": "ok", "database": "ok"])
            } catch {
                return IssuerAPI.json(.serviceUnavailable, ["status": "unavailable", "database": .string((error as? StoreError)?.code.rawValue ?? "error")])
            }
        }
        let issuerAPI = IssuerAPI(storage: storage)
        issuerAPI.register(on: router)
        AchievementAPI(storage: storage, auth: issuerAPI).register(on: router)
        let base = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        let documents = PublicDocuments(storage: storage, baseURL: base)
        let signer = IssuerSigner(storage: storage, documents: documents)
        registerPublicDocuments(on: router, storage: storage, documents: documents, dataIntegrity: dataIntegrity, signer: signer)
        // What this server verifies of its own (status lists, revocation lists, DID and key documents, hosted
        // assertions) it reads from its store through the same handlers, in process: no HTTP cache between an
        // issuer's revocation and this server's next verdict.
        let own = Router()
        registerPublicDocuments(on: own, storage: storage, documents: documents, dataIntegrity: dataIntegrity, signer: signer)
        var verification = verification
        verification.fetcher = OwnDocuments(baseURL: base, responder: own.buildResponder(), others: verification.fetcher)
        if let verifier = try? Verifier(fetcher: verification.fetcher, trustAnchors: verification.trustAnchors, registry: verification.registry) {
            VerifyAPI(verifier: verifier, fetcher: verification.fetcher).register(on: router)
        }
        let walletSettings = wallet ?? WalletSettings.ephemeral()
        if let walletAPI = try? WalletAPI(storage: storage, verification: verification, recheckAfter: walletSettings?.statusRecheckSeconds ?? 300) {
            walletAPI.register(on: router)
            CollectionAPI(storage: storage, wallet: walletAPI).register(on: router)
            if let settings = walletSettings,
               let shares = try? ShareAPI(storage: storage, wallet: walletAPI, settings: settings, publicBaseURL: publicBaseURL) {
                shares.register(on: router)
            }
        }
        if let dataIntegrity, let schemas = try? ShippedSchemas.shared.get() {
            let issuing = IssuingService(storage: storage, documents: documents, dataIntegrity: dataIntegrity, schemas: schemas, signer: signer,
                                         metrics: metrics)
            CredentialAPI(storage: storage, auth: issuerAPI, issuing: issuing, metrics: metrics).register(on: router)
        }
        return router
    }

    /// The documents anyone may fetch: issuer profiles and DID documents, achievements, status and revocation lists,
    /// OB 2.0 documents and hosted assertions.
    static func registerPublicDocuments(on router: Router<BasicRequestContext>, storage: any Storage, documents: PublicDocuments,
                                        dataIntegrity: DataIntegrity?, signer: IssuerSigner) {
        documents.register(on: router)
        CredentialPublicDocuments(storage: storage, documents: documents, builder: CredentialDocuments(documents: documents)).register(on: router)
        if let dataIntegrity {
            StatusListDocuments(storage: storage, documents: documents, dataIntegrity: dataIntegrity, signer: signer).register(on: router)
        }
    }

    /// How `POST /verify` fetches and whom it trusts: in production HTTPS from public addresses only; in development
    /// plain HTTP and loopback too (so that credentials of a local server verify).
    public struct Verification: Sendable {
        public var fetcher: any DocumentFetcher
        public var trustAnchors: [Certificate]
        public var registry: IssuerRegistry?

        public init(fetcher: any DocumentFetcher = HTTPFetcher(limits: .init(publicOnly: false)), trustAnchors: [Certificate] = [],
                    registry: IssuerRegistry? = nil) {
            self.fetcher = fetcher
            self.trustAnchors = trustAnchors
            self.registry = registry
        }

        public init(configuration: ServerConfiguration) {
            self.init(fetcher: HTTPFetcher(limits: .init(publicOnly: configuration.production)),
                      trustAnchors: (try? configuration.trustAnchors()) ?? [], registry: try? configuration.trustedIssuers())
        }
    }

    /// The application, listening where the configuration says. `runService()` serves until SIGTERM or SIGINT and
    /// then shuts down gracefully (requests in flight finish).
    /// `verification`: how credentials are fetched and trusted (tests give an offline fetcher); by default as the
    /// configuration says.
    public static func application(configuration: ServerConfiguration, storage: any Storage, logger: Logger, verification: Verification? = nil,
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(storage: storage, publicBaseURL: configuration.publicBaseURL,
                           verification: verification ?? Verification(configuration: configuration),
                           wallet: try? WalletSettings(configuration: configuration)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "nachweis"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }
}
