// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SeqHunt",
    products: [
        .library(name: "SeqHunt", targets: ["SeqHunt"]),
        .library(name: "SeqHuntFormats", targets: ["SeqHuntFormats"]),
        .library(name: "SeqHuntIO", targets: ["SeqHuntIO"]),
        .library(name: "SeqHuntDemo", targets: ["SeqHuntDemo"]),
        .library(name: "SeqHuntTimeline", targets: ["SeqHuntTimeline"]),
        .library(name: "SeqHuntQuery", targets: ["SeqHuntQuery"]),
        .executable(name: "seqhunt", targets: ["seqhunt"])
    ],
    // `make dist` builds the seqhunt that Spark executors and other hosts run, where there is no
    // Swift toolchain, no Cairo and no static libcurl: with --disable-default-traits, the commands
    // that draw timelines (run, plot, demo) and query workspaces (query, kql, --workspace) are left
    // out. Every command that reads, trains, merges or scores is in both.
    traits: [
        .trait(name: "Timelines", description: "run, plot and demo, which draw timelines with Cairo"),
        .trait(
            name: "Queries",
            description: "seqhunt query and kql, and --workspace and --cluster: FoundationNetworking"),
        .default(enabledTraits: ["Timelines", "Queries"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation`: the DocC catalogs of SeqHunt and SeqHuntIO (a plugin; nothing links it).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        .target(
            name: "SeqHuntTimeline",
            dependencies: ["SeqHunt", "SeqHuntSupport", "CCairo"],
            // The interactive page, compiled into the library as bytes.
            resources: [.embedInCode("Resources/timeline.html")]
        ),
        .target(
            name: "SeqHunt",
            dependencies: ["CBLAS", "SeqHuntSupport"],
            // The stores' and counts' invariant checks (checkInvariants()), as swift-collections has
            // its internal checks: on in debug builds, and in the sanitizers' builds (make test),
            // which are release builds at -Onone.
            swiftSettings: [.define("SEQHUNT_INTERNAL_CHECKS", .when(configuration: .debug))]
        ),
        // What every module uses and none exports: one-line and printable text, civil dates, ticks of
        // Durations, background threads. Package access only; not a product.
        .target(name: "SeqHuntSupport"),
        // gzip and zstd input, read as streams through the system libraries.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        // Structural scanning of CSV, 64 bytes at a time (AVX2, SSE2 or portable C, chosen at run time).
        .target(
            name: "CStructural"
        ),
        // The formats, from bytes in memory to values and back: the CSV index and cursor, the JSON
        // scanner, times, the model-file codec, the byte sinks the writers fill. No I/O and no
        // Foundation (MemberImportVisibility keeps what the engine imports from leaking in).
        .target(
            name: "SeqHuntFormats",
            dependencies: ["SeqHunt", "SeqHuntSupport", "CStructural"],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // Sources, decoders and outputs: files, pipes, gzip and zstd, the readers of event logs,
        // sessions and scores, atomic output files, signals. Re-exports SeqHuntFormats.
        .target(
            name: "SeqHuntIO",
            dependencies: ["SeqHunt", "SeqHuntFormats", "SeqHuntSupport", "CZlib", "CZstd", "CStructural"]
        ),
        // Querying a Log Analytics workspace or an Azure Data Explorer cluster (seqhunt query).
        .target(
            name: "SeqHuntQuery",
            dependencies: ["SeqHunt", "SeqHuntFormats", "SeqHuntIO", "SeqHuntSupport"]
        ),
        .target(
            name: "SeqHuntDemo",
            dependencies: ["SeqHunt", "SeqHuntIO"]
        ),
        .executableTarget(
            name: "seqhunt",
            dependencies: [
                "SeqHunt", "SeqHuntFormats", "SeqHuntIO", "SeqHuntSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .target(name: "SeqHuntDemo", condition: .when(traits: ["Timelines"])),
                .target(name: "SeqHuntTimeline", condition: .when(traits: ["Timelines"])),
                .target(name: "SeqHuntQuery", condition: .when(traits: ["Queries"]))
            ]
        ),
        // Helpers the test targets share: running the built binary, temporary folders, the golden files.
        .target(
            name: "SeqHuntTestSupport", dependencies: ["SeqHuntIO", "SeqHuntFormats"], path: "Tests/SeqHuntTestSupport"),
        .testTarget(
            name: "SeqHuntTests",
            dependencies: [
                "SeqHunt", "SeqHuntFormats", "SeqHuntIO", "SeqHuntDemo", "SeqHuntSupport", "SeqHuntTestSupport"
            ]),
        // The library alone: nothing here runs the binary.
        .testTarget(
            name: "SeqHuntIOTests",
            dependencies: [
                "SeqHuntIO", "SeqHuntFormats", "SeqHunt", "SeqHuntDemo", "CStructural", "SeqHuntSupport",
                "SeqHuntTestSupport"
            ]),
        // The command line, through the built `seqhunt` binary.
        .testTarget(
            name: "SeqHuntCommandLineTests",
            dependencies: [
                "seqhunt", "SeqHuntIO", "SeqHuntFormats", "SeqHunt", "SeqHuntDemo",
                "SeqHuntTestSupport"
            ]),
        .testTarget(name: "SeqHuntTimelineTests", dependencies: ["SeqHuntTimeline", "SeqHunt", "CCairo"]),
        // Queries against a local server (Tests/QueryServer) that speaks the documented APIs.
        .testTarget(
            name: "SeqHuntQueryTests",
            dependencies: [
                "SeqHuntQuery", "SeqHuntIO", "SeqHuntFormats", "SeqHunt", "seqhunt", "SeqHuntSupport",
                "SeqHuntTestSupport"
            ])
    ]
)
