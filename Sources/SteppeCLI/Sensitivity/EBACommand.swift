import ArgumentParser
import Foundation
import SteppeModels
import SteppeReport

extension ExtremeBounds.Weighting: ExpressibleByArgument {}

/// `steppe sensitivity eba`: extreme bounds analysis (Leamer; Sala-i-Martin), as R's
/// ExtremeBounds.
struct EBACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eba",
        abstract: "Extreme bounds: the focus terms over every set of controls.",
        discussion: """
        Fits every regression with the --free terms, at least one --focus term and \
        up to k more --doubtful terms (--k 0:3: Levine & Renelt's up to three), \
        never two terms of one --exclusive set together, on the sample of the full \
        formula, and reports for each free and focus coefficient Leamer's extreme \
        bounds (lowest b - tau*se, highest b + tau*se, tau the normal quantile at \
        --level; robust when both have one sign) and Sala-i-Martin's CDF(0) under \
        the normal and the generic model, with weighted means and the shares of \
        significant coefficients, as R's ExtremeBounds (Hlavac 2016). Terms of the \
        formula not named are doubtful, or free when --doubtful is given. Any \
        estimator (-m) and --vcov: the standard errors are the fit's.

        Default analysis: the PPML model (2), focus log(income_2020_kzt_month), \
        the other push factors doubtful.

        Examples:
          steppe sensitivity eba
          steppe sensitivity eba --eba-weights lri --format json
          steppe sensitivity eba mtcars.csv -f "mpg ~ wt + cyl + carb + hp + am" \\
            --free wt --focus cyl,carb,hp --exclusive "cyl+carb+hp" \\
            --vif 7 --vcov hc0 --eba-weights lri
        """
    )

    static let defaultFocus = ["log(income_2020_kzt_month)"]

    @OptionGroup var options: SensitivityOptions

    @Option(help: "Focus terms, comma-separated (at least one). Default (default analysis): log(income_2020_kzt_month).")
    var focus: String?

    @Option(help: "Free terms in every regression, comma-separated. Default none.")
    var free: String?

    @Option(help: "Doubtful terms, comma-separated. Default: the formula's terms not focus or free.")
    var doubtful: String?

    @Option(help: "How many doubtful terms join a focus term: A:B, a list 0,2 or one number. Default 0:3.")
    var k: String = "0:3"

    @Option(help: "Sets never together: terms joined by +, sets by |, e.g. \"a+b|c+d\".")
    var exclusive: String?

    @Option(help: "Leave out coefficients whose variance inflation factor exceeds this. Default none.")
    var vif: Double?

    @Option(name: .customLong("eba-weights"), help: "Weights of the regressions: equal, lri (1 - ll/ll0), r2 or adj-r2. Default equal.")
    var weights: ExtremeBounds.Weighting = .equal

    @Option(help: "Run only this many combinations, drawn at random (seeded by --seed) from all of them, as ExtremeBounds' draws. Default: all.")
    var draws: Int?

    @Option(help: "Also write each variable's extreme bounds and weighted mean ± 2 s.e. to this SVG file.")
    var plot: String?

    func run() throws {
        try PlotOutput.validate(plot)
        let usingDefault = options.data == nil && options.modelOptions.formula.isEmpty
        let focusTerms = focus.map { SensitivityTerms.split($0, separator: ",") } ?? (usingDefault ? Self.defaultFocus : [])
        guard !focusTerms.isEmpty else {
            throw CommandFailure("give the focus terms with --focus (terms of the formula, comma-separated)")
        }
        var analysis = ExtremeBounds.Options(
            focus: focusTerms, free: free.map { SensitivityTerms.split($0, separator: ",") } ?? [],
            doubtful: doubtful.map { SensitivityTerms.split($0, separator: ",") }, k: try Self.kValues(k),
            exclusive: exclusive.map { SensitivityTerms.split($0, separator: "|").map { SensitivityTerms.split($0, separator: "+") } } ?? [],
            maximumVIF: vif, weighting: weights)
        analysis.draws = draws
        analysis.seed = options.seed
        let setup = try SensitivitySetup(options)
        let bar = ProgressBar("eba")
        let result: ExtremeBounds.Result
        do { result = try ExtremeBounds.analyse(setup.model, options: analysis, progress: bar.handler) } catch {
            bar.finish()
            throw CommandFailure(error)
        }
        bar.finish()
        let json: JSONValue
        do { json = try JSONValueEncoder().encode(result) } catch { throw CommandFailure("could not encode the results: \(error)") }
        var tables = [EBAReport.coefficients(result, setup.model), EBAReport.bounds(result)]
        tables[1].notes += EBAReport.notes(result, setup.model, exclusive: analysis.exclusive)
        try setup.write(method: "eba", results: json, tables: tables,
                        figures: [HTMLReport.Figure(SensitivityPlots.extremeBounds(result, model: setup.model))], options.outputOptions)
        if let plot { try PlotOutput.write(SensitivityPlots.extremeBounds(result, model: setup.model), to: plot) }
    }

    /// `A:B`, `a,b,c` or `a`: whole numbers.
    static func kValues(_ text: String) throws(CommandFailure) -> [Int] {
        let failure = CommandFailure("--k: '\(text)' is not a range A:B, a list 0,2 or a number of doubtful terms, e.g. --k 0:3")
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.contains(":") {
            let ends = trimmed.split(separator: ":", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard ends.count == 2, let a = ends[0], let b = ends[1], a <= b else { throw failure }
            return Array(a...b)
        }
        let values = SensitivityTerms.split(trimmed, separator: ",").map { Int($0) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { throw failure }
        return values.map { $0! }
    }
}

/// The tables of `steppe sensitivity eba`.
enum EBAReport {
    static func percent(_ x: Double) -> ReportTable.Cell { ReportTable.number(100 * x, digits: 1) }

    static func coefficients(_ r: ExtremeBounds.Result, _ model: SensitivityModel) -> ReportTable {
        let rows: [[ReportTable.Cell]] = r.variables.map { v in
            [.text(v.term), .text(v.role.rawValue), ReportTable.number(Double(v.regressions), digits: 0),
             ReportTable.number(Double(v.coefficientsUsed), digits: 0), ReportTable.number(v.weightedMean),
             ReportTable.number(v.weightedStandardError), percent(v.shareNegative), percent(v.sharePositive),
             percent(v.shareSignificantNegative), percent(v.shareSignificantPositive)]
        }
        return ReportTable(title: "Extreme bounds analysis: \(model.fit.responseName), \(model.model.rawValue), \(r.regressions) regressions",
                           columns: ["Term", "Type", "Regressions", "Used", "Mean (wgt)", "SE (wgt)", "% b < 0", "% b > 0",
                                     "% signif. < 0", "% signif. > 0"], rows: rows)
    }

    static func bounds(_ r: ExtremeBounds.Result) -> ReportTable {
        let rows: [[ReportTable.Cell]] = r.variables.map { v in
            [.text(v.term), .text(v.role.rawValue), ReportTable.number(v.leamerLow), ReportTable.number(v.leamerHigh),
             .text(v.leamerRobust.map { $0 ? "robust" : "fragile" } ?? ""), percent(v.cdfNormalBelowZero),
             percent(v.cdfGenericBelowZero)]
        }
        return ReportTable(title: "Leamer's extreme bounds and Sala-i-Martin's CDF(0)",
                           columns: ["Term", "Type", "Lower bound", "Upper bound", "Leamer", "N: % CDF(b <= 0)", "G: % CDF(b <= 0)"],
                           rows: rows)
    }

    static func notes(_ r: ExtremeBounds.Result, _ model: SensitivityModel, exclusive: [[String]]) -> [String] {
        let weights: String
        switch r.weighting {
        case .equal: weights = "equal"
        case .lri: weights = "the likelihood ratio index 1 - ll/ll0"
        case .r2: weights = "R²"
        case .adjustedR2: weights = "adjusted R²"
        }
        var notes = [
            (r.drawn.map { "\($0) of " } ?? "") + "\(r.combinations) combinations\(r.drawn == nil ? "" : " (drawn at random, seeded by --seed)") of k = \(r.k.map(String.init).joined(separator: ", ")) doubtful terms with a focus term; \(r.regressions) regressions used\(r.omitted > 0 ? ", \(r.omitted) left out because a term was dropped (collinear or absorbed)" : ""). Free: \(r.free.isEmpty ? "none" : r.free.joined(separator: ", "))\(model.frame.fixedEffects.isEmpty ? "" : " and the fixed effects"); doubtful: \(r.doubtful.joined(separator: ", ")).",
            "Leamer's bounds: lowest b - tau·se and highest b + tau·se, tau = \(ReportNumber.fixed(r.criticalValue, 3)) (normal, \(ReportNumber.fixed(100 * r.level, 0))%); robust when both have one sign. Sala-i-Martin's CDF(0): N, normal with the weighted mean of b and of se²; G, the weighted mean of each regression's Phi(-b/se). Weights: \(weights).",
            "Standard errors: \(model.fit.covarianceType.explanation), as the fit's.\(r.maximumVIF.map { " Coefficients with a variance inflation factor above \(ReportNumber.significant($0, 6)) are left out (not the intercept's)." } ?? "")\(exclusive.isEmpty ? "" : " Never together: " + exclusive.map { $0.joined(separator: ", ") }.joined(separator: "; ") + ".")",
            "Every regression uses the sample of the full formula (ExtremeBounds refits each formula with na.omit, the same without missing values). Computed as R's ExtremeBounds 0.1.7 (Hlavac 2016, JSS 72(9)); checked against it and a brute-force refit on Hlavac's mtcars example to 1e-10.",
        ]
        if r.regressions == 0 { notes.append("No regression could be used.") }
        return notes
    }
}
