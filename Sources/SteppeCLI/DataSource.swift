import Foundation
import SteppeData
import SteppeModels
import SteppeReport

/// Data named on the command line: a CSV path or a bundled dataset.
struct DataSource {
    let table: Table
    /// The name shown in notes: the dataset name or the path.
    let label: String
    /// The bundled dataset's manifest, when it is one.
    let manifest: DatasetManifest?
    /// Whether the data is a column store (an HDF5 file), not CSV.
    var isStore = false

    /// Opens `argument`: an existing path is read as a column store when it is one
    /// (`isColumnStore`), else as CSV; otherwise a bundled dataset of
    /// that name; otherwise an error that says neither exists. A CSV file's columns that
    /// `formulas` and `expressions` use as numbers fail at their first cell that is not a
    /// number, in this one read (`numericColumns(formulas:expressions:)`).
    static func open(_ argument: String, formulas: [String] = [], expressions: [String?] = []) throws(CommandFailure) -> DataSource {
        let looksLikePath = argument.contains("/") || [".csv", ".csv.gz", ".csv.zst", ".h5", ".hdf5"].contains { argument.hasSuffix($0) }
            || FileManager.default.fileExists(atPath: argument)
        if looksLikePath && isColumnStore(argument) {
            return DataSource(table: try InputFiles.readStore(argument), label: argument, manifest: nil, isStore: true)
        }
        if looksLikePath {
            let expected = numericColumns(formulas: formulas, expressions: expressions)
            return DataSource(table: try InputFiles.readCSV(argument, numbersExpected: expected), label: argument, manifest: nil)
        }
        let registry: DatasetRegistry
        do { registry = try DatasetRegistry.bundled() } catch { throw CommandFailure(error) }
        guard registry.contains(argument) else {
            throw CommandFailure("'\(argument)' is neither a file nor a bundled dataset (bundled: \(registry.names.joined(separator: ", ")))")
        }
        do { return DataSource(table: try registry.table(argument), label: argument, manifest: try registry.manifest(argument)) } catch { throw CommandFailure(error) }
    }

    /// Whether `path` names a column store: its name ends in `.h5` or `.hdf5`, or the file
    /// starts with HDF5's signature (whatever its name, as a compressed CSV file is known by
    /// its first bytes; only for a regular file). A `.h5` file that is not HDF5 is then
    /// refused by the store reader.
    static func isColumnStore(_ path: String) -> Bool {
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") { return true }
        // Only a regular file is looked into: opening a FIFO would wait for its writer,
        // and reading from a pipe would take bytes the CSV reader needs.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        return head == Data([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])      // \x89HDF\r\n\x1a\n
    }

    /// The columns `formulas` and `expressions` (weights, offsets) use as numbers, as
    /// `NumericColumnCheck` sees them; formulas that do not parse add none.
    static func numericColumns(formulas: [String], expressions: [String?]) -> Set<String> {
        var used = Set<String>()
        for f in formulas.compactMap({ try? Formula(parsing: $0) }) { used.formUnion(f.numericColumns) }
        for e in expressions.compactMap({ $0 }).compactMap({ try? Expression(parsing: $0) }) { used.formUnion(e.columns) }
        return used
    }

    /// Checks that the columns the formulas use as numbers hold numbers
    /// (`NumericColumnCheck`): a text column with numbers in it is a data error, reported
    /// with the file, line and column of the first cell that is not a number.
    func requireNumeric(formulas: [String], expressions: [String?]) throws(CommandFailure) {
        // Formulas that do not parse are reported by the fit itself, with the position.
        let parsed = formulas.compactMap { try? Formula(parsing: $0) }
        let extra = expressions.compactMap { $0 }.compactMap { try? Expression(parsing: $0) }
        do {
            try NumericColumnCheck.verify(table, formulas: parsed, expressions: extra, csvPath: manifest == nil && !isStore ? label : nil,
                                          csvOptions: try InputFiles.csvOptions())
        } catch { throw CommandFailure(error) }
    }

    /// The `data` object of a JSON document: the data's name, rows, and sources.
    var jsonValue: JSONValue {
        var data: [(String, JSONValue)] = [("name", .string(label)), ("rows", .number(Double(table.rowCount)))]
        if let m = manifest { data.append(("sources", .array(m.sources.map { .string($0.summary) }))) }
        return .object(data)
    }

    /// Notes on where the data come from, for the foot of a table.
    var sourceNotes: [String] {
        guard let m = manifest else { return ["Data: \(label) (\(ReportNumber.grouped(Double(table.rowCount))) rows)."] }
        var notes = ["Data: \(m.name) (\(m.years)): \(m.title)."]
        for s in m.sources { notes.append("Source: " + s.summary + ".") }
        return notes
    }
}
