import SteppeData
import SteppeModels
import SteppeReport

/// The picture of `steppe predict --plot FILE.svg`: every row's baseline and scenario
/// prediction as a dumbbell (`DumbbellPlot`), labelled as the table labels its rows
/// (the --id columns: "Zhambyl 2023"), sorted by the change.
enum PredictPlot {
    static func make(_ table: PredictionTable, dataLabel: String) -> DumbbellPlot {
        let ids = table.idColumns.compactMap { table.data[$0] }
        let rows = (0..<table.data.rowCount).map { i in
            DumbbellPlot.Row(label: ids.isEmpty ? String(i + 1) : ids.map { $0.text(at: i) }.joined(separator: " "),
                             baseline: table.outcome.baseline[i], scenario: table.outcome.scenario[i])
        }
        let changes = table.scenario.changes.map(\.description).joined(separator: ", ")
        let whereText = table.scenario.matchValues.map { " in " + $0.joined(separator: ", ") } ?? " in every row"
        let caption = ["Both are predictions of the model \(table.fit.formula) (\(RegressionTable.estimatorLabel(table.fit))): the baseline for the data as observed, the scenario with the change. Neither is data.",
                       "Data: \(dataLabel)."]
        return DumbbellPlot(rows: rows, baselineName: "baseline", scenarioName: "scenario", valueTitle: "predicted \(table.fit.responseName)",
                            title: "Scenario: \(changes)\(whereText)", caption: caption)
    }
}
