import Foundation
import SteppeData
import SteppeNumerics

/// The benchmark problems, generated from a seed so that every run (and `steppe bench`
/// on any machine) solves the same numbers. Sizes are parameters; the standard
/// sizes are the defaults of `steppe bench` and the Benchmarks package.
public enum BenchmarkProblems {
    /// Dense least squares: X = [1, Z] with Z standard normal (n × (p−1)), β_j = 1/j,
    /// y = Xβ + N(0, 1). Well conditioned, like most regression designs.
    public static func denseLeastSquares(rows n: Int, columns p: Int, seed: UInt64 = 1) -> (x: Matrix, y: [Double]) {
        var x = Matrix(rows: n, columns: p)
        var y = [Double](repeating: 0, count: n)
        let beta = (0..<p).map { 1 / Double($0 + 1) }
        x.withUnsafeMutableBufferPointer { a in
            for i in 0..<n { a[i] = 1 }
            // Each column from its own generator (seeded by SplitMix64 from seed and column),
            // so columns can be generated in any order.
            for j in 1..<max(p, 1) {
                var g = SeededRandom(seed: seed &+ UInt64(j) &* 0x9E37_79B9_7F4A_7C15)
                for i in 0..<n { a[i + j * n] = g.nextNormal() }
            }
            var g = SeededRandom(seed: seed)
            for i in 0..<n {
                var s = 0.0
                for j in 0..<p { s += a[i + j * n] * beta[j] }
                y[i] = s + g.nextNormal()
            }
        }
        return (x, y)
    }

    /// Poisson GLM: k regressors x1…xk ~ N(0, 0.3²), μ = exp(0.5 + Σ x_j / j), y ~ Poisson(μ).
    public static func poissonGLM(rows n: Int, columns k: Int, seed: UInt64 = 2) -> Table {
        var g = SeededRandom(seed: seed)
        var xs = [[Double]](repeating: [Double](repeating: 0, count: n), count: k)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var eta = 0.5
            for j in 0..<k { let v = 0.3 * g.nextNormal(); xs[j][i] = v; eta += v / Double(j + 1) }
            y[i] = Double(poisson(exp(eta), &g))
        }
        return try! Table(columns: [.numeric("y", y)] + (0..<k).map { .numeric("x\($0 + 1)", xs[$0]) })
    }

    /// PPML with two fixed effects: `rows` random origin–destination pairs among `levels`
    /// origins and destinations, log distance and two push factors of the origin;
    /// μ = exp(α_o + γ_d − log dist + 0.3 push1 − 0.2 push2 − 1.2) gives about 30% zeros.
    public static func ppmlTwoWay(rows n: Int, levels: Int, seed: UInt64 = 3) -> Table {
        var table: Table? = nil
        ppmlTwoWayBatches(rows: n, levels: levels, batchRows: max(n, 1), seed: seed) { table = $0 }
        return table!
    }

    /// `ppmlTwoWay` in batches of at most `batchRows` rows, handed to `body` in order: the
    /// same rows (one random stream, drawn row by row), without the whole table in memory,
    /// for problems larger than memory (written to a column store batch by batch).
    public static func ppmlTwoWayBatches<E: Error>(rows n: Int, levels: Int, batchRows: Int, seed: UInt64 = 3,
                                                   _ body: (Table) throws(E) -> Void) throws(E) {
        var g = SeededRandom(seed: seed)
        let alpha = (0..<levels).map { _ in 0.5 * g.nextNormal() }
        let gamma = (0..<levels).map { _ in 0.5 * g.nextNormal() }
        let push1 = (0..<levels).map { _ in g.nextNormal() }, push2 = (0..<levels).map { _ in g.nextNormal() }
        let labels = (0..<levels).map { "r\($0)" }
        var start = 0
        repeat {
            let m = min(batchRows, n - start)
            var o = [Int32](repeating: 0, count: m), d = [Int32](repeating: 0, count: m)
            var ld = [Double](repeating: 0, count: m), p1 = ld, p2 = ld, y = ld
            for i in 0..<m {
                let a = g.nextInt(below: levels), b = g.nextInt(below: levels)
                o[i] = Int32(a); d[i] = Int32(b)
                ld[i] = log(50 + 2000 * g.nextUniform())
                p1[i] = push1[a] + 0.1 * g.nextNormal(); p2[i] = push2[a] + 0.1 * g.nextNormal()
                let mu = exp(alpha[a] + gamma[b] - ld[i] + 0.3 * p1[i] - 0.2 * p2[i] + 4.9)
                y[i] = Double(poisson(mu, &g))
            }
            try body(try! Table(columns: [.init(name: "origin", values: .text(codes: o, levels: labels)),
                                          .init(name: "destination", values: .text(codes: d, levels: labels)),
                                          .numeric("flow", y), .numeric("log_dist", ld), .numeric("push1", p1), .numeric("push2", p2)]))
            start += m
        } while start < n
    }

    /// Structural gravity panel: every origin × destination × year (diagonal included),
    /// with origin-year, destination-year and pair effects and three regressors that vary
    /// within pairs over time (a trade-agreement dummy, a tariff and a border-crossing index).
    public static func structuralPanel(origins: Int, destinations: Int, years: Int, seed: UInt64 = 4) -> Table {
        var g = SeededRandom(seed: seed)
        let n = origins * destinations * years
        var oy = [Int32](repeating: 0, count: n), dy = oy, pair = oy
        var x1 = [Double](repeating: 0, count: n), x2 = x1, x3 = x1, y = x1
        let pairEffect = (0..<(origins * destinations)).map { _ in 0.5 * g.nextNormal() }
        let oEffect = (0..<(origins * years)).map { _ in 0.3 * g.nextNormal() }
        let dEffect = (0..<(destinations * years)).map { _ in 0.3 * g.nextNormal() }
        var i = 0
        for o in 0..<origins { for d in 0..<destinations {
            let p = o * destinations + d
            let agreementYear = g.nextInt(below: 2 * years)
            for t in 0..<years {
                oy[i] = Int32(o * years + t); dy[i] = Int32(d * years + t); pair[i] = Int32(p)
                x1[i] = t >= agreementYear ? 1 : 0
                x2[i] = 0.05 * g.nextUniform()
                x3[i] = 0.2 * g.nextNormal()
                let mu = exp(1 + pairEffect[p] + oEffect[Int(oy[i])] + dEffect[Int(dy[i])] + 0.4 * x1[i] - 2 * x2[i] + 0.3 * x3[i])
                y[i] = Double(poisson(mu, &g))
                i += 1
            }
        } }
        func labels(_ k: Int, _ prefix: String) -> [String] { (0..<k).map { prefix + String($0) } }
        return try! Table(columns: [.init(name: "exporter_year", values: .text(codes: oy, levels: labels(origins * years, "oy"))),
                                    .init(name: "importer_year", values: .text(codes: dy, levels: labels(destinations * years, "dy"))),
                                    .init(name: "pair", values: .text(codes: pair, levels: labels(origins * destinations, "p"))),
                                    .numeric("trade", y), .numeric("agreement", x1), .numeric("tariff", x2), .numeric("border", x3)])
    }

    /// A Poisson draw: inversion for small means, the PTRS transformed rejection of
    /// Hörmann (1993) for means ≥ 10.
    static func poisson(_ mu: Double, _ g: inout SeededRandom) -> Int {
        if mu < 10 {
            var k = 0, p = exp(-mu), s = p
            let u = g.nextUniform()
            while u > s && k < 1000 { k += 1; p *= mu / Double(k); s += p }
            return k
        }
        let smu = mu.squareRoot(), b = 0.931 + 2.53 * smu, a = -0.059 + 0.02483 * b
        let invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = g.nextUniform() - 0.5, v = g.nextUniform(), us = 0.5 - abs(u)
            let k = Int(floor((2 * a / us + b) * u + mu + 0.43))
            if us >= 0.07 && v <= vr { return k }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -mu + Double(k) * log(mu) - lgamma(Double(k) + 1) { return k }
        }
    }
}
