extension Matrix {
    /// The columns x^d for each d in `degrees`, computed in double-double: the values
    /// rounded to double, and what the rounding left out.
    ///
    /// Polynomial designs are where a double design loses most: every power of x is
    /// rounded, and for NIST's Filip (degree 10) those roundings alone limit any solver
    /// to 7.7 correct digits. Passing `lowParts` to `LeastSquares.solve(designLowParts:)`
    /// lets refinement solve the exact polynomial problem (14 digits on Filip).
    ///
    /// - Parameters:
    ///   - x: the variable, one value per row.
    ///   - degrees: non-negative powers; 0 gives a column of ones.
    /// - Throws: `invalidArgument` for a negative degree; `nonFiniteInput` for NaN/infinite x.
    /// Complexity: O(n · max degree).
    public static func powers(of x: [Double], degrees: [Int]) throws(NumericsError) -> (values: Matrix, lowParts: Matrix) {
        if let bad = degrees.first(where: { $0 < 0 }) {
            throw .invalidArgument(operation: "Matrix.powers(of:degrees:)", detail: "degree \(bad) is negative")
        }
        try requireFinite(x, operation: "Matrix.powers(of:degrees:)", argument: "x")
        let n = x.count
        var values = Matrix(rows: n, columns: degrees.count)
        var low = Matrix(rows: n, columns: degrees.count)
        for (c, d) in degrees.enumerated() {
            for i in 0..<n {
                var p = DoubleDouble(1)
                for _ in 0..<d { p = p * x[i] }
                values.elements[i + c * n] = p.high
                low.elements[i + c * n] = p.low
            }
        }
        return (values, low)
    }
}
