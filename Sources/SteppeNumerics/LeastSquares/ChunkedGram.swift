import CLapack

/// The cross-product XᵀD²X of a tall column-major X (n × p), D = diag(d) or the identity,
/// on all cores: the rows in the fixed chunks of `Parallel.chunks`, each chunk's product by
/// `dsyrk` (on X in place without D; on 4,096-row blocks of DX otherwise), the chunk
/// products added in chunk order, so the bits do not depend on the number of cores.
///
/// Why not one `dsyrk` over all n rows: with p ≈ 20 OpenBLAS packs the whole of X on one
/// thread whatever its thread count (45 ms for 10⁶ × 21 on the AMD VM, 1 or 2 threads;
/// two chunked halves take 25 ms).
enum ChunkedGram {
    /// Rows per block of DX: 4,096 (672 KB for 21 columns, within a core's L2 and L3 share).
    static let scaledBlockRows = 4096

    /// The upper triangle of XᵀD²X (p × p, column-major; the lower triangle is zero).
    static func upper(_ px: UnsafePointer<Double>, n: Int, p: Int, rowScales: [Double]?) -> [Double] {
        let x = SharedBuffer(UnsafeMutablePointer(mutating: px))
        let pi = Int32(p)
        let parts = Parallel.chunks(n) { rows -> [Double] in
            var g = [Double](repeating: 0, count: p * p)
            g.withUnsafeMutableBufferPointer { pg in
                guard let rowScales else {
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, pi, Int32(rows.count), 1, x.base + rows.lowerBound,
                                Int32(n), 0, pg.baseAddress, pi)
                    return
                }
                ScaledRowBlocks.forEach(x.base, n: n, p: p, rows: rows, scale: .by(rowScales), blockRows: scaledBlockRows) { block, _, _, count in
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, pi, Int32(count), 1, block, Int32(scaledBlockRows), 1,
                                pg.baseAddress, pi)
                }
            }
            return g
        }
        var total = [Double](repeating: 0, count: p * p)
        for part in parts { for k in 0..<(p * p) { total[k] += part[k] } }
        return total
    }
}
