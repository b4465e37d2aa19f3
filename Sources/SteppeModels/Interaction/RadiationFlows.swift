/// The radiation model's probabilities p_ij = m_i·n_j / ((m_i + s_ij)(m_i + n_j + s_ij)).
enum RadiationFlows {
    /// For each origin i in `origins`, p_ij for every region j (p_ii = 0), with s_ij the
    /// population of the regions k ≠ i, j strictly closer to i than j. Per origin: sort
    /// the other regions by distance, then s is the running population total before each
    /// run of equal distances. O(R² log R) for R regions, from the row-major R × R `distances`.
    static func probabilities(population m: [Double], distances: [Double], origins: Set<Int>) -> [Int: [Double]] {
        let r = m.count
        var out = [Int: [Double]]()
        for i in origins {
            var others = (0..<r).filter { $0 != i }
            others.sort { distances[i * r + $0] < distances[i * r + $1] }
            var p = [Double](repeating: 0, count: r)
            var inside = 0.0, start = 0
            while start < others.count {
                var end = start
                let d = distances[i * r + others[start]]
                while end < others.count && distances[i * r + others[end]] == d { end += 1 }
                for j in others[start..<end] {
                    p[j] = m[i] * m[j] / ((m[i] + inside) * (m[i] + m[j] + inside))
                }
                for j in others[start..<end] { inside += m[j] }
                start = end
            }
            out[i] = p
        }
        return out
    }
}
