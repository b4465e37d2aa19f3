import ArgumentParser
import Foundation
import SteppeData
import SteppeReport
#if canImport(Glibc)
import Glibc
#endif

/// `steppe convert FILE.csv STORE.h5`: a CSV file (plain, .csv.gz or .csv.zst) into a
/// column store (`ColumnStore`, HDF5), read and written a batch of rows at a time, so a
/// file larger than memory converts in memory for one batch.
///
/// The store is written to a temporary file beside it, flushed to the disk and renamed
/// over STORE only once complete: a failure (bad CSV, a full disk) leaves no store and
/// any existing file at STORE unchanged. STORE may not be the input (under any name), a
/// directory or a device. Prints one line: the rows, the columns by kind, the bytes.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a CSV file into a column store (HDF5) that fits read.",
        discussion: """
        FILE is read (plain, .csv.gz or .csv.zst) in batches of rows and written to STORE, an HDF5 file that `steppe fit STORE.h5` reads and that h5py and R's hdf5r read too (its layout: the column store's documentation). Kinds are inferred as for any CSV file; a column that reads as numbers in earlier rows and holds text later is an error naming the line: declare it with --text.

        Examples:
          steppe convert flows.csv.gz flows.h5
          steppe convert flows.csv flows.h5 --text region_code --batch-rows 1000000
        """
    )

    @Argument(help: "The CSV file (.csv, .csv.gz, .csv.zst).")
    var file: String

    @Argument(help: "The store to write (conventionally .h5).")
    var store: String

    @Option(name: .customLong("batch-rows"), help: ArgumentHelp("Rows read and written at a time; memory holds one batch.", valueName: "n"))
    var batchRows: Int = ColumnStore.defaultChunkRows

    @Option(name: .customLong("text"), help: ArgumentHelp("A column to read as text whatever its cells look like (repeatable).", valueName: "column"))
    var textColumns: [String] = []

    func validate() throws {
        guard batchRows > 0 else { throw ValidationError("--batch-rows must be a positive number of rows, not \(batchRows)") }
    }

    func run() throws {
        InputFiles.record(file)
        try InputFiles.refuseOverwriting(store)
        var info = stat()
        if stat(store, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw CommandFailure("cannot write the store to \(store): it is a directory")
            default: throw CommandFailure("cannot write the store to \(store): it is not a regular file")
            }
        }
        let existingMode: mode_t? = stat(store, &info) == 0 ? info.st_mode & 0o7777 : nil
        var options = try InputFiles.csvOptions()
        for name in textColumns { options.columnKinds[name] = .text }
        options.textDeclarationName = "--text '{column}'"

        let target = OutputDestination.resolvedPath(store)
        let url = URL(fileURLWithPath: target)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).steppe-\(getpid()).tmp").path
        unlink(temporary)             // one left by an earlier process of this id that was killed
        let writer: ColumnStoreWriter
        do { writer = try ColumnStoreWriter(path: temporary, steppeVersion: Steppe.version) } catch {
            throw CommandFailure(error.message.replacingOccurrences(of: temporary, with: store))
        }
        do {
            try CSVReader.readBatches(path: file, options: options, batchRows: batchRows) { batch in try writer.append(batch) }
            try writer.finish()
            try Self.commit(temporary, to: target, mode: existingMode)
        } catch {
            unlink(temporary)
            if let failure = error as? CommandFailure { throw failure }
            throw CommandFailure("\(error)".replacingOccurrences(of: temporary, with: store))
        }
        print(try Self.summary(store))
    }

    /// Flushes the finished temporary store to the disk, gives it the mode of the file it
    /// replaces, and renames it over `target`.
    static func commit(_ temporary: String, to target: String, mode: mode_t?) throws(CommandFailure) {
        let fd = open(temporary, O_RDONLY | O_CLOEXEC)
        var error: Int32 = fd < 0 ? errno : 0
        if error == 0, let mode, fchmod(fd, mode) != 0 { error = errno }
        if error == 0, fsync(fd) != 0 { error = errno }
        if fd >= 0 { close(fd) }
        if error == 0, rename(temporary, target) != 0 { error = errno }
        if error != 0 {
            throw CommandFailure("cannot write the store to \(target): \(String(cString: strerror(error)))"
                                 + (mode != nil ? " (the existing file is unchanged)" : ""))
        }
    }

    /// The one line printed: the store, its rows, its columns by kind, its size.
    static func summary(_ path: String) throws(CommandFailure) -> String {
        let store: ColumnStore
        do { store = try ColumnStore(path: path) } catch { throw CommandFailure(error) }
        var info = stat()
        let bytes = stat(path, &info) == 0 ? Double(info.st_size) : 0
        let counts = Column.Kind.allCases.compactMap { kind -> String? in
            let n = store.kinds.filter { $0 == kind }.count
            return n == 0 ? nil : "\(n) \(kind.rawValue)"
        }
        let columns = store.columnNames.count
        return "\(path): \(ReportNumber.grouped(Double(store.rowCount))) rows, \(columns) column\(columns == 1 ? "" : "s")"
            + (counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))") + ", \(ReportNumber.grouped(bytes)) bytes"
    }
}
