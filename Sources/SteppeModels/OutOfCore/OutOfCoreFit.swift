import Foundation
import SteppeData
import SteppeNumerics

/// Fits on data larger than memory: OLS and GLMs (Poisson/PPML, Gaussian, Gamma) with any
/// number of fixed effects, reading a `ChunkedTable` (an HDF5 `ColumnStore`, or a `Table`)
/// range by range.
///
/// The algorithm is the in-memory one, pass by pass: the sample screened chunk by chunk
/// into a scratch design file (`OutOfCoreFrame`), singletons and all-zero groups trimmed
/// (`OutOfCoreTrimming`), then every IRLS step a weighted within regression whose fixed
/// effects are solved in the space of their coefficients (`CoefficientSpaceAbsorber`, the
/// same sweeps, acceleration and convergence test as `FixedEffectAbsorber`) and whose
/// normal equations come from one Gram pass (`OutOfCoreRegression`); the IRLS schedule
/// (the loosened fixed-effect tolerance of early steps, the convergence test, the polish
/// step, step-halving) is `GLMFit`'s. Memory is O(p² + p·ΣK_g + one chunk) whatever the
/// number of rows; the scratch files take (8·(p + 3) + 4·G) bytes a row of disk.
///
/// Every sum runs over fixed blocks of at most 65,536 sample rows in row order, within fixed
/// segments of 2¹⁸ source rows whose sums are added in segment order (`RowSegments`), so
/// the result is the same to the bit for any `chunkRows`, any number of threads and any
/// number of processes sharing the fit through an `OutOfCoreCollective`; it equals the
/// in-memory fit to the tolerances of the two solvers (about 1e-10 relative on the examples
/// of the tests).
///
/// Not out of core (an error says so): the negative binomial, multi-way clustering, HC2/HC3
/// with fixed effects (as in memory) and starting means. The separation check of Poisson
/// models is the in-memory one: all-zero groups removed, the random certificate that no
/// observation can be separated, and when it cannot certify, ppmlhdfe's rectifier
/// iterations (`OutOfCoreRectifier`: in memory on a sample small enough for the in-memory
/// detector's exact method, by passes otherwise), alternating with the trimming until
/// neither drops anything.
public enum OutOfCoreFit {
    /// Rows read from the source at a time: 2²⁰ (a chunk of 10 columns is about 84 MB as a `Table`).
    public static let defaultChunkRows = 1 << 20

    /// Fits `formula` to `source`, reading `chunkRows` rows at a time, with scratch files in
    /// `scratchDirectory` (default `$TMPDIR`, else /tmp). With a `collective`, this process
    /// fits its share of the rows (`RowSegments`) and the processes combine their sums: each
    /// returns the same result, the same to the bit as one process's.
    public static func fit(_ source: any ChunkedTable, formula text: String, model: ModelKind,
                           options: EstimationOptions = EstimationOptions(), chunkRows: Int = defaultChunkRows,
                           scratchDirectory: String? = nil, collective: (any OutOfCoreCollective)? = nil) throws(ModelError) -> FitResult {
        try fit(source, formula: text, model: model, options: options, chunkRows: chunkRows, scratchDirectory: scratchDirectory,
                blockRows: DesignBlocks.defaultBlockRows, segmentRows: RowSegments.defaultSegmentRows, collective: collective)
    }

    /// `fit` with blocks of `blockRows` rows and segments of `segmentRows` (tests take small
    /// ones, to have many).
    static func fit(_ source: any ChunkedTable, formula text: String, model: ModelKind, options: EstimationOptions,
                    chunkRows: Int, scratchDirectory: String?, blockRows: Int, segmentRows: Int = RowSegments.defaultSegmentRows,
                    collective: (any OutOfCoreCollective)? = nil) throws(ModelError) -> FitResult {
        let segments = RowSegments(sourceRows: source.rowCount, segmentRows: segmentRows, collective: collective)
        return try segments.guarded { () throws(ModelError) -> FitResult in
            try fit(source, formula: text, model: model, options: options, chunkRows: chunkRows, scratchDirectory: scratchDirectory,
                    blockRows: blockRows, segments: segments)
        }
    }

    static func fit(_ source: any ChunkedTable, formula text: String, model: ModelKind, options: EstimationOptions,
                    chunkRows: Int, scratchDirectory: String?, blockRows: Int, segments: RowSegments) throws(ModelError) -> FitResult {
        let formula: Formula
        do { formula = try Formula(parsing: text) } catch { throw .formula(error) }
        try checkSupported(model: model, options: options, fixedEffects: !formula.fixedEffects.isEmpty)
        var clusters: [String] = []
        if case .cluster(let names)? = options.covariance { clusters = names }
        let directory = scratchDirectory ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var frame = try OutOfCoreFrame.build(source: source, formula: formula, weights: options.weights, offset: options.offset,
                                             clusters: clusters, chunkRows: chunkRows, directory: directory, family: model.family,
                                             segments: segments, blockRows: blockRows)
        var report = frame.report
        let family = model.family
        let link = options.link ?? family?.defaultLink
        let countModel = family == .poisson
        let summary = try OutcomeSummary.measure(frame)
        if countModel && summary.allZero {
            throw .invalidOutcome("the outcome is 0 in every observation; there is nothing to explain")
        }
        try summary.requireVarying(frame, model: model)
        let cells: OutOfCoreCells?
        (frame, cells) = try estimationSample(frame, separation: countModel && link == .log && options.checkSeparation, options: options,
                                              directory: directory, report: &report)
        let trimmedSummary = try OutcomeSummary.measure(frame)
        if countModel && trimmedSummary.allZero {
            throw .invalidOutcome("the outcome is 0 in every observation left after the checks; there is nothing to explain")
        }
        if model == .ols {
            return try linear(frame, summary: trimmedSummary, options: options, cells: cells)
        }
        guard let family, let link else { throw .invalidOption("\(model.rawValue) is not a GLM") }
        return try glm(frame, model: model, family: family, link: link, summary: trimmedSummary, options: options, directory: directory,
                       cells: cells)
    }

    /// `GLMFit.estimationSample` out of core: singletons trimmed (with all-zero groups when
    /// `separation`) and separated observations dropped, alternately until neither removes
    /// anything; the separation check is the certificate, then, when it cannot rule
    /// separation out, the rectifier iterations. Also returns the cells of the final sample
    /// (two fixed effects), which every solve of the fit uses.
    static func estimationSample(_ start: OutOfCoreFrame, separation: Bool, options: EstimationOptions, directory: String,
                                 report: inout EstimationReport) throws(ModelError) -> (OutOfCoreFrame, OutOfCoreCells?) {
        var frame = start
        while true {
            frame = try OutOfCoreTrimming.trim(frame, dropSingletons: options.dropSingletons, dropZeroGroups: separation,
                                               directory: directory, report: &report)
            frame.report = report
            let cells = try OutOfCoreCells.build(frame, directory: directory)
            guard separation, try !OutOfCoreSeparation.certifiesNoSeparation(frame, cells: cells) else { return (frame, cells) }
            let found = try OutOfCoreRectifier(frame: frame, cells: cells, directory: directory).detect()
            if !found.converged {
                report.warnings.append("The separation check (ReLU) reached its iteration limit; some separated observations may remain.")
            }
            guard found.count > 0 else { frame.report = report; return (frame, cells) }
            report.drop(.separated, count: found.count)
            frame.report = report
            frame = try OutOfCoreTrimming.compacted(frame, keep: { !found.isSeparated($0) }, directory: directory)
        }
    }

    /// The models and options that have no out-of-core path, refused with the reason.
    static func checkSupported(model: ModelKind, options: EstimationOptions, fixedEffects: Bool) throws(ModelError) {
        if model == .negbin {
            throw .invalidOption("the negative binomial is not fitted out of core (its θ search refits the model many times); use -m poisson or ppml, or fit in memory")
        }
        if case .cluster(let names)? = options.covariance, names.count != 1 {
            throw .invalidOption("out of core, standard errors cluster by one variable (\(names.count) given); fit in memory for multi-way clustering")
        }
        if options.startingMeans != nil { throw .invalidOption("starting means are not taken out of core") }
        guard options.confidenceLevel > 0 && options.confidenceLevel < 1 else {
            throw .invalidOption("the confidence level must be between 0 and 1, got \(options.confidenceLevel)")
        }
        guard options.maximumIterations >= 1 else {
            throw .invalidOption("the IRLS iteration limit must be at least 1, got \(options.maximumIterations)")
        }
    }

    // MARK: OLS

    static func linear(_ frame: OutOfCoreFrame, summary: OutcomeSummary, options: EstimationOptions,
                       cells: OutOfCoreCells?) throws(ModelError) -> FitResult {
        let design = frame.design
        var regression = OutOfCoreRegression(levelCounts: frame.fixedEffects.map(\.levelCount), columns: design.columns)
        let s = try regression.solve(frame.segments, design: design, tolerance: options.fixedEffectTolerance, cells: cells) { b throws(ModelError) in
            let block = try design.read(b)
            let z = block.offset.map { o in zip(block.y, o).map { $0 - $1 } } ?? block.y
            return AbsorberBlock(count: block.count, weights: block.weights, vectors: block.x + [z], codes: block.codes)
        }
        let fit = LinearPredictor(startWeight: 0, beta: s.beta, alpha: s.fitAlpha)
        let assembly = OutOfCoreAssembly(frame: frame, model: .ols, family: nil, link: nil, regression: regression, solution: s,
                                         predictor: fit, summary: summary, options: options)
        return try assembly.result()
    }

    // MARK: GLMs

    static func glm(_ frame: OutOfCoreFrame, model: ModelKind, family: Family, link: Link, summary: OutcomeSummary,
                    options: EstimationOptions, directory: String, cells: OutOfCoreCells?) throws(ModelError) -> FitResult {
        let design = frame.design
        let working = try RowScratch<Double>(directory: directory, vectors: 2, blocksOf: design)
        let mean = summary.weightedMean
        let start: @Sendable (DesignBlock, Int) -> Double = { block, i in link.eta(family.startingMean(block.y[i], mean: mean, link: link)) }
        var current = LinearPredictor(startWeight: 1, beta: [Double](repeating: 0, count: design.columns),
                                      alpha: frame.fixedEffects.map { [Double](repeating: 0, count: $0.levelCount) })
        let stepper = IRLSStepPass(design: design, segments: frame.segments, working: working, family: family, link: link, start: start)
        var state = try stepper.evaluate(current, previous: current)
        guard state.admissible && state.deviance.isFinite else {
            throw .numerical("IRLS starting values give a non-finite deviance")
        }
        var deviance = state.deviance
        var regression = OutOfCoreRegression(levelCounts: frame.fixedEffects.map(\.levelCount), columns: design.columns)
        let floor = family == .poisson && mean > 0 && mean.isFinite ? 0.1 * min(1, mean) : 0.1
        var progress = GLMFit.IRLSProgress(demeanTolerance: options.fixedEffectTolerance, canonical: GLMFit.isCanonical(family, link),
                                           logLink: link == .log, devianceFloor: floor)
        var last: OutOfCoreRegression.Solution? = nil
        while progress.iterations < options.maximumIterations || (progress.converged && !progress.polished) {
            progress.iterations += 1
            guard state.validWeights else {
                throw .numerical("IRLS weights became non-finite at iteration \(progress.iterations); the model may be separated or badly scaled")
            }
            let s = try regression.solve(frame.segments, design: design, tolerance: progress.demeanTolerance, cells: cells) { b throws(ModelError) in
                let block = try design.read(b)
                let wz = try working.read(b, count: block.count)
                return AbsorberBlock(count: block.count, weights: wz[0], vectors: block.x + [wz[1]], codes: block.codes)
            }
            let exactSolve = progress.demeanTolerance <= options.fixedEffectTolerance
            var candidate = LinearPredictor(startWeight: 0, beta: s.beta, alpha: s.fitAlpha)
            var step = try stepper.evaluate(candidate, previous: current)
            var halvings = 0
            while !step.admissible || !step.deviance.isFinite {
                halvings += 1
                if halvings > 30 {
                    throw .numerical("IRLS step-halving failed at iteration \(progress.iterations): the deviance stays non-finite")
                }
                candidate = LinearPredictor.midpoint(current, candidate)
                step = try stepper.evaluate(candidate, previous: current)
            }
            progress.lastStepWhole = halvings == 0
            let change = abs(step.deviance - deviance) / (progress.devianceFloor + abs(step.deviance))
            current = candidate
            deviance = step.deviance
            state = step
            last = s
            let summary = IRLSPasses.Step(admissible: true, deviance: step.deviance,
                                          etaChange: step.etaChange, etaSize: step.etaSize)
            if progress.finished(change: change, step: summary, exactSolve: exactSolve, options: options) { break }
        }
        guard let final = last else { throw .numerical("IRLS ran no iteration") }
        var frame = frame
        frame.report.iterations = progress.iterations
        frame.report.criterion = progress.criterion
        frame.report.tolerance = options.tolerance
        frame.report.converged = progress.converged
        if !progress.converged {
            frame.report.warnings.append("IRLS did not converge in \(options.maximumIterations) iterations (criterion \(String(format: "%.2e", progress.criterion)) against \(options.tolerance)); estimates are not reliable. Check for separation or rescale the regressors, or raise the iteration limit.")
        }
        let assembly = OutOfCoreAssembly(frame: frame, model: model, family: family, link: link, regression: regression,
                                         solution: final, predictor: current, summary: summary, options: options)
        return try assembly.result()
    }
}

/// One pass of an out-of-core IRLS step: η of a candidate predictor, μ, whether every μ is
/// admissible, the deviance, max|η − η_previous| and max|η|; and the working weights and
/// outcomes at μ written to the scratch file for the next solve (a rejected candidate's are
/// overwritten by the next candidate's pass).
struct IRLSStepPass: Sendable {
    let design: DesignBlocks
    let segments: RowSegments
    let working: RowScratch<Double>
    let family: Family
    let link: Link
    let start: @Sendable (DesignBlock, Int) -> Double

    struct Outcome: Sendable {
        var admissible: Bool
        var deviance: Double
        var etaChange: Double
        var etaSize: Double
        var validWeights: Bool
    }

    func evaluate(_ candidate: LinearPredictor, previous: LinearPredictor) throws(ModelError) -> Outcome {
        var out = Outcome(admissible: true, deviance: 0, etaChange: 0, etaSize: 0, validWeights: true)
        var total = CompensatedSum()
        try segments.fold({ k throws(ModelError) -> [Double] in
            var part = Outcome(admissible: true, deviance: 0, etaChange: 0, etaSize: 0, validWeights: true)
            var deviance = CompensatedSum()
            try BlockPass.run(blocks: design.blocks(inSegment: k), { b throws(ModelError) -> Outcome in
                try evaluate(block: b, candidate, previous: previous)
            }, combine: { block in
                part.admissible = part.admissible && block.admissible
                part.validWeights = part.validWeights && block.validWeights
                part.etaChange = max(part.etaChange, block.etaChange)
                part.etaSize = max(part.etaSize, block.etaSize)
                if part.admissible { deviance.add(block.deviance) }
            })
            return [part.admissible ? 1 : 0, part.validWeights ? 1 : 0, part.etaChange, part.etaSize, deviance.total.high, deviance.total.low]
        }, into: { p in
            out.admissible = out.admissible && p[0] == 1
            out.validWeights = out.validWeights && p[1] == 1
            out.etaChange = max(out.etaChange, p[2])
            out.etaSize = max(out.etaSize, p[3])
            if out.admissible { total.total = total.total + DoubleDouble(p[4], p[5]) }
        })
        out.deviance = out.admissible ? total.value : .nan
        return out
    }

    /// Block `b`'s part of the pass; its working weights and outcomes written.
    func evaluate(block b: Int, _ candidate: LinearPredictor, previous: LinearPredictor) throws(ModelError) -> Outcome {
        let block = try design.read(b)
        let n = block.count
        let eta = candidate.evaluate(block) { start(block, $0) }
        let before = previous.evaluate(block) { start(block, $0) }
        var part = Outcome(admissible: true, deviance: 0, etaChange: 0, etaSize: 0, validWeights: true)
        var mu = [Double](repeating: 0, count: n), w = mu, z = mu
        for i in 0..<n {
            let m = link.mean(eta[i])
            mu[i] = m
            if !m.isFinite || (link == .log && m <= 0) { part.admissible = false }
            part.etaChange = max(part.etaChange, abs(eta[i] - before[i]))
            part.etaSize = max(part.etaSize, abs(eta[i]))
            let d = link.derivative(mu: m)
            let wi = (block.weights?[i] ?? 1) * family.workingWeight(mu: m, link: link)
            w[i] = wi
            z[i] = eta[i] - (block.offset?[i] ?? 0) + (block.y[i] - m) / d
            if !(wi.isFinite && wi >= 0) { part.validWeights = false }
        }
        if part.admissible { part.deviance = family.deviance(block.y, mu, weights: block.weights) }
        try working.write(b, [w, z])
        return part
    }
}

/// What one pass over the outcomes tells before fitting: Σw, Σwy (the weighted mean), max|y|,
/// whether every y is 0, and whether y (less the offset, for OLS) varies.
struct OutcomeSummary {
    var weightTotal = 0.0
    var weightedSum = 0.0
    var largest = 0.0
    var allZero = true
    var first: Double? = nil
    var firstAdjusted: Double? = nil
    var varies = false
    var variesAdjusted = false
    var rows = 0

    var weightedMean: Double { weightedSum / weightTotal }

    /// The summary over every process's rows: segment by segment, folded in segment order.
    static func measure(_ frame: OutOfCoreFrame) throws(ModelError) -> OutcomeSummary {
        var s = OutcomeSummary()
        var sw = CompensatedSum(), swy = CompensatedSum()
        let design = frame.design
        try frame.segments.fold({ k throws(ModelError) -> [Double] in
            var part = OutcomeSummary()
            var w = CompensatedSum(), wy = CompensatedSum()
            try design.forEach(inSegment: k) { _, block throws(ModelError) in part.add(block, weights: &w, weighted: &wy) }
            return [w.total.high, w.total.low, wy.total.high, wy.total.low, part.largest, part.allZero ? 1 : 0,
                    part.first == nil ? 0 : 1, part.first ?? 0, part.firstAdjusted ?? 0, part.varies ? 1 : 0,
                    part.variesAdjusted ? 1 : 0, Double(part.rows)]
        }, into: { p in
            sw.total = sw.total + DoubleDouble(p[0], p[1])
            swy.total = swy.total + DoubleDouble(p[2], p[3])
            s.largest = max(s.largest, p[4])
            s.allZero = s.allZero && p[5] == 1
            if p[6] == 1 {
                if let f = s.first, let g = s.firstAdjusted {
                    s.varies = s.varies || p[9] == 1 || p[7] != f
                    s.variesAdjusted = s.variesAdjusted || p[10] == 1 || p[8] != g
                } else {
                    (s.first, s.firstAdjusted, s.varies, s.variesAdjusted) = (p[7], p[8], p[9] == 1, p[10] == 1)
                }
            }
            s.rows += Int(p[11])
        })
        s.weightTotal = sw.value
        s.weightedSum = swy.value
        return s
    }

    /// Adds a block's rows (in row order) to the summary of a segment.
    mutating func add(_ block: DesignBlock, weights sw: inout CompensatedSum, weighted swy: inout CompensatedSum) {
        for i in 0..<block.count {
            let y = block.y[i], w = block.weights?[i] ?? 1
            sw.add(w); swy.add(w * y)
            largest = max(largest, abs(y))
            if y != 0 { allZero = false }
            let adjusted = y - (block.offset?[i] ?? 0)
            if let f = first { if y != f { varies = true } } else { first = y }
            if let f = firstAdjusted { if adjusted != f { variesAdjusted = true } } else { firstAdjusted = adjusted }
        }
        rows += block.count
    }

    /// `FitDegeneracy.requireVaryingOutcome` on the summary: a constant outcome is refused.
    func requireVarying(_ frame: OutOfCoreFrame, model: ModelKind) throws(ModelError) {
        guard frame.hasIntercept || !frame.fixedEffects.isEmpty, let y0 = first else { return }
        let isLinear = model == .ols
        if !isLinear && frame.design.hasOffset { return }
        let constant = isLinear ? !variesAdjusted : !varies
        guard constant else { return }
        let value = isLinear ? firstAdjusted ?? y0 : y0
        if value == 0 && (model == .ppml || model == .poisson) { return }
        let name = frame.formula.response.description + (isLinear && frame.design.hasOffset ? " − offset" : "")
        let count = rows == 1 ? "the only observation" : "all \(rows) observations"
        throw .invalidOutcome("the dependent variable \(name) is a constant (\(FitDegeneracy.display(value)) in \(count) of the estimation sample): there is nothing to explain, so the model cannot be estimated (fixest stops here too)")
    }
}
