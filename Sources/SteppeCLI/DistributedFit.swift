import ArgumentParser
import Foundation
import SteppeModels

/// The command of `steppe-mpi`: `steppe fit` out of core, its sums shared with the other
/// processes of an `OutOfCoreCollective`. Public for the executable (Sources/steppe-mpi),
/// which owns MPI; SteppeCLI itself knows nothing of it, so `steppe` builds without MPI.
///
/// One command, `fit`, with every option of `steppe fit`: the other commands hold their data
/// in memory, so several processes would only repeat one another. `--out-of-core` is implied
/// (and accepted), since only the out-of-core engine splits the rows between processes.
public enum DistributedFit {
    /// Steppe's version, which every rank checks it shares with the others.
    public static var version: String { Steppe.version }

    /// Runs `steppe-mpi ARGUMENTS` (without the program's name) and returns the exit status:
    /// 0; 1 for bad data or a failed fit; 64 for bad usage, printed as one line
    /// `steppe-mpi: error: …` on stderr, as `steppe` does. Returns rather than exits, so that
    /// the caller can finalize MPI on every path.
    public static func main(arguments: [String], collective: any OutOfCoreCollective) -> Int32 {
        do {
            if let command = arguments.first, !command.hasPrefix("-"), command != "fit", command != "help" {
                throw ValidationError("unknown command '\(command)': steppe-mpi runs only fit (steppe-mpi fit DATA [the options of steppe fit])")
            }
            var parsed = try DistributedCommand.parseAsRoot(implyingOutOfCore(arguments))
            if parsed is DistributedCommand {
                throw ValidationError("give a command: steppe-mpi fit DATA [the options of steppe fit]")
            }
            // `--help` parses as ArgumentParser's help command, whose run throws the help request.
            guard let fit = parsed as? Fit else { try parsed.run(); return 0 }
            try onlyRankZeroWrites(fit, collective: collective).run(collective: collective)
            return 0
        } catch {
            if DistributedCommand.exitCode(for: error) == .success {   // --help, --version
                let text = DistributedCommand.fullMessage(for: error)
                _ = OutputDestination.writeAll(STDOUT_FILENO, text.hasSuffix("\n") || text.isEmpty ? text : text + "\n")
                return 0
            }
            let line = "steppe-mpi: error: " + ErrorLine.message(for: error, command: DistributedCommand.self) + "\n"
            _ = OutputDestination.writeAll(STDERR_FILENO, line)
            return ErrorLine.status(for: error, command: DistributedCommand.self)
        }
    }

    /// `fit …` with `--out-of-core` added when it is not given: the flag is what lets
    /// `--chunk-rows` and `--scratch` pass `Fit.validate`, which runs as the arguments are parsed.
    static func implyingOutOfCore(_ arguments: [String]) -> [String] {
        guard arguments.first == "fit", !arguments.contains("--out-of-core") else { return arguments }
        return ["fit", "--out-of-core"] + arguments.dropFirst()
    }

    /// The command as rank `collective.rank` runs it: every rank but 0 prints to its standard
    /// output (which `steppe-mpi` sends to /dev/null) instead of `--output`, and writes no
    /// `--plot`. All ranks compute the same bytes; were they all to write them, K processes
    /// would race to replace one file on a shared file system.
    static func onlyRankZeroWrites(_ fit: Fit, collective: any OutOfCoreCollective) -> Fit {
        guard collective.rank != 0 else { return fit }
        var fit = fit
        fit.outputOptions.output = nil
        fit.plot = nil
        return fit
    }
}
