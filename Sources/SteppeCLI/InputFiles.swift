import Foundation
import SteppeData

/// The files a command reads, so that no output overwrites one, and how CSV input is read.
///
/// Every file a command reads as data goes through `readCSV(_:)` (the DATA argument via
/// `DataSource`, `--coordinates`, `--prior`, `--margins`, …), which records the file's
/// identity, its device and inode, before reading it. `OutputDestination` asks
/// `refuseOverwriting(_:)` before writing: an output path that names one of those files,
/// under any name (the same path, a symbolic link to it, a hard link, `./x.csv` for
/// `x.csv`), is refused with one line and exit status 1, and nothing is written. Without
/// this, `steppe fit base.csv -o base.csv` replaced the data with the table of results.
/// A path that does not exist yet cannot be an input, so only existing outputs are compared.
enum InputFiles {
    /// One file read: its identity and the name it was given by.
    struct Identity: Sendable {
        let device: UInt64
        let inode: UInt64
        let path: String
    }

    /// The files read so far by this process (one command), behind `lock` (a command may
    /// read files from more than one thread).
    nonisolated(unsafe) private static var identities: [Identity] = []
    private static let lock = NSLock()

    /// Records `path` as an input (when it exists) and reads it as CSV with the limits of
    /// `csvOptions()`; the columns in `numbersExpected` (a formula's variables) fail at
    /// their first cell that is not a number (`CSVOptions.numbersExpected`).
    static func readCSV(_ path: String, numbersExpected: Set<String> = []) throws(CommandFailure) -> Table {
        record(path)
        var options = try csvOptions()
        options.numbersExpected = numbersExpected
        do { return try CSVReader.read(path: path, options: options) } catch { throw CommandFailure(error) }
    }

    /// Records `path` as an input and reads the column store there whole (`ColumnStore`).
    static func readStore(_ path: String) throws(CommandFailure) -> Table {
        record(path)
        do { return try ColumnStore(path: path).table() } catch { throw CommandFailure(error) }
    }

    /// Records `path` as a file this command reads.
    static func record(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let identity = Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), path: path)
        lock.withLock { identities.append(identity) }
    }

    /// Throws when `output` exists and is one of the files read (after following links).
    static func refuseOverwriting(_ output: String) throws(CommandFailure) {
        var info = stat()
        guard stat(output, &info) == 0 else { return }
        let inputs = lock.withLock { identities }
        guard let input = inputs.first(where: { $0.device == UInt64(info.st_dev) && $0.inode == UInt64(info.st_ino) }) else { return }
        let same = input.path == output ? "" : " (\(input.path), the same file)"
        throw CommandFailure("cannot write output to \(output): it is an input of this command\(same); nothing was written, choose another output path")
    }

    /// The environment variables that raise the CSV reader's limits (`CSVOptions`).
    static let lineLimitVariable = "STEPPE_MAX_LINE_BYTES"
    static let cellLimitVariable = "STEPPE_MAX_CELL_BYTES"

    /// How the command line reads CSV: the library's defaults, with the record and cell
    /// limits (4 MiB and 1 MiB) raised or lowered by `STEPPE_MAX_LINE_BYTES` and
    /// `STEPPE_MAX_CELL_BYTES`. They are environment variables rather than flags because
    /// they apply to every file every command reads, and are seldom needed: only a file
    /// with a line over 4 MiB or a cell over 1 MiB, which is almost always not CSV.
    static func csvOptions(environment: [String: String] = ProcessInfo.processInfo.environment) throws(CommandFailure) -> CSVOptions {
        var options = CSVOptions()
        options.recordLimitName = "the environment variable \(lineLimitVariable)"
        options.cellLimitName = "the environment variable \(cellLimitVariable)"
        if let text = environment[lineLimitVariable] { options.maxRecordBytes = try bytes(text, lineLimitVariable) }
        if let text = environment[cellLimitVariable] { options.maxCellBytes = try bytes(text, cellLimitVariable) }
        return options
    }

    /// A positive number of bytes, optionally followed by K, M or G (binary: 1024, 1024², 1024³).
    static func bytes(_ text: String, _ variable: String) throws(CommandFailure) -> Int {
        let t = text.trimmingWhitespace.uppercased()
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(t), multiplier = 1
        if let last = t.last, let m = multipliers[last] { digits = t.dropLast(); multiplier = m }
        guard let n = Int(digits), n > 0, n <= Int.max / multiplier else {
            throw CommandFailure("\(variable)=\(text): give a positive number of bytes, optionally with K, M or G (as in \(variable)=64M)")
        }
        return n * multiplier
    }
}
