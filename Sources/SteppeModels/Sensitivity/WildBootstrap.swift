import Foundation
import SteppeNumerics

/// The wild cluster bootstrap of a linear model, restricted (WCR, the null imposed) or
/// unrestricted (WCU), by the fast algorithm of Roodman, Nielsen, MacKinnon & Webb (2019),
/// "Fast and wild: bootstrap inference in Stata using boottest", as boottest,
/// fwildclusterboot and wildboottest (`bootstrap_type = "11"`) compute it.
///
/// Model y = Xβ + Dα + u (D the fixed-effect dummies), tested term t, null β_t = r, weights
/// wᵢ, clusters g = 1…G. Everything is in terms of the demeaned design X̃ (Frisch–Waugh),
/// A = (X̃ᵀWX̃)⁻¹, a = A·e_t, the unrestricted residuals û and, per cluster, Ŝ_g = Σ wx̃û and
/// H_g = Σ wx̃x̃ᵀ (`BootstrapClusterDesign`). With δ = β̂_t − r and ξ = X̃a:
/// - WCR's restricted residuals are ũ = û + (δ/A_tt)·ξ (ξ/A_tt is x̃_t's residual on the other
///   columns), so no restricted fit is needed, and its cluster scores are
///   S_g(δ) = Ŝ_g + (δ/A_tt)·H_g a. WCU uses δ = 0 in the DGP.
/// - Replicate b with weights v (one per cluster): y* = Xβ̃ + Dα̃ + ũ⊙v, refitted with the
///   fixed effects. Its numerator is β*_t − β̃_t = Σ_g v_g c_g, c_g = aᵀS_g, and its residuals
///   u* = ũ⊙v − P(ũ⊙v) − X̃A Σ_g v_g S_g (P the W-weighted projection on D), so the CRV1
///   score of cluster h is (J v)_h with the G × G matrix
///   J[h, g] = δ_hg c_g − L_hᵀS_g − F[h, g],  L_h = A H_h a,  F[h, g] = Σ_{i∈g} wᵢ P(ξ⊙1_h)ᵢ ũᵢ.
///   F vanishes when every fixed effect is nested in the clusters (then P(ũ⊙1_g) = 0);
///   otherwise it takes G absorptions per term, before the replicates. J, c and F are
///   linear in δ: J = J₀ + δJ₁.
/// - t*_b = (Σ_g v_g c_g) / √(c·Σ_h (J v)_h²), c the small-sample factor
///   (`BootstrapFactor`; fixest's G/(G − 1)·(n − 1)/(n − K) by default), and the observed
///   t = δ/se with se² = c·Σ_g ĉ_g² (the CRV1 standard error of the fit).
/// Each replicate costs O(G²), not O(n), and the five numbers it leaves (N_b = n0 + δn1,
/// D_b = q0 + 2δq1 + δ²q2; `BootstrapDistribution`) give its t* at every null.
///
/// p-value: the symmetric two-sided share of |t*| ≥ |t| (`BootstrapPValue`). Interval:
/// WCR by inverting the test (`BootstrapInterval.inverted`, as boottest); WCU by the
/// percentile-t interval β̂ ± se·|t*|₍⌈αB⌉₎, the exact inversion of its test.
/// Matches wildboottest 0.3.2 (statsmodels OLS with the fixed effects as dummies) to 1e-10
/// in t and every t* and exactly in the count of |t*| ≥ |t| under full enumeration, in the
/// tests (Tests/SteppeModelsTests/Fixtures/sensitivity/bootstrap_make_reference.py).
enum WildBootstrap {
    static func run(_ model: SensitivityModel, _ plan: BootstrapPlan, progress: ProgressHandler?) throws(ModelError) -> BootstrapResult {
        let frame = try BootstrapSample.frame(model)
        guard let clusters = plan.clusters else { throw .invalidOption("the wild bootstrap needs clusters") }
        let design = try BootstrapClusterDesign.linear(model, frame: frame, clusters: clusters)
        let factor = BootstrapFactor.cluster(model, frame: frame, clusters: clusters, slopes: design.k)
        let draws = WildWeightDraws(clusters: clusters.levelCount, requested: plan.replicates, kind: plan.weights, seed: plan.seed)
        var terms: [BootstrapTermResult] = []
        for (done, m) in plan.termIndices.enumerated() {
            let kernel = try WildTermKernel(design, term: m)
            let distribution = kernel.distribution(draws, factor: factor, imposeNull: plan.imposeNull)
            let outcome = try termOutcome(model, plan, kernel: kernel, distribution: distribution, term: m)
            terms.append(outcome.result(plan, replicates: draws.replicates, enumerated: draws.enumerated))
            progress?(done + 1, plan.termIndices.count)
        }
        let reference = "boottest / fwildclusterboot / wildboottest (type 11: CRV1, \(plan.imposeNull ? "WCR" : "WCU"), symmetric p-value); fixed effects as dummies"
        return BootstrapResult(type: .wild, weights: plan.weights, replicates: draws.replicates, enumerated: draws.enumerated,
                               clusterVariable: plan.clusterName, clusters: clusters.levelCount, seed: plan.seed,
                               confidenceLevel: plan.level, reference: reference, terms: terms)
    }

    /// The test and interval of term m from its bootstrap distribution.
    static func termOutcome(_ model: SensitivityModel, _ plan: BootstrapPlan, kernel: WildTermKernel,
                            distribution: BootstrapDistribution, term m: Int) throws(ModelError) -> TermOutcome {
        let estimate = model.fit.coefficients[m].estimate
        let se = (distribution.factor * kernel.c.reduce(0) { $0 + $1 * $1 }).squareRoot()
        let delta = estimate - plan.nullValue
        var out = TermOutcome(term: model.fit.coefficients[m].term, estimate: estimate,
                              intervalMethod: plan.imposeNull ? "testInversion" : "percentileT")
        out.reasons["stdError"] = "the wild bootstrap tests the null without a bootstrap standard error; see tStatistic"
        out.statistic = delta / se
        let test = plan.imposeNull ? distribution.pValue(observed: out.statistic, delta: delta)
                                   : BootstrapPValue(observed: out.statistic, statistics: distribution.statistics(delta: 0))
        out.pValue = test.value
        out.failures = test.failureReasons("the replicate's CRV1 standard error is zero or not finite")
        if !plan.intervals {
            out.reasons["confLow"] = "not computed (intervals were turned off)"
            out.reasons["confHigh"] = out.reasons["confLow"]
        } else if plan.imposeNull {
            out.interval = try BootstrapInterval.inverted(estimate: estimate, scale: se, alpha: plan.alpha, tolerance: 1e-10,
                                                          maxEvaluations: 200) { r in
                distribution.pValue(observed: (estimate - r) / se, delta: estimate - r).value
            }
        } else {
            out.interval = BootstrapInterval.percentileT(estimate: estimate, standardError: se,
                                                         statistics: distribution.statistics(delta: 0), alpha: plan.alpha)
        }
        return out
    }
}

/// The per-term matrices of the fast wild bootstrap (see `WildBootstrap`): c = c₀ + δc₁ and
/// J = J₀ + δJ₁, G × G column-major (element h + g·G).
struct WildTermKernel: Sendable {
    let clusterCount: Int
    /// ĉ_g = aᵀŜ_g and c₁_g = aᵀH_g a / A_tt.
    let c: [Double], c1: [Double]
    let j0: [Double], j1: [Double]

    init(_ design: BootstrapClusterDesign, term m: Int) throws(ModelError) {
        let G = design.clusterCount, k = design.k
        let a = design.breadColumn(m), att = design.bread[m, m]
        guard att > 0, att.isFinite else { throw .numerical("the bread's diagonal for the tested term is not positive") }
        var ha = [Double](repeating: 0, count: G * k)       // H_g a, row g
        for g in 0..<G { for j in 0..<k { for l in 0..<k { ha[g * k + j] += design.grams[g * k * k + j * k + l] * a[l] } } }
        var lh = [Double](repeating: 0, count: G * k)       // L_h = A H_h a
        for h in 0..<G { for j in 0..<k { for l in 0..<k { lh[h * k + j] += design.bread[j, l] * ha[h * k + l] } } }
        let chat = design.projectedScores(a)
        let d = (0..<G).map { g in (0..<k).reduce(0.0) { $0 + a[$1] * ha[g * k + $1] } }
        var j0 = [Double](repeating: 0, count: G * G), j1 = j0
        for g in 0..<G {
            for h in 0..<G {
                var ls = 0.0, lha = 0.0
                for j in 0..<k { ls += lh[h * k + j] * design.scoreSums[g * k + j]; lha += lh[h * k + j] * ha[g * k + j] }
                j0[h + g * G] = (h == g ? chat[g] : 0) - ls
                j1[h + g * G] = ((h == g ? d[g] : 0) - lha) / att
            }
        }
        if design.absorber != nil {
            let (fu, fx) = try Self.fixedEffectTerms(design, a: a)
            for e in 0..<(G * G) { j0[e] -= fu[e]; j1[e] -= fx[e] / att }
        }
        clusterCount = G
        c = chat
        c1 = d.map { $0 / att }
        self.j0 = j0
        self.j1 = j1
    }

    /// F_û[h, g] = Σ_{i∈g} wᵢP(ξ⊙1_h)ᵢûᵢ and F_ξ[h, g] = Σ_{i∈g} wᵢP(ξ⊙1_h)ᵢξᵢ, ξ = X̃a: the
    /// part of the bootstrap residuals that the fixed effects not nested in the clusters
    /// absorb. P v = v − (v demeaned); 16 clusters' vectors are absorbed together.
    static func fixedEffectTerms(_ design: BootstrapClusterDesign, a: [Double]) throws(ModelError) -> ([Double], [Double]) {
        guard let absorber = design.absorber else { return ([], []) }
        let n = design.n, G = design.clusterCount
        let xi: [Double]
        do { xi = try BLAS.gemv(design.xTilde, a) } catch { throw .numerical("\(error)") }
        var fu = [Double](repeating: 0, count: G * G), fx = fu
        let codes = design.codes, w = design.weights, u = design.residual
        var start = 0
        while start < G {
            let block = Array(start..<min(G, start + 16))
            var m = Matrix(rows: n, columns: block.count)
            for (c, h) in block.enumerated() { for i in 0..<n where Int(codes[i]) == h { m[i, c] = xi[i] } }
            let residual = try BootstrapClusterDesign.demeaned(m, absorber)
            for (c, h) in block.enumerated() {
                for i in 0..<n {
                    let p = m[i, c] - residual[i, c], g = Int(codes[i])
                    fu[h + g * G] += w[i] * p * u[i]
                    fx[h + g * G] += w[i] * p * xi[i]
                }
            }
            start += 16
        }
        return (fu, fx)
    }

    /// n0, n1, q0, q1, q2 of every replicate (WCU: the δ parts 0), computed in blocks of
    /// `blockSize` replicates on all cores with a fixed order of operations per replicate,
    /// so that neither the block size nor the number of threads changes a bit.
    func distribution(_ draws: WildWeightDraws, factor: Double, imposeNull: Bool, blockSize: Int = 512) -> BootstrapDistribution {
        let G = clusterCount
        let parts = draws.blocks(size: blockSize) { range, v in
            var out = BootstrapDistribution(count: range.count, factor: factor)
            var u0 = [Double](repeating: 0, count: G), u1 = u0
            for col in 0..<range.count {
                let vb = v.baseAddress! + col * G
                Self.apply(j0, j1, vb, G, &u0, &u1, both: imposeNull)
                var n0 = 0.0, n1 = 0.0, q0 = 0.0, q1 = 0.0, q2 = 0.0
                for g in 0..<G { n0 += vb[g] * c[g]; n1 += vb[g] * c1[g] }
                for h in 0..<G { q0 += u0[h] * u0[h]; q1 += u0[h] * u1[h]; q2 += u1[h] * u1[h] }
                out.n0[col] = n0; out.q0[col] = q0
                if imposeNull { out.n1[col] = n1; out.q1[col] = q1; out.q2[col] = q2 }
            }
            return out
        }
        var all = BootstrapDistribution(count: 0, factor: factor)
        for p in parts { all.n0 += p.n0; all.n1 += p.n1; all.q0 += p.q0; all.q1 += p.q1; all.q2 += p.q2 }
        return all
    }

    /// u0 = J₀v and (when `both`) u1 = J₁v, column by column (contiguous, vectorised).
    @inline(__always)
    private static func apply(_ j0: [Double], _ j1: [Double], _ v: UnsafePointer<Double>, _ G: Int,
                              _ u0: inout [Double], _ u1: inout [Double], both: Bool) {
        j0.withUnsafeBufferPointer { a in
            j1.withUnsafeBufferPointer { b in
                u0.withUnsafeMutableBufferPointer { x in
                    u1.withUnsafeMutableBufferPointer { y in
                        for h in 0..<G { x[h] = 0; y[h] = 0 }
                        for g in 0..<G {
                            let vg = v[g], ca = a.baseAddress! + g * G, cb = b.baseAddress! + g * G
                            for h in 0..<G { x[h] += ca[h] * vg }
                            if both { for h in 0..<G { y[h] += cb[h] * vg } }
                        }
                    }
                }
            }
        }
    }
}
