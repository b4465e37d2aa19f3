import SteppeData

/// A fitted spatial interaction model: the PPML fit that is the model, spint's fit
/// statistics, and the pairs it was fitted on.
public struct InteractionFit: Sendable {
    /// The model as specified.
    public let model: SpatialInteractionModel
    /// The Poisson fit (`Estimator.fit`, model `.ppml`); for quasi-Poisson, with its
    /// covariance scaled by φ and `statistics.dispersion` = φ.
    public let fit: FitResult
    /// Deviance, D², SSI, SRMSE, CPC, … of the fitted flows (`InteractionStatistics`).
    public let statistics: InteractionStatistics
    /// Rows left out before the fit, by reason; the fit's own removals are in `fit.report`.
    public let exclusions: [InteractionExclusion]
    /// Rows of the data (0-based) of each fitted pair, in the order of `fit.fittedValues`.
    public let rows: [Int]
    /// The regions, and each fitted pair's origin and destination as indices into them.
    public let regions: [String]
    public let originIndex: [Int32]
    public let destinationIndex: [Int32]
    /// Rows of the data given.
    public let rowsInData: Int

    /// The distance-decay coefficient β.
    public var cost: Coefficient? { fit.coefficient(model.costTerm) }
    /// Observed and fitted flows of the fitted pairs.
    public var observed: [Double] { fit.response }
    public var fitted: [Double] { fit.fittedValues }
}

extension SpatialInteractionModel {
    /// Fits the model to the origin–destination rows of `table`.
    ///
    /// - Throws: `InteractionError`: an unknown column, bad data (negative flows, a cost ≤ 0
    ///   with power cost, a region without attractiveness or coordinates, a pair twice), options that do
    ///   not fit the constraint, or a failed fit; never a result with a non-finite estimate.
    public func fit(_ input: Table) throws(InteractionError) -> InteractionFit {
        try checkOptions()
        var table = input
        if let coordinates { table = try coordinates.addingDistances(to: input, origin: origin, destination: destination, name: cost) }
        let data = try InteractionData(table, flow: flow, origin: origin, destination: destination, cost: cost,
                                       power: costFunction == .power, includeIntrazonal: includeIntrazonal)
        for v in originVariables { _ = try data.attractiveness(table, v, atOrigin: true) }
        for v in destinationVariables { _ = try data.attractiveness(table, v, atOrigin: false) }
        var clusters: [String] = []
        if case .cluster(let names) = covariance { clusters = names }
        for c in clusters where table[c] == nil { throw .unknownColumn(c, role: "cluster", available: table.columnNames) }
        let used = Array(Set([flow, origin, destination, cost] + originVariables + destinationVariables + clusters)).sorted()
        let modelTable = Self.restricted(table, rows: data.rows, columns: used)
        let options = EstimationOptions(covariance: covariance.engineType, smallSampleCorrection: smallSampleCorrection,
                                        confidenceLevel: confidenceLevel, tolerance: tolerance)
        var result: FitResult
        do { result = try Estimator.fit(modelTable, formula: formula, model: .ppml, options: options) } catch { throw .fit(error) }
        try checkEstimates(result)
        let k = result.statistics.parameterCount
        let quasi = covariance == .quasiPoisson
        let statistics = InteractionStatistics(observed: result.response, fitted: result.fittedValues, parameters: k, likelihood: !quasi)
        if quasi { result = QuasiPoisson.rescale(result, dispersion: statistics.pearsonDispersion) }
        let kept = result.sample
        return InteractionFit(model: self, fit: result, statistics: statistics, exclusions: data.exclusions,
                              rows: kept.map { data.rows[$0] }, regions: data.regions,
                              originIndex: kept.map { data.origin[$0] }, destinationIndex: kept.map { data.destination[$0] },
                              rowsInData: table.rowCount)
    }

    /// The columns `columns` of `table` at `rows` (no copy when every row is kept).
    static func restricted(_ table: Table, rows: [Int], columns: [String]) -> Table {
        let all = rows.count == table.rowCount
        // The names come from the table and are unique, so the table builds.
        return try! Table(columns: columns.map { all ? table[$0]! : table[$0]!.rows(rows) })
    }

    /// The cost term must be estimated (not dropped as collinear, as a constant cost
    /// would be) and every estimate and standard error finite.
    func checkEstimates(_ fit: FitResult) throws(InteractionError) {
        if let dropped = fit.report.droppedTerms.first(where: { $0.term == costTerm }) {
            throw .invalidData("the cost term \(costTerm) could not be estimated: \(dropped.note) (is the cost constant?)")
        }
        for c in fit.coefficients where !c.estimate.isFinite || !c.standardError.isFinite {
            throw .fit(.numerical("the estimate of \(c.term) is not finite (\(c.estimate), standard error \(c.standardError))"))
        }
    }
}
