// swift-tools-version: 6.0
//
// Steppe: statistical models of migration flows, on BLAS/LAPACK.
// Modules are cut by dependency: numerics ← data ← models ← report ← CLI.
// Library targets take no unsafeFlags, so that other packages can depend on them.
import PackageDescription

let package = Package(
    name: "Steppe",
    products: [
        // `import Steppe` is enough to read data, fit models and print tables.
        .library(name: "Steppe", targets: ["Steppe"]),
        .library(name: "SteppeNumerics", targets: ["SteppeNumerics"]),
        .library(name: "SteppeData", targets: ["SteppeData"]),
        .library(name: "SteppeModels", targets: ["SteppeModels"]),
        .library(name: "SteppeReport", targets: ["SteppeReport"]),
        // Not API: the benchmark generators, for Steppe's own Benchmarks package only.
        .library(name: "_SteppeBench", targets: ["SteppeBench"]),
        .executable(name: "steppe", targets: ["steppe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Tests only: property-based tests on Swift Testing (no library target depends on it).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLapack",
            pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),
        .target(name: "SteppeNumerics", dependencies: ["CLapack"]),
        // zlib and libzstd, for reading .csv.gz and .csv.zst (SteppeData only).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // HDF5 (serial), for the on-disk column store that out-of-core fits read (SteppeData only).
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        // The bundled datasets: CSV files and manifests in Datasets/files, copied as resources.
        .target(
            name: "SteppeDatasets",
            path: "Datasets",
            exclude: ["README.md", "tools", "sources"],
            sources: ["BundledDatasetFiles.swift"],
            resources: [.copy("files")]
        ),
        .target(name: "SteppeData", dependencies: ["SteppeNumerics", "SteppeDatasets", "CZlib", "CZstd", "CHDF5"]),
        .target(name: "SteppeModels", dependencies: ["SteppeNumerics", "SteppeData"]),
        .target(name: "SteppeReport", dependencies: ["SteppeModels", "SteppeData"]),
        // The umbrella: re-exports the four user-facing modules, as swift-numerics' Numerics does.
        .target(name: "Steppe", dependencies: ["SteppeNumerics", "SteppeData", "SteppeModels", "SteppeReport"]),
        // Benchmark problems (seeded generators), timing and peak memory: shared by
        // `steppe bench` and the Benchmarks package.
        .target(name: "SteppeBench", dependencies: ["SteppeNumerics", "SteppeData"], exclude: ["README.md"]),
        // The commands (swift-argument-parser), a library so that `steppe` and `steppe-mpi`
        // share them; `steppe` itself is one call to `Steppe.main()`.
        .target(
            name: "SteppeCLI",
            dependencies: ["SteppeReport", "SteppeModels", "SteppeData", "SteppeNumerics", "SteppeBench",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            exclude: ["README.md"]
        ),
        .executableTarget(name: "steppe", dependencies: ["SteppeCLI"]),
        // Tests find their fixtures in the source tree (Tests/<target>/Fixtures) through
        // this one helper, so nothing is copied into test bundles.
        .target(name: "SteppeTestFixtures", dependencies: ["SteppeData"], path: "Tests/SteppeTestFixtures"),
        .testTarget(
            name: "SteppeNumericsTests",
            dependencies: ["SteppeNumerics", "SteppeTestFixtures"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SteppeDataTests",
            dependencies: ["SteppeData", "SteppeTestFixtures",
                           .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SteppeModelsTests",
            dependencies: ["SteppeModels", "SteppeData", "SteppeNumerics", "SteppeTestFixtures",
                           .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SteppeReportTests",
            dependencies: ["Steppe"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SteppeCLITests",
            dependencies: ["steppe", "SteppeTestFixtures"],
            exclude: ["Fixtures", "Expected"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Documentation only: the Swift-DocC plugin, added when STEPPE_DOCS is set (as
// scripts/build-docs does), so that ordinary builds and CI neither resolve nor build it.
if Context.environment["STEPPE_DOCS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}

// `steppe-mpi`, the out-of-core fit on several processes or machines over OpenMPI (pkg-config
// `ompi-c`; Debian libopenmpi-dev), added when STEPPE_MPI is set (as scripts/test-mpi does), so
// that `steppe` and the libraries neither need MPI nor look for it. See Sources/CMPI/README.md.
if Context.environment["STEPPE_MPI"] != nil {
    package.products.append(.executable(name: "steppe-mpi", targets: ["steppe-mpi"]))
    package.targets += [
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        .executableTarget(name: "steppe-mpi", dependencies: ["SteppeCLI", "CMPI", "SteppeModels"]),
    ]
}
