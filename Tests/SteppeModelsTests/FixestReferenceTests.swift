import Foundation
import SteppeData
import SteppeModels
import Testing

/// Small-sample factors as fixest applies them, checked against pyfixest 0.60
/// (`Fixtures/pyfixest/make_reference.py`), which reproduces fixest's rules.
@Suite("fixest's small-sample rules (pyfixest)")
struct FixestReferenceTests {
    static func reference(_ key: String) throws -> [String: Any] {
        try Fixtures.json("pyfixest/reference.json")[key] as! [String: Any]
    }

    func compare(_ fit: FitResult, _ key: String, names: [String: String], seTolerance: Double = 1e-7) throws {
        let r = try Self.reference(key)
        let coefficients = r["coefficients"] as! [String: Double]
        let ses = r["standardErrors"] as! [String: Double]
        for (py, ours) in names {
            let b = try #require(fit.coefficient(ours))
            #expect(relativeDifference(b.estimate, coefficients[py]!) < 1e-8, "\(key) \(ours): \(b.estimate) vs \(coefficients[py]!)")
            #expect(relativeDifference(b.standardError, ses[py]!) < seTolerance, "\(key) \(ours) SE: \(b.standardError) vs \(ses[py]!)")
        }
        #expect(fit.statistics.observations == r["nobs"] as! Int)
        if let within = r["withinRSquared"] as? Double, within.isFinite {
            #expect(relativeDifference(fit.statistics.withinRSquared!, within) < 1e-9)
            #expect(relativeDifference(fit.statistics.rSquared!, r["rSquared"] as! Double) < 1e-9)
        }
    }

    static func trade() throws -> Table {
        try Fixtures.table("gravity/trade.csv", options: CSVOptions(columnKinds: ["product": .text, "year": .text]))
    }

    @Test("OLS with four fixed effects: iid, hetero, one- and two-way clusters")
    func tradeOLS() throws {
        let table = try Self.trade()
        let formula = "log(euros) ~ log(dist_km) | origin + destination + product + year"
        for (key, vcov) in [("iid", CovarianceType.iid), ("hetero", .hetero), ("cluster_origin", .cluster(["origin"])),
                            ("cluster_origin_destination", .cluster(["origin", "destination"]))] {
            var options = EstimationOptions()
            options.covariance = vcov
            let fit = try Estimator.fit(table, formula: formula, model: .ols, options: options)
            try compare(fit, "trade_ols_" + key, names: ["np.log(dist_km)": "log(dist_km)"])
        }
    }

    @Test("Poisson with four fixed effects: iid and hetero")
    func tradePPML() throws {
        let table = try Self.trade()
        for (key, vcov) in [("iid", CovarianceType.iid), ("hetero", .hetero)] {
            var options = EstimationOptions()
            options.covariance = vcov
            let fit = try Estimator.fit(table, formula: "euros ~ log(dist_km) | origin + destination + product + year",
                                        model: .ppml, options: options)
            try compare(fit, "trade_ppml_" + key, names: ["np.log(dist_km)": "log(dist_km)"], seTolerance: 1e-6)
        }
    }

    @Test("OLS with chick fixed effects: within R², iid, hetero, clustered")
    func chickOLS() throws {
        let table = try Fixtures.table("r/chickweight.csv", options: CSVOptions(columnKinds: ["Chick": .text, "Diet": .text]))
        for (key, vcov) in [("iid", CovarianceType.iid), ("hetero", .hetero), ("cluster_chick", .cluster(["Chick"]))] {
            var options = EstimationOptions()
            options.covariance = vcov
            let fit = try Estimator.fit(table, formula: "weight ~ Time + I(Time^2) | Chick", model: .ols, options: options)
            try compare(fit, "chick_ols_fe_" + key, names: ["Time": "Time", "I(Time ** 2)": "I(Time^2)"])
            if case .cluster = vcov {
                #expect(fit.degreesOfFreedom == 49, "t tests on G − 1")
            } else {
                #expect(fit.degreesOfFreedom == Double(578 - 2 - 50))
            }
        }
    }
}
