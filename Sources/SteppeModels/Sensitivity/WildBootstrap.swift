import Foundation
import SteppeNumerics

/// The wild cluster bootstrap of a linear model, restricted (WCR, the null imposed) or
/// unrestricted (WCU), one- or two-way clustered, by the fast algorithm of Roodman, Nielsen,
/// MacKinnon & Webb (2019), "Fast and wild: bootstrap inference in Stata using boottest", as
/// boottest, fwildclusterboot and wildboottest (`bootstrap_type = "11"`) compute it.
///
/// Model y = Xβ + Dα + u (D the fixed-effect dummies), tested term t, null β_t = r, weights
/// wᵢ. Everything is in terms of the demeaned design X̃ (Frisch–Waugh), A = (X̃ᵀWX̃)⁻¹,
/// a = A·e_t, the unrestricted residuals û and, per cell c (the intersection of the cluster
/// dimensions and the bootcluster; `WildClusterStructure`), Ŝ_c = Σ wx̃û and H_c = Σ wx̃x̃ᵀ
/// (`BootstrapClusterDesign`); any cluster's or bootcluster's sums are sums over its cells.
/// With δ = β̂_t − r and ξ = X̃a:
/// - WCR's restricted residuals are ũ = û + (δ/A_tt)·ξ (ξ/A_tt is x̃_t's residual on the other
///   columns), so no restricted fit is needed; WCU uses δ = 0 in the DGP.
/// - Replicate b draws one weight v_g per bootcluster g (the clusters when one-way):
///   y* = Xβ̃ + Dα̃ + ũ⊙v, refitted with the fixed effects. Its numerator is
///   β*_t − β̃_t = Σ_g v_g c_g, c_g = aᵀS_g(δ), and its residuals
///   u* = ũ⊙v − P(ũ⊙v) − X̃A Σ_g v_g S_g (P the W-weighted projection on D), so the score of
///   cluster h of any variance term is (J v)_h with the matrix (G_h × G_b)
///   J[h, g] = C[h, g] − L_hᵀS_g − F[h, g],  C[h, g] = Σ_{i∈h∩g} wᵢξᵢũᵢ,  L_h = A H_h a,
///   F[h, g] = Σ_{i∈h} wᵢξᵢP(ũ⊙1_g)ᵢ. F vanishes when every fixed effect is nested in the
///   bootclusters; otherwise it takes one absorption per cell, before the replicates. J and
///   c are linear in δ: J = J₀ + δJ₁.
/// - t*_b = (Σ_g v_g c_g) / √(Σ_D c_D·Σ_{h∈D} (J_D v)_h²), the sum over the terms D of the
///   cluster-robust variance with their signed small-sample factors: one-way the CRV1 term
///   (fixest's G/(G − 1)·(n − 1)/(n − K) by default); two-way Cameron–Gelbach–Miller's
///   +A, +B, −A∩B (`WildClusterStructure`, `BootstrapFactor.multiway`). The observed
///   t = δ/se with se² = Σ_D c_D·Σ_h ĉ_h², the fit's own clustered standard error.
/// Each replicate costs O(T·G_b) (T the clusters of all terms), not O(n): one dgemm per block
/// of 512 replicates (`WildTermKernel`), and the five numbers it leaves (N_b = n0 + δn1,
/// D_b = q0 + 2δq1 + δ²q2; `BootstrapDistribution`) give its t* at every null.
///
/// p-value: the symmetric two-sided share of |t*| ≥ |t| (`BootstrapPValue`), over the
/// replicates whose variance is positive (two-way variances can be negative in a draw; those
/// are failures, counted). Interval: WCR by inverting the test (`BootstrapInterval.inverted`,
/// as boottest); WCU by the percentile-t interval β̂ ± se·|t*|₍⌈αB⌉₎, the exact inversion of
/// its test. One-way matches wildboottest 0.3.2 (statsmodels OLS with the fixed effects as
/// dummies) to 1e-10 in t and every t* and exactly in the count of |t*| ≥ |t| under full
/// enumeration (Tests/SteppeModelsTests/Fixtures/sensitivity/bootstrap_make_reference.py);
/// two-way matches a brute-force refit of every one of the 2^G draws to 1e-10 in t, every t*
/// and the p-value (Fixtures/bootstrap/multiway_make_reference.py).
enum WildBootstrap {
    /// What every tested term shares: the cell-level design, the clustering and the draws.
    struct Setup {
        let design: BootstrapClusterDesign
        let structure: WildClusterStructure
        let draws: WildWeightDraws
    }

    static func setup(_ model: SensitivityModel, _ plan: BootstrapPlan) throws(ModelError) -> Setup {
        let frame = try BootstrapSample.frame(model)
        guard let boot = plan.clusters, !plan.dimensions.isEmpty else { throw .invalidOption("the wild bootstrap needs clusters") }
        let slopes = model.fit.coefficients.count
        let factors = BootstrapFactor.multiway(model, frame: frame, dimensions: plan.dimensions, slopes: slopes)
        let structure = WildClusterStructure(dimensions: plan.dimensions, boot: boot, factors: factors)
        let design = try BootstrapClusterDesign.linear(model, frame: frame, clusters: structure.cells, bootclusters: boot)
        let draws = WildWeightDraws(clusters: boot.levelCount, requested: plan.replicates, kind: plan.weights, seed: plan.seed)
        return Setup(design: design, structure: structure, draws: draws)
    }

    static func run(_ model: SensitivityModel, _ plan: BootstrapPlan, progress: ProgressHandler?) throws(ModelError) -> BootstrapResult {
        let setup = try setup(model, plan)
        let draws = setup.draws
        var terms: [BootstrapTermResult] = []
        for (done, m) in plan.termIndices.enumerated() {
            let kernel = try WildTermKernel(setup.design, structure: setup.structure, term: m)
            let distribution = kernel.distribution(draws, imposeNull: plan.imposeNull)
            let outcome = try termOutcome(model, plan, kernel: kernel, distribution: distribution, term: m)
            terms.append(outcome.result(plan, replicates: draws.replicates, enumerated: draws.enumerated))
            progress?(done + 1, plan.termIndices.count)
        }
        let way = plan.dimensions.count == 2 ? "two-way CRVE (Cameron–Gelbach–Miller), weights by bootcluster \(plan.bootclusterName ?? "")"
                                             : "CRV1"
        let reference = "boottest / fwildclusterboot / wildboottest (type 11: \(way), \(plan.imposeNull ? "WCR" : "WCU"), symmetric p-value); fixed effects as dummies"
        return BootstrapResult(type: .wild, weights: plan.weights, replicates: draws.replicates, enumerated: draws.enumerated,
                               clusterVariable: plan.clusterName, clusters: setup.structure.boot.levelCount, seed: plan.seed,
                               confidenceLevel: plan.level, reference: reference, terms: terms,
                               bootcluster: plan.bootclusterName, clusterCounts: plan.dimensions.map(\.levelCount))
    }

    /// The test and interval of term m from its bootstrap distribution.
    static func termOutcome(_ model: SensitivityModel, _ plan: BootstrapPlan, kernel: WildTermKernel,
                            distribution: BootstrapDistribution, term m: Int) throws(ModelError) -> TermOutcome {
        let estimate = model.fit.coefficients[m].estimate
        let se = kernel.variance > 0 ? kernel.variance.squareRoot() : .nan
        let delta = estimate - plan.nullValue
        var out = TermOutcome(term: model.fit.coefficients[m].term, estimate: estimate,
                              intervalMethod: plan.imposeNull ? "testInversion" : "percentileT")
        out.reasons["stdError"] = "the wild bootstrap tests the null without a bootstrap standard error; see tStatistic"
        out.statistic = delta / se
        let test = plan.imposeNull ? distribution.pValue(observed: out.statistic, delta: delta)
                                   : BootstrapPValue(observed: out.statistic, statistics: distribution.statistics(delta: 0))
        out.pValue = test.value
        out.failures = test.failureReasons("the replicate's cluster-robust variance is not positive or not finite")
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
