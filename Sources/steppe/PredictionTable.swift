import SteppeData
import SteppeModels
import SteppeReport

/// The table of `steppe predict`: each row observed, baseline and scenario side by side,
/// the change, the totals, and notes on the model and on rows without a prediction.
struct PredictionTable {
    let fit: FitResult
    let outcome: ScenarioPrediction
    let scenario: Scenario
    let data: Table
    /// Columns that label a row (those missing from the data are skipped).
    let idColumns: [String]
    let offset: String?

    func make() -> ReportTable {
        let ids = idColumns.compactMap { data[$0] }
        let where_ = scenario.matchValues.map { " in " + $0.joined(separator: ", ") } ?? " in every row"
        var out = ReportTable(title: "Scenario: " + scenario.changes.map(\.description).joined(separator: ", ") + where_,
                              columns: [ids.isEmpty ? "row" : ids.map(\.name).joined(separator: " "), "scenario applies",
                                        "observed", "baseline", "scenario", "change", "change %"])
        let observed = data[fit.responseName]?.numbers
        var observedTotal = 0.0, skipped = 0, scenarioMissing = 0
        for i in 0..<data.rowCount {
            let base = outcome.baseline[i], s = outcome.scenario[i]
            guard base.isFinite else { skipped += 1; continue }
            let y = observed?[i] ?? .nan
            if s.isFinite { observedTotal += y.isFinite ? y : 0 } else { scenarioMissing += 1 }
            let label = ids.isEmpty ? String(i + 1) : ids.map { $0.text(at: i) }.joined(separator: " ")
            out.rows.append([.text(label), .text(outcome.changed[i] ? "yes" : "")] + Self.figures(y, base, s))
        }
        out.rules.insert(out.rows.count)
        let totals = outcome.totals
        out.rows.append([.text("total"), .text("")] + Self.figures(observedTotal, totals.baseline, totals.scenario))
        out.notes = notes(scenarioMissing: scenarioMissing, skipped: skipped)
        return out
    }

    /// observed, baseline, scenario, change, change %.
    static func figures(_ y: Double, _ base: Double, _ s: Double) -> [ReportTable.Cell] {
        [ReportTable.number(y, digits: 0), ReportTable.number(base, digits: 0), ReportTable.number(s, digits: 0),
         ReportTable.number(s - base, digits: 0), ReportTable.number(100 * (s / base - 1), digits: 2)]
    }

    func notes(scenarioMissing: Int, skipped: Int) -> [String] {
        var notes = ["Model: \(fit.formula), \(RegressionTable.estimatorLabel(fit))" + (offset.map { ", offset \($0)" } ?? "")
                     + "; fitted on \(fit.statistics.observations) of \(data.rowCount) rows."]
        for c in fit.coefficients {
            notes.append("  \(c.term) = \(ReportNumber.format(c.estimate)) (s.e. \(ReportNumber.format(c.standardError)))")
        }
        notes.append("Baseline: the model's prediction for each row as observed; scenario: the same with the changes. Both are model estimates, not data.")
        if scenarioMissing > 0 {
            notes.append("\(scenarioMissing) rows have a baseline but no scenario prediction (the change made a variable invalid for the model, e.g. the log of a value ≤ 0); they show NA and are left out of the totals.")
        }
        if skipped > 0 {
            notes.append("\(skipped) rows have no prediction (a variable the model needs is missing, or a level it did not see); they are left out, also from the totals.")
        }
        return notes
    }
}
