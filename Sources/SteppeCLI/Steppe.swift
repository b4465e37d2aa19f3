import ArgumentParser
import Foundation
import SteppeData

/// `steppe`: fit migration models from the command line.
///
/// Errors: every failure prints one line, `steppe: error: …`, on stderr and exits with a
/// non-zero status (1 for bad data or a failed fit, 64 for bad usage); help and
/// `--version` print normally. Nothing is written to `--output` unless the command succeeds.
///
/// Public, with `main()`, for the `steppe` executable (Sources/steppe/main.swift); the
/// commands themselves stay internal to SteppeCLI.
public struct Steppe: ParsableCommand {
    static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "steppe",
        abstract: "Statistical models of migration flows: gravity models, PPML, push-factor regressions.",
        discussion: """
        With no data given, commands run on the bundled Kazakhstan data, so `steppe fit` alone shows a real analysis. DATA is a CSV file, a column store (.h5, written by `steppe convert`) or a bundled dataset's name (`steppe datasets list`).

        CSV input: unquoted cells are trimmed of spaces and tabs; lines end in LF, CRLF or CR. A line over 4 MiB or a cell over 1 MiB is an error (a file that is not CSV, or a quote never closed); the environment variables STEPPE_MAX_LINE_BYTES and STEPPE_MAX_CELL_BYTES raise the limits (bytes, or with K, M, G: STEPPE_MAX_LINE_BYTES=64M). No output file may be one of the command's input files.

        Examples:
          steppe fit
          steppe fit korea-interregional -m ppml -f "flow ~ log(dist_centroid_km)"
          steppe predict
          steppe flows --decay 1.5
          steppe datasets show kazakhstan-documents
        """,
        version: version,
        subcommands: [Fit.self, Predict.self, Flows.self, Datasets.self, Bench.self, Sensitivity.self, Indices.self, Interaction.self, Convert.self]
    )

    public init() {}

    /// Runs the command of the process's arguments and exits: 0, or the status of
    /// `ErrorLine` after printing its one line.
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if let clean = error as? CleanExit {
                Steppe.exit(withError: clean)
            }
            if exitCode(for: error) == .success {   // help requested through an error path
                Steppe.exit(withError: error)
            }
            FileHandle.standardError.write(Data(("steppe: error: " + ErrorLine.message(for: error, command: Steppe.self) + "\n").utf8))
            Foundation.exit(ErrorLine.status(for: error, command: Steppe.self))
        }
    }
}

/// ArgumentParser's messages made one short line: no "Error: " prefix, no help text,
/// the list of valid values inline as "Use one of: a, b, c." (ArgumentParser words it two
/// ways: "Please provide one of the following: - a - b" and "Please provide one of 'a', 'b' or 'c'.").
func tidy(_ message: String) -> String {
    var m = message.replacingOccurrences(of: "Error: ", with: "")
    if let help = m.range(of: " Help: ") { m = String(m[..<help.lowerBound]) }
    let listed = "Please provide one of the following:"
    if let r = m.range(of: listed) {
        // The values come as " - a - b - c" (list items joined onto one line); values may contain "-".
        let values = (" " + m[r.upperBound...]).components(separatedBy: " - ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        m = String(m[..<r.lowerBound]) + "Use one of: " + values.joined(separator: ", ") + "."
    } else if let r = m.range(of: "Please provide one of ") {
        // 'a', 'b' or 'c'.
        let values = m[r.upperBound...].split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        m = String(m[..<r.lowerBound]) + "Use one of: " + values.joined(separator: ", ") + "."
    }
    return m
}

/// A failure of a command's work (not of its usage): exit status 1, one line.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    init(_ error: any Error) { self.message = "\(error)" }
    var description: String { message }
}
