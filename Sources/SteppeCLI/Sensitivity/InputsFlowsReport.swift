import SteppeData
import SteppeModels
import SteppeReport

/// The tables and `results` JSON of `steppe sensitivity inputs --through flows`.
struct InputsFlowsReport {
    let result: InputUncertainty.FlowsResult
    let calibration: DecayCalibration
    /// Whether the decay range was given (--decay-range) rather than calibrated.
    let given: Bool
    let intervals: [InputInterval]
    let distribution: DrawDistribution
    let top: Int
    let label: String

    var used: Int { result.draws - result.failed.count }

    /// The pairs by median, largest first; the first `top` (all for 0).
    var shown: [InputUncertainty.FlowSummary] {
        let sorted = result.flows.enumerated().sorted { ($0.element.median, -$0.offset) > ($1.element.median, -$1.offset) }.map(\.element)
        return top == 0 ? sorted : Array(sorted.prefix(top))
    }

    static let columns = ["estimate", "median", "2.5%", "97.5%", "from margins %", "from decay %"]

    func row(_ s: InputUncertainty.FlowSummary) -> [ReportTable.Cell] {
        [.text(s.name), ReportTable.number(s.estimate, digits: 0), ReportTable.number(s.median, digits: 0), ReportTable.number(s.q025, digits: 0),
         ReportTable.number(s.q975, digits: 0), ReportTable.number(100 * s.shareFromInputs, digits: 1), ReportTable.number(100 * s.shareFromDecay, digits: 1)]
    }

    var decayText: String {
        let d = result.decay
        let range = "β in [\(ReportNumber.fixed(d.low, 3)), \(ReportNumber.fixed(d.high, 3))]"
        return given ? range + " (--decay-range), no sampling error added"
            : range + " (the smallest and largest calibrated β), plus a normal sampling error of s.d. \(ReportNumber.fixed(d.samplingStandardError, 3)) (the largest calibration standard error)"
    }

    func tables(notes: [String]) -> [ReportTable] {
        var out: [ReportTable] = []
        let title = "ESTIMATED flows with the margins and the distance decay drawn: \(used) of \(result.draws) draws, \(label)"
        if !result.groups.isEmpty {
            var g = ReportTable(title: title + ", sums followed", columns: ["flows"] + Self.columns)
            g.rows = result.groups.map(row)
            out.append(g)
        }
        var f = ReportTable(title: top == 0 ? "Every pair, by median" : "The \(shown.count) largest flows by median, of \(result.flows.count)",
                            columns: ["origin → destination"] + Self.columns)
        if result.groups.isEmpty { f.title = title + ": " + f.title }
        f.rows = shown.map(row)
        out.append(f)
        var c = ReportTable(title: "The distance decay calibrated on observed matrices: PPML, flow ~ \(calibration.decay == .power ? "log(distance)" : "distance/100 km") | origin^year + destination^year",
                            columns: ["dataset", "β", "std. error", "obs."])
        c.rows = calibration.countries.map { [.text($0.dataset), ReportTable.number($0.beta), ReportTable.number($0.standardError),
                                              .number(Double($0.observations), display: String($0.observations))] }
        c.notes = notes + [
            "Intervals: " + intervals.map(\.description).joined(separator: "; ") + "; drawn \(distribution.rawValue), region by region.",
            "Decay: \(decayText); drawn \(distribution.rawValue)\(distribution == .triangular ? " with its mode at β = \(ReportNumber.fixed(result.decay.central, 3))" : ""). \"estimate\" is the flow at the reported margins and β = \(ReportNumber.fixed(result.decay.central, 3)) (the median calibrated β, or the middle of --decay-range).",
            "Every draw refits the flows by IPF; the range is the 2.5% and 97.5% quantiles; \"from margins\" and \"from decay\" are the first-order shares of the variance (Sobol indices by Janon et al. 2014's pick-freeze estimator; the rest is their interaction).",
            "Calibration standard errors: heteroskedasticity-robust (HC1); the same fit as pyfixest's fepois (Tests/SteppeModelsTests/Fixtures/inputs/decay_make_reference.py).",
        ]
        if let first = result.failed.first {
            c.notes.append("\(result.failed.count) draws could not be used, e.g. draw \(first.draw + 1): \(first.reason)")
        } else {
            c.notes.append("Every draw was used.")
        }
        out.append(c)
        return out
    }

    func summaryJSON(_ s: InputUncertainty.FlowSummary) -> JSONValue {
        var fields: [(String, JSONValue)] = [("name", .string(s.name))]
        if !s.origin.isEmpty { fields += [("origin", .string(s.origin)), ("destination", .string(s.destination))] }
        return .object(fields + [
            ("estimate", .number(s.estimate)), ("median", .number(s.median)), ("q025", .number(s.q025)), ("q975", .number(s.q975)),
            ("shareFromInputs", .number(s.shareFromInputs)), ("shareFromDecay", .number(s.shareFromDecay)),
            ("inputStdDev", .number(s.inputStdDev)), ("decayStdDev", .number(s.decayStdDev)), ("stdDev", .number(s.stdDev)),
        ])
    }

    var json: JSONValue {
        let d = result.decay
        let decay: JSONValue = .object([
            ("function", .string(calibration.decay.rawValue)), ("source", .string(given ? "given" : "calibrated")),
            ("low", .number(d.low)), ("high", .number(d.high)), ("central", .number(d.central)),
            ("samplingStdError", .number(d.samplingStandardError)),
            ("calibration", .array(calibration.countries.map { .object([
                ("dataset", .string($0.dataset)), ("beta", .number($0.beta)), ("stdError", .number($0.standardError)),
                ("nobs", .number(Double($0.observations))),
            ]) })),
        ])
        return .object([
            ("through", .string("flows")), ("draws", .number(Double(result.draws))), ("used", .number(Double(used))),
            ("distribution", .string(distribution.rawValue)), ("intervals", .array(intervals.map { .string($0.description) })),
            ("decay", decay), ("flows", .array(shown.map(summaryJSON))), ("groups", .array(result.groups.map(summaryJSON))),
            ("failed", .array(result.failed.map { .object([("draw", .number(Double($0.draw + 1))), ("reason", .string($0.reason))]) })),
        ])
    }

    /// Text through `Tables.render`; JSON as the sensitivity envelope with the calibration fit as its model.
    func write(notes: [String], _ output: OutputOptions) throws(CommandFailure) {
        let text: String
        if output.format == .json {
            let data: JSONValue = .object([("name", .string(label)), ("regions", .number(Double(result.regions.count)))])
            text = OutputEnvelope.text(command: "sensitivity", [("method", .string("inputs")), ("model", FitJSON.value(calibration.fit)),
                                                                ("results", json), ("data", data)])
        } else {
            text = try Tables.render(tables(notes: notes), output, command: "sensitivity")
        }
        try OutputDestination.write(text, to: output.output)
    }
}
