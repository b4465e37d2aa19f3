import ArgumentParser
import Foundation

/// The one line and the exit status of a failed command, shared by `steppe` and
/// `steppe-mpi` so that both word their errors alike: a `CommandFailure`'s message and
/// status 1 (bad data, a failed fit), else ArgumentParser's message made one line by
/// `tidy` (no usage block, no "See '… --help'") and its status (64 for bad usage).
enum ErrorLine {
    /// The message, without the `steppe: error: ` prefix (each executable adds its own).
    static func message(for error: any Error, command: any ParsableCommand.Type) -> String {
        let message = (error as? CommandFailure)?.message ?? command.fullMessage(for: error)
        let oneLine = message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") }
            .joined(separator: " ")
        return tidy(oneLine)
    }

    /// 1 for a failure of the work, else ArgumentParser's status for the error.
    static func status(for error: any Error, command: any ParsableCommand.Type) -> Int32 {
        error is CommandFailure ? 1 : command.exitCode(for: error).rawValue
    }
}
