import ArgumentParser
import Foundation
import SteppeBench
import SteppeData
import SteppeModels
import SteppeNumerics
import SteppeReport

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solver throughput on this machine: time, rows/s, GFLOP/s and the fraction of dgemm peak.",
        discussion: """
        Generates each problem from a fixed seed at the sizes given, solves it, and reports the median wall time of --repetitions runs (after one warm-up), rows per second, GFLOP/s for the dense solves, the fraction of this machine's dgemm peak measured in the same run, and the peak resident memory.

        Problems: ols (least squares, n × p, QR path), ols-normal (the normal-equations path), glm (Poisson, n × p), ppml (two fixed effects of --levels levels), panel (origin-year, destination-year and pair effects), demean (the fixed-effect absorption alone), csv (writing and reading a CSV of the ols data).

        Examples:
          steppe bench
          steppe bench --problem ols --rows 1000000 --cols 21 --threads 2
          steppe bench --problem ppml --rows 200000 --levels 300 --format json
        """
    )

    enum Problem: String, ExpressibleByArgument, CaseIterable {
        case all, ols, olsNormal = "ols-normal", glm, ppml, panel, demean, csv
    }

    @Option(help: "Which problem: \(Problem.allCases.map(\.rawValue).joined(separator: ", ")).")
    var problem: Problem = .all
    @Option(help: "Rows (observations). Default: 200,000.")
    var rows: Int = 200_000
    @Option(help: "Columns of the dense problems, intercept included. Default: 21 (ols), 11 (glm).")
    var cols: Int?
    @Option(help: "Levels of each fixed effect (ppml), or origins = destinations (panel: years = rows / levels², at least 2). Default: 300 (ppml), 60 (panel).")
    var levels: Int?
    @Option(help: "BLAS threads. Default: as OpenBLAS starts (OPENBLAS_NUM_THREADS or all cores).")
    var threads: Int?
    @Option(help: "Timed runs per problem (the median is reported).")
    var repetitions: Int = 3
    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text
    @Flag(name: .customLong("no-peak"), help: "Skip measuring the dgemm peak (no fraction of peak is reported).")
    var noPeak = false
    @Flag(name: .customLong("out-of-core"), help: "ppml and panel: fit out of core (OutOfCoreFit: the design on a scratch file, read block by block at every pass) instead of in memory. The generated data are still built in memory; see Benchmarks/ for fits of stores larger than memory.")
    var outOfCore = false
    @Option(name: .customLong("store"), help: ArgumentHelp("ppml with --out-of-core: generate the problem batch by batch into this column store (when it does not exist yet) and fit the store, so that the data are never in memory: the problems larger than memory of Benchmarks/RESULTS.md.", valueName: "path"))
    var store: String?

    @Option(help: "Time a fit on your own CSV instead of a generated problem (with --formula and --model, or --least-squares).")
    var data: String?
    /// With --data: the model, with the options of `steppe fit`.
    @OptionGroup(title: "Model (with --data)") var modelOptions: ModelOptions
    @Option(name: .customLong("read-repetitions"), help: "With --data: times to read the file; the median read time is reported (each read's table is dropped before the next, so peak memory holds one). Default 1.")
    var readRepetitions: Int = 1
    @Option(name: .customLong("least-squares"), help: "With --data: time LeastSquares.solve of this column on all other numeric columns plus an intercept (what numpy.linalg.lstsq does).")
    var leastSquares: String?

    func run() throws {
        guard rows >= 100 else { throw CommandFailure("--rows must be at least 100, got \(rows)") }
        guard repetitions >= 1 else { throw CommandFailure("--repetitions must be at least 1") }
        if let c = cols, c < 2 { throw CommandFailure("--cols must be at least 2, got \(c)") }
        if let l = levels, l < 2 { throw CommandFailure("--levels must be at least 2, got \(l)") }
        guard format == .text || format == .json else { throw CommandFailure("bench writes text or json") }
        if let threads {
            do { try BLASRuntime.setThreadCount(threads) } catch { throw CommandFailure(error) }
        }
        if let data {
            try OutputDestination.write(try timeUserData(data), to: nil)
            return
        }
        let peak = noPeak ? Double.nan : try MachinePeak.dgemmGFLOPS()
        let problems: [Problem] = problem == .all ? [.ols, .olsNormal, .glm, .ppml, .panel, .demean, .csv] : [problem]
        var results: [BenchResult] = []
        for p in problems {
            MemoryUsage.resetPeak()
            results.append(try measure(p))
        }
        var table = ReportTable(title: "Steppe solver throughput (median of \(repetitions) runs)",
                                columns: ["problem", "size", "seconds", "rows/s", "GFLOP/s", "% of dgemm peak", "peak MB"])
        for r in results {
            table.rows.append([.text(r.name), .text(r.size), ReportTable.number(r.seconds, digits: 3),
                               .number(r.rowsPerSecond, display: ReportNumber.scientific(r.rowsPerSecond, 3)),
                               r.gflops.map { ReportTable.number($0, digits: 1) } ?? .empty,
                               r.gflops.flatMap { peak.isNaN ? nil : ReportTable.number(100 * $0 / peak, digits: 1) } ?? .empty,
                               r.peakBytes.map { ReportTable.number(Double($0) / 1e6, digits: 0) } ?? .empty])
        }
        table.notes = [peak.isNaN ? "dgemm peak not measured (--no-peak)." : "dgemm peak in this run: \(ReportNumber.fixed(peak, 1)) GFLOP/s (2000 × 2000, best of 3).",
                       "BLAS: OpenBLAS \(BLASRuntime.coreName) kernels, \(BLASRuntime.threadCount) thread(s)" + (BLASRuntime.requestedCoreType.map { ", OPENBLAS_CORETYPE=\($0)" } ?? "") + ".",
                       "GFLOP/s counts the factorization's nominal flops (2np² for QR, np² for XᵀX); peak MB is the process's peak resident memory during the problem, data included."]
        + results.compactMap(\.note)
        let text = format == .json ? OutputEnvelope.text(command: "bench", [
            ("machine", Self.machine(peak: peak.isNaN ? nil : peak)),
            ("notes", .array(table.notes.map { .string($0) })),
            ("results", .array(results.map { r in .object([
                ("problem", .string(r.name)), ("size", .string(r.size)), ("seconds", .number(r.seconds)),
                ("rowsPerSecond", .number(r.rowsPerSecond)), ("gflops", r.gflops.map { .number($0) } ?? .null),
                ("fractionOfPeak", r.gflops.flatMap { peak.isNaN ? nil : .number($0 / peak) } ?? .null),
                ("peakBytes", r.peakBytes.map { .number(Double($0)) } ?? .null)]) })),
        ]) : table.render(.text)
        try OutputDestination.write(text, to: nil)
    }

    /// Times reading `path` and fitting on it; JSON with the times, the coefficients and
    /// their standard errors (what Benchmarks/peers/run_peers.py compares with the peers).
    func timeUserData(_ path: String) throws -> String {
        guard readRepetitions >= 1 else { throw CommandFailure("--read-repetitions must be at least 1") }
        func read() throws(CommandFailure) -> Table {
            return try InputFiles.readCSV(path)
        }
        var readTimes: [Double] = []
        for _ in 1..<readRepetitions {
            let (_, t) = try Stopwatch.seconds(read)
            readTimes.append(t)
        }
        let (table, lastRead) = try Stopwatch.seconds(read)
        readTimes.append(lastRead)
        let readSeconds = readTimes.sorted()[readTimes.count / 2]
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var terms: [String] = [], estimates: [Double] = [], errors: [Double] = []
        var seconds = 0.0, method = ""
        var iterations = 0
        if let response = leastSquares {
            let y: [Double]
            do { y = try table.column(response).numbers ?? [] } catch { throw CommandFailure(error) }
            let regressors = table.columns.filter { $0.name != response && $0.kind == .numeric }
            var x = Matrix(rows: table.rowCount, columns: regressors.count + 1)
            x.withUnsafeMutableBufferPointer { p in
                for i in 0..<table.rowCount { p[i] = 1 }
                for (j, c) in regressors.enumerated() { let v = c.numbers!; for i in 0..<table.rowCount { p[i + (j + 1) * table.rowCount] = v[i] } }
            }
            let (solution, t) = try Stopwatch.median(repetitions: repetitions) { try LeastSquares.solve(x, y) }
            seconds = t
            method = solution.method.rawValue
            terms = ["(Intercept)"] + regressors.map(\.name)
            estimates = solution.coefficients
            errors = solution.standardErrors
        } else {
            guard !modelOptions.formula.isEmpty else { throw CommandFailure("--data needs --formula (or --least-squares COLUMN)") }
            let specifications = try modelOptions.specifications()
            guard specifications.count == 1 else { throw CommandFailure("bench --data times one model: one --formula and at most one --model") }
            let (formula, model) = specifications[0]
            let options = try modelOptions.estimationOptions()
            let (fit, t) = try Stopwatch.median(repetitions: repetitions) {
                try Estimator.fit(table, formula: formula, model: model, options: options)
            }
            seconds = t
            iterations = fit.report.iterations
            terms = fit.coefficients.map(\.term)
            estimates = fit.coefficients.map(\.estimate)
            errors = fit.coefficients.map(\.standardError)
        }
        return OutputEnvelope.text(command: "bench", [
            ("machine", Self.machine(peak: nil)),
            ("run", .object([
                ("data", .string(path)), ("bytes", .number(Double(bytes))), ("rows", .number(Double(table.rowCount))),
                ("readSeconds", .number(readSeconds)), ("fitSeconds", .number(seconds)),
                ("method", .string(method)), ("iterations", .number(Double(iterations))),
                ("peakBytes", MemoryUsage.peakBytes.map { .number(Double($0)) } ?? .null),
                ("terms", .array(terms.map { .string($0) })), ("estimates", .array(estimates.map { .number($0) })),
                ("standardErrors", .array(errors.map { .number($0) })),
            ])),
        ])
    }

    /// The `machine` object: BLAS kernel and threads, and the dgemm peak when measured
    /// (absent with --no-peak, as the notes say; gflops and fractionOfPeak are then null).
    static func machine(peak: Double?) -> JSONValue {
        var fields: [(String, JSONValue)] = [("blasCore", .string(BLASRuntime.coreName)), ("threads", .number(Double(BLASRuntime.threadCount)))]
        if let peak { fields.append(("dgemmPeakGFLOPS", .number(peak))) }
        return .object(fields)
    }

    struct BenchResult {
        var name: String, size: String, seconds: Double, rowsPerSecond: Double, gflops: Double?, peakBytes: Int?, note: String?
    }

    /// --store: the ppml problem written to a column store a batch at a time (unless the
    /// file exists), then fitted out of core from it; the seconds are the fit's, the
    /// generation's are in the note.
    func measureStore(levels l: Int) throws -> BenchResult {
        guard let store, outOfCore else { throw CommandFailure("--store goes with --out-of-core (and --problem ppml)") }
        var generated = ""
        if !FileManager.default.fileExists(atPath: store) {
            let (_, seconds) = try Stopwatch.seconds { () throws in
                let writer = try ColumnStoreWriter(path: store, steppeVersion: Steppe.version)
                try BenchmarkProblems.ppmlTwoWayBatches(rows: rows, levels: l, batchRows: 1 << 20) { (batch: Table) throws in
                    try writer.append(batch)
                }
                try writer.finish()
            }
            generated = " The store was generated and written in \(ReportNumber.fixed(seconds, 1)) s."
        }
        let source: ColumnStore
        do { source = try ColumnStore(path: store) } catch { throw CommandFailure(error.message) }
        MemoryUsage.resetPeak()
        let (fit, t) = try Stopwatch.median(repetitions: repetitions) {
            try OutOfCoreFit.fit(source, formula: "flow ~ log_dist + push1 + push2 | origin + destination", model: .ppml)
        }
        return BenchResult(name: "ppml (out of core, store)", size: "\(source.rowCount) rows, 2 × \(l) levels", seconds: t,
                           rowsPerSecond: Double(source.rowCount) / t, gflops: nil, peakBytes: MemoryUsage.peakBytes,
                           note: "ppml: \(fit.report.iterations) IRLS iterations, log_dist = \(ReportNumber.fixed(fit.coefficients[0].estimate, 4)) (true -1); data read from \(store).\(generated)")
    }

    /// A PPML fit of a generated problem, in memory or (--out-of-core) out of core.
    func fitProblem(_ table: Table, _ formula: String) throws(ModelError) -> FitResult {
        outOfCore ? try OutOfCoreFit.fit(table, formula: formula, model: .ppml) : try Estimator.fit(table, formula: formula, model: .ppml)
    }

    func measure(_ p: Problem) throws -> BenchResult {
        let n = rows
        switch p {
        case .ols, .olsNormal:
            let k = cols ?? 21
            let (x, y) = BenchmarkProblems.denseLeastSquares(rows: n, columns: k)
            var options = LeastSquares.Options()
            if p == .olsNormal { options.method = .normalEquations } else { options.method = .householderQR }
            let (s, t) = try Stopwatch.median(repetitions: repetitions) { try LeastSquares.solve(x, y, options: options) }
            let flops = (p == .ols ? 2.0 : 1.0) * Double(n) * Double(k) * Double(k)
            return BenchResult(name: p.rawValue, size: "\(n) × \(k)", seconds: t, rowsPerSecond: Double(n) / t, gflops: flops / t / 1e9,
                               peakBytes: MemoryUsage.peakBytes, note: p == .ols ? "ols: method \(s.method.rawValue), β₁ = \(ReportNumber.fixed(s.coefficients[1], 6)) (true 0.5)." : nil)
        case .glm:
            let k = (cols ?? 11) - 1
            let table = BenchmarkProblems.poissonGLM(rows: n, columns: k)
            let formula = "y ~ " + (1...k).map { "x\($0)" }.joined(separator: " + ")
            let (fit, t) = try Stopwatch.median(repetitions: repetitions) { try Estimator.fit(table, formula: formula, model: .poisson) }
            return BenchResult(name: "glm", size: "\(n) × \(k + 1)", seconds: t, rowsPerSecond: Double(n) / t, gflops: nil, peakBytes: MemoryUsage.peakBytes,
                               note: "glm: \(fit.report.iterations) IRLS iterations.")
        case .ppml where store != nil:
            return try measureStore(levels: levels ?? 300)
        case .ppml:
            let l = levels ?? 300
            let table = BenchmarkProblems.ppmlTwoWay(rows: n, levels: l)
            let (fit, t) = try Stopwatch.median(repetitions: repetitions) {
                try fitProblem(table, "flow ~ log_dist + push1 + push2 | origin + destination")
            }
            return BenchResult(name: outOfCore ? "ppml (out of core)" : "ppml", size: "\(n) rows, 2 × \(l) levels", seconds: t, rowsPerSecond: Double(n) / t, gflops: nil,
                               peakBytes: MemoryUsage.peakBytes, note: "ppml: \(fit.report.iterations) IRLS iterations, log_dist = \(ReportNumber.fixed(fit.coefficients[0].estimate, 4)) (true -1).")
        case .panel:
            let l = levels ?? 60
            // At least two years: with one, every pair effect is a singleton and nothing is
            // left to fit. The size column shows the rows this gives.
            let years = max(2, n / (l * l))
            let table = BenchmarkProblems.structuralPanel(origins: l, destinations: l, years: years)
            let (fit, t) = try Stopwatch.median(repetitions: repetitions) {
                try fitProblem(table, "trade ~ agreement + tariff + border | exporter_year + importer_year + pair")
            }
            return BenchResult(name: outOfCore ? "panel (out of core)" : "panel", size: "\(l)×\(l)×\(years) = \(table.rowCount) rows, 3 FE", seconds: t, rowsPerSecond: Double(table.rowCount) / t,
                               gflops: nil, peakBytes: MemoryUsage.peakBytes, note: "panel: \(fit.report.iterations) IRLS iterations, agreement = \(ReportNumber.fixed(fit.coefficients[0].estimate, 4)) (true 0.4).")
        case .demean:
            let l = levels ?? 300
            let table = BenchmarkProblems.ppmlTwoWay(rows: n, levels: l)
            let frame = try ModelFrame(table: table, formula: Formula(parsing: "log_dist ~ push1 | origin + destination"))
            let absorber = FixedEffectAbsorber(groupings: frame.fixedEffects)
            let (r, t) = Stopwatch.median(repetitions: repetitions) { absorber.demean(frame.response) }
            return BenchResult(name: "demean", size: "\(n) rows, 2 × \(l) levels", seconds: t, rowsPerSecond: Double(n) / t, gflops: nil,
                               peakBytes: MemoryUsage.peakBytes, note: "demean: \(r.sweeps) sweeps to tolerance 1e-10.")
        case .csv:
            let k = cols ?? 21
            let (x, y) = BenchmarkProblems.denseLeastSquares(rows: n, columns: k)
            let table = try Table(columns: [.numeric("y", y)] + (1..<k).map { .numeric("x\($0)", Array(x.column($0))) })
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-bench-\(getpid()).csv").path
            try CSVWriter.text(table).write(toFile: path, atomically: false, encoding: .utf8)
            defer { unlink(path) }
            let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let (_, t) = try Stopwatch.median(repetitions: repetitions) { try CSVReader.read(path: path) }
            return BenchResult(name: "csv", size: "\(n) × \(k), \(bytes / 1_000_000) MB", seconds: t, rowsPerSecond: Double(n) / t, gflops: nil,
                               peakBytes: MemoryUsage.peakBytes, note: "csv: \(ReportNumber.fixed(Double(bytes) / t / 1e6, 0)) MB/s.")
        case .all:
            throw CommandFailure("internal: the problem list was not expanded")
        }
    }
}
