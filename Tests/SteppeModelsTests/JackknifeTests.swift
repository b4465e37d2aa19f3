import Foundation
import SteppeData
import SteppeModels
import Testing

/// The leave-one-cluster-out jackknife against brute-force refits (statsmodels), pyfixest's
/// CRV3 and a numpy port of summclust (`Fixtures/sensitivity/jackknife_make_reference.py`).
@Suite("Jackknife: CRV3, leave-one-out estimates and cluster leverage")
struct JackknifeTests {
    static func data() throws -> Table { try Fixtures.table("sensitivity/jackknife_data.csv") }

    static func reference(_ key: String) throws -> [String: Any] {
        try Fixtures.json("sensitivity/jackknife_reference.json")[key] as! [String: Any]
    }

    /// Every number of `result` against the reference `key`: estimates and leave-one-out
    /// estimates (`estimateTolerance`), CRV3 against the brute force and against pyfixest
    /// and summclust where present (`seTolerance`), leverages (1e-10).
    func compare(_ result: JackknifeResult, _ key: String, estimateTolerance: Double = 1e-10,
                 seTolerance: Double = 1e-10, pyfixestTolerance: Double = 1e-10) throws {
        let r = try Self.reference(key)
        let clusters = r["clusters"] as! [String]
        let loo = r["leaveOneOut"] as! [[Double]]
        #expect(result.clusters == clusters.count)
        #expect(result.failed.isEmpty)
        #expect(result.clusterLeverage.map(\.cluster) == clusters)
        for (j, term) in result.terms.enumerated() {
            #expect(relativeDifference(term.estimate, (r["estimates"] as! [Double])[j]) < estimateTolerance, "\(key) \(term.term)")
            #expect(term.leaveOneOut.map(\.cluster) == clusters)
            for (g, entry) in term.leaveOneOut.enumerated() {
                #expect(relativeDifference(entry.estimate, loo[g][j]) < estimateTolerance,
                        "\(key) \(term.term) without \(entry.cluster): \(entry.estimate) vs \(loo[g][j])")
                let partial = (r["partialLeverage"] as! [[Double]])[j][g]
                #expect(relativeDifference(entry.partialLeverage, partial) < 1e-10, "\(key) partial leverage \(term.term) \(entry.cluster)")
            }
            let se = try #require(term.crv3StdError)
            #expect(relativeDifference(se, (r["crv3"] as! [Double])[j]) < seTolerance, "\(key) CRV3 \(term.term): \(se)")
            for (name, tolerance) in [("crv3Pyfixest", pyfixestTolerance), ("crv3Summclust", 1e-10)] {
                if let other = r[name] as? [Double] {
                    #expect(relativeDifference(se, other[j]) < tolerance, "\(key) \(name) \(term.term): \(se) vs \(other[j])")
                }
            }
        }
        let leverage = r["leverage"] as! [Double]
        for (g, c) in result.clusterLeverage.enumerated() {
            #expect(relativeDifference(c.leverage, leverage[g]) < 1e-10, "\(key) leverage \(c.cluster): \(c.leverage) vs \(leverage[g])")
            if let summclust = r["leverageSummclust"] as? [Double] {
                #expect(relativeDifference(c.leverage, summclust[g]) < 1e-10)
            }
        }
        #expect(relativeDifference(result.leverage.max, leverage.max()!) < 1e-10)
        #expect(relativeDifference(result.leverage.min, leverage.min()!) < 1e-10)
        #expect(relativeDifference(result.leverage.mean, leverage.reduce(0, +) / Double(leverage.count)) < 1e-10)
    }

    @Test("OLS without fixed effects, clustered by g: the vcov's cluster is the default")
    func olsWithoutFixedEffects() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "y ~ x1 + x2", model: .ols,
                                         options: EstimationOptions(covariance: .cluster(["g"])))
        let result = try model.jackknife()
        #expect(result.clusterVariable == "g")
        try compare(result, "ols_nofe")
        // Leverages add up to k.
        #expect(abs(result.clusterLeverage.map(\.leverage).reduce(0, +) - 3) < 1e-12)
    }

    @Test("OLS with two fixed effects, leaving out g")
    func olsWithFixedEffects() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "y ~ x1 + x2 | fe1 + fe2", model: .ols)
        try compare(model.jackknife(cluster: ["g"]), "ols_fe")
    }

    @Test("OLS with the cluster as fixed effect: the first fixed effect is the default; summclust's leverage")
    func olsClusterFixedEffect() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "y ~ x1 + x2 | g", model: .ols)
        let result = try model.jackknife()
        #expect(result.clusterVariable == "g")
        try compare(result, "ols_clusterfe")
    }

    @Test("Poisson with two fixed effects against statsmodels refits and pyfixest's fepois CRV3")
    func poissonWithFixedEffects() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "count ~ x1 + x2 | fe1 + fe2", model: .poisson,
                                         options: EstimationOptions(tolerance: 1e-12))
        // pyfixest's fepois stops its IRLS at 1e-8, so it agrees to about 1e-9.
        try compare(model.jackknife(cluster: ["g"]), "poisson_fe", estimateTolerance: 1e-8, seTolerance: 1e-8,
                    pyfixestTolerance: 1e-7)
    }

    @Test("Poisson without fixed effects or clusters: leave-one-observation-out")
    func leaveOneObservationOut() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "count ~ x1 + x2", model: .poisson,
                                         options: EstimationOptions(tolerance: 1e-12))
        let result = try model.jackknife(top: 3)
        #expect(result.clusterVariable == "observation")
        #expect(result.clusters == 60)
        try compare(result, "poisson_observations", estimateTolerance: 1e-8, seTolerance: 1e-8)
        #expect(result.terms.allSatisfy { $0.mostInfluential.count == 3 })
    }

    @Test("the default analysis, leaving out each region: statsmodels refits with the offset")
    func kazakhstanByRegion() throws {
        let table = try DatasetRegistry.bundled().table("kazakhstan-push-factors")
        let formula = "departures ~ log(income_2020_kzt_month) + crude_birth_rate + log(dist_main_km) + C(year)"
        let model = try SensitivityModel(table: table, formula: formula, model: .ppml,
                                         options: EstimationOptions(covariance: .hetero, offset: "log(population)", tolerance: 1e-12))
        let result = try model.jackknife(cluster: ["region"])
        #expect(try result.terms.map(\.term) == Self.referenceNames())
        try compare(result, "kazakhstan", estimateTolerance: 1e-8, seTolerance: 1e-8)
        // The most influential region of each term is the one with the largest |change|.
        for term in result.terms {
            let largest = term.leaveOneOut.max { abs($0.estimate - term.estimate) < abs($1.estimate - term.estimate) }!
            #expect(term.mostInfluential.first?.cluster == largest.cluster)
            #expect(term.mostInfluential.count == 5)
        }
    }

    static func referenceNames() throws -> [String] { try reference("kazakhstan")["names"] as! [String] }

    @Test("--term restricts the terms; the result does not depend on the run (refits in cluster order)")
    func termsAndDeterminism() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "count ~ x1 + x2 | fe1 + fe2", model: .ppml)
        let a = try model.jackknife(cluster: ["g"], terms: ["x2"])
        let b = try model.jackknife(cluster: ["g"], terms: ["x2"])
        #expect(a == b)
        #expect(a.terms.map(\.term) == ["x2"])
        let all = try model.jackknife(cluster: ["g"])
        #expect(all.terms[1] == a.terms[0])
    }

    @Test("interacted clusters g^fe1 are left out one combination at a time")
    func interactedClusters() throws {
        let table = try Self.data()
        let model = try SensitivityModel(table: table, formula: "y ~ x1 + x2", model: .ols)
        let result = try model.jackknife(cluster: ["g", "fe1"])
        #expect(result.clusterVariable == "g^fe1")
        let pairs = Set((0..<table.rowCount).map { table["g"]!.text(at: $0) + "_" + table["fe1"]!.text(at: $0) })
        #expect(result.clusters == pairs.count)
        #expect(result.clusterLeverage.map(\.observations).reduce(0, +) == table.rowCount)
    }

    @Test("a cluster whose removal makes a term inestimable is reported, and CRV3 is not computed")
    func failedRefit() throws {
        let table = try Self.data()
        let g = table["g"]!
        let only = (0..<table.rowCount).map { g.text(at: $0) == "c1" ? 1.0 + Double($0 % 2) : 0.0 }
        let model = try SensitivityModel(table: table.adding(.numeric("only_c1", only)), formula: "y ~ x1 + only_c1", model: .ols)
        let result = try model.jackknife(cluster: ["g"])
        #expect(result.failed.map(\.cluster) == ["c1"])
        #expect(result.failed[0].reason.contains("only_c1"))
        #expect(result.terms.allSatisfy { $0.crv3StdError == nil && $0.leaveOneOut.count == 7 })
        #expect(result.crv3Covariance == nil)
    }

    @Test("bad input is a one-line error that says what to do")
    func errors() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "y ~ x1 + x2", model: .ols)
        #expect(throws: ModelError.invalidOption("the cluster variable 'nope' is not a column of the data; its columns are id, g, fe1, fe2, x1, x2, y, count")) {
            try model.jackknife(cluster: ["nope"])
        }
        #expect(throws: ModelError.invalidOption("the model has no term 'x3'; its terms are (Intercept), x1, x2")) {
            try model.jackknife(terms: ["x3"])
        }
        let one = try SensitivityModel(table: Self.data().adding(.text("all", [String?](repeating: "same", count: 60))),
                                       formula: "y ~ x1", model: .ols)
        #expect(throws: ModelError.invalidOption("the jackknife needs at least two clusters, and all has 1 in the estimation sample; leave out a variable with more groups")) {
            try one.jackknife(cluster: ["all"])
        }
        #expect(throws: ModelError.self) { try model.jackknife(top: -1) }
    }
}
