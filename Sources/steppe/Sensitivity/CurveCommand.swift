import ArgumentParser
import SteppeModels
import SteppeReport

/// `steppe sensitivity curve`: the specification curve of one term.
struct Curve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A specification curve: one term's estimate under every combination of choices.",
        discussion: """
        Each --vary is a dimension NAME=ALT1|ALT2|…: fe (fixed effects, empty for none), model (ppml, poisson, ols, ols-log, ols-log1p, …: the zeros question of gravity models), controls (terms added, empty for none) or sample (all, drop:COLUMN=a,b, keep:COLUMN=a,b). Every combination is fitted directly, ranked by the estimate, with the median and the share significant at 1 − --level. Without --vary on the default analysis: the income elasticity under the model, the controls and leaving out Almaty and Astana.

        Examples:
          steppe sensitivity curve
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

    func run() throws {
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
                                               progress: bar.handler)
        } catch { bar.finish(); throw CommandFailure(error) }
        bar.finish()
        try setup.write(method: "curve", results: CurveReport.json(curve), tables: [CurveReport.table(curve, top: top)], options.outputOptions)
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
        t.notes.append("Each specification is fitted directly with the base model's weights, offset and standard errors (Simonsohn, Simmons & Nelson 2020; as R's specr). ols-log drops zero outcomes, and the notes of `steppe fit` on its formula count them.")
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
                if let f = s.failure { o.append(("failure", .string(f))) }
                return .object(o)
            })),
            ("median", .number(c.median)), ("shareSignificant", .number(c.shareSignificant)),
            ("shareSignificantPositive", .number(c.shareSignificantPositive)),
            ("shareSignificantNegative", .number(c.shareSignificantNegative)), ("alpha", .number(c.alpha)),
            ("failed", .number(Double(c.failed.count))),
        ])
    }
}
