import SteppeData
import SteppeNumerics

/// A counterfactual scenario: edits of numeric columns (`ScenarioChange`), applied to the
/// rows whose `matchColumn` is one of `matchValues` (every row when `matchValues` is nil).
///
/// ```swift
/// let scenario = try Scenario(changes: [ScenarioChange(parsing: "income*=1.2")],
///                             matchColumn: "region", matchValues: ["Zhambyl", "Turkistan"])
/// let outcome = try fit.predict(table, under: scenario)   // baseline and scenario per row
/// ```
public struct Scenario: Sendable, Hashable {
    public let changes: [ScenarioChange]
    /// The column that chooses the rows the changes apply to.
    public let matchColumn: String
    /// The values of `matchColumn` whose rows change; `nil` for every row.
    public let matchValues: [String]?

    public init(changes: [ScenarioChange], matchColumn: String = "region", matchValues: [String]? = nil) {
        self.changes = changes
        self.matchColumn = matchColumn
        self.matchValues = matchValues
    }

    /// Which rows of `table` the changes apply to.
    /// - Throws: `ModelError` when the match column is missing or a value matches no row.
    public func selectedRows(of table: Table) throws(ModelError) -> [Bool] {
        guard let names = matchValues else { return [Bool](repeating: true, count: table.rowCount) }
        let column: Column
        do { column = try table.column(matchColumn) } catch { throw ModelError.from(error) }
        let present = Set((0..<table.rowCount).map { column.text(at: $0) })
        if let missing = names.first(where: { !present.contains($0) }) {
            throw .invalidOption("no row has \(matchColumn) = '\(missing)' (values: \(present.sorted().joined(separator: ", ")))")
        }
        let wanted = Set(names)
        return (0..<table.rowCount).map { wanted.contains(column.text(at: $0)) }
    }

    /// `table` with every change applied to the selected rows.
    public func apply(to table: Table) throws(ModelError) -> Table {
        let rows = try selectedRows(of: table)
        var out = table
        for change in changes { out = try change.apply(to: out, rows: rows) }
        return out
    }
}

/// Predictions of one fit for the rows of a table, as observed and under a scenario.
public struct ScenarioPrediction: Sendable {
    /// The model's prediction for each row as observed (NaN where it has none).
    public let baseline: [Double]
    /// The prediction with the scenario's changes (NaN where it has none).
    public let scenario: [Double]
    /// Whether the scenario changed row i.
    public let changed: [Bool]

    /// Σ over rows with both predictions: (baseline, scenario), so totals compare like with like.
    public var totals: (baseline: Double, scenario: Double) {
        var b = CompensatedSum(), s = CompensatedSum()
        for i in baseline.indices where baseline[i].isFinite && scenario[i].isFinite { b.add(baseline[i]); s.add(scenario[i]) }
        return (b.value, s.value)
    }
}

extension FitResult {
    /// Predictions for `table` as observed and under `scenario` (same scale, same model).
    /// - Throws: `ModelError` when a column is missing or the scenario does not apply.
    public func predict(_ table: Table, under scenario: Scenario, scale: PredictionScale = .response) throws(ModelError) -> ScenarioPrediction {
        let changed = try scenario.selectedRows(of: table)
        let edited = try scenario.apply(to: table)
        return ScenarioPrediction(baseline: try predict(table, scale: scale), scenario: try predict(edited, scale: scale), changed: changed)
    }
}
