// swift-tools-version: 5.4
// (5.4: newer tools rename an executable's entry point for testing, which libFuzzer's own `main` cannot satisfy.)
// libFuzzer targets for SeqHunt's parsers of hostile input, in their own package so that
// the library never builds with the fuzzer runtime. Run: `make fuzz` from the root (which
// builds with `-sanitize=fuzzer,address -parse-as-library`, since libFuzzer supplies `main`,
// and runs each target for a bounded time).
import PackageDescription

let fuzzTarget = { (name: String) -> Target in
    .executableTarget(
        name: name,
        dependencies: [
            "FuzzSupport", .product(name: "SeqHunt", package: "SeqHunt"),
            .product(name: "SeqHuntFormats", package: "SeqHunt"), .product(name: "SeqHuntIO", package: "SeqHunt")
        ])
}

let package = Package(
    name: "SeqHuntFuzz",
    dependencies: [.package(name: "SeqHunt", path: "../")],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "SeqHunt", package: "SeqHunt"),
                .product(name: "SeqHuntFormats", package: "SeqHunt"),
                .product(name: "SeqHuntIO", package: "SeqHunt")
            ]),
        fuzzTarget("FuzzEvents"),
        fuzzTarget("FuzzCSV"),
        fuzzTarget("FuzzParameters"),
        fuzzTarget("FuzzSessions"),
        fuzzTarget("FuzzTime"),
        fuzzTarget("FuzzModel")
    ]
)
