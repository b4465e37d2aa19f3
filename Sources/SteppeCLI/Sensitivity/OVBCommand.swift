import ArgumentParser
import Foundation
import SteppeModels
import SteppeReport

/// `steppe sensitivity ovb`: how strong an omitted confounder must be to overturn an OLS
/// estimate (Cinelli & Hazlett 2020, as sensemakr).
struct OVBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ovb",
        abstract: "Omitted-variable bias: how strong a confounder must be (sensemakr).",
        discussion: """
        For an OLS model (fixed effects allowed) and a --treatment term: its partial \
        R² with the outcome, the robustness values RV_q and RV_q,alpha (the partial \
        R² a confounder needs with both treatment and outcome to cut the estimate by \
        100q%, or to make it insignificant at --alpha), and for a confounder kd/ky \
        times as strong as each --benchmark covariate the bounds on its partial R²s \
        with the estimate, standard error, t and interval adjusted for it. JSON adds \
        a 40 x 40 grid of adjusted estimates (the data of sensemakr's contour plot). \
        As sensemakr: the classical (iid) standard error and df = n - K, whatever \
        --vcov says. PPML and other GLMs are not covered (the bounds are of least \
        squares): fit log(y) by OLS, or use steppe sensitivity eba.

        Default analysis: log(departures/population) by OLS on the default push \
        factors (the OLS twin of the PPML model (2)), treatment \
        log(income_2020_kzt_month), benchmarks crude_birth_rate and \
        log(dist_main_km), kd 1 (a confounder twice as strong as either would \
        explain more than all of income's residual variance).

        Examples:
          steppe sensitivity ovb
          steppe sensitivity ovb --kd 1,2 --q 0.5 --alpha 0.1 --format json
          steppe sensitivity ovb darfur.csv --treatment directlyharmed \\
            -f "peacefactor ~ directlyharmed + age + female | village" \\
            --benchmark female --kd 1,2,3
        """
    )

    /// The OLS twin of the default analysis's pooled model (2): the departure rate in logs.
    static let defaultFormula = "log(departures/population) ~ log(income_2020_kzt_month) + crude_birth_rate + log(dist_main_km) + C(year)"
    static let defaultTreatment = "log(income_2020_kzt_month)"
    static let defaultBenchmarks = ["crude_birth_rate", "log(dist_main_km)"]

    @OptionGroup var options: SensitivityOptions

    @Option(help: "The treatment: a term of the model. Default (default analysis): log(income_2020_kzt_month).")
    var treatment: String?

    @Option(help: "Benchmark covariates, comma-separated terms of the model. Default none (default analysis: crude_birth_rate, log(dist_main_km)).")
    var benchmark: String?

    @Option(help: "Confounder strength with the treatment, as multiples of each benchmark (comma-separated). Default 1,2,3 (default analysis: 1).")
    var kd: String?

    @Option(help: "Strength with the outcome, one per --kd value. Default: as --kd.")
    var ky: String?

    @Option(help: "Share of the estimate the robustness value is about (1: to zero). Default 1.")
    var q: Double = 1

    @Option(help: "Significance level of RV_q,alpha and of the adjusted intervals. Default 0.05.")
    var alpha: Double = 0.05

    @Option(help: "true: the confounder moves the estimate toward zero; false: away. Default true.")
    var reduce: Bool = true

    @Option(help: "Also write the contour plot of the adjusted estimate (as sensemakr's ovb_contour_plot) to this SVG file.")
    var plot: String?

    func run() throws {
        try PlotOutput.validate(plot)
        var options = self.options
        let usingDefault = (options.data == nil || options.data == DefaultAnalysis.dataset) && options.modelOptions.formula.isEmpty
        if usingDefault {
            options.modelOptions.formula = [Self.defaultFormula]
            if options.modelOptions.model.isEmpty { options.modelOptions.model = [.ols] }
        }
        guard let treatment = treatment ?? (usingDefault ? Self.defaultTreatment : nil) else {
            throw CommandFailure("give the treatment with --treatment (a term of the model, e.g. --treatment \"log(income)\")")
        }
        let benchmarks = benchmark.map { SensitivityTerms.split($0, separator: ",") } ?? (usingDefault ? Self.defaultBenchmarks : [])
        let analysis = OmittedVariableBias.Options(treatment: treatment, benchmarks: benchmarks, kd: try Self.numbers(kd ?? (usingDefault ? "1" : "1,2,3"), "--kd"),
                                                   ky: try ky.map { s throws(CommandFailure) in try Self.numbers(s, "--ky") },
                                                   q: q, alpha: alpha, reduce: reduce)
        let setup = try SensitivitySetup(options)
        let result: OmittedVariableBias.Result
        do { result = try OmittedVariableBias.analyse(setup.model, options: analysis) } catch { throw CommandFailure(error) }
        let json: JSONValue
        do { json = try JSONValueEncoder().encode(result) } catch { throw CommandFailure("could not encode the results: \(error)") }
        var tables = [OVBReport.statistics(result, setup.model)]
        if !result.bounds.isEmpty { tables.append(OVBReport.bounds(result)) }
        tables[tables.count - 1].notes += OVBReport.notes(result, setup.model)
        try setup.write(method: "ovb", results: json, tables: tables,
                        figures: [HTMLReport.Figure(SensitivityPlots.omittedVariableBias(result))], options.outputOptions)
        if let plot { try PlotOutput.write(SensitivityPlots.omittedVariableBias(result), to: plot) }
    }

    /// Comma-separated numbers.
    static func numbers(_ text: String, _ flag: String) throws(CommandFailure) -> [Double] {
        let parts = SensitivityTerms.split(text, separator: ",")
        var out: [Double] = []
        for p in parts {
            guard let v = Double(p), v.isFinite else { throw CommandFailure("\(flag): '\(p)' is not a number; give numbers separated by commas, e.g. \(flag) 1,2,3") }
            out.append(v)
        }
        guard !out.isEmpty else { throw CommandFailure("\(flag) needs at least one number, e.g. \(flag) 1,2,3") }
        return out
    }
}

/// The tables of `steppe sensitivity ovb`.
enum OVBReport {
    /// A number as typed: 1, 0.5, 2.25.
    static func plain(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    static func statistics(_ r: OmittedVariableBias.Result, _ model: SensitivityModel) -> ReportTable {
        let q = OVBReport.plain(r.q)
        let rows: [[ReportTable.Cell]] = [
            [.text("Estimate"), ReportTable.number(r.estimate)],
            [.text("Std. error (iid)"), ReportTable.number(r.standardError)],
            [.text("t"), ReportTable.number(r.tStatistic, digits: 3)],
            [.text("Degrees of freedom (n - K)"), ReportTable.number(Double(r.degreesOfFreedom), digits: 0)],
            [.text("Partial R² of treatment with outcome"), ReportTable.number(r.partialR2)],
            [.text("Partial f²"), ReportTable.number(r.partialF2)],
            [.text("Robustness value RV (q = \(q))"), ReportTable.number(r.robustnessValue)],
            [.text("RV (q = \(q), alpha = \(OVBReport.plain(r.alpha)))"), ReportTable.number(r.robustnessValueAlpha)],
        ]
        return ReportTable(title: "Omitted-variable bias of \(r.treatment) (Cinelli & Hazlett 2020): \(model.fit.responseName), OLS, \(model.fit.statistics.observations) observations",
                           columns: ["Statistic", "Value"], rows: rows)
    }

    static func bounds(_ r: OmittedVariableBias.Result) -> ReportTable {
        let level = OVBReport.plain(100 * (1 - r.alpha))
        let rows: [[ReportTable.Cell]] = r.bounds.map { b in
            [.text(b.benchmark), ReportTable.number(b.kd, digits: 2), ReportTable.number(b.ky, digits: 2), ReportTable.number(b.r2dzx), ReportTable.number(b.r2yzdx),
             ReportTable.number(b.adjustedEstimate), ReportTable.number(b.adjustedStandardError), ReportTable.number(b.adjustedT, digits: 3),
             ReportTable.number(b.adjustedConfidenceLow), ReportTable.number(b.adjustedConfidenceHigh)]
        }
        return ReportTable(title: "Bounds on a confounder kd/ky times as strong as a benchmark, and the adjusted estimate",
                           columns: ["Benchmark", "kd", "ky", "R² D~Z|X", "R² Y~Z|D,X", "Adj. estimate", "Adj. SE", "Adj. t",
                                     "\(level)% low", "\(level)% high"], rows: rows)
    }

    static func notes(_ r: OmittedVariableBias.Result, _ model: SensitivityModel) -> [String] {
        let percent = { (x: Double) in ReportNumber.fixed(100 * x, 1) + "%" }
        var notes = [
            "A confounder explaining \(percent(r.robustnessValue)) of the residual variance of both \(r.treatment) and the outcome would \(r.q == 1 ? "bring the estimate to zero" : "cut the estimate by \(percent(r.q))")"
                + (r.robustnessValueAlpha > 0
                    ? "; \(percent(r.robustnessValueAlpha)) would make that change insignificant at alpha = \(OVBReport.plain(r.alpha))."
                    : "; RV_q,alpha is 0: even without a confounder the data cannot reject that change at alpha = \(OVBReport.plain(r.alpha))."),
            "Computed as sensemakr (R 0.1.6, PySensemakr 0.0.8; Cinelli & Hazlett 2020, JRSS-B): partial R² t²/(t² + df), RV_q, RV_q,alpha, bounds from the benchmarks' partial R²s (ovb_partial_r2_bound), adjusted estimate, SE, t (H0: \(r.reduce ? "(1 - q)" : "(1 + q)")·estimate) and interval on t(df); checked against PySensemakr on the Darfur example to 1e-10.",
            "Standard errors: classical (iid), df = n - K, as sensemakr, whatever --vcov says (the bias formulas are those of least squares)."
                + (model.frame.fixedEffects.isEmpty ? "" : " With fixed effects: the within regression, K counting the absorbed levels, so the numbers of the model with dummies."),
            "The confounder \(r.reduce ? "moves the estimate toward zero" : "moves the estimate away from zero") (--reduce \(r.reduce)). --format json adds the contour grid: the adjusted estimate on \(r.contour.r2dzx.count) × \(r.contour.r2yzdx.count) values of R² D~Z|X and R² Y~Z|D,X.",
        ]
        notes += r.warnings
        return notes
    }
}
