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

    /// observed, baseline, scenario, change, change %; a figure that is not finite (the
    /// change % of a zero baseline, a prediction that overflows) is NA, never Inf or NaN,
    /// and the notes say why (`notes`).
    static func figures(_ y: Double, _ base: Double, _ s: Double) -> [ReportTable.Cell] {
        func cell(_ x: Double, _ digits: Int) -> ReportTable.Cell {
            x.isFinite ? ReportTable.number(x, digits: digits) : .number(.nan, display: "NA")
        }
        return [cell(y, 0), cell(base, 0), cell(s, 0), cell(s - base, 0), cell(base != 0 ? 100 * (s / base - 1) : .nan, 2)]
    }

    func notes(scenarioMissing: Int, skipped: Int) -> [String] {
        var notes = ["Model: \(fit.formula), \(RegressionTable.estimatorLabel(fit))" + (offset.map { ", offset \($0)" } ?? "")
                     + "; fitted on \(fit.statistics.observations) of \(data.rowCount) rows."]
        for c in fit.coefficients {
            notes.append("  \(c.term) = \(RegressionTable.finite(c.estimate)) (s.e. \(RegressionTable.finite(c.standardError)))")
        }
        notes += fit.report.warnings.map { "Warning: " + $0 }
        notes.append("Baseline: the model's prediction for each row as observed; scenario: the same with the changes. Both are model estimates, not data.")
        if scenarioMissing > 0 {
            notes.append("\(scenarioMissing) rows have a baseline but no scenario prediction (the change made a variable invalid for the model, e.g. the log of a value ≤ 0); they show NA and are left out of the totals.")
        }
        let rows = outcome.baseline.indices.filter { outcome.baseline[$0].isFinite }
        if rows.contains(where: { outcome.baseline[$0] == 0 }) || outcome.totals.baseline == 0 {
            notes.append("Change % is NA where the baseline is 0 (no relative change from zero).")
        }
        if outcome.scenario.contains(where: \.isInfinite) || outcome.totals.baseline.isInfinite || outcome.totals.scenario.isInfinite {
            notes.append("NA figures: a prediction or a total too large for double precision.")
        }
        if skipped > 0 {
            notes.append("\(skipped) rows have no prediction (a variable the model needs is missing, or a level it did not see); they are left out, also from the totals.")
        }
        return notes
    }
}
