import Foundation
import SteppeTestFixtures

/// Runs the `steppe` executable built beside the test bundle and captures what it prints.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// This target's directory in the source tree; fixtures through `FixtureDirectory`, as in every test target.
    static let testDirectory = FixtureDirectory.testsRoot.appendingPathComponent("SteppeCLITests")
    static let fixtures = FixtureDirectory(target: "SteppeCLITests").url
    static let expected = testDirectory.appendingPathComponent("Expected")

    /// The executable: beside the test bundle (SwiftPM builds it because the test target depends on it).
    static var executable: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [bundleDirectory, bundleDirectory.deletingLastPathComponent(), Bundle.main.bundleURL] {
            let candidate = dir.appendingPathComponent("steppe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return testDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug/steppe")
    }

    /// Runs `steppe arguments…` in the fixtures directory.
    static func run(_ arguments: [String], in directory: URL = fixtures) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment["COLUMNS"] = "80"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a large output cannot block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// The expected output `name` (Expected/name); with STEPPE_UPDATE_EXPECTED=1 in the
    /// environment, `actual` is written there first (to regenerate after a deliberate change).
    static func expected(_ name: String, actual: String) throws -> String {
        let url = expected.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["STEPPE_UPDATE_EXPECTED"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}

/// The first line where two texts differ, for readable failures.
func firstDifference(_ a: String, _ b: String) -> String {
    let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(x.count, y.count) {
        let l = i < x.count ? String(x[i]) : "<end>", r = i < y.count ? String(y[i]) : "<end>"
        if l != r { return "line \(i + 1):\n  got      \(l)\n  expected \(r)" }
    }
    return "identical"
}
