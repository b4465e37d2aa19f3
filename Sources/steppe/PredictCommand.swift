import ArgumentParser
import Foundation
import SteppeData
import SteppeModels
import SteppeReport

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fitted flows, and counterfactual flows under a scenario that changes push factors.",
        discussion: """
        Fits one model, then predicts every row of the data twice: as observed (the baseline) and with the --change edits applied to the rows chosen by --regions. Prints both side by side with the change and the totals.

        A change is COLUMN*=FACTOR, COLUMN+=AMOUNT or COLUMN=VALUE. With no arguments: the default analysis's pooled model (2), with income raised 20% in Zhambyl, Turkistan and Shymkent (the southern origins the documents name).

        Examples:
          steppe predict
          steppe predict --change "crude_birth_rate+=-2" --regions Zhambyl
          steppe predict --change "income_2020_kzt_month*=1.5" --format csv
        """
    )

    @Argument(help: "A CSV file or a bundled dataset name. Default: the Kazakhstan push-factor data.")
    var data: String?

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "A scenario edit: COLUMN*=FACTOR, COLUMN+=AMOUNT or COLUMN=VALUE. Repeatable.")
    var change: [String] = []

    @Option(help: "Apply the changes only to rows whose --match column is one of these (comma-separated). Default: every row.")
    var regions: String?

    @Option(help: "The column --regions refers to.")
    var match: String = "region"

    @Option(help: "Columns that label each row (comma-separated); those missing from the data are skipped.")
    var id: String = "region,year"

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        var modelOptions = modelOptions
        let source = try DataSource.open(data ?? DefaultAnalysis.dataset)
        var changes = change
        var regions = regions
        var notes: [String] = []
        if modelOptions.formula.isEmpty {
            guard data == nil || data == DefaultAnalysis.dataset else {
                throw CommandFailure("give a model formula with --formula")
            }
            modelOptions.formula = [DefaultAnalysis.formulas[1]]
            if modelOptions.model.isEmpty { modelOptions.model = [DefaultAnalysis.model] }
            if modelOptions.offset == nil { modelOptions.offset = DefaultAnalysis.offset }
            if modelOptions.vcov == nil { modelOptions.vcov = DefaultAnalysis.vcov }
            if changes.isEmpty {
                changes = [DefaultAnalysis.scenarioChange]
                regions = regions ?? DefaultAnalysis.scenarioRegions.joined(separator: ",")
            }
        }
        guard modelOptions.formula.count == 1, modelOptions.model.count <= 1 else {
            throw CommandFailure("predict takes one model: one --formula and at most one --model")
        }
        guard !changes.isEmpty else { throw CommandFailure("give a scenario with --change (e.g. --change \"income*=1.2\")") }
        try source.requireNumeric(formulas: modelOptions.formula, expressions: [modelOptions.weights, modelOptions.offset])
        let (formula, model) = try modelOptions.specifications()[0]
        let fit: FitResult
        do {
            fit = try Estimator.fit(source.table, formula: formula, model: model, weights: modelOptions.weights,
                                    offset: modelOptions.offset, options: modelOptions.estimationOptions())
        } catch let e as CommandFailure { throw e } catch { throw CommandFailure(error) }

        // Rows the scenario touches.
        let table = source.table
        var selected = [Bool](repeating: true, count: table.rowCount)
        var chosen: [String] = []
        if let regions {
            let names = regions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let column: Column
            do { column = try table.column(match) } catch { throw CommandFailure("--match: \(error)") }
            let present = Set((0..<table.rowCount).map { column.text(at: $0) })
            if let missing = names.first(where: { !present.contains($0) }) {
                throw CommandFailure("--regions: no row has \(match) = '\(missing)' (values: \(present.sorted().joined(separator: ", ")))")
            }
            selected = (0..<table.rowCount).map { names.contains(column.text(at: $0)) }
            chosen = names
        }
        var scenario = table
        for c in changes { scenario = try ScenarioChange.parse(c).apply(to: scenario, rows: selected) }

        let baseline: [Double], counterfactual: [Double]
        do {
            baseline = try fit.predict(table)
            counterfactual = try fit.predict(scenario)
        } catch { throw CommandFailure(error) }

        // Rows: those with a baseline prediction.
        let idColumns = id.split(separator: ",").map(String.init).compactMap { table[$0] }
        let outcome = RegressionTable.responseName(of: fit)
        let observed = table[outcome]?.numbers
        var out = ReportTable(title: "Scenario: \(changes.joined(separator: ", "))" + (chosen.isEmpty ? " in every row" : " in \(chosen.joined(separator: ", "))"),
                              columns: [idColumns.isEmpty ? "row" : idColumns.map(\.name).joined(separator: " "), "scenario applies",
                                        "observed", "baseline", "scenario", "change", "change %"])
        var totals = (observed: 0.0, base: 0.0, scen: 0.0)
        var skipped = 0, scenarioMissing = 0
        for i in 0..<table.rowCount {
            guard baseline[i].isFinite else { skipped += 1; continue }
            let label = idColumns.isEmpty ? String(i + 1) : idColumns.map { $0.text(at: i) }.joined(separator: " ")
            let y = observed?[i] ?? .nan
            let s = counterfactual[i]
            if s.isFinite {
                // Totals over the rows with both predictions, so that they compare like with like.
                totals.observed += y.isFinite ? y : 0
                totals.base += baseline[i]
                totals.scen += s
            } else {
                scenarioMissing += 1
            }
            out.rows.append([.text(label), .text(selected[i] ? "yes" : ""), ReportTable.number(y, digits: 0),
                             ReportTable.number(baseline[i], digits: 0), ReportTable.number(s, digits: 0),
                             ReportTable.number(s - baseline[i], digits: 0), ReportTable.number(100 * (s / baseline[i] - 1), digits: 2)])
        }
        out.rules.insert(out.rows.count)
        out.rows.append([.text("total"), .text(""), ReportTable.number(totals.observed, digits: 0), ReportTable.number(totals.base, digits: 0),
                         ReportTable.number(totals.scen, digits: 0), ReportTable.number(totals.scen - totals.base, digits: 0),
                         ReportTable.number(100 * (totals.scen / totals.base - 1), digits: 2)])
        notes.append("Model: \(fit.formula), \(RegressionTable.estimatorLabel(fit))" + (modelOptions.offset.map { ", offset \($0)" } ?? "") + "; fitted on \(fit.statistics.observations) of \(table.rowCount) rows.")
        for c in fit.coefficients {
            notes.append("  \(c.term) = \(ReportNumber.format(c.estimate)) (s.e. \(ReportNumber.format(c.standardError)))")
        }
        notes.append("Baseline: the model's prediction for each row as observed; scenario: the same with the changes. Both are model estimates, not data.")
        if scenarioMissing > 0 {
            notes.append("\(scenarioMissing) rows have a baseline but no scenario prediction (the change made a variable invalid for the model, e.g. the log of a value ≤ 0); they show NA and are left out of the totals.")
        }
        if skipped > 0 { notes.append("\(skipped) rows have no prediction (a variable the model needs is missing, or a level it did not see); they are left out, also from the totals.") }
        notes += source.sourceNotes
        out.notes = notes
        try OutputDestination.write(out.render(outputOptions.format), to: outputOptions.output)
    }
}

/// One scenario edit of a numeric column: `COL*=F`, `COL+=D` or `COL=V`.
struct ScenarioChange {
    enum Operation { case multiply, add, set }
    let column: String
    let operation: Operation
    let value: Double

    static func parse(_ text: String) throws(CommandFailure) -> ScenarioChange {
        for (token, op) in [("*=", Operation.multiply), ("+=", .add), ("=", .set)] {
            guard let r = text.range(of: token) else { continue }
            let name = text[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
            let number = text[r.upperBound...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, let v = Double(number), v.isFinite else { break }
            return ScenarioChange(column: name, operation: op, value: v)
        }
        throw CommandFailure("--change '\(text)' is not COLUMN*=FACTOR, COLUMN+=AMOUNT or COLUMN=VALUE with a finite number")
    }

    func apply(to table: Table, rows: [Bool]) throws(CommandFailure) -> Table {
        let column: Column
        do { column = try table.column(self.column) } catch { throw CommandFailure("--change: \(error)") }
        guard case .numeric(var v) = column.values else { throw CommandFailure("--change: column '\(self.column)' is not numeric") }
        for i in 0..<v.count where rows[i] {
            switch operation {
            case .multiply: v[i] *= value
            case .add: v[i] += value
            case .set: v[i] = value
            }
        }
        do { return try Table(columns: table.columns.map { $0.name == self.column ? .numeric(self.column, v) : $0 }) } catch { throw CommandFailure(error) }
    }
}
