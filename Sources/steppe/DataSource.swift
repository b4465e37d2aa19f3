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

    /// Opens `argument`: an existing path is read as CSV; otherwise a bundled dataset of
    /// that name; otherwise an error that says neither exists.
    static func open(_ argument: String) throws(CommandFailure) -> DataSource {
        let looksLikePath = argument.contains("/") || argument.hasSuffix(".csv") || FileManager.default.fileExists(atPath: argument)
        if looksLikePath {
            do { return DataSource(table: try CSVReader.read(path: argument), label: argument, manifest: nil) } catch { throw CommandFailure(error) }
        }
        let registry: DatasetRegistry
        do { registry = try DatasetRegistry.bundled() } catch { throw CommandFailure(error) }
        guard registry.contains(argument) else {
            throw CommandFailure("'\(argument)' is neither a file nor a bundled dataset (bundled: \(registry.names.joined(separator: ", ")))")
        }
        do { return DataSource(table: try registry.table(argument), label: argument, manifest: try registry.manifest(argument)) } catch { throw CommandFailure(error) }
    }

    /// Checks that the columns the formulas use as numbers hold numbers.
    ///
    /// The CSV reader infers a column with one stray word among numbers as text, and a
    /// formula would then treat it as categorical (as R does with a character column).
    /// When a column used in arithmetic (outside `C()`) has values that parse as
    /// numbers, that is almost surely a data error: the file is read again with the
    /// column declared numeric, so the error names the file, line and column of the
    /// first cell that is not a number.
    func requireNumeric(formulas: [String], expressions: [String?]) throws(CommandFailure) {
        var used = Set<String>()
        for text in formulas {
            guard let f = try? Formula(parsing: text) else { continue }   // the fit reports formula errors
            used.formUnion(f.response.columns)
            for term in f.terms { for factor in term.factors { if case .numeric(let e) = factor { used.formUnion(e.columns) } } }
        }
        for text in expressions.compactMap({ $0 }) {
            if let e = try? Expression(parsing: text) { used.formUnion(e.columns) }
        }
        var declared: [String: Column.Kind] = [:]
        for name in used.sorted() {
            guard let column = table[name], case .text(_, let levels) = column.values else { continue }
            if levels.contains(where: { Double($0) != nil }) { declared[name] = .numeric }
        }
        guard !declared.isEmpty else { return }
        guard manifest == nil else {
            throw CommandFailure("column '\(declared.keys.sorted()[0])' of \(label) holds text; use C(\(declared.keys.sorted()[0])) to treat it as categorical")
        }
        do { _ = try CSVReader.read(path: label, options: CSVOptions(columnKinds: declared)) } catch { throw CommandFailure(error) }
    }

    /// Notes on where the data come from, for the foot of a table.
    var sourceNotes: [String] {
        guard let m = manifest else { return ["Data: \(label) (\(ReportNumber.grouped(Double(table.rowCount))) rows)."] }
        var notes = ["Data: \(m.name) (\(m.years)): \(m.title)."]
        for s in m.sources { notes.append("Source: " + s.summary + ".") }
        return notes
    }
}
