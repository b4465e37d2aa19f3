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
          steppe fit flows.h5 --out-of-core -m ppml -f "flow ~ log(dist) | origin + destination"

        With --out-of-core the data are read a chunk of rows at a time and never held whole: a column store (.h5, from `steppe convert`) is read as it is, a CSV file is converted into a temporary store in the scratch directory first, and every pass of the fit reads the design back from a scratch file (about 8·(p + 3) + 4·G bytes a row of disk). The results are those of the fit in memory, to about 1e-13 on the tests, and do not depend on --chunk-rows. Not out of core: the negative binomial and multi-way clustering. Separated observations are found and dropped as in memory.
        """
    )

    @Argument(help: "A CSV file or a bundled dataset name. Default: the Kazakhstan push-factor data.")
    var data: String?

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var outputOptions: OutputOptions

    @Option(help: "Also write a coefficient plot of every model to this SVG file (the intercept left out).")
    var plot: String?

    @Flag(name: .customLong("out-of-core"), help: "Fit without holding the data in memory (see the discussion above).")
    var outOfCore = false

    @Option(name: .customLong("chunk-rows"), help: ArgumentHelp("With --out-of-core: rows read at a time (and per batch when a CSV file is converted). Default 1,048,576.", valueName: "n"))
    var chunkRows: Int = OutOfCoreFit.defaultChunkRows

    @Option(name: .customLong("scratch"), help: ArgumentHelp("With --out-of-core: the directory of the scratch files. Default $TMPDIR, else /tmp.", valueName: "dir"))
    var scratch: String?

    func validate() throws {
        guard chunkRows > 0 else { throw ValidationError("--chunk-rows must be a positive number of rows, not \(chunkRows)") }
        if !outOfCore && (scratch != nil || chunkRows != OutOfCoreFit.defaultChunkRows) {
            throw ValidationError("--chunk-rows and --scratch go with --out-of-core")
        }
    }

    func run() throws { try run(collective: nil) }

    /// The command, its out-of-core fits shared with the processes of `collective`
    /// (`steppe-mpi`; nil for `steppe fit`, one process).
    func run(collective: (any OutOfCoreCollective)?) throws {
        try PlotOutput.validate(plot)
        var modelOptions = modelOptions
        if outOfCore { return try runOutOfCore(&modelOptions, collective: collective) }
        let source = try DataSource.open(data ?? DefaultAnalysis.dataset, formulas: modelOptions.formula, expressions: [modelOptions.weights, modelOptions.offset])
        let useDefault = try DefaultAnalysis.fillIn(&modelOptions, data: data)
        try source.requireNumeric(formulas: modelOptions.formula, expressions: [modelOptions.weights, modelOptions.offset])
        let options = try modelOptions.estimationOptions()
        let fits = try fitAll(try modelOptions.specifications()) { formula, model in
            try Estimator.fit(source.table, formula: formula, model: model, options: options)
        }
        var notes: [String] = []
        if let offset = modelOptions.offset { notes.append("Offset: \(offset) (coefficient fixed at 1).") }
        notes += source.sourceNotes
        if source.manifest != nil { notes.append("Caveats: steppe datasets show \(source.label).") }
        try report(fits, notes: notes, useDefault: useDefault, data: source.jsonValue, label: source.label, provenance: source.provenance,
                   offset: modelOptions.offset)
    }

    /// `--out-of-core`: the same models through `OutOfCoreFit`, on a store, a CSV file converted first, or a dataset.
    func runOutOfCore(_ modelOptions: inout ModelOptions, collective: (any OutOfCoreCollective)?) throws {
        let directory = scratch ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure("the scratch directory \(directory) does not exist or is not a directory" + (scratch == nil ? " ($TMPDIR, else /tmp)" : " (--scratch)"))
        }
        let useDefault = try DefaultAnalysis.fillIn(&modelOptions, data: data)
        let options = try modelOptions.estimationOptions()
        let specifications = try modelOptions.specifications()
        let input = try OutOfCoreInput.open(data ?? DefaultAnalysis.dataset, scratch: directory, batchRows: chunkRows)
        defer { input.close() }
        let fits = try fitAll(specifications) { formula, model in
            try OutOfCoreFit.fit(input.source, formula: formula, model: model, options: options, chunkRows: chunkRows,
                                 scratchDirectory: directory, collective: collective)
        }
        var notes: [String] = []
        if let offset = modelOptions.offset { notes.append("Offset: \(offset) (coefficient fixed at 1).") }
        notes += input.sourceNotes
        let data: JSONValue = .object([("name", .string(input.label)), ("rows", .number(Double(input.source.rowCount))),
                                       ("outOfCore", .bool(true))])
        try report(fits, notes: notes, useDefault: useDefault, data: data, label: input.label, provenance: [], offset: modelOptions.offset)
    }

    /// Each specification fitted, an error naming the model when there are several.
    func fitAll(_ specifications: [(String, ModelKind)], _ fit: (String, ModelKind) throws -> FitResult) throws -> [FitResult] {
        var fits: [FitResult] = []
        for (k, (formula, model)) in specifications.enumerated() {
            do {
                fits.append(try fit(formula, model))
            } catch {
                throw CommandFailure((specifications.count > 1 ? "model (\(k + 1)): " : "") + "\(error)")
            }
        }
        return fits
    }

    /// The table (or JSON, or HTML page) of the fits, the plot, and the convergence warnings.
    func report(_ fits: [FitResult], notes: [String], useDefault: Bool, data: JSONValue, label: String,
                provenance: [HTMLReport.Provenance], offset: String?) throws {
        let text: String
        switch outputOptions.format {
        case .json:
            text = OutputEnvelope.text(command: "fit", [("models", .array(fits.map(FitJSON.value))), ("data", data)])
        case .html:
            let title = useDefault ? DefaultAnalysis.title : ""
            let figure = HTMLReport.Figure(FitPlot.coefficients(fits, title: title, dataLabel: label, offset: offset),
                                           caption: "The models of the table: estimates and confidence intervals, the intercept left out.")
            text = HTMLPage.render([RegressionTable.make(fits, title: title, notes: notes)], command: "fit", figures: [figure],
                                   sources: provenance)
        default:
            let title = useDefault ? DefaultAnalysis.title : ""
            text = RegressionTable.make(fits, title: title, notes: notes).render(outputOptions.format)
        }
        try OutputDestination.write(text, to: outputOptions.output)
        if let plot {
            try PlotOutput.write(FitPlot.coefficients(fits, title: useDefault ? DefaultAnalysis.title : "", dataLabel: label,
                                                      offset: offset), to: plot)
        }
        for fit in fits where !fit.report.converged {
            FileHandle.standardError.write(Data("steppe: warning: \(fit.formula): the estimation did not converge; see the notes.\n".utf8))
        }
    }
}
