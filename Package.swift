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
    ],
    targets: [
        .systemLibrary(
            name: "CLapack",
            pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),
        .target(name: "SteppeNumerics", dependencies: ["CLapack"]),
        .testTarget(
            name: "SteppeNumericsTests",
            dependencies: ["SteppeNumerics"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
