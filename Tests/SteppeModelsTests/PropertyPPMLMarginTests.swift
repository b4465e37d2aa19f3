import Foundation
import PropertyBased
import SteppeData
import SteppeModels
import SteppeNumerics
import Testing

/// Property: PPML with origin and destination fixed effects reproduces the margins of
/// any positive flow matrix — every row sum and every column sum of the fitted flows
/// equals the observed one (the first-order conditions of the fixed effects), whatever
/// else the model holds.
///
/// Generated: R × C matrices, R and C in 2–8, diagonal included, flows positive and
/// at least one residual degree of freedom, spread over up to eight orders of magnitude (log-normal, σ up to 3, times a scale of
/// 1 to 1e6; smaller scales are checked by `smallFlowsDoNotConverge`), with 0–2 regressors (a log distance and noise). Values from
/// `SeededRandom` seeded by a generated integer.
///
/// Tolerance: IRLS stops when the deviance changes by less than 1e−8 relative; each
/// margin is checked to 1e−4 of itself, or of 0.1% of the total flow when it is smaller.
/// The deviance criterion bounds the fit as a whole, about √1e−8 = 1e−4 in the margins:
/// at 1e−5, tiny margins of σ ≈ 2.4 flows on 2 × 8 designs with two regressors missed, and
/// two draws in some thousands with dummies missed by 1.02× and 1.33× (one under ASan in
/// CI's conditions). The defects the property found put margins 2% to 30% off, 200 times
/// this tolerance and more. Asserted on the model with dummies,
/// `flow ~ … + C(o) + C(d)`; the same model with both effects absorbed, `| o + d`, is
/// checked too, and a miss there is a warning with its seed. The absorbed fit used to miss
/// on about one matrix in 350 (a search of 3,500 drafts: 10 or more), mostly because the
/// absorber's test against 1e-10·max|z| let it stop far from the solution when a fitted
/// flow near 0 made one working response huge (`smallFlowsDoNotConverge`); with its
/// level-by-level test, 2 of the 3,500 miss. Both have σ ≈ 2.8 (flows over ten orders of
/// magnitude) and fail with dummies too: IRLS overshoots (the deviance rises seventyfold
/// in one step, which only a non-finite deviance halves) — `extremeSpreads`, a known issue.
@Suite("Property: PPML margins")
struct PropertyPPMLMarginTests {
    struct Draft: Sendable, CustomStringConvertible {
        var origins: Int, destinations: Int, regressors: Int, spread: Double, scaleExponent: Int, seed: UInt64
        var description: String {
            "\(origins)×\(destinations), regressors \(regressors), σ \(spread), scale 1e\(scaleExponent), seed \(seed)"
        }

        func table() -> Table {
            var g = SeededRandom(seed: seed)
            var o: [String] = [], d: [String] = [], flow: [Double] = [], dist: [Double] = [], noise: [Double] = []
            let scale = pow(10, Double(scaleExponent))
            for i in 0..<origins {
                for j in 0..<destinations {
                    o.append("o\(i)"); d.append("d\(j)")
                    dist.append(log(1 + Double(abs(i - j)) + g.nextUniform()))
                    noise.append(g.nextNormal())
                    flow.append(scale * exp(spread * g.nextNormal()))
                }
            }
            var columns: [Column] = [.numeric("flow", flow), .text("o", o), .text("d", d)]
            if regressors >= 1 { columns.append(.numeric("logdist", dist)) }
            if regressors >= 2 { columns.append(.numeric("noise", noise)) }
            return try! Table(columns: columns)
        }

        var formula: String {
            let terms = ["logdist", "noise"].prefix(regressors)
            return "flow ~ " + (terms.isEmpty ? "0" : terms.joined(separator: " + ")) + " | o + d"
        }
    }

    static let draft = zip(Gen.int(in: 2...8), Gen.int(in: 2...8), Gen.int(in: 0...2), Gen.double(in: 0...3),
                           Gen.int(in: 0...6), Gen.uint64(in: 0...UInt64.max))
        .map { Draft(origins: $0, destinations: $1, regressors: $2, spread: $3, scaleExponent: $4, seed: $5) }
        // At least one residual degree of freedom: saturated designs are `saturatedConverges`.
        .filter { $0.origins * $0.destinations > $0.origins + $0.destinations - 1 + $0.regressors }

    /// The largest margin error relative to its tolerance (≤ 1 passes), and whether IRLS converged.
    static func marginError(_ draft: Draft, dummies: Bool = false) throws -> (Double, converged: Bool) {
        let table = draft.table()
        let formula = dummies ? draft.formula.replacingOccurrences(of: " | o + d", with: " + C(o) + C(d)") : draft.formula
        let fit = try Estimator.fit(table, formula: formula, model: .ppml)
        let o = try table.column("o"), d = try table.column("d")
        let flow = try table.column("flow").numbers!
        var observed = [String: Double](), fitted = [String: Double]()
        for (k, row) in fit.sample.enumerated() {
            for key in ["o" + o.text(at: row), "d" + d.text(at: row)] {
                observed[key, default: 0] += flow[row]
                fitted[key, default: 0] += fit.fittedValues[k]
            }
        }
        let total = fit.sample.reduce(0) { $0 + flow[$1] }
        let error = observed.keys.map { key in
            abs(fitted[key]! - observed[key]!) / (1e-4 * max(observed[key]!, 1e-3 * total))
        }.max() ?? 0
        return (error, fit.report.converged)
    }

    @Test("row and column sums of the fitted flows equal the observed ones (100 matrices)")
    func marginsReproduced() async {
        await propertyCheck(count: 100, input: Self.draft) { draft in
            let (error, converged) = try Self.marginError(draft, dummies: true)
            #expect(converged)
            #expect(error <= 1, "margins off by \(error)× the tolerance")
            let absorbed = try Self.marginError(draft)
            if !absorbed.converged || absorbed.0 > 1 {
                Issue.record("absorbed: converged \(absorbed.converged), margins off by \(absorbed.0)× the tolerance (known issue: IRLS without step control on extreme spreads)",
                             severity: .warning)
            }
        }
    }

    /// Two counterexamples the property found, both from IRLS's deviance criterion
    /// |ΔD|/(0.1 + |D|): the Poisson deviance scales with the flows, so for flows well below
    /// 1 the 0.1 made it an absolute test, passed before the margins were right (flows of
    /// about 1e−3: the absorbed fit's margins 30% off; a 4 × 3 matrix at 1e−2: 58
    /// iterations at scale 1 and no convergence in 100 at 1e−2, margins 6% off). Fixed by
    /// the floor 0.1·min(1, ȳ) (`GLMFit.devianceFloor`) for the dummies and the 4 × 3
    /// matrix. The absorbed fit of the 1e−3 flows still cycled for 100 iterations between
    /// deviances of 0.092 and 0.107 (the dummies' fit: 0.0915 in 12): a fitted flow of about
    /// 1e-20 where y > 0 made the working response 1e19, and the absorber's test, 1e-10
    /// times that, stopped the heavy groups far from their means. Fixed by its level-by-level
    /// test, W_l·|Δα_l| ≤ 1e-10·(Σ_{i∈l} wᵢ|zᵢ| + W_l·m).
    @Test("regression: PPML converges on flows of about 1e-3, with dummies and absorbed")
    func smallFlowsDoNotConverge() throws {
        let draft = Draft(origins: 3, destinations: 4, regressors: 1, spread: 1.9310847467158399, scaleExponent: -3,
                          seed: 7790618227569245384)
        var unit = draft
        unit.scaleExponent = 0
        #expect(try Self.marginError(unit, dummies: true).converged)
        let (error, converged) = try Self.marginError(draft, dummies: true)
        #expect(converged && error <= 1, "margins off by \(error)× the tolerance")
        let absorbed = try Self.marginError(draft)
        #expect(absorbed.converged && absorbed.0 <= 1, "absorbed: margins off by \(absorbed.0)× the tolerance")
    }

    /// The two drafts of 3,500 on which the absorbed fit still misses (see the type's comment):
    /// the dummies' IRLS stops on a non-finite deviance or diverges, and the absorbed fit
    /// ends 3e5 times the tolerance off (the first) or diverges (the second).
    @Test("known issue: PPML on flows spread over ten orders of magnitude (σ ≈ 2.8)")
    func extremeSpreads() {
        let drafts = [Draft(origins: 7, destinations: 2, regressors: 1, spread: 2.8479986289968733, scaleExponent: 4, seed: 1706802194340),
                      Draft(origins: 2, destinations: 6, regressors: 2, spread: 2.8171673585547925, scaleExponent: 6, seed: 10530146663904)]
        for draft in drafts {
            withKnownIssue("IRLS halves its step only on a non-finite deviance, not on a rising one") {
                let (error, converged) = try Self.marginError(draft)
                #expect(converged && error <= 1, "\(draft): margins off by \(error)× the tolerance")
            }
        }
    }

    /// A fourth: a saturated 2 × 2 design (two regressors, one of them collinear) does not
    /// converge with dummies, though its fit is the data.
    @Test("regression: PPML converges on a saturated 2 × 2 design (known issue)")
    func saturatedConverges() throws {
        let draft = Draft(origins: 2, destinations: 2, regressors: 2, spread: 1.5471285736117748, scaleExponent: 5, seed: 0)
        // Intermittent: whether the dummies' IRLS converges here depends on the BLAS kernel's
        // rounding (it does with OpenBLAS's Prescott kernel, not with Zen's or SkylakeX's).
        withKnownIssue("IRLS does not converge on a saturated 2 × 2 design", isIntermittent: true) {
            let (error, converged) = try Self.marginError(draft, dummies: true)
            #expect(converged && error <= 1, "margins off by \(error)× the tolerance")
        }
    }

    @Test("regression: PPML with two absorbed fixed effects converges on a 4 × 3 matrix of small flows")
    func smallFlowsConverge() throws {
        let draft = Draft(origins: 4, destinations: 3, regressors: 1, spread: 1.170751905226476, scaleExponent: -2,
                          seed: 10593046561174289385)
        let dummies = try Estimator.fit(draft.table(), formula: "flow ~ logdist + C(o) + C(d)", model: .ppml)
        #expect(dummies.report.converged && dummies.report.iterations <= 10)
        let (error, converged) = try Self.marginError(draft)
        #expect(converged)
        #expect(error <= 1, "margins off by \(error)× the tolerance")
    }
}
