import SteppeModels
import SteppeReport

/// The inputs of each sensitivity method's `--plot`: the method's results as the plain
/// numbers and labels of a SteppeReport plot, with a title and a caption that say what
/// the marks are. The layout is the plots'; nothing here draws.
enum SensitivityPlots {
    /// A choice as the choices panel shows it: an empty alternative (no fixed effects, no
    /// controls) is "none".
    static func choiceLabel(_ value: String) -> String { value.trimmingWhitespace.isEmpty ? "none" : value }

    static func curve(_ c: SpecificationCurve.Result, dimensions: [SpecificationDimension], level: Double) -> SpecificationCurvePlot {
        let fitted = c.specifications.filter { $0.coefficient != nil }
        let specs = fitted.map { s in
            let b = s.coefficient!
            return SpecificationCurvePlot.Specification(estimate: b.estimate, low: b.confidenceLow, high: b.confidenceHigh,
                                                        significant: b.pValue < c.alpha, choices: s.choices.map { choiceLabel($0.value) })
        }
        let dims = dimensions.map { SpecificationCurvePlot.Dimension(name: $0.kind.rawValue, values: $0.alternatives.map(choiceLabel)) }
        let pct = { (x: Double) in ReportNumber.fixed(100 * x, 0) + "%" }
        var caption = ["Top: each specification's estimate with its \(pct(level)) confidence interval, ranked; filled circles are significant at \(ReportNumber.significant(c.alpha, 3)) (\(pct(c.shareSignificant)) of the specifications), hollow diamonds are not; the dashed line is the median. Bottom: the choices of each specification, one column per specification (Simonsohn, Simmons & Nelson 2020; as R's specr)."]
        if !c.failed.isEmpty { caption.append("\(c.failed.count) specification(s) could not be estimated and are not shown (see the table's notes).") }
        return SpecificationCurvePlot(specifications: specs, dimensions: dims, median: c.median,
                                      estimateTitle: "Estimate of \(c.term) and \(pct(level)) interval", alpha: c.alpha,
                                      title: "Specification curve of \(c.term): \(specs.count) specifications", caption: caption)
    }

    static func bootstrap(_ r: BootstrapResult, statistics: [[Double]], fit: FitResult) -> BootstrapHistogramPlot {
        let all = Array(zip(r.terms, statistics))
        let slopes = all.filter { $0.0.term != "(Intercept)" }
        let shown = slopes.isEmpty ? all : slopes
        let panels = shown.map { t, values in
            let failed = values.filter { !$0.isFinite }.count
            let name = t.type == .score && t.imposedNull ? "score statistic" : "t"
            let note = "p = \(ReportNumber.significant(t.pValue, 3)), \(ReportNumber.grouped(Double(values.count))) replicates"
                + (failed > 0 ? ", \(failed) failed (not shown)" : "")
            return BootstrapHistogramPlot.Panel(title: t.term, values: values, observed: t.tStatistic,
                                                observedLabel: "observed \(name) = \(TickFormat.significant(t.tStatistic))", note: note)
        }
        let kind = r.type == .wild ? "Wild cluster bootstrap" : "Score bootstrap"
        let clusters = r.clusterVariable.map { " by \($0) (\(r.clusters ?? 0) clusters)" } ?? ""
        var caption = ["Bars: the bootstrap statistics t* of \(ReportNumber.grouped(Double(r.replicates))) replicates\(r.enumerated ? " (every sign vector)" : ", seed \(r.seed)"); the dashed line: the observed statistic. The p-value is the share of replicates with |t*| ≥ |t|.",
                       "Model: \(fit.formula) (\(fit.model.rawValue), \(fit.statistics.observations) observations). Reference: \(r.reference)."]
        if shown.count < all.count { caption.insert("The intercept is not shown.", at: 1) }
        return BootstrapHistogramPlot(panels: panels, valueTitle: "bootstrap t*", title: "\(kind)\(clusters): the distribution of t*", caption: caption)
    }

    static func jackknife(_ r: JackknifeResult, fit: FitResult) -> JackknifePlot {
        let slopes = r.terms.filter { $0.term != "(Intercept)" }
        let terms = slopes.isEmpty ? r.terms : slopes
        let panels = terms.map { t in
            JackknifePlot.Panel(term: t.term, estimate: t.estimate,
                                leaveOneOut: t.leaveOneOut.map { .init(cluster: $0.cluster, estimate: $0.estimate) })
        }
        var caption = ["Each point: the estimate with one \(r.clusterVariable) left out and the model refitted (\(r.clusters) refits); the dashed line: the full-sample estimate. Sorted by the estimate, largest on top."]
        if terms.count < r.terms.count { caption.append("The intercept is not shown.") }
        if !r.failed.isEmpty { caption.append("Refits that failed are not shown: " + r.failed.map(\.cluster).joined(separator: ", ") + ".") }
        caption.append("Model: \(fit.formula) (\(fit.model.rawValue), \(fit.statistics.observations) observations).")
        return JackknifePlot(panels: panels, clusterName: r.clusterVariable,
                             title: "Leave one \(r.clusterVariable) out: \(fit.responseName), \(fit.model.rawValue)", caption: caption)
    }

    static func extremeBounds(_ r: ExtremeBounds.Result, model: SensitivityModel) -> ExtremeBoundsPlot {
        let slopes = r.variables.filter { $0.term != "(Intercept)" }
        let variables = (slopes.isEmpty ? r.variables : slopes).map {
            ExtremeBoundsPlot.Variable(term: $0.term, leamerLow: $0.leamerLow, leamerHigh: $0.leamerHigh, mean: $0.weightedMean,
                                       standardError: $0.weightedStandardError, robust: $0.leamerRobust)
        }
        var caption = ["Thin line: Leamer's extreme bounds, the lowest b − τ·se and the highest b + τ·se over \(r.regressions) regressions (τ = \(ReportNumber.fixed(r.criticalValue, 2))); robust when both bounds have one sign. Thick bar: the weighted mean of b ± 2 weighted standard errors (as R's ExtremeBounds).",
                       "Model: \(model.fit.formula) (\(model.model.rawValue)); focus: \(r.focus.joined(separator: ", ")); doubtful: \(r.doubtful.filter { !r.focus.contains($0) }.joined(separator: ", "))."]
        if variables.count < r.variables.count { caption.append("The intercept is not shown.") }
        return ExtremeBoundsPlot(variables: variables, title: "Extreme bounds: \(model.fit.responseName), \(model.model.rawValue), \(r.regressions) regressions",
                                 caption: caption)
    }

    static func omittedVariableBias(_ r: OmittedVariableBias.Result) -> ContourPlot {
        let threshold = r.estimate * (r.reduce ? 1 - r.q : 1 + r.q)
        let f = { (x: Double) in TickFormat.significant(x) }
        var points = [ContourPlot.LabelledPoint(label: "unadjusted (\(f(r.estimate)))", x: 0, y: 0, shape: .triangle, color: Palette.black)]
        points += r.bounds.map { b in
            ContourPlot.LabelledPoint(label: "\(OVBReport.plain(b.kd))× \(b.benchmark) (\(f(b.adjustedEstimate)))", x: b.r2dzx, y: b.r2yzdx,
                                      shape: .diamond, color: Palette.vermillion)
        }
        var legend = [LegendEntry("unadjusted estimate", .marker(.triangle, Palette.black, filled: true))]
        if !r.bounds.isEmpty { legend.append(LegendEntry("bound: confounder k× as strong as a benchmark", .marker(.diamond, Palette.vermillion, filled: true))) }
        let caption = ["Contours: the estimate of \(r.treatment) adjusted for a confounder with the partial R²s on the axes (Cinelli & Hazlett 2020; as sensemakr's ovb_contour_plot). The dashed line: where the adjusted estimate reaches \(f(threshold)) (q = \(OVBReport.plain(r.q))). Points: the bounds of a confounder kd times as strong as each benchmark, with the adjusted estimate in parentheses."]
        return ContourPlot(x: r.contour.r2dzx, y: r.contour.r2yzdx, z: r.contour.adjustedEstimate,
                           threshold: (threshold, "adjusted estimate = \(f(threshold))"), points: points, pointLegend: legend,
                           xTitle: "Partial R² of the confounder with the treatment", yTitle: "Partial R² of the confounder with the outcome",
                           title: "Sensitivity of \(r.treatment) to an omitted confounder", caption: caption)
    }
}
