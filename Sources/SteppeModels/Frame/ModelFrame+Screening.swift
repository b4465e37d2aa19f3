import SteppeData
@_spi(SteppeInternal) import SteppeNumerics

extension ModelFrame {
    /// The rows still in the estimation sample, and the drops counted so far, while the
    /// frame's variables are evaluated one after another on the whole table: each variable
    /// drops the rows where it is missing (or not finite, or a zero weight), and the drop
    /// is attributed to the first variable that caused it.
    struct RowScreen {
        let table: Table
        /// Rows in the table.
        let n: Int
        /// Whether each row is still in the sample.
        var keep: [Bool]
        var report: EstimationReport

        /// The number of the table's first row in the data, less one (for messages: an
        /// out-of-core fit screens its data a chunk at a time).
        let firstRow: Int

        init(table: Table, firstRow: Int = 0) {
            self.table = table
            self.firstRow = firstRow
            self.n = table.rowCount
            self.keep = [Bool](repeating: true, count: table.rowCount)
            self.report = EstimationReport(rowsInData: table.rowCount)
        }

        /// Row numbers (0-based) of the rows kept.
        var sample: [Int] { (0..<n).filter { keep[$0] } }

        /// `e` on every row of the table.
        func evaluate(_ e: Expression) throws(ModelError) -> ExtendedColumn {
            do { return try e.evaluate(on: table) } catch { throw ModelError.from(error) }
        }

        /// `e` evaluated, its missing or non-finite rows dropped and attributed to `label`.
        mutating func variable(_ e: Expression, label: String) throws(ModelError) -> ExtendedColumn {
            let v = try evaluate(e)
            screen(v.high, e, label)
            return v
        }

        /// Drops rows whose value is not finite, counted as missing when one of `e`'s input
        /// columns is missing there and as non-finite (computed) otherwise, attributed to `label`.
        mutating func screen(_ values: [Double], _ e: Expression, _ label: String) {
            // Most variables have no value to drop: one check on all cores, and the pass that
            // drops and attributes rows only when some value is not finite.
            guard !values.withUnsafeBufferPointer(areAllFinite) else { return }
            var missing = 0, nonFinite = 0
            let inputs = e.columns.compactMap { table[$0] }
            for i in 0..<n where keep[i] && !values[i].isFinite {
                keep[i] = false
                if inputs.contains(where: { $0.isMissing(i) }) { missing += 1 } else { nonFinite += 1 }
            }
            report.drop(.missing, count: missing, variable: label)
            report.drop(.nonFinite, count: nonFinite, variable: label)
        }

        /// The grouping of `columns` (interacted when several), its missing rows (code −1)
        /// dropped and attributed to the grouping's name.
        mutating func grouping(_ columns: [String]) throws(ModelError) -> Grouping {
            let g: Grouping
            do { g = try Grouping.build(from: table, columns: columns) } catch { throw ModelError.from(error) }
            var missing = 0
            for i in 0..<n where keep[i] && g.codes[i] < 0 { keep[i] = false; missing += 1 }
            report.drop(.missing, count: missing, variable: g.name)
            return g
        }

        /// The terms' numeric parts (each distinct expression evaluated once) and categorical
        /// factors (each column grouped once), screened in the order they appear.
        mutating func factors(of terms: [Term]) throws(ModelError)
            -> (numeric: [Expression: ExtendedColumn], categorical: [String: Grouping]) {
            var numericParts: [Expression: ExtendedColumn] = [:]
            var categoricals: [String: Grouping] = [:]
            for term in terms {
                for factor in term.factors {
                    switch factor {
                    case .numeric(let e):
                        if numericParts[e] == nil { numericParts[e] = try variable(e, label: e.description) }
                    case .categorical(let name):
                        if categoricals[name] == nil {
                            guard table[name] != nil else { throw .unknownColumn(name, available: table.columnNames) }
                            categoricals[name] = try grouping([name])
                        }
                    }
                }
            }
            return (numericParts, categoricals)
        }

        /// The weights expression `text` on every row: missing rows dropped, a negative weight
        /// in the sample an error, zero-weight rows dropped.
        mutating func weights(_ text: String) throws(ModelError) -> [Double] {
            let e = try ModelFrame.parse(text, "weights")
            let v = try variable(e, label: "weights \(e)")
            if let i = (0..<n).first(where: { keep[$0] && v.high[$0] < 0 }) {
                throw .invalidWeights("weight \(v.high[i]) in row \(firstRow + i + 1) is negative")
            }
            var zero = 0
            for i in 0..<n where keep[i] && v.high[i] == 0 { keep[i] = false; zero += 1 }
            report.drop(.zeroWeight, count: zero)
            return v.high
        }

        /// The offset expression `text` on every row, its missing rows dropped.
        mutating func offset(_ text: String) throws(ModelError) -> [Double] {
            let e = try ModelFrame.parse(text, "offset")
            return try variable(e, label: "offset \(e)").high
        }
    }

    /// `text` parsed as an expression; `what` names the option in the error.
    static func parse(_ text: String, _ what: String) throws(ModelError) -> Expression {
        do { return try Expression(parsing: text) } catch {
            throw ModelError.invalidOption("\(what) '\(text)': \(error)")
        }
    }

    /// The formula's terms with each bare column of text turned into a categorical factor.
    static func resolvedTerms(_ terms: [Term], in table: Table) -> [Term] {
        terms.map { term in
            Term(term.factors.map { factor -> Factor in
                if case .numeric(.column(let name)) = factor, let c = table[name], c.kind == .text { return .categorical(name) }
                return factor
            })
        }
    }
}
