import SteppeNumerics
import Testing

@Suite("Matrix and BLAS wrappers")
struct MatrixAndBLASTests {
    @Test func construction() throws {
        let m = try Matrix(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3)
        #expect(m.elements == [1, 4, 2, 5, 3, 6], "column-major storage")
        #expect(Array(m.column(1)) == [2, 5])
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.transposed == (try Matrix(columns: [[1, 2, 3], [4, 5, 6]])))
        #expect(Matrix.identity(3).diagonal == [1, 1, 1])
        #expect(throws: NumericsError.self) { try Matrix(rows: [[1, 2], [3]]) }
        #expect(throws: NumericsError.self) { try Matrix(rows: 2, columns: 2, columnMajor: [1, 2, 3]) }
        let big = randomMatrix(67, 45, seed: 1)
        #expect(big.transposed.transposed == big)
        #expect(big.transposed[44, 66] == big[66, 44])
        #expect(big.columns([3, 1]).column(0) == big.column(3))
        // Columns copied on all cores from 65,536 elements up; unequal lengths refused.
        let tall = randomMatrix(40_001, 3, seed: 2)
        #expect(try Matrix(columns: (0..<3).map { Array(tall.column($0)) }) == tall)
        #expect(throws: NumericsError.self) { try Matrix(columns: [[1, 2], [3]]) }
        #expect(try Matrix(columns: [[], []]) == Matrix(rows: 0, columns: 2))
    }

    @Test func levelOne() throws {
        let x = [1.0, -2, 3, 0.5], y = [2.0, 1, -1, 4]
        let expected: Double = 2 - 2 - 3 + 2
        #expect(try BLAS.dot(x, y) == expected)
        var z = y
        try BLAS.axpy(2, x, &z)
        #expect(z == [4, -3, 5, 5])
        BLAS.scal(-1, &z)
        #expect(z == [-4, 3, -5, -5])
        #expect(BLAS.nrm2([3.0, 4]) == 5)
        #expect(BLAS.nrm2([1e300, 1e300]) == 1e300 * 2.0.squareRoot(), "no overflow")
        #expect(throws: NumericsError.self) { try BLAS.dot([1.0], [1.0, 2]) }
        #expect(throws: NumericsError.self) { try BLAS.axpy(1, [1.0], &z) }
    }

    @Test func levelTwoAndThreeAgainstLoops() throws {
        let a = randomMatrix(37, 23, seed: 2), b = randomMatrix(23, 11, seed: 3)
        #expect(maxAbsDifference(try BLAS.gemm(a, b), naiveProduct(a, b)) < 1e-13)
        #expect(maxAbsDifference(try BLAS.gemm(a.transposed, b, transposeA: true), naiveProduct(a, b)) < 1e-13)
        #expect(maxAbsDifference(try BLAS.gemm(a, b.transposed, transposeB: true, alpha: 2),
                                 naiveProduct(a, b).scaled(by: 2)) < 1e-13)
        let gram = try BLAS.syrk(a)
        #expect(maxAbsDifference(gram, naiveProduct(a.transposed, a)) < 1e-13)
        #expect(gram == gram.transposed, "syrk returns the full symmetric matrix")
        let x = (0..<23).map { Double($0) / 7 }
        let ax = try BLAS.gemv(a, x)
        #expect(maxAbsDifference(ax, naiveProduct(a, Matrix(column: x)).elements) < 1e-13)
        let atz = try BLAS.gemv(a, ax, transpose: true)
        #expect(maxAbsDifference(atz, naiveProduct(a.transposed, Matrix(column: ax)).elements) < 1e-12)
        #expect(throws: NumericsError.self) { try BLAS.gemm(a, a) }
        #expect(throws: NumericsError.self) { try BLAS.gemv(a, [1, 2]) }
    }

    /// AᵀD²A over several row chunks of `ChunkedGram` (65,536 rows each) and a last short
    /// block, against compensated sums of dᵢ²aᵢⱼaᵢₖ; a wrong scale count is an error.
    @Test func scaledCrossProductAgainstCompensatedSums() throws {
        let n = 140_003, k = 5
        let a = randomMatrix(n, k, seed: 21)
        var g = SeededRandom(seed: 22)
        let d = (0..<n).map { _ in 3 * g.nextUniform() - 1 }
        let product = try BLAS.syrk(a, rowScales: d)
        #expect(product == product.transposed, "the full symmetric matrix")
        for j in 0..<k { for l in 0..<k {
            var s = CompensatedSum(), magnitude = 0.0
            for i in 0..<n { let t = d[i] * d[i] * a[i, j] * a[i, l]; s.add(t); magnitude += abs(t) }
            #expect(abs(product[j, l] - s.value) <= 1e-13 * magnitude, "(\(j), \(l)): \(product[j, l]) vs \(s.value)")
        } }
        #expect(throws: NumericsError.self) { try BLAS.syrk(a, rowScales: [1, 2]) }
        #expect(try BLAS.syrk(Matrix(rows: 0, columns: 3), rowScales: []) == Matrix(rows: 3, columns: 3))
    }

    @Test func triangularSolves() throws {
        var t = randomMatrix(9, 9, seed: 4)
        for i in 0..<9 { t[i, i] += 4; for j in 0..<i { t[i, j] = 0 } }   // upper triangular, well conditioned
        let x = (0..<9).map { Double($0) - 3 }
        var b = try BLAS.gemv(t, x)
        try BLAS.trsv(t, &b, triangle: .upper)
        #expect(maxAbsDifference(b, x) < 1e-13)
        let xs = randomMatrix(9, 4, seed: 5)
        var bs = try BLAS.gemm(t, xs, transposeA: true)
        try BLAS.trsm(t, &bs, side: .left, triangle: .upper, transpose: true)
        #expect(maxAbsDifference(bs, xs) < 1e-13)
        var wrong = Matrix(rows: 3, columns: 2)
        #expect(throws: NumericsError.self) { try BLAS.trsm(t, &wrong, triangle: .upper) }
    }

    @Test func doubleDouble() {
        // 1 + 2⁻⁶⁰ is not a double; its double-double sum keeps the tail.
        let s = DoubleDouble(1) + 0x1p-60
        #expect(s.high == 1 && s.low == 0x1p-60)
        let p = DoubleDouble.twoProduct(1 + 0x1p-30, 1 + 0x1p-30)   // = 1 + 2⁻²⁹ + 2⁻⁶⁰ exactly
        #expect(p.high == 1 + 0x1p-29 && p.low == 0x1p-60)
        // Σ of values that cancel: the double sum loses everything, the compensated one nothing.
        let values = [1e16, 1.0, -1e16, 1.0]
        #expect(values.reduce(0, +) != 2)
        #expect(CompensatedSum.of(values) == 2)
        let third = DoubleDouble(1) / DoubleDouble(3)
        #expect(abs((third * 3.0 - 1).doubleValue) < 1e-31)
        #expect(abs((DoubleDouble(2).squareRoot * DoubleDouble(2).squareRoot - 2).doubleValue) < 1e-30)
    }
}

extension Matrix {
    func scaled(by s: Double) -> Matrix {
        var m = self
        for j in 0..<columns { for i in 0..<rows { m[i, j] *= s } }
        return m
    }
}
