import ArgumentParser
import Foundation
import SteppeData
import SteppeModels
import SteppeReport

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit one or more models and print a regression table.",
        discussion: """
        With no arguments, fits the default analysis: departures by Kazakhstan region (2022–2023) as PPML with log population as exposure, against income, birth rate, unemployment and distance to Almaty or Astana, with robust standard errors.

        Every dropped row and term is listed under the table with its reason, and whether and how the estimation converged.

        Examples:
          steppe fit
          steppe fit --format json       (one envelope: schemaVersion, models, data)
          steppe fit --plot coefficients.svg   (and a coefficient plot)
          steppe fit korea-interregional -m ppml -f "flow ~ log(dist_centroid_km)"
          steppe fit my.csv -m ols -m ppml -f "log(y) ~ log(d)" -f "y ~ log(d)"
          steppe fit my.csv -f "y ~ x | region" --vcov hetero --format latex
        """
    )

    @Argument(help: "A CSV file or a bundled dataset name. Default: the Kazakhstan push-factor data.")
    var data: String?

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var outputOptions: OutputOptions

    @Option(help: "Also write a coefficient plot of every model to this SVG file (the intercept left out).")
    var plot: String?

    func run() throws {
        try PlotOutput.validate(plot)
        var modelOptions = modelOptions
        let source = try DataSource.open(data ?? DefaultAnalysis.dataset, formulas: modelOptions.formula, expressions: [modelOptions.weights, modelOptions.offset])
        let useDefault = try DefaultAnalysis.fillIn(&modelOptions, data: data)
        try source.requireNumeric(formulas: modelOptions.formula, expressions: [modelOptions.weights, modelOptions.offset])
        let options = try modelOptions.estimationOptions()
        let specifications = try modelOptions.specifications()
        var fits: [FitResult] = []
        for (k, (formula, model)) in specifications.enumerated() {
            do {
                fits.append(try Estimator.fit(source.table, formula: formula, model: model, options: options))
            } catch {
                throw CommandFailure((specifications.count > 1 ? "model (\(k + 1)): " : "") + "\(error)")
            }
        }
        var notes: [String] = []
        if let offset = modelOptions.offset { notes.append("Offset: \(offset) (coefficient fixed at 1).") }
        notes += source.sourceNotes
        if source.manifest != nil { notes.append("Caveats: steppe datasets show \(source.label).") }
        let text: String
        switch outputOptions.format {
        case .json:
            text = OutputEnvelope.text(command: "fit", [("models", .array(fits.map(FitJSON.value))), ("data", source.jsonValue)])
        case .html:
            let title = useDefault ? DefaultAnalysis.title : ""
            let figure = HTMLReport.Figure(FitPlot.coefficients(fits, title: title, dataLabel: source.label, offset: modelOptions.offset),
                                           caption: "The models of the table: estimates and confidence intervals, the intercept left out.")
            text = HTMLPage.render([RegressionTable.make(fits, title: title, notes: notes)], command: "fit", figures: [figure],
                                   sources: source.provenance)
        default:
            let title = useDefault ? DefaultAnalysis.title : ""
            text = RegressionTable.make(fits, title: title, notes: notes).render(outputOptions.format)
        }
        try OutputDestination.write(text, to: outputOptions.output)
        if let plot {
            try PlotOutput.write(FitPlot.coefficients(fits, title: useDefault ? DefaultAnalysis.title : "", dataLabel: source.label,
                                                      offset: modelOptions.offset), to: plot)
        }
        for fit in fits where !fit.report.converged {
            FileHandle.standardError.write(Data("steppe: warning: \(fit.formula): the estimation did not converge; see the notes.\n".utf8))
        }
    }
}
