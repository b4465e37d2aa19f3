import Foundation
import SteppeData
import SteppeModels
import Testing

/// fixest's `trade` data: the published fepois results (fixest vignette) and R glm with dummies.
@Suite("PPML on fixest's trade data")
struct GravityReferenceTests {
    static let formula = "euros ~ log(dist_km) | origin + destination + product + year"

    static func fit(_ covariance: CovarianceType?) throws -> FitResult {
        let table = try Fixtures.table("gravity/trade.csv", options: CSVOptions(columnKinds: ["product": .text, "year": .text]))
        var options = EstimationOptions()
        options.covariance = covariance
        return try Estimator.fit(table, formula: formula, model: .ppml, options: options)
    }

    @Test("Coefficient to 1e-8 of R's dummy-variable glm; clustered SEs to 6 digits of fixest")
    func publishedNumbers() throws {
        let published = try Fixtures.json("gravity/published.json")
        let byOrigin = try Self.fit(.cluster(["origin"]))
        let b = try #require(byOrigin.coefficient("log(dist_km)"))
        #expect(relativeDifference(b.estimate, published["coefficientDummyGLM"] as! Double) < 1e-8, "\(b.estimate)")
        #expect(abs(b.standardError - (published["seClusterOrigin"] as! Double)) < 0.5e-6, "\(b.standardError)")
        #expect(byOrigin.report.converged)
        #expect(byOrigin.statistics.observations == 38325)
        let twoWay = try Self.fit(.cluster(["origin", "destination"]))
        #expect(abs(twoWay.coefficient("log(dist_km)")!.standardError - (published["seClusterOriginDestination"] as! Double)) < 0.5e-6)
        let byProduct = try Self.fit(.cluster(["product"]))
        #expect(abs(byProduct.coefficient("log(dist_km)")!.standardError - (published["seClusterProduct"] as! Double)) < 0.5e-6)
        // Default covariance: clustered by the first fixed effect, as fixest.
        let byDefault = try Self.fit(nil)
        #expect(byDefault.covarianceType == .cluster(["origin"]))
        #expect(byDefault.coefficient("log(dist_km)")!.standardError == b.standardError)
        // Fit statistics as fixest prints them.
        let s = byOrigin.statistics
        #expect(abs(s.adjustedPseudoRSquared! - (published["adjustedPseudoRSquared"] as! Double)) < 0.5e-6)
        #expect(abs(s.squaredCorrelation! - (published["squaredCorrelation"] as! Double)) < 0.5e-6)
        #expect(relativeDifference(s.logLikelihood!, published["logLikelihood"] as! Double) < 1e-3)
        #expect(relativeDifference(s.bic!, published["bic"] as! Double) < 1e-3)
        // Year effects relative to 2007.
        let years = try #require(byOrigin.fixedEffects.first { $0.name == "year" })
        let base = years.values[years.levels.firstIndex(of: "2007")!]
        for (year, value) in published["yearEffectsRelativeTo2007"] as! [String: Double] {
            let v = years.values[years.levels.firstIndex(of: year)!] - base
            #expect(abs(v - value) < 1e-8, "year \(year): \(v) vs \(value)")
        }
    }
}

