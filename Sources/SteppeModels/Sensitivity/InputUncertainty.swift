import SteppeData
import SteppeNumerics

/// Monte Carlo over the loose figures of the sources: every `InputInterval` is drawn,
/// the model refitted, and each draw's estimates combined with a draw of their sampling
/// error, so that the spread reported carries both.
///
/// Draw d (its own random stream, so the same seed gives the same bits on any number of
/// threads): the intervals' columns drawn row by row, the model fitted, β̂_d and its
/// standard errors s_d; then β*_d,j = β̂_d,j + s_d,j·z with z standard normal (a parametric
/// draw of the estimate, term by term). Reported per term: the median and the 2.5% and
/// 97.5% quantiles of β* (R's type 7), and the share of Var(β*) that comes from the inputs
/// by the law of total variance, Var_d(β̂_d) / (Var_d(β̂_d) + mean_d(s_d²)).
/// A draw whose fit fails, does not converge, loses a term or has an NA standard error (a
/// degenerate fit: no sampling error to draw) is counted with the reason and left out.
public enum InputUncertainty {
    public struct TermSummary: Sendable {
        public let term: String
        /// The estimate with the inputs as reported.
        public let estimate: Double
        public let median: Double
        public let q025: Double
        public let q975: Double
        /// Var_d(β̂_d) / Var(β*), in [0, 1].
        public let shareFromInputs: Double
        /// √Var_d(β̂_d) and √mean_d(s_d²).
        public let inputStdDev: Double
        public let samplingStdDev: Double
    }

    public struct Result: Sendable {
        public let draws: Int
        public let terms: [TermSummary]
        /// (draw, reason) of the draws left out.
        public let failed: [(draw: Int, reason: String)]
    }

    /// One draw's outcome: estimates and standard errors in the base fit's term order, or why not.
    struct Draw: Sendable {
        var estimates: [Double] = []
        var standardErrors: [Double] = []
        var perturbed: [Double] = []
        var failure: String? = nil
    }

    /// Runs `draws` draws of `intervals` through the fit of `formula` by `model`.
    /// - Throws: `ModelError.invalidOption` for no intervals, fewer than 2 draws, or when
    ///   fewer than 2 draws succeed.
    public static func run(_ table: Table, formula: String, model: ModelKind, options: EstimationOptions,
                           intervals: [InputInterval], draws: Int, distribution: DrawDistribution = .uniform,
                           seed: UInt64, progress: ProgressHandler? = nil) throws(ModelError) -> Result {
        guard !intervals.isEmpty else { throw .invalidOption("give at least one --interval (COLUMN=LOW:HIGH or COLUMN*=LOW:HIGH)") }
        guard draws >= 2 else { throw .invalidOption("--draws must be at least 2, got \(draws)") }
        let base = try Estimator.fit(table, formula: formula, model: model, options: options)
        for interval in intervals { _ = try InputInterval.numbers(table, interval.column) }
        let terms = base.coefficients.map(\.term)
        let outcomes = Replicates.run(count: draws, seed: seed, progress: progress) { _, random in
            draw(table, formula: formula, model: model, options: options, intervals: intervals,
                 distribution: distribution, terms: terms, random: &random)
        }
        let failed = outcomes.enumerated().compactMap { d, o in o.failure.map { (draw: d, reason: $0) } }
        let ok = outcomes.filter { $0.failure == nil }
        guard ok.count >= 2 else {
            throw .invalidOption("only \(ok.count) of \(draws) draws could be fitted: " + (failed.first?.reason ?? ""))
        }
        let summaries = base.coefficients.enumerated().map { j, c in summarize(c, ok.map { ($0.estimates[j], $0.standardErrors[j], $0.perturbed[j]) }) }
        return Result(draws: draws, terms: summaries, failed: failed)
    }

    /// One draw: perturbed data, the fit, and a parametric draw of each estimate.
    static func draw(_ table: Table, formula: String, model: ModelKind, options: EstimationOptions, intervals: [InputInterval],
                     distribution: DrawDistribution, terms: [String], random: inout SeededRandom) -> Draw {
        do {
            var data = table
            for interval in intervals { data = try interval.draw(into: data, distribution: distribution, random: &random) }
            let fit = try Estimator.fit(data, formula: formula, model: model, options: options)
            guard fit.report.converged else { return Draw(failure: "the estimation did not converge") }
            var out = Draw()
            for term in terms {
                guard let c = fit.coefficient(term) else { return Draw(failure: "\(term) could not be estimated") }
                guard c.standardError.isFinite else {   // a degenerate fit: no sampling error to draw
                    let why = fit.report.warnings.first { $0.hasPrefix("Standard errors") }
                    return Draw(failure: "the standard error of \(term) is NA" + (why.map { " (\($0))" } ?? ""))
                }
                out.estimates.append(c.estimate)
                out.standardErrors.append(c.standardError)
                out.perturbed.append(c.estimate + c.standardError * random.nextNormal())
            }
            return out
        } catch {
            return Draw(failure: "\(error)")
        }
    }

    /// Quantiles of β* and the variance split for one term.
    static func summarize(_ c: Coefficient, _ draws: [(estimate: Double, se: Double, perturbed: Double)]) -> TermSummary {
        let n = Double(draws.count)
        // The mean as an offset from the first draw, so identical draws give a variance of exactly 0.
        let first = draws[0].estimate
        let mean = first + draws.reduce(0) { $0 + ($1.estimate - first) } / n
        let inputVariance = draws.reduce(0) { $0 + ($1.estimate - mean) * ($1.estimate - mean) } / (n - 1)
        let samplingVariance = draws.reduce(0) { $0 + $1.se * $1.se } / n
        let sorted = draws.map(\.perturbed).sorted()
        let total = inputVariance + samplingVariance
        return TermSummary(term: c.term, estimate: c.estimate, median: SampleQuantile.type7(sorted, 0.5), q025: SampleQuantile.type7(sorted, 0.025),
                           q975: SampleQuantile.type7(sorted, 0.975), shareFromInputs: total > 0 ? inputVariance / total : 0,
                           inputStdDev: inputVariance.squareRoot(), samplingStdDev: samplingVariance.squareRoot())
    }
}
