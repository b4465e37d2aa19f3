import Foundation
import SteppeData
import SteppeModels
import SteppeReport
#if canImport(Glibc)
import Glibc
#endif

/// The data of `steppe fit --out-of-core`: a column store read as it is, a CSV file
/// (plain, .csv.gz or .csv.zst) converted first into a temporary store in the scratch
/// directory (one batch of rows in memory at a time; the store removed when the command
/// ends), or a bundled dataset (small; read into memory and fitted range by range all the same).
struct OutOfCoreInput {
    let source: any ChunkedTable
    /// The name shown in notes: the path or the dataset name.
    let label: String
    /// The store converted for this run, removed by `close`.
    let temporaryStore: String?

    static func open(_ argument: String, scratch: String, batchRows: Int) throws(CommandFailure) -> OutOfCoreInput {
        let looksLikePath = argument.contains("/") || [".csv", ".csv.gz", ".csv.zst", ".h5", ".hdf5"].contains { argument.hasSuffix($0) }
            || FileManager.default.fileExists(atPath: argument)
        guard looksLikePath else {
            let data = try DataSource.open(argument)
            return OutOfCoreInput(source: data.table, label: argument, temporaryStore: nil)
        }
        InputFiles.record(argument)
        if DataSource.isColumnStore(argument) {
            do { return OutOfCoreInput(source: try ColumnStore(path: argument), label: argument, temporaryStore: nil) } catch {
                throw CommandFailure(error.message)
            }
        }
        let path = scratch + "/steppe-convert-\(getpid())-\(UUID().uuidString.prefix(8)).h5"
        do {
            let writer = try ColumnStoreWriter(path: path, steppeVersion: Steppe.version)
            try CSVReader.readBatches(path: argument, options: try InputFiles.csvOptions(), batchRows: batchRows) { batch in
                try writer.append(batch)
            }
            try writer.finish()
            return OutOfCoreInput(source: try ColumnStore(path: path), label: argument, temporaryStore: path)
        } catch {
            unlink(path)
            if let failure = error as? CommandFailure { throw failure }
            if let store = error as? ColumnStoreError { throw CommandFailure(store.message.replacingOccurrences(of: path, with: "the scratch store in \(scratch)")) }
            if let chunked = error as? ChunkedTableError { throw CommandFailure(chunked.message) }
            throw CommandFailure("\(error)")
        }
    }

    /// Removes the temporary store, if any.
    func close() {
        if let temporaryStore { unlink(temporaryStore) }
    }

    /// Notes on the data, for the foot of a table.
    var sourceNotes: [String] {
        ["Data: \(label) (\(ReportNumber.grouped(Double(source.rowCount))) rows), fitted out of core" + (temporaryStore == nil ? "." : " (converted to a temporary column store first).")]
    }
}
