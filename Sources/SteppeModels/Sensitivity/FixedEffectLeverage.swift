import SteppeNumerics

/// The fixed effects' share of the hat values: the diagonal of P_D = D(DᵀWD)⁻DᵀW, D the
/// dummies of every fixed effect side by side (n × L, L the levels in all), W the weights.
///
/// With one fixed effect it is wᵢ/Σ_{j∈g(i)}wⱼ. With several, DᵀWD is L × L and singular
/// (each fixed effect's dummies sum to the same column), but P_D is the same for every
/// generalized inverse G of it, so G is the pseudo-inverse of the equilibrated matrix
/// S·DᵀWD·S (S = diag(DᵀWD)^−½, eigenvalues below L·ε·λ_max treated as zero) scaled back,
/// G = S(SDᵀWDS)⁺S; then hᵢ = wᵢ·Σ_{a,b} G_ab over the levels a, b of observation i (one
/// per fixed effect). Dense: O(L³) flops and L² doubles, so at most `maximumLevels` levels.
/// Added to the within leverage of X̃ this is the diagonal of the hat matrix of the model
/// with the fixed effects as dummies (statsmodels' OLSInfluence and GLMInfluence with
/// C(·) terms; tested with two).
enum FixedEffectLeverage {
    /// L above this is refused (an eigendecomposition of 3,000 × 3,000 takes seconds).
    static let maximumLevels = 3000

    /// hᵢ of the fixed effects for every observation.
    /// - Throws: `ModelError.invalidOption` for more than `maximumLevels` levels;
    ///   `ModelError.numerical` if the eigendecomposition fails.
    static func diagonal(_ groupings: [Grouping], weights w: [Double]) throws(ModelError) -> [Double] {
        let n = w.count
        if groupings.count == 1 {
            let fe = groupings[0]
            var total = [Double](repeating: 0, count: fe.levelCount)
            for (i, c) in fe.codes.enumerated() { total[Int(c)] += w[i] }
            return (0..<n).map { w[$0] / total[Int(fe.codes[$0])] }
        }
        var offsets: [Int] = [], levels = 0
        for g in groupings { offsets.append(levels); levels += g.levelCount }
        guard levels <= maximumLevels else {
            throw .invalidOption("influence with several fixed effects needs a dense \(levels) × \(levels) matrix; at most \(maximumLevels) levels in all (write the small ones as C(name) terms, or keep one fixed effect)")
        }
        let index = { (i: Int) in groupings.indices.map { offsets[$0] + Int(groupings[$0].codes[i]) } }
        var m = Matrix(rows: levels, columns: levels)
        for i in 0..<n { for a in index(i) { for b in index(i) { m[a, b] += w[i] } } }
        let s = (0..<levels).map { m[$0, $0] > 0 ? 1 / m[$0, $0].squareRoot() : 0 }
        for a in 0..<levels { for b in 0..<levels { m[a, b] *= s[a] * s[b] } }
        let g = try pseudoInverse(m)
        return (0..<n).map { i in
            let ids = index(i)
            var h = 0.0
            for a in ids { for b in ids { h += s[a] * g[a, b] * s[b] } }
            return w[i] * h
        }
    }

    /// The pseudo-inverse of a symmetric positive semi-definite matrix by its eigendecomposition.
    static func pseudoInverse(_ m: Matrix) throws(ModelError) -> Matrix {
        let e: SymmetricEigendecomposition
        do { e = try SymmetricEigendecomposition(m) } catch { throw .numerical("the fixed effects' leverage: \(error)") }
        let l = m.rows
        let cutoff = Double(l) * Double.ulpOfOne * (e.eigenvalues.last ?? 0)
        let kept = (0..<l).filter { e.eigenvalues[$0] > cutoff }
        var out = Matrix(rows: l, columns: l)
        for k in kept {
            let inverse = 1 / e.eigenvalues[k]
            for b in 0..<l {
                let vb = e.eigenvectors[b, k] * inverse
                guard vb != 0 else { continue }
                for a in 0..<l { out[a, b] += e.eigenvectors[a, k] * vb }
            }
        }
        return out
    }
}
