extension Matrix {
    /// The transpose Aᵀ, copied. Complexity: O(rows · columns), blocked for cache reuse.
    public var transposed: Matrix {
        var out = [Double](repeating: 0, count: elements.count)
        let r = rows, c = columns
        let block = 32
        elements.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var jb = 0
                while jb < c {
                    var ib = 0
                    let jEnd = Swift.min(jb + block, c)
                    while ib < r {
                        let iEnd = Swift.min(ib + block, r)
                        for j in jb..<jEnd {
                            for i in ib..<iEnd { dst[j + i * c] = src[i + j * r] }
                        }
                        ib += block
                    }
                    jb += block
                }
            }
        }
        return Matrix(uncheckedRows: c, columns: r, elements: out)
    }
}
