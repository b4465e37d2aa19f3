import Foundation
import Testing

/// The progress bar of long sensitivity runs: drawn on stderr when it is a terminal (a
/// pseudo-terminal from util-linux's `script`), erased at the end, absent otherwise; the
/// result is the same either way.
@Suite("Sensitivity: progress bar")
struct ProgressBarCLITests {
    /// A run well over the bar's one second in a debug build (1,999 replicates took 1.2 s,
    /// too close once the refits took one IRLS iteration fewer).
    static let arguments = ["sensitivity", "bootstrap", "--type", "pairs", "--reps", "9999", "--seed", "3"]

    @Test("a terminal sees the bar and its erasure; a pipe sees nothing; the results are equal")
    func terminalOnly() throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        try #require(FileManager.default.isExecutableFile(atPath: script.path), "util-linux's script is needed to give the command a terminal")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let viaTerminal = dir.appendingPathComponent("terminal.txt"), viaPipe = dir.appendingPathComponent("pipe.txt")

        let command = ([CLI.executable.path] + Self.arguments + ["-o", viaTerminal.path]).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = script
        process.arguments = ["-qec", command, "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let terminal = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(terminal.contains("\rbootstrap ["), "the bar: \(terminal.prefix(200))")
        #expect(terminal.contains("/9999"))
        #expect(terminal.hasSuffix("\r\u{1B}[K"), "the bar is erased at the end")

        let piped = try CLI.run(Self.arguments + ["-o", viaPipe.path])
        #expect(piped.status == 0 && piped.stderr.isEmpty)
        #expect(try String(contentsOf: viaTerminal, encoding: .utf8) == String(contentsOf: viaPipe, encoding: .utf8))
    }
}
