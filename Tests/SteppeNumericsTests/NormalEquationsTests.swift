import Foundation
import SteppeNumerics
import Testing

/// The normal-equations path against pivoted QR on the same problems: same coefficients,
/// standard errors and residual sum of squares to QR-grade accuracy, and a fall-back to
/// QR whenever the problem is not for it.
@Suite("Least squares: normal-equations path")
struct NormalEquationsTests {
    /// n × p with columns x_j = z_j + c·z_1 (c controls the condition), intercept first.
    static func problem(n: Int, p: Int, coupling c: Double, seed: UInt64) throws -> (Matrix, [Double], [Double]) {
        var g = SeededRandom(seed: seed)
        var x = Matrix(rows: n, columns: p)
        let base = (0..<n).map { _ in g.nextNormal() }
        for i in 0..<n { x[i, 0] = 1 }
        for j in 1..<p { for i in 0..<n { x[i, j] = g.nextNormal() * (j == 1 ? 1 : 1e-3 * Double(j)) + (j == 1 ? 0 : c * base[i]) + base[i] * Double(j == 1 ? 1 : 0) } }
        let y = (0..<n).map { i in (0..<p).reduce(0.0) { $0 + x[i, $1] / Double($1 + 1) } + 0.5 * g.nextNormal() }
        let w = (0..<n).map { _ in 0.2 + g.nextUniform() }
        return (x, y, w)
    }

    static func compare(_ a: LeastSquaresSolution, _ b: LeastSquaresSolution, tolerance: Double) {
        for (u, v) in zip(a.coefficients, b.coefficients) { #expect(abs(u - v) <= tolerance * max(abs(v), 1e-300) + 1e-300, "\(u) vs \(v)") }
        for (u, v) in zip(a.standardErrors, b.standardErrors) { #expect(abs(u - v) <= tolerance * v, "se \(u) vs \(v)") }
        #expect(abs(a.residualSumOfSquares - b.residualSumOfSquares) <= tolerance * b.residualSumOfSquares)
    }

    /// Weighted, and unweighted with p = 3 and 8, the Gram matrix comes from `GramPass`;
    /// unweighted with p = 12 from `dsyrk` (`ChunkedGram`, one chunk here).
    @Test("well conditioned, unweighted and weighted: equal to QR to 1e-12", arguments: [false, true], [3, 8, 12])
    func wellConditioned(weighted: Bool, p: Int) throws {
        let (x, y, w) = try Self.problem(n: 20_000, p: p, coupling: 0, seed: 5)
        let fast = try LeastSquares.solve(x, y, weights: weighted ? w : nil, options: .init(method: .normalEquations))
        let qr = try LeastSquares.solve(x, y, weights: weighted ? w : nil, options: .init(refinement: .always, method: .householderQR))
        #expect(fast.method == .normalEquations && qr.method == .householderQR)
        #expect(fast.covarianceRefinementSteps == 0)   // κ(G) < 1e4: no Cholesky-QR2 pass needed
        Self.compare(fast, qr, tolerance: 1e-12)
    }

    /// Unweighted with p = 12 on 150,000 rows: the Gram matrix from three row chunks of
    /// `ChunkedGram` (each by `dsyrk`, added in order).
    @Test("several row chunks of the Gram matrix: equal to QR to 1e-12")
    func chunkedGram() throws {
        let (x, y, _) = try Self.problem(n: 150_000, p: 12, coupling: 0, seed: 11)
        let fast = try LeastSquares.solve(x, y, options: .init(method: .normalEquations))
        #expect(fast.method == .normalEquations)
        Self.compare(fast, try LeastSquares.solve(x, y, options: .init(refinement: .always, method: .householderQR)), tolerance: 1e-12)
    }

    @Test("κ(X) ≈ 1e4: Cholesky-QR2 pass and refinement keep QR's accuracy")
    func moderatelyConditioned() throws {
        let (x, y, w) = try Self.problem(n: 20_000, p: 6, coupling: 1, seed: 6)
        let fast = try LeastSquares.solve(x, y, weights: w, options: .init(method: .normalEquations))
        let qr = try LeastSquares.solve(x, y, weights: w, options: .init(refinement: .always, method: .householderQR))
        #expect(fast.method == .normalEquations)
        #expect(1 / fast.reciprocalCondition > 100)
        #expect(fast.covarianceRefinementSteps == 1)
        Self.compare(fast, qr, tolerance: 1e-9)
    }

    @Test("rank deficient or nearly so: the path declines and QR decides the rank")
    func fallsBack() throws {
        var (x, y, _) = try Self.problem(n: 5_000, p: 4, coupling: 0, seed: 7)
        for i in 0..<x.rows { x[i, 3] = 2 * x[i, 2] - x[i, 1] }      // exactly collinear
        let s = try LeastSquares.solve(x, y, options: .init(method: .normalEquations))
        #expect(s.method == .householderQR)
        #expect(s.collinearColumns == [3])
        for i in 0..<x.rows { x[i, 3] += 1e-9 * Double(i % 7) }        // κ ≈ 1e9: not for the normal equations
        #expect(try LeastSquares.solve(x, y, options: .init(method: .normalEquations)).method == .householderQR)
    }

    @Test("automatic: QR for small problems (NIST-grade), normal equations for large ones")
    func automaticChoice() throws {
        let (small, ys, _) = try Self.problem(n: 1_000, p: 5, coupling: 0, seed: 8)
        #expect(try LeastSquares.solve(small, ys).method == .householderQR)
        let (large, yl, _) = try Self.problem(n: 400_000, p: 6, coupling: 0, seed: 9)
        let fast = try LeastSquares.solve(large, yl)
        #expect(fast.method == .normalEquations)
        Self.compare(fast, try LeastSquares.solve(large, yl, options: .init(method: .householderQR)), tolerance: 1e-11)
    }

    @Test("non-finite input and negative weights are errors on this path too")
    func badInput() throws {
        var (x, y, w) = try Self.problem(n: 1_000, p: 3, coupling: 0, seed: 10)
        w[5] = -1
        #expect(throws: NumericsError.self) { try LeastSquares.solve(x, y, weights: w, options: .init(method: .normalEquations)) }
        x[3, 2] = .infinity
        #expect(throws: NumericsError.self) { try LeastSquares.solve(x, y, options: .init(method: .normalEquations)) }
    }
}
