import ArgumentParser
import SteppeModels
import SteppeReport

extension DrawDistribution: ExpressibleByArgument {}

/// `steppe sensitivity inputs`: Monte Carlo over loose input figures.
struct Inputs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What loose input figures (intervals) do to the estimates, by Monte Carlo.",
        discussion: """
        Each --interval is drawn anew in every draw, row by row: COLUMN=LOW:HIGH draws each value in [LOW, HIGH], COLUMN*=LOW:HIGH multiplies it by a factor in [LOW, HIGH]. Columns the model uses that come with COLUMN_low and COLUMN_high in the data (as the documents' loose figures do) are drawn within their own interval. Every draw refits the model and adds a draw of its sampling error; the table gives each term's median and 95% range and the share of the spread that comes from the inputs. On the default analysis without --interval: income ±10% and departures ±5% per region, as an illustration (assumed, not from the sources).

        --through flows runs the draws through `steppe flows` instead: the margins (departures, arrivals) drawn from their intervals, and the distance decay β drawn in the range of the β that PPML gravity fits give on the bundled Korean, Dutch and Italian matrices (plus their sampling error), or in --decay-range. It reports each flow's median, 95% range and the shares of the spread from the margins and from the decay, the largest --top flows and the --from → --to sums (default: the south to the north of Kazakhstan). Without --interval: each region's departures and arrivals ±10%, an illustration.

        Examples:
          steppe sensitivity inputs
          steppe sensitivity inputs --interval "income_2020_kzt_month*=0.8:1.2" --draw triangular
          steppe sensitivity inputs --draws 2000 --format json
          steppe sensitivity inputs --through flows
          steppe sensitivity inputs --through flows --interval "departures*=0.7:1" --decay-range 1:2
        """
    )

    @OptionGroup var options: SensitivityOptions

    @Option(help: "COLUMN=LOW:HIGH or COLUMN*=LOW:HIGH. Repeatable.")
    var interval: [String] = []

    @Option(help: "Monte Carlo draws. Default 1000.")
    var draws: Int = 1000

    @Option(help: "How values are drawn in their interval: uniform, triangular or loguniform.")
    var draw: DrawDistribution = .uniform

    @Option(help: "What the draws go through: fit (the model) or flows (steppe flows).")
    var through: Through = .fit

    @OptionGroup(title: "Through flows (as steppe flows takes them)") var flows: InputsFlowsOptions

    enum Through: String, ExpressibleByArgument { case fit, flows }

    func run() throws {
        if through == .flows { return try runFlows() }
        try flows.requireUnused()
        let setup = try SensitivitySetup(options)
        let model = setup.model
        let usingDefault = options.data == nil && options.modelOptions.formula.isEmpty
        var intervals: [InputInterval]
        do { intervals = try interval.map { t throws(ModelError) in try InputInterval(parsing: t) } } catch { throw CommandFailure(error) }
        var notes: [String] = []
        if intervals.isEmpty && usingDefault {
            intervals = DefaultAnalysis.inputIntervals
            notes.append("The intervals are an illustration (income ±10%, departures ±5% per region), assumed rather than taken from the sources; give your own with --interval.")
        }
        let carried = InputInterval.carried(by: model.table, for: model.frame.formula.columnsUsed)
            .filter { c in !intervals.contains { $0.column == c.column } }
        intervals += carried
        let bar = ProgressBar("inputs")
        let result: InputUncertainty.Result
        do {
            result = try InputUncertainty.run(model.table, formula: model.fit.formula, model: model.model, options: setup.estimationOptions,
                                              intervals: intervals, draws: draws, distribution: draw, seed: options.seed,
                                              progress: bar.handler)
        } catch { bar.finish(); throw CommandFailure(error) }
        bar.finish()
        notes.insert("Intervals: " + intervals.map(\.description).joined(separator: "; ") + "; drawn \(draw.rawValue), row by row.", at: 0)
        try setup.write(method: "inputs", results: InputsReport.json(result, intervals: intervals, distribution: draw),
                        tables: [InputsReport.table(result, notes: notes)], options.outputOptions)
    }
}

/// The Monte Carlo's table and `results` JSON.
enum InputsReport {
    static func table(_ r: InputUncertainty.Result, notes: [String]) -> ReportTable {
        var t = ReportTable(title: "Estimates with the inputs drawn from their intervals: \(r.draws - r.failed.count) of \(r.draws) draws",
                            columns: ["term", "estimate", "median", "2.5%", "97.5%", "from inputs %"])
        for s in r.terms {
            t.rows.append([.text(s.term), ReportTable.number(s.estimate), ReportTable.number(s.median), ReportTable.number(s.q025),
                           ReportTable.number(s.q975), ReportTable.number(100 * s.shareFromInputs, digits: 1)])
        }
        t.notes = notes + [
            "Each draw refits the model on the drawn data and adds a normal draw of its sampling error (its standard errors); the range is the 2.5% and 97.5% quantiles, \"from inputs\" the share of the variance due to the inputs (law of total variance).",
        ]
        if !r.failed.isEmpty {
            t.notes.append("\(r.failed.count) draws could not be used, e.g. draw \(r.failed[0].draw + 1): \(r.failed[0].reason)")
        }
        return t
    }

    static func json(_ r: InputUncertainty.Result, intervals: [InputInterval], distribution: DrawDistribution) -> JSONValue {
        .object([
            ("through", .string("fit")), ("draws", .number(Double(r.draws))), ("used", .number(Double(r.draws - r.failed.count))),
            ("distribution", .string(distribution.rawValue)),
            ("intervals", .array(intervals.map { .string($0.description) })),
            ("terms", .array(r.terms.map { s in .object([
                ("name", .string(s.term)), ("estimate", .number(s.estimate)), ("median", .number(s.median)),
                ("q025", .number(s.q025)), ("q975", .number(s.q975)), ("shareFromInputs", .number(s.shareFromInputs)),
                ("inputStdDev", .number(s.inputStdDev)), ("samplingStdDev", .number(s.samplingStdDev)),
            ]) })),
            ("failed", .array(r.failed.map { .object([("draw", .number(Double($0.draw + 1))), ("reason", .string($0.reason))]) })),
        ])
    }
}
