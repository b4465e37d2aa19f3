// swift-tools-version: 6.1
//
// Steppe's benchmark suite on ordo-one's package-benchmark, as a package of its own that
// depends on Steppe by path, so the main build stays light. Run from this directory:
//   swift package benchmark                 (all benchmarks)
//   swift package benchmark --filter OLS    (some)
// Problem sizes: OLS 1e6 × 21 and 1e5 × 201, Poisson GLM 1e6 × 11, PPML 1e6 rows with
// 2 × 1,000 levels, panel 200 × 200 × 5; the generators are SteppeBench's, shared with `steppe bench`.
import PackageDescription

let package = Package(
    name: "SteppeBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Steppe", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Solvers",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "_SteppeBench", package: "Steppe"),
                .product(name: "SteppeModels", package: "Steppe"),
                .product(name: "SteppeData", package: "Steppe"),
                .product(name: "SteppeNumerics", package: "Steppe"),
            ],
            path: "Benchmarks/Solvers",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
