import Foundation
import SteppeData
@testable import SteppeModels
import SteppeNumerics
import Testing

/// The wild, score, pairs and cluster bootstraps against wildboottest 0.3.2 and numpy
/// references (Fixtures/sensitivity/bootstrap_make_reference.py, which documents each).
@Suite("Bootstrap")
struct BootstrapTests {
    static func data() throws -> Table { try Fixtures.table("sensitivity/bootstrap_data.csv") }

    static func cases() throws -> [String: [String: Any]] {
        let all = try Fixtures.json("sensitivity/bootstrap_reference.json")["cases"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: all.map { ($0["name"] as! String, $0) })
    }

    /// The model of a reference case, clustered by its cluster variable.
    static func model(_ c: [String: Any], weighted: Bool = false) throws -> SensitivityModel {
        let kind: ModelKind = c["model"] as! String == "ols" ? .ols : .ppml
        var options = EstimationOptions(covariance: (c["cluster"] as? String).map { .cluster([$0]) })
        if weighted { options.weights = "w" }
        return try SensitivityModel(table: data(), formula: c["formula"] as! String, model: kind, options: options)
    }

    static func options(_ c: [String: Any]) -> BootstrapOptions {
        BootstrapOptions(type: BootstrapType(rawValue: c["type"] as! String), replicates: c["B"] as? Int,
                         cluster: [c["cluster"] as! String], terms: [c["term"] as! String],
                         nullValue: c["null"] as? Double ?? 0, weights: BootstrapWeights(rawValue: c["weights"] as! String)!,
                         imposeNull: c["imposeNull"] as! Bool, seed: UInt64(c["seed"] as? Int ?? 1))
    }

    /// t to `tolerance` (relative, after `tScale`), every sorted t* to `tolerance`, the count
    /// of |t*| ≥ |t| exactly, and p·reps an integer equal to it.
    static func checkAgainstReference(_ name: String, tolerance: Double, tScale: Double = 1) throws {
        let c = try cases()[name]!
        let model = try model(c, weighted: c["weighted"] as? Bool ?? false)
        let result = try model.bootstrap(options(c))
        let term = result.terms[0]
        let reps = c["reps"] as! Int
        #expect(result.replicates == reps && term.replicates == reps)
        #expect(result.enumerated == (c["enumerated"] as! Bool) && term.enumerated == result.enumerated)
        #expect(relativeDifference(term.tStatistic * tScale, c["t"] as! Double) < tolerance, "\(name) t \(term.tStatistic)")
        let count = c["countAtLeast"] as! Int
        #expect(term.failed == 0)
        #expect(term.pValue * Double(reps) == Double(count), "\(name): p \(term.pValue) × \(reps) vs \(count)")
        #expect((term.pValue * Double(reps)).rounded() == term.pValue * Double(reps))
        let ours = try model.bootstrapReplicateStatistics(options(c))[0].map { $0 * tScale }.sorted()
        let theirs = c["tstarSorted"] as! [Double]
        #expect(ours.count == theirs.count)
        let worst = zip(ours, theirs).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
        #expect(worst < tolerance, "\(name): largest t* difference \(worst)")
        if let strict = c["countGreaterWildboottest"] as? Int {
            // wildboottest counts |t*| > |t|; the difference is exactly our ties (the ±1 draws under WCR).
            let tieCount = ours.filter { abs(abs($0) - abs(term.tStatistic * tScale)) <= 1e-9 * abs(term.tStatistic) }.count
            #expect(count - strict == tieCount, "\(name): \(count) − \(strict) vs \(tieCount) ties")
            #expect(result.terms[0].imposedNull ? tieCount == 2 : tieCount == 0)
        }
    }

    @Test("wild cluster bootstrap of OLS without fixed effects equals wildboottest under full enumeration (WCR, WCU, a null other than 0)")
    func wildWithoutFixedEffects() throws {
        for name in ["ols_wcr_x1", "ols_wcr_x2_null", "ols_wcu_x3"] { try Self.checkAgainstReference(name, tolerance: 1e-10) }
    }

    @Test("wild cluster bootstrap of OLS with a fixed effect not nested in the clusters equals wildboottest with dummies")
    func wildWithFixedEffects() throws {
        for name in ["ols_fe_wcr_x2", "ols_fe_wcu_x1"] { try Self.checkAgainstReference(name, tolerance: 1e-10) }
    }

    @Test("with a fixed effect nested in the clusters, p-values and t* equal wildboottest's once its K (the dummies) is replaced by fixest's")
    func wildWithNestedFixedEffects() throws {
        let c = try Self.cases()["ols_nestedfe_wcr_x1"]!
        // fixest does not count the nested fixed effect's levels: K = 2 slopes + 1; G = 10, n = 500.
        let ours = 10.0 / 9 * 499 / (500 - 3)
        try Self.checkAgainstReference("ols_nestedfe_wcr_x1", tolerance: 1e-10, tScale: (ours / (c["ssc"] as! Double)).squareRoot())
    }

    @Test("Webb and Mammen draws, and weighted least squares, equal brute-force refits of Steppe's own draws")
    func wildAgainstBruteForce() throws {
        for name in ["ols_fe_webb_brute", "ols_fe_mammen_wcu_brute", "wls_fe_wcr_brute"] {
            try Self.checkAgainstReference(name, tolerance: 1e-9)
        }
    }

    @Test("random Rademacher and Webb draws give p-values within sampling error of wildboottest's")
    func wildRandomDraws() throws {
        for name in ["ols_random_rademacher", "ols_random_webb"] {
            let c = try Self.cases()[name]!
            let result = try Self.model(c).bootstrap(Self.options(c))
            let p = result.terms[0].pValue, theirs = c["pWildboottest"] as! Double
            #expect(!result.enumerated && result.replicates == 9_999)
            // Two independent sets of 9,999 draws: the difference has sd ≈ √(2p(1−p)/B) ≈ 0.007.
            #expect(abs(p - theirs) < 0.03, "\(name): \(p) vs \(theirs)")
            #expect(relativeDifference(result.terms[0].tStatistic, c["t"] as! Double) < 1e-10)
        }
    }

    @Test("score bootstrap of PPML with a fixed effect equals boottest's definition computed with dummies (numpy)")
    func scoreBootstrap() throws {
        for name in ["ppml_fe_score_wcr_x1", "ppml_fe_score_wcr_x2_null", "ppml_fe_score_wcu_x1", "ppml_fe_score_webb_x2"] {
            try Self.checkAgainstReference(name, tolerance: 1e-7)
        }
    }

    @Test("pairs (OLS with fixed effects) and cluster (PPML) bootstraps equal numpy refits of the same resamples")
    func resampling() throws {
        for name in ["pairs_ols_fe", "cluster_ppml"] {
            let c = try Self.cases()[name]!
            let model = try Self.model(c)
            let options = BootstrapOptions(type: BootstrapType(rawValue: c["type"] as! String), replicates: c["B"] as? Int,
                                           cluster: (c["cluster"] as? String).map { [$0] }, seed: UInt64(c["seed"] as! Int))
            let result = try model.bootstrap(options)
            for expected in c["terms"] as! [[String: Any]] {
                let term = try #require(result.terms.first { $0.term == expected["term"] as! String })
                #expect(term.failed == 0)
                #expect(relativeDifference(term.standardError, expected["stdError"] as! Double) < 1e-8, "\(name) \(term.term)")
                #expect(relativeDifference(term.confidenceLow, expected["confLow"] as! Double) < 1e-8)
                #expect(relativeDifference(term.confidenceHigh, expected["confHigh"] as! Double) < 1e-8)
                #expect(relativeDifference(term.tStatistic, term.estimate / term.standardError) < 1e-14)
            }
        }
    }

    @Test("the WCR interval is the set of nulls not rejected: p crosses 1 − level at its ends")
    func intervalByInversion() throws {
        let c = try Self.cases()["ols_fe_wcr_x2"]!
        let model = try Self.model(c)
        var options = Self.options(c)
        let term = try model.bootstrap(options).terms[0]
        #expect(term.intervalMethod == "testInversion")
        #expect(term.confidenceLow < term.estimate && term.estimate < term.confidenceHigh)
        let width = term.confidenceHigh - term.confidenceLow
        for (end, outward) in [(term.confidenceLow, -1.0), (term.confidenceHigh, 1.0)] {
            options.nullValue = end - outward * 1e-6 * width
            #expect(try model.bootstrap(options).terms[0].pValue >= 0.05)
            options.nullValue = end + outward * 1e-6 * width
            #expect(try model.bootstrap(options).terms[0].pValue < 0.05)
        }
        // The null-imposed score bootstrap's interval, one refit per null, has the same property.
        let s = try Self.cases()["ppml_fe_score_wcr_x1"]!
        let ppml = try Self.model(s)
        var scoreOptions = Self.options(s)
        scoreOptions.replicates = 199
        scoreOptions.cluster = ["cl20"]
        scoreOptions.weights = .webb
        let scored = try ppml.bootstrap(scoreOptions).terms[0]
        let scoreWidth = scored.confidenceHigh - scored.confidenceLow
        scoreOptions.nullValue = scored.confidenceHigh - 1e-3 * scoreWidth
        #expect(try ppml.bootstrap(scoreOptions).terms[0].pValue >= 0.05)
        scoreOptions.nullValue = scored.confidenceHigh + 1e-3 * scoreWidth
        #expect(try ppml.bootstrap(scoreOptions).terms[0].pValue < 0.05)
    }

    @Test("full enumeration exactly when 2^G ≤ B: 1024 draws for G = 10 and B = 1024, random draws for B = 1023")
    func enumerationBoundary() throws {
        let c = try Self.cases()["ols_wcr_x1"]!
        let model = try Self.model(c)
        var options = Self.options(c)
        options.replicates = 1024
        let enumerated = try model.bootstrap(options)
        #expect(enumerated.enumerated && enumerated.replicates == 1024)
        options.seed = 99
        #expect(try model.bootstrap(options).terms == enumerated.terms)   // enumeration does not depend on the seed
        options.replicates = 1023
        let random = try model.bootstrap(options)
        #expect(!random.enumerated && random.replicates == 1023)
        options.weights = .webb
        options.replicates = 4096
        #expect(try !model.bootstrap(options).enumerated)      // only Rademacher weights are enumerated
    }

    @Test("same seed, same bits: replicates do not depend on how they are grouped or scheduled")
    func determinism() throws {
        let c = try Self.cases()["ols_random_webb"]!
        let model = try Self.model(c)
        var options = Self.options(c)
        options.terms = nil
        options.replicates = 999
        let a = try model.bootstrap(options), b = try model.bootstrap(options)
        #expect(a == b)
        options.seed = 8
        #expect(try model.bootstrap(options) != a)
        // One thread (blocks run in turn on the calling thread) against all cores: the same bits.
        let plan = try BootstrapPlan(model, BootstrapOptions(replicates: 999, cluster: ["cl20"], weights: .webb, seed: 7))
        let setup = try WildBootstrap.setup(model, plan)
        let kernel = try WildTermKernel(setup.design, structure: setup.structure, term: 2)
        let one = kernel.distribution(setup.draws, imposeNull: true, serial: true)
        let many = kernel.distribution(setup.draws, imposeNull: true, serial: false)
        #expect(one.n0 == many.n0 && one.n1 == many.n1 && one.q0 == many.q0 && one.q1 == many.q1 && one.q2 == many.q2)
        let pairs = BootstrapOptions(type: .pairs, replicates: 99, seed: 3)
        #expect(try model.bootstrap(pairs) == model.bootstrap(pairs))
    }

    @Test("replicates that fail are counted with their reason and left out")
    func failedReplicates() throws {
        var g = SeededRandom(seed: 5)
        let n = 40
        let rare = (0..<n).map { $0 < 2 ? 1.0 : 0.0 }
        let x = (0..<n).map { _ in g.nextNormal() }
        let y = (0..<n).map { x[$0] + g.nextNormal() }
        let table = try Table(columns: [.numeric("y", y), .numeric("x", x), .numeric("rare", rare)])
        let model = try SensitivityModel(table: table, formula: "y ~ x + rare", model: .ols)
        let result = try model.bootstrap(BootstrapOptions(type: .pairs, replicates: 199, seed: 2))
        let rareTerm = try #require(result.terms.first { $0.term == "rare" })
        let xTerm = try #require(result.terms.first { $0.term == "x" })
        // A resample without either of the two rows where rare = 1 cannot estimate it: P = (38/40)^40 ≈ 13%.
        #expect(rareTerm.failed > 5 && rareTerm.failed < 60)
        #expect(rareTerm.failures.allSatisfy { $0.reason.contains("not estimable") })
        #expect(xTerm.failed == 0 && xTerm.standardError.isFinite)
    }

    @Test("under the null the score bootstrap's p-values are roughly uniform (40 seeded Poisson panels)")
    func scoreSize() throws {
        var g = SeededRandom(seed: 77)
        var pValues: [Double] = []
        for _ in 0..<40 {
            var rows: (y: [Double], x: [Double], fe: [String?], cl: [String?]) = ([], [], [], [])
            let effect = (0..<8).map { _ in 0.5 * g.nextNormal() }
            let shock = (0..<12).map { _ in 0.3 * g.nextNormal() }
            for i in 0..<240 {
                let f = g.nextInt(below: 8), c = i % 12
                let x = g.nextNormal() + shock[c]
                let mu = exp(0.5 + effect[f] + shock[c])
                rows.y.append(Double(Self.poisson(mu, &g))); rows.x.append(x)
                rows.fe.append("f\(f)"); rows.cl.append("c\(c)")
            }
            let table = try Table(columns: [.numeric("y", rows.y), .numeric("x", rows.x), .text("fe", rows.fe), .text("cl", rows.cl)])
            let model = try SensitivityModel(table: table, formula: "y ~ x | fe", model: .ppml)
            let result = try model.bootstrap(BootstrapOptions(replicates: 199, cluster: ["cl"], weights: .webb, seed: 1, intervals: false))
            pValues.append(result.terms[0].pValue)
        }
        let mean = pValues.reduce(0, +) / Double(pValues.count)
        let rejected = pValues.filter { $0 < 0.1 }.count
        #expect(mean > 0.35 && mean < 0.65, "mean p \(mean)")
        #expect(rejected <= 10, "\(rejected) of 40 rejected at 10%")
    }

    static func poisson(_ mu: Double, _ g: inout SeededRandom) -> Int {
        let limit = exp(-mu)
        var k = 0, p = g.nextUniform()
        while p > limit { k += 1; p *= g.nextUniform() }
        return k
    }

    @Test("bad options are one-line errors that say what to do")
    func errors() throws {
        let c = try Self.cases()["ols_wcr_x1"]!
        let ols = try Self.model(c)
        let table = try Self.data()
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        #expect(message { _ = try ols.bootstrap(BootstrapOptions(replicates: 50)) }.contains("at least 99"))
        #expect(message { _ = try ols.bootstrap(BootstrapOptions(terms: ["nope"])) }.contains("has no term 'nope'"))
        #expect(message { _ = try ols.bootstrap(BootstrapOptions(cluster: ["nope"])) }.contains("nope"))
        #expect(message { _ = try ols.bootstrap(BootstrapOptions(nullValue: .nan)) }.contains("finite"))
        let plain = try SensitivityModel(table: table, formula: "y ~ x1", model: .ols)
        #expect(message { _ = try plain.bootstrap() }.contains("needs clusters: give --cluster"))
        let twoWay = try SensitivityModel(table: table, formula: "y ~ x1", model: .ols,
                                          options: EstimationOptions(covariance: .cluster(["cl10", "fe"])))
        #expect(message { _ = try twoWay.bootstrap(BootstrapOptions(type: .score)) }.contains("wild bootstrap of OLS only"))
        #expect(message { _ = try ols.bootstrap(BootstrapOptions(clusters: [["cl10"], ["fe"], ["cl20"]])) }.contains("one or two ways"))
        let ppml = try SensitivityModel(table: table, formula: "n ~ x1 | fe", model: .ppml)
        #expect(message { _ = try ppml.bootstrap(BootstrapOptions(type: .wild)) }.contains("--type score"))
        let oneCluster = try Table(columns: [.numeric("y", [1, 2, 3, 5]), .numeric("x", [1, 2, 4, 3]), .text("g", ["a", "a", "a", "a"])])
        let single = try SensitivityModel(table: oneCluster, formula: "y ~ x", model: .ols)
        #expect(message { _ = try single.bootstrap(BootstrapOptions(cluster: ["g"])) }.contains("at least two clusters"))
    }

    @Test("defaults: wild for OLS (9,999 draws, or all 2^G), score for PPML clustered by the first fixed effect, 999 for pairs")
    func defaults() throws {
        let table = try Self.data()
        let ols = try SensitivityModel(table: table, formula: "y ~ x1 + x2 | fe", model: .ols)
        let wild = try ols.bootstrap(BootstrapOptions(terms: ["x1"]))
        #expect(wild.type == .wild && wild.replicates == 4096 && wild.enumerated)   // 2^12 ≤ 9,999
        #expect(wild.clusterVariable == "fe" && wild.clusters == 12)
        let many = try ols.bootstrap(BootstrapOptions(cluster: ["cl20"], terms: ["x1"]))
        #expect(many.replicates == 9_999 && !many.enumerated && many.clusters == 20)
        #expect(wild.weights == .rademacher && wild.terms[0].imposedNull && wild.terms[0].nullValue == 0)
        let ppml = try SensitivityModel(table: table, formula: "n ~ x1 + x2 | fe", model: .ppml)
        let score = try ppml.bootstrap(BootstrapOptions(terms: ["x2"], intervals: false))
        #expect(score.type == .score && score.replicates == 4096 && score.enumerated)   // 2^12 ≤ 9,999
        #expect(score.terms[0].confidenceLow.isNaN && score.terms[0].nullReasons["confLow"] != nil)
        let pairs = try BootstrapPlan(ols, BootstrapOptions(type: .pairs))
        #expect(pairs.replicates == 999 && pairs.clusters == nil && pairs.termIndices == [0, 1])
        let resampled = try ols.bootstrap(BootstrapOptions(type: .pairs, replicates: 99, terms: ["x1"], intervals: false))
        #expect(resampled.weights == nil && resampled.clusterVariable == nil && resampled.terms[0].weights == nil)
    }
}

/// The two-way wild cluster bootstrap against a brute-force numpy reference
/// (Fixtures/bootstrap/multiway_make_reference.py: every draw builds y* and refits OLS with
/// the fixed effects as dummies, two-way CRVE of Cameron, Gelbach & Miller, full
/// enumeration of the 2^G bootcluster sign vectors).
@Suite("Bootstrap: multiway")
struct MultiwayBootstrapTests {
    static func cases() throws -> [String: [String: Any]] {
        let all = try Fixtures.json("bootstrap/multiway_reference.json")["cases"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: all.map { ($0["name"] as! String, $0) })
    }

    static func model(_ c: [String: Any], correction: SmallSampleCorrection? = nil) throws -> SensitivityModel {
        var options = EstimationOptions(covariance: .cluster(["a", "b"]))
        options.smallSampleCorrection = correction ?? (c["smallSample"] as! String == "none" ? .none : .statsmodels)
        return try SensitivityModel(table: Fixtures.table("bootstrap/multiway_data.csv"), formula: c["formula"] as! String,
                                    model: .ols, options: options)
    }

    static func options(_ c: [String: Any]) -> BootstrapOptions {
        BootstrapOptions(type: .wild, terms: [c["term"] as! String], nullValue: c["null"] as! Double,
                         imposeNull: c["imposeNull"] as! Bool, clusters: [["a"], ["b"]],
                         bootcluster: c["bootcluster"] as! String == "a" ? .fewest : .columns(["b"]))
    }

    @Test("t, every t* in draw order and the p-value equal brute-force refits to 1e-10 (WCR, WCU, fixed effects, both factor rules, either bootcluster)")
    func againstBruteForce() throws {
        for (name, c) in try Self.cases().sorted(by: { $0.key < $1.key }) {
            let model = try Self.model(c)
            let result = try model.bootstrap(Self.options(c))
            let term = result.terms[0], reps = c["reps"] as! Int
            #expect(result.enumerated && result.replicates == reps, "\(name)")
            #expect(result.bootcluster == c["bootcluster"] as? String && result.clusterCounts == [8, 11])
            #expect(result.clusterVariable == "a+b")
            #expect(relativeDifference(term.tStatistic, c["t"] as! Double) < 1e-10, "\(name): t \(term.tStatistic)")
            let ours = try model.bootstrapReplicateStatistics(Self.options(c))[0]
            // null: a draw whose two-way variance is not positive (failed, left out).
            let theirs = (c["tstar"] as! [Any]).map { ($0 as? Double) ?? .nan }
            #expect(ours.count == theirs.count)
            #expect(zip(ours, theirs).allSatisfy { $0.isNaN == $1.isNaN }, "\(name): failed draws differ")
            let worst = zip(ours, theirs).filter { !$1.isNaN }.map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
            #expect(worst < 1e-10, "\(name): largest t* difference \(worst)")
            #expect(term.failed == c["failed"] as! Int)
            #expect(abs(term.pValue - (c["pValue"] as! Double)) < 1e-10, "\(name): p \(term.pValue)")
            guard term.failed == 0 else { continue }
            // fwildclusterboot's full-enumeration property: p·2^G is an integer.
            let scaled = term.pValue * Double(reps)
            #expect(scaled == scaled.rounded() && Int(scaled) == c["countAtLeast"] as! Int)
        }
    }

    @Test("with fixest's equal factors (the default) t and t* scale by 1/√c and the p-value is unchanged")
    func fixestFactors() throws {
        let c = try Self.cases()["twoway_wcr_x1_min"]!
        let none = try Self.model(c).bootstrap(Self.options(c)).terms[0]
        let fixest = try Self.model(c, correction: .fixest).bootstrap(Self.options(c)).terms[0]
        let n = 360.0, k = 4.0
        let factor = 8.0 / 7 * (n - 1) / (n - k)   // G_min = 8 clusters of a
        #expect(relativeDifference(fixest.tStatistic * factor.squareRoot(), none.tStatistic) < 1e-12)
        #expect(fixest.pValue == none.pValue)
        #expect(relativeDifference(fixest.confidenceLow, none.confidenceLow) < 1e-8)
    }

    @Test("the observed t uses the fit's own two-way clustered standard error (steppe fit --vcov cluster:a,b)")
    func observedMatchesFit() throws {
        for correction in [SmallSampleCorrection.fixest, .statsmodels] {
            let c = try Self.cases()["twoway_fe_wcr_x2"]!
            let model = try Self.model(c, correction: correction)
            let term = try model.bootstrap(Self.options(c)).terms[0]
            let coefficient = try #require(model.fit.coefficients.first { $0.term == "x2" })
            #expect(relativeDifference(term.tStatistic, (coefficient.estimate - 0.1) / coefficient.standardError) < 1e-10)
        }
    }

    @Test("the default bootcluster is the dimension with fewer clusters, from the covariance's two cluster variables; intersection and same bits on one thread")
    func defaultsAndDeterminism() throws {
        let c = try Self.cases()["twoway_wcr_x1_min"]!
        let model = try Self.model(c)
        let result = try model.bootstrap(BootstrapOptions(terms: ["x1"]))
        #expect(result.clusterCounts == [8, 11] && result.bootcluster == "a" && result.replicates == 256)
        let max = try model.bootstrap(BootstrapOptions(terms: ["x1"], clusters: [["a"], ["b"]], bootcluster: .intersection))
        #expect(max.bootcluster == "a∩b" && max.clusters == 72 && !max.enumerated && max.terms[0].pValue.isFinite)
        let plan = try BootstrapPlan(model, BootstrapOptions(replicates: 2_000, weights: .webb, clusters: [["b"], ["a"]]))
        let setup = try WildBootstrap.setup(model, plan)
        #expect(setup.structure.boot.levelCount == 8)
        let kernel = try WildTermKernel(setup.design, structure: setup.structure, term: 1)
        let one = kernel.distribution(setup.draws, imposeNull: true, serial: true)
        let all = kernel.distribution(setup.draws, imposeNull: true)
        #expect(one.n0 == all.n0 && one.n1 == all.n1 && one.q0 == all.q0 && one.q1 == all.q1 && one.q2 == all.q2)
        let error = { () -> String in
            do { _ = try model.bootstrap(BootstrapOptions(type: .score, clusters: [["a"], ["b"]])); return "" } catch { return "\(error)" }
        }()
        #expect(error.contains("wild bootstrap of OLS only"))
    }
}
