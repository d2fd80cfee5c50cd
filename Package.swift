// swift-tools-version: 6.0
// Nachweis — a credential backend for Open Badges 2.0/3.0 and Europass EDC.
// Layers (each imports only those below it):
//   COpenSSL + CNachweisShim → NachweisJSON → NachweisCrypto → NachweisDocuments (+ NachweisSchemas),
//   NachweisLinkedData, NachweisStore (GRDB) → NachweisCLI → nachweis
import PackageDescription

let package = Package(
    name: "Nachweis",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "nachweis", targets: ["nachweis"]),
        .library(name: "NachweisCrypto", targets: ["NachweisCrypto"]),
        .library(name: "NachweisJSON", targets: ["NachweisJSON"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // libcrypto from the system (Debian: libssl-dev). All cryptography goes through it.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        // Function-like macros and callbacks Swift cannot import directly.
        .target(name: "CNachweisShim", dependencies: ["COpenSSL"]),
        // Exact JSON: member order and number text kept, strict limits.
        .target(name: "NachweisJSON"),
        // Keys, digests, JOSE (JWK, JWS), multibase / did:key, X.509.
        .target(name: "NachweisCrypto", dependencies: ["COpenSSL", "CNachweisShim", "NachweisJSON"]),
        // Credential documents: JSON Schema validation, OB 2.0 / OB 3.0 / EDC models, format detection,
        // EU micro-credential elements, badge baking (PNG, SVG).
        .target(
            name: "NachweisDocuments",
            dependencies: ["NachweisJSON", "NachweisCrypto", "NachweisSchemas", "NachweisLinkedData"]
        ),
        // The JSON Schemas, JSON-LD contexts and the OpenAPI document Nachweis ships (top-level Schemas/ folder), as resources.
        .target(name: "NachweisSchemas", path: "Schemas", resources: [.copy("json"), .copy("openapi")]),
        // Linked data: RDF, N-Quads, RDF Dataset Canonicalization (RDFC-1.0); JSON-LD and Data Integrity to come.
        .target(name: "NachweisLinkedData", dependencies: ["NachweisJSON", "NachweisCrypto", "NachweisSchemas"]),
        // zlib from the system (Debian: zlib1g-dev), for gzip-compressed status lists and issued documents packed at rest.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // Status lists: W3C Bitstring Status List bitstrings, gzip, encodedList.
        .target(name: "NachweisStatus", dependencies: ["CZlib", "NachweisCrypto", "NachweisJSON"]),
        // sqlite3_config, which is variadic (Swift cannot call it).
        .target(name: "CNachweisSQLite", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // Storage: one protocol per aggregate; the embedded SQLite implementation (GRDB on the system SQLite, WAL).
        .target(
            name: "NachweisStore",
            dependencies: ["NachweisJSON", "NachweisCrypto", "CNachweisSQLite", "CZlib", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        // The HTTP service (Hummingbird 2): configuration, routes, application.
        // The verifier: one pipeline and one report for every format, documents through an injected fetcher.
        .target(
            name: "NachweisVerifier",
            dependencies: ["NachweisJSON", "NachweisCrypto", "NachweisDocuments", "NachweisLinkedData", "NachweisStatus"]
        ),
        .target(
            name: "NachweisServer",
            dependencies: [
                "NachweisStore", "NachweisCrypto", "NachweisJSON", "NachweisLinkedData", "NachweisStatus", "NachweisDocuments", "NachweisSchemas",
                "NachweisVerifier", "CNachweisShim",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        // The commands of the `nachweis` tool, as a library so tests can reach them.
        .target(
            name: "NachweisCLI",
            dependencies: [
                "NachweisCrypto", "NachweisJSON", "NachweisDocuments", "NachweisLinkedData", "NachweisStore", "NachweisServer",
                "NachweisVerifier",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "nachweis", dependencies: ["NachweisCLI"]),
        .executableTarget(
            name: "nachweis-bench",
            dependencies: ["NachweisCrypto", "NachweisJSON", "NachweisDocuments", "NachweisLinkedData", "NachweisStore", "NachweisServer", "NachweisVerifier",
                           .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/CryptoBenchmark"
        ),
        // Shared by the test targets: locating ../shared/reference and the Python peers, running processes.
        .target(name: "NachweisTestSupport", path: "Tests/NachweisTestSupport"),
        .testTarget(name: "NachweisJSONTests", dependencies: ["NachweisJSON", "NachweisTestSupport"]),
        .testTarget(name: "NachweisCryptoTests", dependencies: ["NachweisCrypto", "NachweisJSON", "NachweisTestSupport"]),
        .testTarget(name: "NachweisDocumentsTests", dependencies: ["NachweisDocuments", "NachweisJSON", "NachweisCrypto", "NachweisTestSupport"]),
        .testTarget(name: "NachweisLinkedDataTests", dependencies: ["NachweisLinkedData", "NachweisJSON", "NachweisTestSupport"]),
        .testTarget(name: "NachweisStatusTests", dependencies: ["NachweisStatus", "NachweisTestSupport"]),
        .testTarget(name: "NachweisStoreTests", dependencies: ["NachweisStore", "NachweisCrypto", "NachweisTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "NachweisServerTests",
            dependencies: ["NachweisServer", "NachweisStore", "NachweisCrypto", "NachweisJSON", "NachweisDocuments", "NachweisLinkedData",
                           "NachweisStatus", "NachweisVerifier", "NachweisTestSupport",
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "NachweisCLITests", dependencies: ["NachweisCLI", "nachweis", "NachweisJSON", "NachweisCrypto", "NachweisLinkedData", "NachweisDocuments",
                                                            "NachweisStatus", "NachweisServer", "NachweisTestSupport"]),
    ]
)
