import SteppeModels
import SteppeReport

/// The inputs of `steppe fit --plot`: every model's coefficients and intervals, the
/// intercept left out (as fixest's coefplot does: it is on another scale, and a fitted
/// level rather than an effect).
enum FitPlot {
    static func coefficients(_ fits: [FitResult], title: String, dataLabel: String, offset: String?) -> CoefficientPlot {
        let models = fits.enumerated().map { k, fit in
            let name = (fits.count > 1 ? "(\(k + 1)) " : "") + "\(fit.model.rawValue), \(fit.statistics.observations) obs.: \(fit.formula)"
            return CoefficientPlot.Model(name: name, estimates: fit.coefficients.filter { $0.term != "(Intercept)" }.map {
                CoefficientPlot.Estimate(term: $0.term, estimate: $0.estimate, low: $0.confidenceLow, high: $0.confidenceHigh)
            })
        }
        let level = fits.first?.confidenceLevel ?? 0.95
        let errors = Array(Set(fits.map(\.covarianceType.label))).sorted().joined(separator: "; ")
        var caption = ["Points: estimates; bars: \(ReportNumber.format(100 * level, digits: 0))% confidence intervals (\(errors) standard errors).",
                       "The intercept is not shown (as fixest's coefplot). All terms share one axis, in each term's own units."]
        if let offset { caption.append("Offset: \(offset) (coefficient fixed at 1).") }
        caption.append("Data: \(dataLabel).")
        return CoefficientPlot(models: models, title: title.isEmpty ? "Coefficients of \(fits.count == 1 ? "the model" : "\(fits.count) models")" : title,
                               caption: caption, level: level)
    }
}
