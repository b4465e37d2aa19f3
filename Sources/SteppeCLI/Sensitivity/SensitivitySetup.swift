import Foundation
import SteppeData
import SteppeModels
import SteppeReport

/// The model a sensitivity method analyses, set up from the command line: the data, the
/// default analysis's pooled model when no formula is given, the numeric-column check,
/// one formula and one estimator, fitted once.
struct SensitivitySetup {
    let source: DataSource
    let model: SensitivityModel
    /// The options as given (with weights and offset), for methods that fit from the table.
    let estimationOptions: EstimationOptions
    /// Notes for the foot of the tables: the offset and the data's sources.
    let notes: [String]

    init(_ options: SensitivityOptions) throws(CommandFailure) {
        var modelOptions = options.modelOptions
        source = try DataSource.open(options.data ?? DefaultAnalysis.dataset,
                                     formulas: modelOptions.formula, expressions: [modelOptions.weights, modelOptions.offset])
        _ = try DefaultAnalysis.fillIn(&modelOptions, data: options.data, formulas: [DefaultAnalysis.formulas[1]])
        guard modelOptions.formula.count == 1, modelOptions.model.count <= 1 else {
            throw CommandFailure("a sensitivity analysis takes one model: one --formula and at most one --model")
        }
        try source.requireNumeric(formulas: modelOptions.formula, expressions: [modelOptions.weights, modelOptions.offset])
        let (formula, kind) = try modelOptions.specifications()[0]
        let estimation = try modelOptions.estimationOptions()
        estimationOptions = estimation
        do { model = try SensitivityModel(table: source.table, formula: formula, model: kind, options: estimation) } catch {
            throw CommandFailure(error)
        }
        notes = (modelOptions.offset.map { ["Offset: \($0) (coefficient fixed at 1)."] } ?? []) + source.sourceNotes
    }

    /// Writes the method's tables, or in JSON the envelope
    /// `{schemaVersion, command: "sensitivity", method, model, results, data}`; an HTML
    /// page adds the `figures` (drawn only then).
    func write(method: String, results: JSONValue, tables: [ReportTable], figures: @autoclosure () -> [HTMLReport.Figure] = [],
               _ output: OutputOptions) throws(CommandFailure) {
        let text: String
        if output.format == .json {
            text = OutputEnvelope.text(command: "sensitivity", [("method", .string(method)), ("model", FitJSON.value(model.fit)),
                                                                ("results", results), ("data", source.jsonValue)])
        } else {
            var tables = tables
            if !tables.isEmpty { tables[tables.count - 1].notes += notes }
            text = try Tables.render(tables, output, command: "sensitivity", sources: source.provenance,
                                     figures: output.format == .html ? figures() : [])
        }
        try OutputDestination.write(text, to: output.output)
    }
}

/// A progress bar on stderr for long runs: shown only when stderr is a terminal and the
/// run has taken more than a second, redrawn at most ten times a second, erased at the end.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var shown = false
    private let enabled = isatty(STDERR_FILENO) == 1
    let label: String

    init(_ label: String) { self.label = label }

    /// The handler to pass to a library method.
    var handler: ProgressHandler { { [self] done, total in self.update(done, total) } }

    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(start) > 1, now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
            lastDraw = now
            shown = true
            let width = 30, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
        }
    }

    /// Erases the bar, if it was drawn.
    func finish() {
        lock.withLock {
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            shown = false
        }
    }
}
