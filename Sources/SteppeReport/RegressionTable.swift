import SteppeModels

/// Several fits side by side, as fixest's `etable`: one column per model, coefficients
/// with significance stars and standard errors in parentheses below, then fixed effects,
/// the estimator, the covariance, fit statistics and convergence, and notes on every
/// observation and term dropped.
///
/// Stars: *** p < 0.01, ** p < 0.05, * p < 0.1 (etable's and Stata's default, stated in
/// the notes). Coefficients appear in order of first appearance across the models.
public enum RegressionTable {
    /// The table of `fits`; `notes` are appended after Steppe's own (data sources, say).
    public static func make(_ fits: [FitResult], title: String = "", notes extra: [String] = []) -> ReportTable {
        let labels = fits.indices.map { "(\($0 + 1))" }
        var table = ReportTable(title: title, columns: [""] + labels)
        func row(_ name: String, _ cells: [ReportTable.Cell]) { table.rows.append([.text(name)] + cells) }

        row("Dependent var.", fits.map { .text(responseName(of: $0)) })
        // Coefficients.
        var terms: [String] = []
        for f in fits { for c in f.coefficients where !terms.contains(c.term) { terms.append(c.term) } }
        table.rules.insert(table.rows.count)
        for term in terms {
            row(term, fits.map { f in
                guard let c = f.coefficient(term) else { return .empty }
                return .number(c.estimate, display: finite(c.estimate) + stars(c.pValue))
            })
            row("", fits.map { f in
                guard let c = f.coefficient(term) else { return .empty }
                return .number(c.standardError, display: "(" + finite(c.standardError) + ")")
            })
        }
        // Fixed effects.
        var effects: [String] = []
        for f in fits { for fe in f.fixedEffects where !effects.contains(fe.name) { effects.append(fe.name) } }
        if !effects.isEmpty {
            table.rules.insert(table.rows.count)
            row("Fixed effects", fits.map { _ in .empty })
            for e in effects { row("  " + e, fits.map { f in .text(f.fixedEffects.contains { $0.name == e } ? "Yes" : "No") }) }
        }
        // Estimation details and statistics.
        table.rules.insert(table.rows.count)
        row("Estimator", fits.map { .text(estimatorName($0)) })
        row("Standard errors", fits.map { .text(standardErrorLabel($0)) })
        row("Observations", fits.map { .number(Double($0.statistics.observations), display: ReportNumber.grouped(Double($0.statistics.observations))) })
        func stat(_ name: String, _ key: (FitStatistics) -> Double?, digits: Int = 4) {
            let values = fits.map { key($0.statistics) }
            guard values.contains(where: { $0 != nil }) else { return }
            row(name, values.map { v in v.map { .number($0, display: finite($0, digits: digits)) } ?? .empty })
        }
        stat("R²", \.rSquared)
        stat("Adj. R²", \.adjustedRSquared)
        stat("Within R²", \.withinRSquared)
        stat("Pseudo R²", \.pseudoRSquared)
        stat("Squared cor.", { $0.rSquared == nil ? $0.squaredCorrelation : nil })
        stat("Residual SE", \.residualStandardError)
        stat("Deviance", { $0.rSquared == nil ? $0.deviance : nil }, digits: 2)
        stat("Log-likelihood", \.logLikelihood, digits: 2)
        stat("AIC", \.aic, digits: 2)
        stat("BIC", \.bic, digits: 2)
        stat("θ (neg. binomial)", \.theta)
        row("Converged", fits.map { f in
            .text((f.report.converged ? "yes" : "NO") + (f.report.iterations > 0 ? " (\(f.report.iterations) it.)" : ""))
        })

        // Notes.
        var notes = ["Significance: *** p<0.01, ** p<0.05, * p<0.1; standard errors in parentheses."]
        for (k, f) in fits.enumerated() {
            let tag = fits.count > 1 ? labels[k] + " " : ""
            let r = f.report
            if r.observationsDropped == 0 {
                notes.append(tag + "All \(ReportNumber.grouped(Double(r.rowsInData))) rows of the data used.")
            } else {
                notes.append(tag + "\(ReportNumber.grouped(Double(r.rowsInData))) rows in the data, \(ReportNumber.grouped(Double(f.statistics.observations))) used.")
                for d in r.droppedObservations { notes.append(tag + d.note) }
            }
            for t in r.droppedTerms { notes.append(tag + t.note) }
            if let c = r.criterion, let tol = r.tolerance {
                // Below 1e-12 the criterion is rounding noise; its digits would differ between BLAS kernels.
                let reached = !c.isFinite ? "not finite" : c < 1e-12 ? "< 1e-12" : "= " + ReportNumber.scientific(c, 2)
                notes.append(tag + "IRLS " + (r.converged ? "converged" : "did NOT converge") + " after \(r.iterations) iterations: |ΔD|/(0.1+|D|) \(reached) (tolerance \(ReportNumber.scientific(tol, 1))).")
            }
            for w in r.warnings { notes.append(tag + "Warning: " + w) }
            notes += undefinedNotes(f).map { tag + $0 }
        }
        table.notes = notes + extra
        return table
    }

    /// The response: the formula's left-hand side (for tables of predictions, too).
    public static func responseName(of fit: FitResult) -> String { fit.responseName }

    /// The estimator with its standard errors, e.g. "PPML, HC1 standard errors".
    public static func estimatorLabel(_ fit: FitResult) -> String {
        estimatorName(fit) + ", " + standardErrorLabel(fit) + " standard errors"
    }

    static func estimatorName(_ fit: FitResult) -> String {
        switch fit.model {
        case .ols: return "OLS"
        case .ppml: return "PPML"
        case .poisson: return "Poisson"
        case .gaussian: return "Gaussian GLM" + (fit.link == .log ? " (log)" : "")
        case .gamma: return "Gamma GLM"
        case .negbin: return "Neg. binomial"
        }
    }

    static func standardErrorLabel(_ fit: FitResult) -> String { fit.covarianceType.label }

    /// A figure as `ReportNumber.format` shows it, and NA for anything not finite: a table
    /// never prints Inf or NaN as if it were a number (the notes say why it is NA).
    public static func finite(_ x: Double, digits: Int = 4) -> String {
        x.isFinite ? ReportNumber.format(x, digits: digits) : "NA"
    }

    /// The table's names of the statistics, by JSON key, for the NA notes.
    static let statisticLabels: [(String, String)] = [
        ("rSquared", "R²"), ("adjustedRSquared", "Adj. R²"), ("withinRSquared", "Within R²"), ("pseudoRSquared", "Pseudo R²"),
        ("adjustedPseudoRSquared", "adjusted pseudo R²"), ("squaredCorrelation", "Squared cor."), ("residualStdError", "Residual SE"),
        ("deviance", "Deviance"), ("nullDeviance", "null deviance"), ("logLikelihood", "Log-likelihood"),
        ("nullLogLikelihood", "null log-likelihood"), ("aic", "AIC"), ("bic", "BIC"), ("theta", "θ"), ("dispersion", "dispersion"),
    ]

    /// One note per reason for the statistics of `fit` that are NA ("NA (Log-likelihood, AIC,
    /// BIC): perfect fit: …"), in the table's order; the standard errors' reason is one of
    /// the fit's warnings already.
    static func undefinedNotes(_ fit: FitResult) -> [String] {
        var order: [String] = [], labels: [String: [String]] = [:]
        for (key, label) in statisticLabels {
            guard let why = fit.undefinedReasons[key] else { continue }
            if labels[why] == nil { order.append(why) }
            labels[why, default: []].append(label)
        }
        return order.map { "NA (" + labels[$0]!.joined(separator: ", ") + "): " + $0 + "." }
    }

    /// *** p < 0.01, ** p < 0.05, * p < 0.1.
    public static func stars(_ p: Double) -> String {
        p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : ""
    }
}

import Foundation
