import Foundation
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
    /// Which data this frame was built from: new for every frame built from a table, kept
    /// by the frames derived from it (`selecting(columns:)`, sub-samples), so that an
    /// `AbsorptionCache` never mistakes a same-named column of other data for this one.
    public let dataIdentity: UUID

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
        try self.init(table: table, formula: formula, weights: weights, offset: offset, clusters: clusters, firstRow: 0)
    }

    /// `init(table:formula:weights:offset:clusters:)` for a table that starts at row
    /// `firstRow` + 1 of the data (a chunk of an out-of-core fit), for the row numbers of errors.
    init(table: Table, formula: Formula, weights: String?, offset: String?, clusters: [String], firstRow: Int) throws(ModelError) {
        // Every variable on the whole table, in turn, each dropping its missing rows.
        var screen = RowScreen(table: table, firstRow: firstRow)
        let responseValues = try screen.variable(formula.response, label: formula.response.description)
        let resolvedTerms = Self.resolvedTerms(formula.terms, in: table)
        let (numericParts, categoricals) = try screen.factors(of: resolvedTerms)
        var weightValues: [Double]? = nil
        if let weights { weightValues = try screen.weights(weights) }
        var offsetValues: [Double]? = nil
        if let offset { offsetValues = try screen.offset(offset) }
        let fixed = try formula.fixedEffects.map { spec throws(ModelError) in try screen.grouping(spec) }
        let clusterGroups = try clusters.map { name throws(ModelError) in
            try screen.grouping(name.split(separator: "^").map(String.init))
        }
        let report = screen.report
        let sample = screen.sample
        guard !sample.isEmpty else {
            let why = report.droppedObservations.map(\.note).joined(separator: " ")
            throw .noObservations(why.isEmpty ? "the data has no rows" : why)
        }

        // Design columns on the sample.
        var builder = DesignBuilder(sample: sample, rowsInTable: table.rowCount, formula: formula, resolvedTerms: resolvedTerms)
        if formula.hasIntercept { builder.appendIntercept() }
        for (termIndex, term) in resolvedTerms.enumerated() {
            builder.append(term, termIndex: termIndex, numericParts: numericParts, categoricals: categoricals)
        }
        let (design, lowMatrix) = builder.matrices()

        self.formula = formula
        // Values on the sample: the evaluated arrays themselves when no row was dropped.
        func onSample(_ v: [Double]) -> [Double] { builder.wholeTable ? v : sample.map { v[$0] } }
        self.response = onSample(responseValues.high)
        self.design = design
        self.designLowParts = lowMatrix
        self.coefficientNames = builder.names
        self.hasIntercept = formula.hasIntercept
        self.weights = weightValues.map(onSample)
        self.offset = offsetValues.map(onSample)
        self.fixedEffects = fixed.map { $0.restricted(to: sample) }
        self.clusters = clusterGroups.map { $0.restricted(to: sample) }
        self.sample = sample
        self.report = report
        self.dataIdentity = UUID()
        self.specification = DesignSpecification(
            terms: resolvedTerms.map { t in t.factors.map { f -> FactorSpecification in
                if case .categorical(let c) = f { return .categorical(c) }
                return .numeric(f.label)
            } },
            columns: builder.specColumns, categoricalLevels: builder.categoricalLevels, offset: offset)
    }

    /// Level order: numbers numerically when both parse, otherwise text in Unicode order.
    static func levelLess(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x < y }
        return a < b
    }

    /// Internal memberwise initializer, for frames derived from another (a sub-sample).
    init(formula: Formula, response: [Double], design: Matrix, designLowParts: Matrix?, coefficientNames: [String],
         hasIntercept: Bool, weights: [Double]?, offset: [Double]?, fixedEffects: [Grouping], clusters: [Grouping],
         sample: [Int], report: EstimationReport, specification: DesignSpecification, dataIdentity: UUID) {
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
        self.dataIdentity = dataIdentity
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
                          sample: positions.map { sample[$0] }, report: report, specification: specification,
                          dataIdentity: dataIdentity)
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
