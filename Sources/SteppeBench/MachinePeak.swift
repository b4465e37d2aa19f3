import SteppeNumerics

/// This machine's dense floating-point peak as OpenBLAS delivers it: dgemm on square
/// matrices, 2m³ flops per product, the best of a few runs. The reference against which
/// `steppe bench` reports the fraction of peak each solve reaches.
public enum MachinePeak {
    /// GFLOP/s of C = AB with m × m matrices (default 2000: large enough for the kernel's
    /// steady state, 64 MB of data, about 0.3 s per product at 60 GFLOP/s).
    public static func dgemmGFLOPS(size m: Int = 2000, repetitions: Int = 3) throws -> Double {
        let (a, _) = BenchmarkProblems.denseLeastSquares(rows: m, columns: m, seed: 9)
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let (_, t) = try Stopwatch.seconds { try BLAS.gemm(a, a) }
            best = min(best, t)
        }
        return 2 * Double(m) * Double(m) * Double(m) / best / 1e9
    }
}
