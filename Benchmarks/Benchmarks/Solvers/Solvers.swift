import Benchmark
import Foundation
import SteppeBench
import SteppeData
import SteppeModels
import SteppeNumerics

/// The benchmark problems at their standard sizes: least squares on 1e6 × 21 and
/// 1e5 × 201 columns (intercept included; targets at most 0.15 s and 0.3 s), the Poisson
/// GLM on 1e6 × 11 (at most 0.7 s), PPML two-way on 1e6 rows with 2 × 1,000 levels, the
/// structural gravity panel 200 × 200 × 5 with three fixed effects, demeaning alone on the
/// PPML problem's two fixed effects, and reading the 1e6 × 21 CSV (the targets relative to
/// numpy and pyfixest are measured by Benchmarks/peers). Each benchmark reports wall time,
/// throughput (rows/s, as `scaledIterations` × rows) and peak resident memory; the data
/// are generated once per process, outside the measured region.
nonisolated(unsafe) let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal]
    let slow = Benchmark.Configuration(metrics: metrics, timeUnits: .milliseconds, maxDuration: .seconds(20), maxIterations: 5)

    func leastSquares(_ name: String, rows: Int, columns: Int, method: LeastSquares.Method) {
        Benchmark(name, configuration: slow) { benchmark, problem in
            for _ in benchmark.scaledIterations {
                blackHole(try LeastSquares.solve(problem.x, problem.y, options: .init(method: method)))
            }
        } setup: {
            BenchmarkProblems.denseLeastSquares(rows: rows, columns: columns)
        }
    }
    leastSquares("OLS 1e6x21 QR", rows: 1_000_000, columns: 21, method: .householderQR)
    leastSquares("OLS 1e6x21 normal equations", rows: 1_000_000, columns: 21, method: .normalEquations)
    leastSquares("OLS 1e5x201 QR", rows: 100_000, columns: 201, method: .householderQR)
    leastSquares("OLS 1e5x201 normal equations", rows: 100_000, columns: 201, method: .normalEquations)

    Benchmark("Poisson GLM 1e6x11", configuration: slow) { benchmark, table in
        let formula = "y ~ " + (1...10).map { "x\($0)" }.joined(separator: " + ")
        for _ in benchmark.scaledIterations { blackHole(try Estimator.fit(table, formula: formula, model: .poisson)) }
    } setup: {
        BenchmarkProblems.poissonGLM(rows: 1_000_000, columns: 10)
    }

    Benchmark("PPML two-way 1e6, 2x1000 levels", configuration: slow) { benchmark, table in
        for _ in benchmark.scaledIterations {
            blackHole(try Estimator.fit(table, formula: "flow ~ log_dist + push1 + push2 | origin + destination", model: .ppml))
        }
    } setup: {
        BenchmarkProblems.ppmlTwoWay(rows: 1_000_000, levels: 1_000)
    }

    Benchmark("Structural gravity panel 200x200x5", configuration: slow) { benchmark, table in
        for _ in benchmark.scaledIterations {
            blackHole(try Estimator.fit(table, formula: "trade ~ agreement + tariff + border | exporter_year + importer_year + pair", model: .ppml))
        }
    } setup: {
        BenchmarkProblems.structuralPanel(origins: 200, destinations: 200, years: 5)
    }

    Benchmark("Demean 1e6, 2x1000 levels", configuration: slow) { benchmark, input in
        for _ in benchmark.scaledIterations { blackHole(input.absorber.demean(input.vector)) }
    } setup: { () throws -> DemeanInput in
        let table = BenchmarkProblems.ppmlTwoWay(rows: 1_000_000, levels: 1_000)
        let frame = try ModelFrame(table: table, formula: Formula(parsing: "log_dist ~ push1 | origin + destination"))
        return DemeanInput(absorber: FixedEffectAbsorber(groupings: frame.fixedEffects), vector: frame.response)
    }

    Benchmark("CSV read 1e6x21 (about 410 MB)", configuration: slow) { benchmark, path in
        for _ in benchmark.scaledIterations { blackHole(try CSVReader.read(path: path)) }
    } setup: {
        let (x, y) = BenchmarkProblems.denseLeastSquares(rows: 1_000_000, columns: 21)
        let table = try Table(columns: [.numeric("y", y)] + (1..<21).map { .numeric("x\($0)", Array(x.column($0))) })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-benchmark-ols.csv").path
        try CSVWriter.text(table).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// The demeaning benchmark's input: the absorber (two groupings) and one vector.
struct DemeanInput: Sendable {
    let absorber: FixedEffectAbsorber
    let vector: [Double]
}
