import PropertyBased
import SteppeData
import SteppeModels
import Testing

/// Property: OLS with a factor's dummies, `y ~ x… + C(a)` (and `+ C(b)`), gives the same
/// coefficients and standard errors of x… as OLS with the factor absorbed,
/// `y ~ x… | a` (and `+ b`) — Frisch–Waugh–Lovell.
///
/// Generated: `RegressionDraft`s, 1–3 regressors, one or two factors of 1–8 levels
/// (so one-level factors, singletons, and two-way designs that are not connected), at
/// least levels + regressors + 3 rows and at most 80. Standard errors compared: iid, with
/// and without singletons kept (a singleton's dummy fits it exactly, so dropping it
/// changes neither the estimates nor, with the degree of freedom it took, σ̂), and HC1
/// with singletons kept (dropping them changes HC1's n/(n − K), as in reghdfe: not comparable).
///
/// Standard errors are compared only when the two factors' levels form one connected
/// design: Steppe's K, as fixest's, is slopes + levels of a and b − 1, so a design that
/// falls apart into pieces has one more dummy dropped as collinear than K accounts for.
///
/// Tolerance: |Δβ| ≤ 1e−8·(|β| + se), and standard errors to 1e−8 relative.
@Suite("Property: dummies equal absorption")
struct PropertyDummiesTests {
    static let draft = zip(Gen.int(in: 4...80), Gen.int(in: 1...8), Gen.int(in: 1...8), Gen.int(in: 1...3),
                           Gen.bool, Gen.uint64(in: 0...UInt64.max))
        .map { rows, la, lb, k, twoWay, seed in
            (RegressionDraft(rows: min(80, max(rows, la + (twoWay ? lb : 0) + k + 3)), levelsA: la, levelsB: twoWay ? lb : 1,
                             regressors: k, seed: seed), twoWay)
        }

    static let covariances: [CovarianceType] = [.iid, .heteroskedastic(.hc1)]

    /// Whether the bipartite graph of the levels of a and b (an edge per row) is connected.
    static func connected(_ table: Table) -> Bool {
        guard let a = table["a"], let b = table["b"], table.rowCount > 0 else { return true }
        var parent: [String: String] = [:]
        func root(_ x: String) -> String { var r = x; while let p = parent[r], p != r { r = p }; return r }
        for i in 0..<table.rowCount {
            let u = "a" + a.text(at: i), v = "b" + b.text(at: i)
            if parent[u] == nil { parent[u] = u }
            if parent[v] == nil { parent[v] = v }
            parent[root(u)] = root(v)
        }
        let roots = Set(parent.keys.map(root))
        return roots.count == 1
    }

    /// The largest difference (relative to its tolerance) between the two fits' x
    /// coefficients and standard errors, for each covariance and singleton setting.
    static func difference(_ draft: RegressionDraft, twoWay: Bool) throws -> (Double, String) {
        let table = draft.table()
        let x = draft.regressorTerms
        let dummies = "y ~ \(x) + C(a)" + (twoWay ? " + C(b)" : "")
        let absorbed = "y ~ \(x) | a" + (twoWay ? " + b" : "")
        var worst = (0.0, "")
        for covariance in covariances {
            for dropSingletons in [true, false] where covariance == .iid || !dropSingletons {
                let options = EstimationOptions(covariance: covariance, dropSingletons: dropSingletons)
                let d = try Estimator.fit(table, formula: dummies, model: .ols, options: options)
                let f = try Estimator.fit(table, formula: absorbed, model: .ols, options: options)
                // K counts a + b levels less one (fixest's convention), not the extra
                // redundancy of a two-way design that falls apart: SEs comparable only when connected.
                let comparable = !twoWay || connected(table)
                for k in 1...draft.regressors {
                    guard let cd = d.coefficient("x\(k)"), let cf = f.coefficient("x\(k)") else {
                        if (d.coefficient("x\(k)") == nil) != (f.coefficient("x\(k)") == nil) { return (.infinity, "x\(k) estimated in one fit only") }
                        continue
                    }
                    let db = abs(cd.estimate - cf.estimate) / (1e-8 * (abs(cd.estimate) + cd.standardError))
                    let dse = cd.standardError == cf.standardError || !comparable ? 0
                        : abs(cd.standardError - cf.standardError) / (1e-8 * cd.standardError)
                    let label = "x\(k) \(covariance) dropSingletons \(dropSingletons): β \(cd.estimate) vs \(cf.estimate), se \(cd.standardError) vs \(cf.standardError)"
                    if db > worst.0 { worst = (db, label) }
                    if dse > worst.0 || dse.isNaN { worst = (dse.isNaN ? .infinity : dse, label) }
                }
            }
        }
        return worst
    }

    @Test("OLS with dummies equals OLS with the factor absorbed (150 data sets)")
    func dummiesEqualAbsorption() async {
        await propertyCheck(count: 150, input: Self.draft) { input in
            let (draft, twoWay) = input
            let (error, label) = try Self.difference(draft, twoWay: twoWay)
            #expect(error <= 1, "\(error)× the tolerance: \(label)")
        }
    }
}
