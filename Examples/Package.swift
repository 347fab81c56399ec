// swift-tools-version: 6.1
// An example of embedding SeqHunt: built by `make test` as proof that the public API is enough.
import PackageDescription

let package = Package(
    name: "SeqHuntExamples",
    dependencies: [
        .package(name: "SeqHunt", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "ExplainTop",
            dependencies: [
                .product(name: "SeqHunt", package: "SeqHunt"),
                .product(name: "SeqHuntIO", package: "SeqHunt")
            ]
        )
    ]
)
