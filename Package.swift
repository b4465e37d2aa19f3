// swift-tools-version: 6.0
//
// Steppe: statistical models of migration flows, on BLAS/LAPACK.
// Modules are cut by dependency: numerics ← data ← models ← report ← CLI.
// Library targets take no unsafeFlags, so that other packages can depend on them.
import PackageDescription

let package = Package(
    name: "Steppe",
    products: [
        .library(name: "SteppeNumerics", targets: ["SteppeNumerics"]),
        .library(name: "SteppeData", targets: ["SteppeData"]),
        .library(name: "SteppeModels", targets: ["SteppeModels"]),
    ],
    targets: [
        .systemLibrary(
            name: "CLapack",
            pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),
        .target(name: "SteppeNumerics", dependencies: ["CLapack"]),
        // The bundled datasets: CSV files and manifests in Datasets/files, copied as resources.
        .target(
            name: "SteppeDatasets",
            path: "Datasets",
            exclude: ["README.md", "tools"],
            sources: ["BundledDatasetFiles.swift"],
            resources: [.copy("files")]
        ),
        .target(name: "SteppeData", dependencies: ["SteppeNumerics", "SteppeDatasets"]),
        .target(name: "SteppeModels", dependencies: ["SteppeNumerics", "SteppeData"]),
        .testTarget(
            name: "SteppeNumericsTests",
            dependencies: ["SteppeNumerics"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SteppeDataTests",
            dependencies: ["SteppeData"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SteppeModelsTests",
            dependencies: ["SteppeModels", "SteppeData", "SteppeNumerics"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
