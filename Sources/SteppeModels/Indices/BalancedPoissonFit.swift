import Foundation
@_spi(SteppeInternal) import SteppeNumerics

/// The Poisson log-linear fit with origin and destination effects to the off-diagonal
/// cells of a matrix: μ_ij = a_i b_j w_ij (i ≠ j, the diagonal a structural zero), with
/// a fixed prior w. Its maximum-likelihood equations are that μ reproduces the row and
/// column sums of y, so it is fitted by iterative proportional fitting (Deming–Stephan)
/// rather than IRLS: the same fitted values as R's
/// `glm(y ~ orig + dest + offset(log w), family = poisson)` on the off-diagonal rows,
/// to the precision of glm's convergence.
///
/// One sweep reads the prior once: for each row i, a_i = r_i / Σ_j w_ij b_j and at once
/// its share a_i w_ij of every column sum, while the row is in the cache; then
/// b_j = c_j / Σ_i a_i w_ij. Rows are cut into fixed blocks of `blockRows` that run on
/// all cores (`Parallel.map`), each summing its own column sums, added in block order;
/// row sums use eight interleaved accumulators added in a fixed tree. The partition and
/// every order of summation depend on n alone, so the fit is the same to the bit on any
/// number of cores.
struct BalancedPoissonFit {
    let n: Int
    let rowTargets: [Double], colTargets: [Double], total: Double
    /// Balancing factors, kept between fits so that a nearby prior starts warm.
    var a: [Double], b: [Double]
    var iterations = 0, converged = false

    /// Rows per block of a sweep (32 blocks for 1,000 regions: enough to share between cores).
    static let blockRows = 32
    /// Matrices with fewer cells sweep on the calling thread (the same blocks, the same sums).
    static let parallelCells = 1 << 16

    /// The fit to y = round(flows) (`rounded`), the off-diagonal cells of n × n row-major `flows`.
    init(roundedFrom flows: [Double], n: Int) {
        self.n = n
        var r = [Double](repeating: 0, count: n), c = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n where j != i { let y = rounded(flows[i * n + j]); r[i] += y; c[j] += y } }
        rowTargets = r; colTargets = c; total = r.reduce(0, +)
        a = [Double](repeating: 1, count: n); b = [Double](repeating: 1, count: n)
    }

    /// Fits to prior `w` (n × n, zero diagonal) until every margin is within
    /// `tolerance` · total of its target (at most `maxIterations` sweeps). The criterion
    /// is the largest row-margin error of the factors a sweep starts from.
    mutating func fit(prior w: [Double], tolerance: Double = 1e-13, maxIterations: Int = 5000) {
        let n = self.n, blocks = (n + Self.blockRows - 1) / Self.blockRows
        var partial = [Double](repeating: 0, count: blocks * n)
        converged = false
        for iteration in 1...maxIterations {
            let worst = sweepRows(w, partial: &partial, blocks: blocks)
            for j in 0..<n {
                var s = 0.0
                for k in 0..<blocks { s += partial[k * n + j] }
                b[j] = s > 0 ? colTargets[j] / s : 0
            }
            iterations = iteration
            if iteration > 1 && worst <= tolerance * total { converged = true; return }
        }
    }

    /// The row half of a sweep: new a_i from the current b, and each block's column sums
    /// Σ_{i ∈ block} a_i w_ij into `partial` (block-major). Returns max_i |a_i t_i − r_i|
    /// for the factors before the update.
    private mutating func sweepRows(_ w: [Double], partial: inout [Double], blocks: Int) -> Double {
        let n = self.n, rows = Self.blockRows
        return w.withUnsafeBufferPointer { pw in b.withUnsafeBufferPointer { pb in
            a.withUnsafeMutableBufferPointer { pa in rowTargets.withUnsafeBufferPointer { pr in
                partial.withUnsafeMutableBufferPointer { pp in
                    let ws = SharedBuffer(UnsafeMutablePointer(mutating: pw.baseAddress!))
                    let bs = SharedBuffer(UnsafeMutablePointer(mutating: pb.baseAddress!))
                    let rs = SharedBuffer(UnsafeMutablePointer(mutating: pr.baseAddress!))
                    let As = SharedBuffer(pa.baseAddress!), ps = SharedBuffer(pp.baseAddress!)
                    let block: @Sendable (Int) -> Double = { k in
                        Self.sweepBlock(ws.base, bs.base, rs.base, As.base, ps.base + k * n, n: n,
                                        rows: (k * rows)..<min(n, (k + 1) * rows))
                    }
                    let worst = n * n >= Self.parallelCells ? Parallel.map(blocks, block) : (0..<blocks).map(block)
                    return worst.max() ?? 0
                }
            } }
        } }
    }

    /// One block of rows: a_i ← r_i / t_i with t_i = Σ_j w_ij b_j, then s_j += a_i w_ij.
    private static func sweepBlock(_ w: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ r: UnsafePointer<Double>,
                                   _ a: UnsafeMutablePointer<Double>, _ s: UnsafeMutablePointer<Double>,
                                   n: Int, rows: Range<Int>) -> Double {
        for j in 0..<n { s[j] = 0 }
        var worst = 0.0
        for i in rows {
            let row = w + i * n
            let t = RowSums.dot(row, b, n)
            worst = max(worst, abs(a[i] * t - r[i]))
            let ai = t > 0 ? r[i] / t : 0
            a[i] = ai
            for j in 0..<n { s[j] += ai * row[j] }
        }
        return worst
    }

    /// Fits to the flat prior w_ij = 1 (i ≠ j), the independence model, as `fit(prior:)`
    /// does but with no pass over the cells: a sweep needs only Σ_{j≠i} b_j = Σ_j b_j − b_i
    /// and Σ_{i≠j} a_i = Σ_i a_i − a_j, taken in double-double so that the difference does
    /// not cancel when one factor dominates. O(n) a sweep rather than O(n²).
    mutating func fitFlat(tolerance: Double = 1e-13, maxIterations: Int = 5000) {
        func sum(_ x: [Double]) -> DoubleDouble { var s = CompensatedSum(); for v in x { s.add(v) }; return s.total }
        converged = false
        for iteration in 1...maxIterations {
            let sb = sum(b)
            var worst = 0.0
            for i in 0..<n {
                let t = (sb + -b[i]).doubleValue
                worst = max(worst, abs(a[i] * t - rowTargets[i]))
                a[i] = t > 0 ? rowTargets[i] / t : 0
            }
            let sa = sum(a)
            for j in 0..<n {
                let s = (sa + -a[j]).doubleValue
                b[j] = s > 0 ? colTargets[j] / s : 0
            }
            iterations = iteration
            if iteration > 1 && worst <= tolerance * total { converged = true; return }
        }
    }
}

/// Row sums for the sweeps and the decay's score, in a fixed order: eight interleaved
/// accumulators (lane l takes the terms j ≡ l mod 8, the tail to lane 0), added as
/// ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)). The order depends on n alone, and
/// the eight independent chains keep the additions from waiting on one another.
enum RowSums {
    /// Σ_j x_j y_j.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
        var j = 0
        while j + 8 <= n {
            s0 += x[j] * y[j]; s1 += x[j + 1] * y[j + 1]; s2 += x[j + 2] * y[j + 2]; s3 += x[j + 3] * y[j + 3]
            s4 += x[j + 4] * y[j + 4]; s5 += x[j + 5] * y[j + 5]; s6 += x[j + 6] * y[j + 6]; s7 += x[j + 7] * y[j + 7]
            j += 8
        }
        while j < n { s0 += x[j] * y[j]; j += 1 }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    }

    /// Σ_j x_j y_j z_j, the products as (x_j y_j) z_j.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ z: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
        var j = 0
        while j + 8 <= n {
            s0 += x[j] * y[j] * z[j]; s1 += x[j + 1] * y[j + 1] * z[j + 1]
            s2 += x[j + 2] * y[j + 2] * z[j + 2]; s3 += x[j + 3] * y[j + 3] * z[j + 3]
            s4 += x[j + 4] * y[j + 4] * z[j + 4]; s5 += x[j + 5] * y[j + 5] * z[j + 5]
            s6 += x[j + 6] * y[j + 6] * z[j + 6]; s7 += x[j + 7] * y[j + 7] * z[j + 7]
            j += 8
        }
        while j < n { s0 += x[j] * y[j] * z[j]; j += 1 }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    }
}

/// R's `round()` on a flow, as migest's GLMs take `round(flow)`: to nearest, ties to even (IEC 60559).
@inline(__always)
func rounded(_ flow: Double) -> Double { flow.rounded(.toNearestOrEven) }
