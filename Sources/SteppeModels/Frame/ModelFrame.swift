import SteppeData
import SteppeNumerics

/// The numbers a model is estimated from: outcome, design matrix, weights, offset,
/// fixed-effect and cluster groups, restricted to the estimation sample.
///
/// Built from a `Table` and a `Formula` by `ModelFrame(table:formula:…)`: every
/// variable is evaluated on every row, and rows where any is missing or not finite
/// are dropped and counted by variable in `report`. Categorical terms become dummy
/// columns with R's coding rule (treatment contrasts against the first level, in
/// sorted order, when the term's margin is in the model; full dummies otherwise).
public struct ModelFrame: Sendable {
    /// The formula.
    public let formula: Formula
    /// The outcome on the estimation sample.
    public let response: [Double]
    /// The design matrix X (n × p), intercept first when there is one.
    public let design: Matrix
    /// Low-order parts of X from double-double arithmetic (`nil` when every entry is exact).
    public let designLowParts: Matrix?
    /// The name of each column of X: `(Intercept)`, `log(dist)`, `x1:x2`, `C(region)[T.South]`, `region[T.South]`.
    public let coefficientNames: [String]
    /// Whether X has an intercept column.
    public let hasIntercept: Bool
    /// Observation weights (all positive), or `nil`.
    public let weights: [Double]?
    /// The offset added to the linear predictor, or `nil`.
    public let offset: [Double]?
    /// The fixed effects, one grouping per `|` term.
    public let fixedEffects: [Grouping]
    /// Cluster groupings asked for when the frame was built.
    public let clusters: [Grouping]
    /// Row numbers (0-based, into the table) of the estimation sample.
    public let sample: [Int]
    /// What was dropped on the way, and why.
    public let report: EstimationReport
    /// How each design column was built, for prediction on new data.
    let specification: DesignSpecification

    /// Observations in the sample.
    public var observations: Int { response.count }

    /// Builds the frame.
    ///
    /// - Parameters:
    ///   - table: the data.
    ///   - formula: the model.
    ///   - weights: an expression for observation weights (a column name, usually), or `nil`.
    ///   - offset: an expression added to the linear predictor with coefficient 1 (e.g. `log(population)`), or `nil`.
    ///   - clusters: columns to cluster standard errors by; rows missing any are dropped too.
    /// - Throws: `ModelError` for unknown columns or functions, text in arithmetic, negative
    ///   weights, or no observations left.
    public init(table: Table, formula: Formula, weights: String? = nil, offset: String? = nil,
                clusters: [String] = []) throws(ModelError) {
        var report = EstimationReport(rowsInData: table.rowCount)
        let n = table.rowCount
        var keep = [Bool](repeating: true, count: n)

        func parse(_ text: String, _ what: String) throws(ModelError) -> Expression {
            do { return try Expression(parsing: text) } catch {
                throw ModelError.invalidOption("\(what) '\(text)': \(error)")
            }
        }
        func evaluate(_ e: Expression) throws(ModelError) -> ExtendedColumn {
            do { return try e.evaluate(on: table) } catch { throw ModelError.from(error) }
        }
        /// Marks rows whose value is missing (input missing) or non-finite (computed), attributing them to `label`.
        func screen(_ values: [Double], _ e: Expression, _ label: String) {
            var missing = 0, nonFinite = 0
            let inputs = e.columns.compactMap { table[$0] }
            for i in 0..<n where keep[i] && !values[i].isFinite {
                keep[i] = false
                if inputs.contains(where: { $0.isMissing(i) }) { missing += 1 } else { nonFinite += 1 }
            }
            report.drop(.missing, count: missing, variable: label)
            report.drop(.nonFinite, count: nonFinite, variable: label)
        }

        // Outcome.
        let responseValues = try evaluate(formula.response)
        screen(responseValues.high, formula.response, formula.response.description)

        // Terms: resolve bare text columns to categorical factors, then evaluate numeric parts.
        let resolvedTerms = formula.terms.map { term in
            Term(term.factors.map { factor -> Factor in
                if case .numeric(.column(let name)) = factor, let c = table[name], c.kind == .text { return .categorical(name) }
                return factor
            })
        }
        var numericParts: [Expression: ExtendedColumn] = [:]
        var categoricals: [String: Grouping] = [:]
        for term in resolvedTerms {
            for factor in term.factors {
                switch factor {
                case .numeric(let e):
                    if numericParts[e] == nil {
                        let v = try evaluate(e)
                        screen(v.high, e, e.description)
                        numericParts[e] = v
                    }
                case .categorical(let name):
                    if categoricals[name] == nil {
                        guard table[name] != nil else { throw .unknownColumn(name, available: table.columnNames) }
                        let g: Grouping
                        do { g = try Grouping.build(from: table, columns: [name]) } catch { throw ModelError.from(error) }
                        var missing = 0
                        for i in 0..<n where keep[i] && g.codes[i] < 0 { keep[i] = false; missing += 1 }
                        report.drop(.missing, count: missing, variable: name)
                        categoricals[name] = g
                    }
                }
            }
        }

        // Weights and offset.
        var weightValues: [Double]? = nil
        if let w = weights {
            let e = try parse(w, "weights")
            let v = try evaluate(e)
            screen(v.high, e, "weights \(e)")
            if let i = (0..<n).first(where: { keep[$0] && v.high[$0] < 0 }) {
                throw .invalidWeights("weight \(v.high[i]) in row \(i + 1) is negative")
            }
            var zero = 0
            for i in 0..<n where keep[i] && v.high[i] == 0 { keep[i] = false; zero += 1 }
            report.drop(.zeroWeight, count: zero)
            weightValues = v.high
        }
        var offsetValues: [Double]? = nil
        if let o = offset {
            let e = try parse(o, "offset")
            let v = try evaluate(e)
            screen(v.high, e, "offset \(e)")
            offsetValues = v.high
        }

        // Fixed effects and clusters.
        func groups(_ spec: [String]) throws(ModelError) -> Grouping {
            let g: Grouping
            do { g = try Grouping.build(from: table, columns: spec) } catch { throw ModelError.from(error) }
            var missing = 0
            for i in 0..<n where keep[i] && g.codes[i] < 0 { keep[i] = false; missing += 1 }
            report.drop(.missing, count: missing, variable: g.name)
            return g
        }
        let fixed = try formula.fixedEffects.map { spec throws(ModelError) in try groups(spec) }
        let clusterGroups = try clusters.map { name throws(ModelError) in try groups(name.split(separator: "^").map(String.init)) }

        let sample = (0..<n).filter { keep[$0] }
        guard !sample.isEmpty else {
            let why = report.droppedObservations.map(\.note).joined(separator: " ")
            throw .noObservations(why.isEmpty ? "the data has no rows" : why)
        }

        // Design columns on the sample.
        var columns: [[Double]] = []
        var lows: [[Double]] = []
        var names: [String] = []
        var specColumns: [DesignSpecification.Column] = []
        var categoricalLevels: [String: [String]] = [:]
        let m = sample.count
        if formula.hasIntercept {
            columns.append([Double](repeating: 1, count: m)); lows.append([]); names.append("(Intercept)")
            specColumns.append(.init(term: -1, levels: [:], name: "(Intercept)"))
        }
        let termSet = Set(resolvedTerms.map { Set($0.factors) })
        let interceptLike = formula.hasIntercept || !formula.fixedEffects.isEmpty
        let wholeTable = m == n
        for (termIndex, term) in resolvedTerms.enumerated() {
            // A term that is one numeric expression (a column, log(x), …): its values on the
            // sample, as they are; no product to form.
            if term.factors.count == 1, case .numeric(let e) = term.factors[0], let v = numericParts[e] {
                columns.append(wholeTable ? v.high : sample.map { v.high[$0] })
                lows.append(v.low.map { low in wholeTable ? low : sample.map { low[$0] } } ?? [])
                names.append(term.factors[0].label)
                specColumns.append(.init(term: termIndex, levels: [:], name: term.factors[0].label))
                continue
            }
            // Numeric product of the term, in double-double.
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
            // Categorical factors: their level combinations.
            var cells: [(label: [String: String], raw: [String: String], indicator: [Bool])] = [([:], [:], [Bool](repeating: true, count: m))]
            for factor in term.factors {
                guard case .categorical(let name) = factor, let g = categoricals[name] else { continue }
                let rest = Set(term.factors).subtracting([factor])
                let contrasts = rest.isEmpty ? interceptLike : termSet.contains(rest)
                let present = Set(sample.map { g.codes[$0] })
                let order = g.levels.indices.filter { present.contains(Int32($0)) }
                    .sorted { Self.levelLess(g.levels[$0], g.levels[$1]) }
                let used = contrasts ? Array(order.dropFirst()) : order
                categoricalLevels[name] = order.map { g.levels[$0] }
                var next: [(label: [String: String], raw: [String: String], indicator: [Bool])] = []
                for cell in cells {
                    for level in used {
                        var label = cell.label, raw = cell.raw
                        label[name] = (contrasts ? "T." : "") + g.levels[level]
                        raw[name] = g.levels[level]
                        let ind = (0..<m).map { cell.indicator[$0] && g.codes[sample[$0]] == Int32(level) }
                        next.append((label, raw, ind))
                    }
                }
                cells = next
            }
            for cell in cells {
                let label = term.factors.map { f -> String in
                    if case .categorical(let name) = f, let level = cell.label[name] {
                        let explicit = formula.terms.contains { $0.factors.contains(.categorical(name)) }
                        return (explicit ? "C(\(Expression.quoteIfNeeded(name)))" : Expression.quoteIfNeeded(name)) + "[\(level)]"
                    }
                    return f.label
                }.joined(separator: ":")
                columns.append((0..<m).map { cell.indicator[$0] ? high[$0] : 0 })
                lows.append(hasLow ? (0..<m).map { cell.indicator[$0] ? low[$0] : 0 } : [])
                names.append(label)
                specColumns.append(.init(term: termIndex, levels: cell.raw, name: label))
            }
        }
        let p = columns.count
        var design = Matrix(rows: m, columns: p)
        var lowMatrix: Matrix? = nil
        for j in 0..<p { try! design.setColumn(j, to: columns[j]) }
        if lows.contains(where: { !$0.isEmpty && $0.contains { $0 != 0 } }) {
            var l = Matrix(rows: m, columns: p)
            for j in 0..<p where !lows[j].isEmpty { try! l.setColumn(j, to: lows[j]) }
            lowMatrix = l
        }

        self.formula = formula
        self.response = sample.map { responseValues.high[$0] }
        self.design = design
        self.designLowParts = lowMatrix
        self.coefficientNames = names
        self.hasIntercept = formula.hasIntercept
        self.weights = weightValues.map { w in sample.map { w[$0] } }
        self.offset = offsetValues.map { o in sample.map { o[$0] } }
        self.fixedEffects = fixed.map { $0.restricted(to: sample) }
        self.clusters = clusterGroups.map { $0.restricted(to: sample) }
        self.sample = sample
        self.report = report
        self.specification = DesignSpecification(
            terms: resolvedTerms.map { t in t.factors.map { f -> FactorSpecification in
                if case .categorical(let c) = f { return .categorical(c) }
                return .numeric(f.label)
            } },
            columns: specColumns, categoricalLevels: categoricalLevels, offset: offset)
    }

    /// Level order: numbers numerically when both parse, otherwise text in Unicode order.
    static func levelLess(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x < y }
        return a < b
    }

    /// Internal memberwise initializer, for frames derived from another (a sub-sample).
    init(formula: Formula, response: [Double], design: Matrix, designLowParts: Matrix?, coefficientNames: [String],
         hasIntercept: Bool, weights: [Double]?, offset: [Double]?, fixedEffects: [Grouping], clusters: [Grouping],
         sample: [Int], report: EstimationReport, specification: DesignSpecification) {
        self.formula = formula
        self.response = response
        self.design = design
        self.designLowParts = designLowParts
        self.coefficientNames = coefficientNames
        self.hasIntercept = hasIntercept
        self.weights = weights
        self.offset = offset
        self.fixedEffects = fixedEffects
        self.clusters = clusters
        self.sample = sample
        self.report = report
        self.specification = specification
    }

    /// The frame restricted to the observations at `positions` (into this frame), with
    /// fixed-effect and cluster groups renumbered; `report` replaces the report.
    func restricted(to positions: [Int], report: EstimationReport) -> ModelFrame {
        let low = designLowParts.map { Self.rows($0, positions) }
        return ModelFrame(formula: formula, response: positions.map { response[$0] },
                          design: Self.rows(design, positions), designLowParts: low,
                          coefficientNames: coefficientNames, hasIntercept: hasIntercept,
                          weights: weights.map { w in positions.map { w[$0] } },
                          offset: offset.map { o in positions.map { o[$0] } },
                          fixedEffects: fixedEffects.map { $0.restricted(to: positions) },
                          clusters: clusters.map { $0.restricted(to: positions) },
                          sample: positions.map { sample[$0] }, report: report, specification: specification)
    }

    /// The rows of `m` at `positions` (each within 0..<m.rows), gathered column by column.
    static func rows(_ m: Matrix, _ positions: [Int]) -> Matrix {
        let k = positions.count, n = m.rows
        var out = Matrix(rows: k, columns: m.columns)
        m.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                positions.withUnsafeBufferPointer { pos in
                    for j in 0..<m.columns {
                        let s = src.baseAddress! + j * n, d = dst.baseAddress! + j * k
                        for r in 0..<k { d[r] = s[pos[r]] }
                    }
                }
            }
        }
        return out
    }
}
