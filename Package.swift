// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "settle",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "settle", targets: ["settle"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        // C shims over the system libraries.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // The level libxlsxwriter's ZIP entries are deflated with (it has no setting of its own).
        .target(name: "CWorkbookZip", dependencies: ["CXLSXWriter"]),
        // The strict text formats the bundle and the configuration use: CSV (RFC 4180), JSON, TOML,
        // encodings (UTF-8, GB18030). Foundation-free, no I/O.
        .target(name: "SettlementFormats"),
        // SHA-256 for fingerprints and the audit chain, through swift-crypto.
        .target(name: "SettlementDigest", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The functional core: Foundation-free, no I/O.
        .target(name: "SettlementCore", dependencies: ["SettlementFormats"]),
        // PostgreSQL through libpq: connections, COPY, locks, the embedded cluster, the schema.
        .target(
            name: "SettlementStore",
            dependencies: ["CLibPQ", "SettlementCore", "SettlementDigest"]
        ),
        // Stages (ingest, review, disburse, …), outputs and bank files.
        .target(
            name: "SettlementJobs",
            dependencies: [
                "SettlementCore", "SettlementFormats", "SettlementDigest", "SettlementStore", "CLibXML2", "CXLSXWriter",
                "CWorkbookZip",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The synthetic sample inbox (`settle sample`, the tests and the benchmark): not production code.
        .target(name: "SettlementSample", dependencies: ["SettlementCore", "SettlementFormats", "SettlementDigest"]),
        .executableTarget(
            name: "settle",
            dependencies: [
                "SettlementJobs", "SettlementStore", "SettlementCore", "SettlementSample", "SettlementFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // jemalloc (Debian's libjemalloc) in place of glibc's malloc for the whole process: the
            // review allocates and frees millions of short strings and arrays across threads, and
            // spent ~9% less CPU with it at 1,000,000 requests (docs/operations/performance.md).
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "SettlementCoreTests", dependencies: ["SettlementCore", "SettlementFormats", "SettlementDigest"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "SettlementCore", "SettlementFormats", "SettlementDigest", "SettlementStore", "SettlementJobs",
                "SettlementSample",
            ],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
