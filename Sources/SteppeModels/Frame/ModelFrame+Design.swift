import SteppeData
import SteppeNumerics

extension ModelFrame {
    /// The design's columns on the estimation sample as they are built, term by term:
    /// values, low-order parts, names and how each was made (for prediction).
    struct DesignBuilder {
        /// Rows of the table in the sample.
        let sample: [Int]
        /// Whether the sample is the whole table (columns are then taken as they are).
        let wholeTable: Bool
        /// The formula's terms as resolved, as sets of factors (for R's contrast rule).
        let termSet: Set<Set<Factor>>
        /// Whether the model has an intercept or fixed effects (a lone categorical then
        /// gets treatment contrasts).
        let interceptLike: Bool
        /// The formula as written.
        let formula: Formula
        /// The columns written `C(x)` somewhere in the formula (their dummies are labelled
        /// `C(x)[…]`), found once rather than by a search of the terms for every label.
        let explicitCategoricals: Set<String>
        var columns: [[Double]] = []
        var lows: [[Double]] = []
        var names: [String] = []
        var specColumns: [DesignSpecification.Column] = []
        var categoricalLevels: [String: [String]] = [:]

        /// One combination of levels of a term's categorical factors: its label part per
        /// factor (`T.South`), the raw levels, and which sample rows are in it.
        struct Cell {
            var label: [String: String]
            var raw: [String: String]
            var indicator: [Bool]
        }

        init(sample: [Int], rowsInTable: Int, formula: Formula, resolvedTerms: [Term]) {
            self.sample = sample
            self.wholeTable = sample.count == rowsInTable
            self.termSet = Set(resolvedTerms.map { Set($0.factors) })
            self.interceptLike = formula.hasIntercept || !formula.fixedEffects.isEmpty
            self.formula = formula
            var explicit = Set<String>()
            for term in formula.terms {
                for case .categorical(let name) in term.factors { explicit.insert(name) }
            }
            self.explicitCategoricals = explicit
        }

        /// The intercept column of ones.
        mutating func appendIntercept() {
            columns.append([Double](repeating: 1, count: sample.count)); lows.append([]); names.append("(Intercept)")
            specColumns.append(.init(term: -1, levels: [:], name: "(Intercept)"))
        }

        /// The columns of term `termIndex`: a single numeric expression as it is; otherwise
        /// the product of its numeric factors times the indicator of each level cell of its
        /// categorical factors.
        mutating func append(_ term: Term, termIndex: Int, numericParts: [Expression: ExtendedColumn],
                             categoricals: [String: Grouping]) {
            // A term that is one numeric expression (a column, log(x), …): its values on the
            // sample, as they are; no product to form.
            if term.factors.count == 1, case .numeric(let e) = term.factors[0], let v = numericParts[e] {
                columns.append(wholeTable ? v.high : sample.map { v.high[$0] })
                lows.append(v.low.map { low in wholeTable ? low : sample.map { low[$0] } } ?? [])
                names.append(term.factors[0].label)
                specColumns.append(.init(term: termIndex, levels: [:], name: term.factors[0].label))
                return
            }
            let (high, low, hasLow) = product(term, numericParts)
            let m = sample.count
            for cell in cells(term, categoricals) {
                let label = self.label(term, cell)
                columns.append((0..<m).map { cell.indicator[$0] ? high[$0] : 0 })
                lows.append(hasLow ? (0..<m).map { cell.indicator[$0] ? low[$0] : 0 } : [])
                names.append(label)
                specColumns.append(.init(term: termIndex, levels: cell.raw, name: label))
            }
        }

        /// The product of the term's numeric factors on the sample, in double-double
        /// (high + low, 1 + 0 without any); `hasLow` when a factor had low parts.
        func product(_ term: Term, _ numericParts: [Expression: ExtendedColumn]) -> (high: [Double], low: [Double], hasLow: Bool) {
            let m = sample.count
            var high = [Double](repeating: 1, count: m)
            var low = [Double](repeating: 0, count: m)
            var hasLow = false
            for factor in term.factors {
                guard case .numeric(let e) = factor, let v = numericParts[e] else { continue }
                for (k, i) in sample.enumerated() {
                    let r = DoubleDouble(high[k], low[k]) * v.value(i)
                    high[k] = r.high; low[k] = r.low
                }
                if v.low != nil { hasLow = true }
            }
            return (high, low, hasLow)
        }

        /// The level combinations of the term's categorical factors, factor by factor, each
        /// factor's levels present in the sample in `levelLess` order, less the first when
        /// the rest of the term is also in the model (treatment contrasts); records each
        /// factor's levels in `categoricalLevels`.
        mutating func cells(_ term: Term, _ categoricals: [String: Grouping]) -> [Cell] {
            let m = sample.count
            var cells = [Cell(label: [:], raw: [:], indicator: [Bool](repeating: true, count: m))]
            for factor in term.factors {
                guard case .categorical(let name) = factor, let g = categoricals[name] else { continue }
                let rest = Set(term.factors).subtracting([factor])
                let contrasts = rest.isEmpty ? interceptLike : termSet.contains(rest)
                let present = Set(sample.map { g.codes[$0] })
                let order = g.levels.indices.filter { present.contains(Int32($0)) }
                    .sorted { ModelFrame.levelLess(g.levels[$0], g.levels[$1]) }
                let used = contrasts ? Array(order.dropFirst()) : order
                categoricalLevels[name] = order.map { g.levels[$0] }
                var next: [Cell] = []
                for cell in cells {
                    for level in used {
                        var label = cell.label, raw = cell.raw
                        label[name] = (contrasts ? "T." : "") + g.levels[level]
                        raw[name] = g.levels[level]
                        let ind = (0..<m).map { cell.indicator[$0] && g.codes[sample[$0]] == Int32(level) }
                        next.append(Cell(label: label, raw: raw, indicator: ind))
                    }
                }
                cells = next
            }
            return cells
        }

        /// The column name of a cell of the term: its factors' labels joined by `:`, each
        /// categorical as `x[level]` (`C(x)[level]` when written `C(x)` in the formula).
        func label(_ term: Term, _ cell: Cell) -> String {
            term.factors.map { f -> String in
                if case .categorical(let name) = f, let level = cell.label[name] {
                    let explicit = explicitCategoricals.contains(name)
                    return (explicit ? "C(\(Expression.quoteIfNeeded(name)))" : Expression.quoteIfNeeded(name)) + "[\(level)]"
                }
                return f.label
            }.joined(separator: ":")
        }

        /// X (m × p) from the columns, and the matrix of low parts when any is non-zero.
        func matrices() -> (design: Matrix, low: Matrix?) {
            let m = sample.count, p = columns.count
            // Every column holds one value per sample row, as built above; with no columns
            // the design is still m × 0.
            let design = p == 0 ? Matrix(rows: m, columns: 0) : try! Matrix(columns: columns)
            var lowMatrix: Matrix? = nil
            if lows.contains(where: { !$0.isEmpty && $0.contains { $0 != 0 } }) {
                let zeros = [Double](repeating: 0, count: m)
                lowMatrix = try! Matrix(columns: lows.map { $0.isEmpty ? zeros : $0 })
            }
            return (design, lowMatrix)
        }
    }
}
