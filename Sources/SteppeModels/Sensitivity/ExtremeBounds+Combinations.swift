extension ExtremeBounds.Plan {
    /// At most this many combinations: each is a regression.
    static let maximumCombinations = 1_000_000

    /// ExtremeBounds' get.combinations: for each k, the (k + 1)-subsets of the doubtful
    /// terms (positions in the pool, in combn's lexicographic order) that hold at least one
    /// focus term and at most one term of each exclusive set.
    /// - Throws: `ModelError.invalidOption` when there would be more than a million.
    static func combinations(pool: [ExtremeBounds.ResolvedTerm], isFocus: [Bool], k: [Int],
                             exclusive: [[Int]]) throws(ModelError) -> [[Int]] {
        let m = pool.count
        let total = k.reduce(0.0) { $0 + binomial(m, $1 + 1) }
        guard total <= Double(maximumCombinations) else {
            throw .invalidOption("eba would run \(Int(total)) regressions (more than \(maximumCombinations)); lower --k or use fewer doubtful terms")
        }
        var out: [[Int]] = []
        for size in k.map({ $0 + 1 }) {
            var subset = Array(0..<size)
            while true {
                if subset.contains(where: { isFocus[$0] })
                    && exclusive.allSatisfy({ set in set.filter { subset.contains($0) }.count <= 1 }) {
                    out.append(subset)
                }
                guard let next = successor(of: subset, in: m) else { break }
                subset = next
            }
        }
        return out
    }

    /// The next subset in lexicographic order, or `nil` after the last.
    static func successor(of subset: [Int], in m: Int) -> [Int]? {
        var s = subset
        let size = s.count
        var i = size - 1
        while i >= 0 && s[i] == m - size + i { i -= 1 }
        guard i >= 0 else { return nil }
        s[i] += 1
        for j in (i + 1)..<size { s[j] = s[j - 1] + 1 }
        return s
    }

    /// C(n, r) as a Double (exact below 2⁵³).
    static func binomial(_ n: Int, _ r: Int) -> Double {
        guard r >= 0, r <= n else { return 0 }
        var c = 1.0
        for i in 0..<min(r, n - r) { c = c * Double(n - i) / Double(i + 1) }
        return c.rounded()
    }
}
