// swift-tools-version: 6.0
//
// A separate, tiny package that depends on Steppe's numerics module the way any
// outside package would: proof that SteppeNumerics takes no unsafe flags and builds
// as a dependency. `scripts/test` builds and runs it.
import PackageDescription

let package = Package(
    name: "NumericsDemo",
    dependencies: [.package(name: "Steppe", path: "../..")],
    targets: [
        .executableTarget(
            name: "numerics-demo",
            dependencies: [.product(name: "SteppeNumerics", package: "Steppe")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
