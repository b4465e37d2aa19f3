import SteppeNumerics
import Testing

@Suite("LeastSquares behaviour")
struct LeastSquaresTests {
    /// y = 1 + 2x₁ − x₂ + noise on 50 rows.
    static func problem() -> (Matrix, [Double]) {
        let raw = randomMatrix(50, 2, seed: 21)
        var g = SeededRandom(seed: 22)
        var x = Matrix(rows: 50, columns: 3)
        var y = [Double](repeating: 0, count: 50)
        for i in 0..<50 {
            x[i, 0] = 1; x[i, 1] = raw[i, 0]; x[i, 2] = raw[i, 1]
            y[i] = 1 + 2 * raw[i, 0] - raw[i, 1] + 0.1 * g.nextNormal()
        }
        return (x, y)
    }

    @Test("Agrees with the normal equations solved by Cholesky, an independent route")
    func matchesNormalEquations() throws {
        let (x, y) = Self.problem()
        let s = try LeastSquares.solve(x, y)
        let xtx = try BLAS.syrk(x)
        let xty = try BLAS.gemv(x, y, transpose: true)
        let chol = try CholeskyFactorization(xtx)
        #expect(maxAbsDifference(s.coefficients, try chol.solve(xty)) < 1e-12)
        #expect(maxAbsDifference(s.unscaledCovariance!, try chol.inverse()) < 1e-12)
        #expect(s.rank == 3 && s.collinearColumns.isEmpty && s.residualDegreesOfFreedom == 47)
        let fitted = try BLAS.gemv(x, s.coefficients)
        #expect(maxAbsDifference(s.residuals, zip(y, fitted).map { $0 - $1 }) < 1e-13)
        #expect(abs(s.residualSumOfSquares - s.residuals.map { $0 * $0 }.reduce(0, +)) < 1e-12)
    }

    @Test("Integer weights equal repeated rows")
    func weightsAreFrequencies() throws {
        let (x, y) = Self.problem()
        let w = (0..<50).map { Double($0 % 3) }          // 0, 1 or 2 copies of each row
        let weighted = try LeastSquares.solve(x, y, weights: w)
        var rows: [[Double]] = [], ys: [Double] = []
        for i in 0..<50 { for _ in 0..<Int(w[i]) { rows.append(x.row(i)); ys.append(y[i]) } }
        let repeated = try LeastSquares.solve(try Matrix(rows: rows), ys)
        #expect(maxAbsDifference(weighted.coefficients, repeated.coefficients) < 1e-13)
        #expect(abs(weighted.residualSumOfSquares - repeated.residualSumOfSquares) < 1e-12)
        #expect(weighted.observations == 33, "rows of weight 0 do not count")
        #expect(maxAbsDifference(weighted.unscaledCovariance!, repeated.unscaledCovariance!) < 1e-13)
    }

    @Test("Collinear columns: the later one is dropped and reported, as R's lm does")
    func collinearColumns() throws {
        let (x, y) = Self.problem()
        var cols = (0..<3).map { Array(x.column($0)) }
        cols.append(zip(cols[1], cols[2]).map { $0 + 2 * $1 })      // x₃ = x₁ + 2x₂
        cols.insert([Double](repeating: 0, count: 50), at: 1)         // an all-zero column
        let s = try LeastSquares.solve(try Matrix(columns: cols), y)
        #expect(s.rank == 3)
        #expect(s.collinearColumns == [1, 4])
        #expect(s.estimableColumns == [0, 2, 3])
        #expect(s.coefficients[1] == 0 && s.coefficients[4] == 0)
        let full = try LeastSquares.solve(x, y)
        #expect(maxAbsDifference([s.coefficients[0], s.coefficients[2], s.coefficients[3]], full.coefficients) < 1e-12)
        #expect(s.standardErrors[4].isNaN && !s.standardErrors[3].isNaN)
        #expect(s.unscaledCovariance!.rows == 3)
    }

    @Test("Edge cases: more columns than rows, no columns, bad input")
    func edges() throws {
        let x = randomMatrix(3, 5, seed: 23)
        let s = try LeastSquares.solve(x, [1, 2, 3])
        #expect(s.rank == 3 && s.collinearColumns == [3, 4])
        #expect(s.residualSumOfSquares < 1e-25)
        #expect(s.residualStandardDeviation.isNaN, "no degrees of freedom left")
        let empty = try LeastSquares.solve(Matrix(rows: 4, columns: 0), [1, 2, 3, 4])
        #expect(empty.rank == 0 && empty.residuals == [1, 2, 3, 4] && empty.residualSumOfSquares == 30)
        #expect(throws: NumericsError.self) { try LeastSquares.solve(x, [1, 2]) }
        #expect(throws: NumericsError.self) { try LeastSquares.solve(x, [1, .nan, 2]) }
        #expect(throws: NumericsError.self) { try LeastSquares.solve(x, [1, 2, 3], weights: [1, -1, 1]) }
        var bad = x
        bad[0, 0] = .infinity
        #expect(throws: NumericsError.nonFiniteInput(operation: "LeastSquares", argument: "the design matrix")) {
            try LeastSquares.solve(bad, [1, 2, 3])
        }
        #expect(throws: NumericsError.self) {
            try LeastSquares.solve(x, [1, 2, 3], options: .init(rankTolerance: 2))
        }
    }

    @Test("One factorization serves many responses")
    func reuse() throws {
        let (x, y) = Self.problem()
        let f = try LeastSquaresFactorization(x)
        let a = try f.solve(y)
        let b = try f.solve(y.map { 2 * $0 })
        #expect(maxAbsDifference(b.coefficients, a.coefficients.map { 2 * $0 }) < 1e-13)
        #expect(maxAbsDifference(try f.unscaledCovariance(), a.unscaledCovariance!) == 0)
    }
}
