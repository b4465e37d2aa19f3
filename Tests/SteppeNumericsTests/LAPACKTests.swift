import SteppeNumerics
import Testing

@Suite("LAPACK factorizations")
struct LAPACKTests {
    @Test func pivotedQRReconstructs() throws {
        let a = randomMatrix(30, 6, seed: 11)
        let qr = try PivotedQR(a)
        // Q·R equals A·P.
        var rFull = Matrix(rows: 30, columns: 6)
        for j in 0..<6 { for i in 0...j { rFull[i, j] = qr.factors[i, j] } }
        let qrProduct = try qr.applyQ(to: rFull, transpose: false)
        let ap = a.columns(qr.permutation)
        #expect(maxAbsDifference(qrProduct, ap) < 1e-13)
        let d = qr.rDiagonal.map(abs)
        #expect(zip(d, d.dropFirst()).allSatisfy { $0 >= $1 * (1 - 1e-12) }, "pivoting orders |R(k,k)|")
        #expect(qr.rank(tolerance: 1e-11) == 6)
        // A column that is a combination of two others is revealed.
        var dependent = a
        try dependent.setColumn(5, to: zip(a.column(0), a.column(2)).map { $0 - 3 * $1 })
        #expect(try PivotedQR(dependent).rank(tolerance: 1e-11) == 5)
    }

    @Test func choleskyAndConditions() throws {
        let b = randomMatrix(40, 5, seed: 12)
        let spd = try BLAS.syrk(b)
        let chol = try CholeskyFactorization(spd)
        let x = [1.0, -2, 0.5, 3, -1]
        let rhs = try BLAS.gemv(spd, x)
        #expect(maxAbsDifference(try chol.solve(rhs), x) < 1e-12)
        let product = try BLAS.gemm(try chol.inverse(), spd)
        #expect(maxAbsDifference(product, Matrix.identity(5)) < 1e-12)
        let rc = try chol.reciprocalCondition()
        #expect(rc > 0 && rc <= 1)
        let u = chol.upper
        #expect(maxAbsDifference(try BLAS.gemm(u, u, transposeA: true), spd) < 1e-12)
        #expect(try CholeskyFactorization(Matrix.identity(4)).reciprocalCondition() == 1)
        // Indefinite: the error names dpotrf and the order of the failing minor.
        let indefinite = try Matrix(rows: [[1, 2], [2, 1]])
        #expect(throws: NumericsError.notPositiveDefinite(routine: "dpotrf", info: 2)) { try CholeskyFactorization(indefinite) }
        #expect(throws: NumericsError.nonFiniteInput(operation: "CholeskyFactorization (dpotrf)", argument: "A")) {
            try CholeskyFactorization(try Matrix(rows: [[1, .nan], [.nan, 1]]))
        }
        #expect(throws: NumericsError.self) { try CholeskyFactorization(Matrix(rows: 2, columns: 3)) }
    }

    @Test func luSolveAndSingularity() throws {
        let a = try Matrix(rows: [[2, 1, 1], [1, 3, 2], [1, 0, 0]])
        let x = try LAPACK.solve(a, Matrix(column: [4, 5, 6]))
        #expect(maxAbsDifference(x.elements, [6, 15, -23]) < 1e-12)
        let singular = try Matrix(rows: [[1, 2], [2, 4]])
        #expect(throws: NumericsError.singular(routine: "dgesv", info: 2)) { try LAPACK.solve(singular, Matrix(column: [1, 1])) }
        #expect(throws: NumericsError.self) { try LAPACK.solve(a, Matrix(column: [1, 1])) }
        let upper = try Matrix(rows: [[1, 2], [0, 0]])
        #expect(throws: NumericsError.singular(routine: "dtrtrs", info: 2)) {
            try LAPACK.triangularSolve(upper, Matrix(column: [1, 1]), triangle: .upper)
        }
        #expect(try LAPACK.reciprocalCondition(triangular: upper, triangle: .upper) == 0)
        #expect(try LAPACK.reciprocalCondition(triangular: Matrix.identity(3), triangle: .lower) == 1)
    }

    @Test func svdAndEigen() throws {
        // A = U diag(3, 2) Vᵀ with known factors.
        let a = try Matrix(rows: [[3, 0], [0, 2], [0, 0]])
        let svd = try SingularValueDecomposition(a)
        #expect(maxAbsDifference(svd.singularValues, [3, 2]) < 1e-14)
        #expect(abs(svd.conditionNumber - 1.5) < 1e-14)
        let m = randomMatrix(12, 7, seed: 13)
        let s = try SingularValueDecomposition(m)
        var us = s.u
        for j in 0..<7 { for i in 0..<12 { us[i, j] *= s.singularValues[j] } }
        #expect(maxAbsDifference(try BLAS.gemm(us, s.vt), m) < 1e-13)
        #expect(maxAbsDifference(try SingularValueDecomposition(m, computeVectors: false).singularValues, s.singularValues) < 1e-14)

        let sym = try Matrix(rows: [[2, 1], [1, 2]])
        let eig = try SymmetricEigendecomposition(sym)
        #expect(maxAbsDifference(eig.eigenvalues, [1, 3]) < 1e-14)
        let v = eig.eigenvectors
        #expect(abs(abs(v[0, 1]) - 0.5.squareRoot()) < 1e-14)
        #expect(throws: NumericsError.self) { try SymmetricEigendecomposition(Matrix(rows: 2, columns: 1)) }
    }
}
