// swift-tools-version: 6.0
//
// libFuzzer harnesses for Steppe's parsers: one executable per harness, each defining
// LLVMFuzzerTestOneInput. A separate package, so that the fuzzing flags (given by
// scripts/fuzz on the command line: -sanitize=fuzzer,address) never reach the main
// package's manifest; its library targets take no unsafeFlags. See README.md.
import PackageDescription

let harness: (String, [Target.Dependency]) -> Target = { name, deps in
    .executableTarget(name: name, dependencies: deps + ["FuzzerDriver"], path: "Sources/\(name)")
}

let package = Package(
    name: "SteppeFuzz",
    dependencies: [.package(name: "Steppe", path: "..")],
    targets: [
        // libFuzzer's LLVMFuzzerRunDriver, called from each harness's main.
        .target(name: "FuzzerDriver"),
        harness("FuzzCSV", [.product(name: "SteppeData", package: "Steppe")]),
        harness("FuzzDecimal", [.product(name: "SteppeData", package: "Steppe")]),
        harness("FuzzFormula", [.product(name: "SteppeModels", package: "Steppe")]),
        harness("FuzzManifest", [.product(name: "SteppeData", package: "Steppe")]),
        harness("FuzzOptions", [.product(name: "SteppeModels", package: "Steppe"), .product(name: "SteppeData", package: "Steppe")]),
    ],
    swiftLanguageModes: [.v6]
)
