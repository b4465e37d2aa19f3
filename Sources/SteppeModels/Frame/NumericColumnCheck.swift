import SteppeData

extension Formula {
    /// The columns the formula uses as numbers: those in the response and in numeric
    /// factors (not categorical ones, not those inside `C()`, not fixed effects).
    public var numericColumns: Set<String> {
        var used = response.columns
        for term in terms { for factor in term.factors { if case .numeric(let e) = factor { used.formUnion(e.columns) } } }
        return used
    }
}

/// Finds columns that should hold numbers but were read as text.
///
/// The CSV reader makes a column with one stray word among numbers a text column, and a
/// formula would then treat it as categorical (as R does with a character column). When
/// a column used in arithmetic is text although some of its values parse as numbers,
/// that is almost surely a data error, and a fit would silently become a different model.
public enum NumericColumnCheck {
    /// The columns of `table` used as numbers by `formulas` or `expressions` (weights,
    /// offsets) that are text with at least one value that reads as a number.
    public static func suspectColumns(in table: Table, formulas: [Formula], expressions: [Expression] = []) -> [String] {
        var used = Set<String>()
        for f in formulas { used.formUnion(f.numericColumns) }
        for e in expressions { used.formUnion(e.columns) }
        return used.sorted().filter { name in
            guard let column = table[name], case .text(_, let levels) = column.values else { return false }
            // Trimmed: a quoted " 3 " is text as written, and still a number misplaced.
            return levels.contains { Double($0.trimmingWhitespace) != nil }
        }
    }

    /// Throws when a column used as numbers holds text (see `suspectColumns`).
    ///
    /// - Parameters:
    ///   - csvPath: the file `table` was read from, if any. The file is then read again
    ///     with those columns declared numeric, so that the error names the file, line and
    ///     column of the first cell that is not a number (`ModelError.data`).
    ///   - csvOptions: the options `table` was read with (their limits, delimiter and
    ///     missing values hold for the second read too).
    /// - Throws: `ModelError.data` (with a path) or `.textColumnInArithmetic`.
    public static func verify(_ table: Table, formulas: [Formula], expressions: [Expression] = [],
                              csvPath: String? = nil, csvOptions: CSVOptions = CSVOptions()) throws(ModelError) {
        let suspects = suspectColumns(in: table, formulas: formulas, expressions: expressions)
        guard let first = suspects.first else { return }
        guard let csvPath else { throw .textColumnInArithmetic(first) }
        var options = csvOptions
        for name in suspects { options.columnKinds[name] = .numeric }
        do { _ = try CSVReader.read(path: csvPath, options: options) } catch { throw .data(error) }
        throw .textColumnInArithmetic(first)
    }
}
