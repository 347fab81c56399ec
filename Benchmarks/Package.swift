// swift-tools-version: 6.1
// Throughput benchmarks for SeqHunt (package-benchmark), kept in their own package so that
// library users never pull the benchmark dependencies. Run: `make bench` from the root.
import PackageDescription

let package = Package(
    name: "SeqHuntBenchmarks",
    dependencies: [
        .package(name: "SeqHunt", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"])
    ],
    targets: [
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SeqHunt", package: "SeqHunt"),
                .product(name: "SeqHuntDemo", package: "SeqHunt"),
                .product(name: "SeqHuntFormats", package: "SeqHunt"),
                .product(name: "SeqHuntIO", package: "SeqHunt")
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
