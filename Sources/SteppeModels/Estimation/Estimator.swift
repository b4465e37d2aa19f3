import SteppeData
import SteppeNumerics

/// Fits models: the entry points from a table and formula text, or from a prepared `ModelFrame`.
public enum Estimator {
    /// Fits `formula` to `table`, reading the weights, offset and cluster variables named
    /// in `options`.
    ///
    /// - Parameters:
    ///   - table: the data.
    ///   - text: the formula, fixest syntax (`Formula`).
    ///   - model: the estimator.
    ///   - options: covariance, weights, offset and the estimator's settings; defaults as documented there.
    /// - Returns: the fit, with every dropped row and term in its report.
    /// - Throws: `ModelError` (formula, data, options or numerical problems), never a trap.
    public static func fit(_ table: Table, formula text: String, model: ModelKind,
                           options: EstimationOptions = EstimationOptions()) throws(ModelError) -> FitResult {
        let (frame, frameOptions) = try prepare(table, formula: text, options: options)
        return try fit(frame, model: model, options: frameOptions)
    }

    /// The frame of `text` on `table` with the weights, offset and cluster variables named
    /// in `options`, and the options for fitting that frame (without weights and offset,
    /// which the frame now holds).
    static func prepare(_ table: Table, formula text: String, options: EstimationOptions) throws(ModelError) -> (ModelFrame, EstimationOptions) {
        let formula: Formula
        do { formula = try Formula(parsing: text) } catch { throw .formula(error) }
        var clusters: [String] = []
        if case .cluster(let names)? = options.covariance { clusters = names }
        let frame = try ModelFrame(table: table, formula: formula, weights: options.weights, offset: options.offset, clusters: clusters)
        var frameOptions = options
        frameOptions.weights = nil
        frameOptions.offset = nil
        return (frame, frameOptions)
    }

    /// Fits a prepared frame (refits of many variants can share one frame). The frame holds
    /// the weights, offset and clusters; `options.weights` and `.offset` must be `nil`.
    public static func fit(_ frame: ModelFrame, model: ModelKind, options: EstimationOptions = EstimationOptions()) throws(ModelError) -> FitResult {
        guard options.weights == nil && options.offset == nil else {
            throw .invalidOption("a prepared ModelFrame has its own weights and offset: give them when building the frame, not in the options")
        }
        guard options.confidenceLevel > 0 && options.confidenceLevel < 1 else {
            throw .invalidOption("the confidence level must be between 0 and 1, got \(options.confidenceLevel)")
        }
        guard options.maximumIterations >= 1 else {
            throw .invalidOption("the IRLS iteration limit must be at least 1, got \(options.maximumIterations)")
        }
        // A constant outcome is refused before fitting, as fixest does (on the data given, not
        // after singletons and separation: ppmlhdfe fits what is left, then a perfect fit).
        try FitDegeneracy.requireVaryingOutcome(frame, model: model, skipZeroCounts: true)
        if let covariance = options.covariance, case .cluster(let names) = covariance {
            let have = frame.clusters.map(\.name)
            guard names == have else {
                throw .invalidOption("the frame was built with clusters \(have), not \(names)")
            }
        }
        switch model {
        case .ols:
            return try LinearFit.fit(frame, options: options)
        case .ppml, .poisson, .gaussian, .gamma, .negbin:
            return try GLMFit.fit(frame, model: model, options: options)
        }
    }

    /// The covariance type actually used: the given one, or fixest's default.
    static func resolvedCovariance(_ frame: ModelFrame, _ options: EstimationOptions) -> (CovarianceType, [Grouping]) {
        if let c = options.covariance {
            if case .cluster = c { return (c, frame.clusters) }
            return (c, [])
        }
        if let first = frame.fixedEffects.first {
            return (.cluster([first.name]), [first])
        }
        return (.iid, [])
    }

    /// Removes singletons (and, for Poisson-type models, all-zero groups), recording them in the report.
    static func trimmed(_ frame: ModelFrame, report: inout EstimationReport, dropSingletons: Bool, dropZeroGroups: Bool) -> ModelFrame {
        guard !frame.fixedEffects.isEmpty, dropSingletons || dropZeroGroups else { return frame }
        let t = SampleTrimming.trim(groupings: frame.fixedEffects, response: frame.response,
                                    keep: [Bool](repeating: true, count: frame.observations),
                                    dropSingletons: dropSingletons, dropZeroOutcomeGroups: dropZeroGroups)
        guard t.singletons + t.zeroGroups > 0 else { return frame }
        report.drop(.onlyZeroOutcomes, count: t.zeroGroups, variable: t.zeroGroupingNames.joined(separator: ", "))
        report.drop(.singleton, count: t.singletons)
        return frame.restricted(to: (0..<frame.observations).filter { t.keep[$0] }, report: report)
    }
}
