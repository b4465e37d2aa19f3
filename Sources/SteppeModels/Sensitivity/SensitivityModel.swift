import SteppeData

/// The model whose sensitivity is analysed: its data, frame, estimator, options and fit,
/// kept together so that every method refits variants of the same model cheaply
/// (`ModelFrame.selecting(columns:)`, `AbsorptionCache`, restricted samples).
public struct SensitivityModel: Sendable {
    /// The data the frame was built from (row numbers in `frame.sample` index it).
    public let table: Table
    /// The model frame of the fit (after missing-value screening; before singleton and
    /// separation trimming, which each refit does again).
    public let frame: ModelFrame
    public let model: ModelKind
    /// The options of every refit: those given, without weights and offset (the frame holds them).
    public let options: EstimationOptions
    /// The fit on the whole sample.
    public let fit: FitResult

    /// Builds the frame of `formula` on `table` (weights, offset and cluster variables from
    /// `options`) and fits it.
    /// - Throws: `ModelError` as `Estimator.fit` does.
    public init(table: Table, formula text: String, model: ModelKind, options: EstimationOptions = EstimationOptions()) throws(ModelError) {
        let (frame, frameOptions) = try Estimator.prepare(table, formula: text, options: options)
        self.table = table
        self.frame = frame
        self.model = model
        self.options = frameOptions
        self.fit = try Estimator.fit(frame, model: model, options: frameOptions)
    }

    /// Fits `variant` (a frame derived from `frame`) with the model's estimator and options.
    public func refit(_ variant: ModelFrame, options override: EstimationOptions? = nil) throws(ModelError) -> FitResult {
        try Estimator.fit(variant, model: model, options: override ?? options)
    }

    /// The position of `term` in `fit.coefficients`.
    /// - Throws: `ModelError.invalidOption` naming the terms the model has.
    public func coefficientIndex(_ term: String) throws(ModelError) -> Int {
        guard let k = fit.coefficients.firstIndex(where: { $0.term == term }) else {
            throw .invalidOption("the model has no term '\(term)'; its terms are \(fit.coefficients.map(\.term).joined(separator: ", "))")
        }
        return k
    }

    /// The groups of `columns` (interacted when several) on `rows` of the table (default the
    /// frame's sample; `fit.sample` for the fit's trimmed sample), e.g. the clusters of a
    /// jackknife or a bootstrap.
    /// - Throws: `ModelError` for an unknown column or a missing value in those rows.
    public func grouping(_ columns: [String], on rows: [Int]? = nil) throws(ModelError) -> Grouping {
        let all: Grouping
        do { all = try Grouping.build(from: table, columns: columns) } catch { throw ModelError.from(error) }
        let sample = rows ?? frame.sample
        if let row = sample.first(where: { all.codes[$0] < 0 }) {
            throw .invalidOption("\(columns.joined(separator: "^")) is missing in row \(row + 1) of the estimation sample; cluster by a column without missing values there")
        }
        return all.restricted(to: sample)
    }

    /// Positions in `frame` of the fit's estimation sample (`fit.sample`: the frame's rows
    /// left after singleton and separation trimming), in the fit's order.
    /// - Throws: `ModelError.numerical` if a row of the fit's sample is not in the frame.
    public func fitSamplePositions() throws(ModelError) -> [Int] {
        var position: [Int: Int] = [:]
        for (k, row) in frame.sample.enumerated() { position[row] = k }
        var positions: [Int] = []
        positions.reserveCapacity(fit.sample.count)
        for row in fit.sample {
            guard let p = position[row] else { throw .numerical("row \(row + 1) of the fit's sample is not in its frame") }
            positions.append(p)
        }
        return positions
    }

    /// `frame` on the fit's estimation sample, with `report`; the frame itself when no row
    /// was trimmed.
    func fitFrame(report: EstimationReport) throws(ModelError) -> ModelFrame {
        if frame.sample == fit.sample { return frame }
        return frame.restricted(to: try fitSamplePositions(), report: report)
    }
}
