/// Row blocks of a column-major matrix X, copied into one reusable buffer with each row
/// and each column scaled, for passes that need DX (D diagonal) a block at a time without
/// an n × p copy: the Cholesky-QR2 step of `NormalEquationsSolver` (D = √W) and the
/// scaled cross-products of `ChunkedGram` (the meat of a heteroskedasticity-robust covariance).
enum ScaledRowBlocks {
    /// Rows per block: 16,384 (2.6 MB for 20 columns, in a core's share of L3).
    static let blockRows = 16384

    /// The factor dᵢ of row i.
    enum RowScale {
        /// dᵢ = 1.
        case none
        /// dᵢ = √vᵢ (√wᵢ for weights wᵢ).
        case squareRootOf([Double])
        /// dᵢ = vᵢ.
        case by([Double])
    }

    /// Calls `body` with consecutive row blocks of `rows` (all n by default) of X (n × p at
    /// `px`) copied into a `blockRows` × p buffer (leading dimension `blockRows`), element
    /// (i, j) becoming xᵢⱼ·dᵢ·sⱼ with s = `columnScales` (all 1 by default); `body` also gets
    /// the block's dᵢ, its first row and its number of rows. dᵢ is computed per block, so no
    /// n-vector is allocated.
    static func forEach(_ px: UnsafePointer<Double>, n: Int, p: Int, rows range: Range<Int>? = nil, scale: RowScale,
                        columnScales: [Double]? = nil, blockRows: Int = blockRows,
                        _ body: (UnsafeMutablePointer<Double>, UnsafePointer<Double>, Int, Int) -> Void) {
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: blockRows * p)
        let factor = UnsafeMutablePointer<Double>.allocate(capacity: blockRows)
        defer { buffer.deallocate(); factor.deallocate() }
        let scales = columnScales ?? [Double](repeating: 1, count: p)
        let range = range ?? 0..<n
        var start = range.lowerBound
        while start < range.upperBound {
            let rows = min(blockRows, range.upperBound - start)
            switch scale {
            case .none:
                for i in 0..<rows { factor[i] = 1 }
            case .squareRootOf(let v):
                v.withUnsafeBufferPointer { pv in for i in 0..<rows { factor[i] = pv[start + i].squareRoot() } }
            case .by(let v):
                v.withUnsafeBufferPointer { pv in for i in 0..<rows { factor[i] = pv[start + i] } }
            }
            for j in 0..<p {
                let src = px + j * n + start
                let dst = buffer + j * blockRows
                let cs = scales[j]
                for i in 0..<rows { dst[i] = src[i] * factor[i] * cs }
            }
            body(buffer, UnsafePointer(factor), start, rows)
            start += rows
        }
    }
}
