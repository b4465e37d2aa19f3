/// G = XᵀWX (upper triangle, p × p column-major) and c = XᵀWy for a tall X (n × p,
/// column-major) in one pass over X, W and y on all cores, without BLAS.
///
/// Rows are cut into chunks (`Parallel.chunks`, 65,536 rows), each summed into its own G
/// and c and added in chunk order, so the result depends on n alone, not on the number
/// of cores. Within a chunk, blocks of `blockRows` rows: tⱼ = w ∘ xⱼ once per column
/// (no copy without weights), then the products tⱼᵀxₖ for k ≥ j and tⱼᵀy, four
/// columns k at a time with two-wide SIMD accumulators (each load of tⱼ serves four
/// products).
///
/// Why not `dsyrk` on √W-scaled blocks, as before: the scaled copy ran on one thread and
/// the BLAS's own threads gained little on a dozen columns; calling `dsyrk` from both
/// chunks' threads while OpenBLAS ran threads of its own made a Poisson fit of 1e6 × 11
/// slower (median 0.55 → 0.82 s). With this pass the fit takes 0.38 s (same-run A/Bs in
/// Benchmarks/RESULTS.md). The unweighted Gram of a wide design stays with `dsyrk` (X
/// read in place, BLAS-3 on all cores).
enum GramPass {
    /// Rows per block: tⱼ for 16 columns (256 KiB) stays in a core's L2 cache.
    static let blockRows = 2048

    static func compute(_ x: Matrix, _ y: [Double], weights: [Double]?) -> (gram: [Double], rhs: [Double]) {
        let n = x.rows, p = x.columns
        let parts = x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                let xs = SharedBuffer(UnsafeMutablePointer(mutating: px.baseAddress!))
                let ys = SharedBuffer(UnsafeMutablePointer(mutating: py.baseAddress!))
                return Parallel.chunks(n) { range in
                    guard let weights else { return chunk(xs.base, ys.base, nil, n: n, p: p, rows: range) }
                    return weights.withUnsafeBufferPointer { pw in chunk(xs.base, ys.base, pw.baseAddress, n: n, p: p, rows: range) }
                }
            }
        }
        var gram = [Double](repeating: 0, count: p * p), rhs = [Double](repeating: 0, count: p)
        for (g, c) in parts {
            for k in 0..<(p * p) { gram[k] += g[k] }
            for j in 0..<p { rhs[j] += c[j] }
        }
        return (gram, rhs)
    }

    /// One chunk's G and c.
    private static func chunk(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ w: UnsafePointer<Double>?,
                              n: Int, p: Int, rows range: Range<Int>) -> ([Double], [Double]) {
        var g = [Double](repeating: 0, count: p * p), c = [Double](repeating: 0, count: p)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: w == nil ? 1 : blockRows * p)
        defer { scratch.deallocate() }
        var start = range.lowerBound
        while start < range.upperBound {
            let rows = min(blockRows, range.upperBound - start)
            // Column k of [X y] in this block: k < p a column of X, k = p the response.
            func column(_ k: Int) -> UnsafePointer<Double> { k < p ? x + k * n + start : y + start }
            for j in 0..<p {
                // tⱼᵀ(column k) goes to G[j, k], or to c[j] for the response.
                func add(_ s: Double, _ k: Int) { if k < p { g[j + k * p] += s } else { c[j] += s } }
                let t: UnsafePointer<Double>
                if let w {
                    let tj = scratch + j * blockRows, xj = x + j * n + start, wb = w + start
                    for i in 0..<rows { tj[i] = wb[i] * xj[i] }
                    t = UnsafePointer(tj)
                } else {
                    t = x + j * n + start
                }
                var k = j
                while k + 4 <= p + 1 {
                    let (s0, s1, s2, s3) = dot4(t, column(k), column(k + 1), column(k + 2), column(k + 3), rows)
                    add(s0, k); add(s1, k + 1); add(s2, k + 2); add(s3, k + 3)
                    k += 4
                }
                while k <= p {
                    add(dot(t, column(k), rows), k)
                    k += 1
                }
            }
            start += rows
        }
        return (g, c)
    }

    /// (tᵀa, tᵀb, tᵀc, tᵀd) over `rows` entries, two rows per step.
    @inline(__always)
    private static func dot4(_ t: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                             _ c: UnsafePointer<Double>, _ d: UnsafePointer<Double>, _ rows: Int) -> (Double, Double, Double, Double) {
        var sa = SIMD2<Double>(), sb = SIMD2<Double>(), sc = SIMD2<Double>(), sd = SIMD2<Double>()
        var i = 0
        while i + 2 <= rows {
            let ti = load(t, i)
            sa += ti * load(a, i)
            sb += ti * load(b, i)
            sc += ti * load(c, i)
            sd += ti * load(d, i)
            i += 2
        }
        var ra = sa.sum(), rb = sb.sum(), rc = sc.sum(), rd = sd.sum()
        if i < rows {
            ra += t[i] * a[i]; rb += t[i] * b[i]; rc += t[i] * c[i]; rd += t[i] * d[i]
        }
        return (ra, rb, rc, rd)
    }

    /// tᵀa over `rows` entries.
    @inline(__always)
    private static func dot(_ t: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ rows: Int) -> Double {
        var s0 = SIMD2<Double>(), s1 = SIMD2<Double>()
        var i = 0
        while i + 4 <= rows {
            s0 += load(t, i) * load(a, i)
            s1 += load(t, i + 2) * load(a, i + 2)
            i += 4
        }
        var r = (s0 + s1).sum()
        while i < rows { r += t[i] * a[i]; i += 1 }
        return r
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD2<Double> {
        UnsafeRawPointer(p + i).loadUnaligned(as: SIMD2<Double>.self)
    }
}
