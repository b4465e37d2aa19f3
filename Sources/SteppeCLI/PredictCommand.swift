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
          steppe predict --plot scenario.svg   (baseline against scenario by region)
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
    var match: String = DefaultAnalysis.idColumn

    @Option(help: "Columns that label each row (comma-separated); those missing from the data are skipped.")
    var id: String = "region,year"

    @Option(help: ArgumentHelp("Also write the baseline against the scenario by row to this SVG file (two markers per row joined by a line, sorted by the change).", valueName: "file.svg"))
    var plot: String?

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        try PlotOutput.validate(plot)
        var modelOptions = modelOptions
        let source = try DataSource.open(data ?? DefaultAnalysis.dataset, formulas: modelOptions.formula, expressions: [modelOptions.weights, modelOptions.offset])
        let scenario = try self.scenario(usingDefault: try DefaultAnalysis.fillIn(&modelOptions, data: data, formulas: [DefaultAnalysis.formulas[1]]))
        guard modelOptions.formula.count == 1, modelOptions.model.count <= 1 else {
            throw CommandFailure("predict takes one model: one --formula and at most one --model")
        }
        try source.requireNumeric(formulas: modelOptions.formula, expressions: [modelOptions.weights, modelOptions.offset])
        let (formula, model) = try modelOptions.specifications()[0]
        let options = try modelOptions.estimationOptions()
        do { _ = try scenario.selectedRows(of: source.table) } catch { throw CommandFailure("--regions: \(error)") }
        let fit: FitResult, outcome: ScenarioPrediction
        do {
            fit = try Estimator.fit(source.table, formula: formula, model: model, options: options)
            outcome = try fit.predict(source.table, under: scenario)
        } catch { throw CommandFailure(error) }
        let table = PredictionTable(fit: fit, outcome: outcome, scenario: scenario, data: source.table,
                                    idColumns: id.split(separator: ",").map(String.init), offset: modelOptions.offset)
        var report = table.make()
        report.notes += source.sourceNotes
        let text = outputOptions.format == .json
            ? OutputEnvelope.text(command: "predict", [("models", .array([FitJSON.value(fit)])), ("tables", .array([report.jsonValue])),
                                                       ("data", source.jsonValue)])
            : outputOptions.format == .html ? HTMLPage.render([report], command: "predict", figures: [HTMLReport.Figure(PredictPlot.make(table, dataLabel: source.label),
                                                                                                          caption: "Baseline against scenario by row, sorted by the change.")],
                                                              sources: source.provenance)
            : report.render(outputOptions.format)
        try OutputDestination.write(text, to: outputOptions.output)
        if let plot { try PlotOutput.write(PredictPlot.make(table, dataLabel: source.label), to: plot) }
    }

    /// The scenario from --change and --regions; with the default analysis and no
    /// --change, the documents' southern scenario.
    func scenario(usingDefault: Bool) throws(CommandFailure) -> Scenario {
        var changes = change, regions = regions
        if usingDefault && changes.isEmpty {
            changes = [DefaultAnalysis.scenarioChange]
            regions = regions ?? DefaultAnalysis.scenarioRegions.joined(separator: ",")
        }
        guard !changes.isEmpty else { throw CommandFailure("give a scenario with --change (e.g. --change \"income*=1.2\")") }
        let parsed: [ScenarioChange]
        do { parsed = try changes.map { text throws(ModelError) in try ScenarioChange(parsing: text) } } catch { throw CommandFailure("--change \(error)") }
        let names = regions?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return Scenario(changes: parsed, matchColumn: match, matchValues: names)
    }
}
