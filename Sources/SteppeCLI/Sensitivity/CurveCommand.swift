import ArgumentParser
import SteppeModels
import SteppeReport

/// `steppe sensitivity curve`: the specification curve of one term.
struct Curve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A specification curve: one term's estimate under every combination of choices.",
        discussion: """
        With --null-reps R, the whole curve is tested under the null that the term has no effect (specr's boot_null): its median, its share of significant specifications and Stouffer's Z against R bootstrap replicates of data with the effect removed.

        Each --vary is a dimension NAME=ALT1|ALT2|…: fe (fixed effects, empty for none), model (ppml, poisson, ols, ols-log, ols-log1p, …: the zeros question of gravity models), controls (terms added, empty for none) or sample (all, drop:COLUMN=a,b, keep:COLUMN=a,b). Every combination is fitted directly, ranked by the estimate, with the median and the share significant at 1 − --level. Without --vary on the default analysis: the income elasticity under the model, the controls and leaving out Almaty and Astana.

        Examples:
          steppe sensitivity curve
          steppe sensitivity curve --plot curve.svg
          steppe sensitivity curve flows.csv -f "flow ~ log(dist)" \\
            --term "log(dist)" --vary "fe=|origin + destination" \\
            --vary "model=ppml|ols-log|ols-log1p"
        """
    )

    @OptionGroup var options: SensitivityOptions

    @Option(help: "The term whose estimate is followed. Default: the first slope.")
    var term: String?

    @Option(help: "A dimension NAME=ALT1|ALT2 (fe, model, controls, sample). Repeatable.")
    var vary: [String] = []

    @Option(help: "Rows of the ranked table to print (0 for all). JSON has every one.")
    var top: Int = 0

    @Option(help: "Bootstrap replicates of the test under the null (specr's boot_null), at least 99. Default: no test.")
    var nullReps: Int?

    @Option(help: "Also write the curve and its choices panel (as specr's plot_specs) to this SVG file.")
    var plot: String?

    func run() throws {
        try PlotOutput.validate(plot)
        let setup = try SensitivitySetup(options)
        let model = setup.model
        let usingDefault = options.data == nil && options.modelOptions.formula.isEmpty
        let texts = vary.isEmpty && usingDefault ? DefaultAnalysis.curveDimensions : vary
        let dimensions: [SpecificationDimension]
        do { dimensions = try texts.map { t throws(ModelError) in try SpecificationDimension(parsing: t) } } catch { throw CommandFailure(error) }
        let focus = try term ?? firstSlope(model.fit)
        do { _ = try model.coefficientIndex(focus) } catch { throw CommandFailure("--term: \(error)") }
        let bar = ProgressBar("curve")
        let curve: SpecificationCurve.Result
        do {
            curve = try SpecificationCurve.run(model.table, formula: model.frame.formula, model: model.model,
                                               options: setup.estimationOptions, dimensions: dimensions, term: focus,
                                               null: nullReps.map { .init(replicates: $0, seed: options.seed) },
                                               start: model.model == .ols ? nil : StartingMeans(model.fit),
                                               progress: bar.handler)
        } catch { bar.finish(); throw CommandFailure(error) }
        bar.finish()
        var tables = [CurveReport.table(curve, top: top)]
        if let test = curve.nullTest { tables.append(CurveReport.nullTable(test, seed: options.seed)) }
        try setup.write(method: "curve", results: CurveReport.json(curve), tables: tables, figures: [HTMLReport.Figure(
            SensitivityPlots.curve(curve, dimensions: dimensions, level: setup.estimationOptions.confidenceLevel))], options.outputOptions)
        if let plot {
            try PlotOutput.write(SensitivityPlots.curve(curve, dimensions: dimensions, level: setup.estimationOptions.confidenceLevel), to: plot)
        }
    }

    func firstSlope(_ fit: FitResult) throws(CommandFailure) -> String {
        guard let slope = fit.coefficients.first(where: { $0.term != "(Intercept)" }) else {
            throw CommandFailure("the model has no slope to follow; give --term")
        }
        return slope.term
    }
}

/// The curve as a table and as the `results` JSON.
enum CurveReport {
    static func table(_ c: SpecificationCurve.Result, top: Int) -> ReportTable {
        let ok = c.specifications.filter { $0.coefficient != nil }
        let shown = top > 0 ? Array(ok.prefix(top)) : ok
        var t = ReportTable(title: "Specification curve of \(c.term): \(ok.count) specifications, ranked by the estimate",
                            columns: ["rank", "specification", "estimate", "std. error", "p-value", "obs."])
        for (k, s) in shown.enumerated() {
            let b = s.coefficient!
            t.rows.append([.number(Double(k + 1), display: String(k + 1)), .text(s.label),
                           .number(b.estimate, display: ReportNumber.format(b.estimate) + RegressionTable.stars(b.pValue)),
                           ReportTable.number(b.standardError), ReportTable.number(b.pValue), .number(Double(s.observations), display: ReportNumber.grouped(Double(s.observations)))])
        }
        let pct = { (x: Double) in ReportNumber.fixed(100 * x, 1) + "%" }
        t.notes = ["Median estimate \(ReportNumber.format(c.median)); significant at \(ReportNumber.significant(c.alpha, 3)) in \(pct(c.shareSignificant)) of the specifications (positive \(pct(c.shareSignificantPositive)), negative \(pct(c.shareSignificantNegative)))."]
        if top > 0 && ok.count > top { t.notes.append("The first \(top) of \(ok.count) by rank (--top 0 for all).") }
        for f in c.failed { t.notes.append("Not estimated: \(f.label): \(f.failure ?? "")") }
        t.notes.append("Each specification is fitted with the base model's weights, offset and standard errors, and equals `steppe fit` of its formula (Simonsohn, Simmons & Nelson 2020; as R's specr). ols-log drops zero outcomes, and the notes of `steppe fit` on its formula count them.")
        return t
    }

    static func json(_ c: SpecificationCurve.Result) -> JSONValue {
        .object([
            ("term", .string(c.term)),
            ("specifications", .array(c.specifications.map { s in
                var o: [(String, JSONValue)] = [("label", .string(s.label)),
                                                ("choices", .object(s.choices.map { ($0.name, .string($0.value)) })),
                                                ("formula", .string(s.formula)), ("model", .string(s.model.rawValue))]
                if let b = s.coefficient {
                    o += [("estimate", .number(b.estimate)), ("stdError", .number(b.standardError)), ("pValue", .number(b.pValue)),
                          ("confLow", .number(b.confidenceLow)), ("confHigh", .number(b.confidenceHigh))]
                }
                o.append(("nobs", .number(Double(s.observations))))
                o.append(("iterations", .number(Double(s.iterations))))
                if let f = s.failure { o.append(("failure", .string(f))) }
                return .object(o)
            })),
            ("median", .number(c.median)), ("shareSignificant", .number(c.shareSignificant)),
            ("shareSignificantPositive", .number(c.shareSignificantPositive)),
            ("shareSignificantNegative", .number(c.shareSignificantNegative)), ("alpha", .number(c.alpha)),
            ("failed", .number(Double(c.failed.count))),
        ] + (c.nullTest.map { nullJSON($0) } ?? []))
    }

    /// The test under the null: `nullPValue` (of the median) and the details.
    static func nullJSON(_ t: SpecificationCurve.NullTest) -> [(String, JSONValue)] {
        func stats(_ s: SpecificationCurve.CurveStatistics) -> JSONValue {
            .object([("median", .number(s.median)), ("shareSignificant", .number(s.shareSignificant)),
                     ("stouffer", .number(s.stouffer)), ("specifications", .number(Double(s.specifications)))])
        }
        return [("nullPValue", .number(t.pValueMedian)),
                ("nullTest", .object([
                    ("replicates", .number(Double(t.replicates))), ("completed", .number(Double(t.completed))),
                    ("direction", .number(t.direction)), ("observed", stats(t.observed)),
                    ("pValueMedian", .number(t.pValueMedian)), ("pValueShare", .number(t.pValueShare)),
                    ("pValueStouffer", .number(t.pValueStouffer)), ("failedFits", .number(Double(t.failedFits))),
                    ("nullMedians", .array(t.null.map { .number($0.median) })),
                ]))]
    }

    /// The test under the null as a table: each statistic observed, its null median and p-value.
    static func nullTable(_ t: SpecificationCurve.NullTest, seed: UInt64) -> ReportTable {
        let side = t.direction > 0 ? "positive" : "negative"
        var table = ReportTable(title: "The curve under the null: \(t.completed) bootstrap replicates (seed \(seed))",
                                columns: ["statistic", "observed", "null median", "p-value"])
        func middle(_ values: [Double]) -> Double { SampleQuantile.median(sorted: values.sorted()) }
        let rows: [(String, Double, [Double], Double)] = [
            ("median estimate", t.observed.median, t.null.map(\.median), t.pValueMedian),
            ("share significant, \(side)", t.observed.shareSignificant, t.null.map(\.shareSignificant), t.pValueShare),
            ("Stouffer's Z", t.observed.stouffer, t.null.map(\.stouffer), t.pValueStouffer),
        ]
        for (name, observed, null, p) in rows {
            table.rows.append([.text(name), ReportTable.number(observed), ReportTable.number(middle(null)), ReportTable.number(p)])
        }
        table.notes = ["Each specification's outcome has its own estimate of the term removed (y − b·x, or y·exp(−b·x) with a log link), the data's rows are resampled with replacement and every specification refitted (Simonsohn, Simmons & Nelson 2020; as R's specr boot_null). p-values: the share of replicates at least as extreme in the \(side) direction. Rows are resampled independently, so with clustered data the test ignores the clustering."]
        if t.failedFits > 0 { table.notes.append("\(t.failedFits) specification fits failed across replicates and were left out of theirs; the first: \(t.firstFailure ?? "")") }
        if t.completed < t.replicates { table.notes.append("\(t.replicates - t.completed) replicates estimated no specification and were left out.") }
        return table
    }
}
