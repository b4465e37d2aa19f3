import ArgumentParser
import SteppeModels
import SteppeReport

extension ModelKind: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension SmallSampleCorrection: ExpressibleByArgument {}
extension FlowsFromMargins.Decay: ExpressibleByArgument {}

/// Options shared by the commands that print tables.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: text, markdown, latex, csv, json or html (one self-contained page).")
    var format: OutputFormat = .text

    @Option(name: [.short, .long], help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Option(help: "Print only the K-th table (1-based) of a command that prints several; CSV needs it then.")
    var table: Int?
}

/// Options shared by the commands that fit models.
struct ModelOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Model formula, fixest syntax: \"y ~ x1 + log(x2) | fe1 + fe2\". Repeat for models side by side.")
    var formula: [String] = []

    @Option(name: [.short, .long], help: "Estimator: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")). Repeat to pair with repeated formulas. Default ols.")
    var model: [ModelKind] = []

    @Option(help: "Standard errors: iid, hetero, hc0, hc1, hc2, hc3, cluster:A[,B]. Default: iid without fixed effects, clustered by the first fixed effect with them (as fixest).")
    var vcov: String?

    @Option(help: "Observation weights: a column or expression (frequency weights for GLMs).")
    var weights: String?

    @Option(help: "Offset added to the linear predictor with coefficient 1, e.g. \"log(population)\".")
    var offset: String?

    @Option(name: .customLong("small-sample"), help: "Small-sample correction of the standard errors: fixest, stata, statsmodels or none.")
    var smallSample: SmallSampleCorrection = .fixest

    @Option(help: "Confidence level of the intervals.")
    var level: Double = 0.95

    @Option(name: .customLong("max-iterations"), help: "Upper limit on IRLS iterations (GLMs, PPML); reaching it is reported as non-convergence (fixest's glm.iter, ppmlhdfe's maxiter).")
    var maxIterations: Int = 100

    /// Estimation options from the flags.
    func estimationOptions() throws(CommandFailure) -> EstimationOptions {
        guard level > 0 && level < 1 else { throw CommandFailure("--level must be between 0 and 1, got \(level)") }
        guard maxIterations >= 1 else { throw CommandFailure("--max-iterations must be at least 1, got \(maxIterations)") }
        return EstimationOptions(covariance: try vcov.map(CovarianceArgument.parse), weights: weights, offset: offset,
                                 smallSampleCorrection: smallSample, confidenceLevel: level, maximumIterations: maxIterations)
    }

    /// Formula–model pairs: equal counts pair up; one of either is used with each of the other.
    func specifications(defaultModel: ModelKind = .ols) throws(CommandFailure) -> [(String, ModelKind)] {
        let models = model.isEmpty ? [defaultModel] : model
        if formula.count == models.count { return Array(zip(formula, models)) }
        if models.count == 1 { return formula.map { ($0, models[0]) } }
        if formula.count == 1 { return models.map { (formula[0], $0) } }
        throw CommandFailure("\(formula.count) formulas and \(models.count) models: give one of either, or as many of each")
    }
}
