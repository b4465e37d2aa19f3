import Foundation
import Steppe
import Testing

/// The README's "Models in Swift" example, as written there, so that it keeps compiling;
/// and the README's figure for Korea with origin-year and destination-year effects
/// (with contiguity: −0.550, s.e. 0.031, as pyfixest's fepois gives to four digits).
@Suite("README: the Swift example")
struct ReadmeExampleTests {
    @Test("import Steppe, fit PPML with fixed effects, print, predict, a scenario, JSON")
    func example() throws {
        let table = try DatasetRegistry.bundled().table("korea-interregional")
        let options = EstimationOptions(covariance: .cluster(["origin"]))
        let fit = try Estimator.fit(table, formula: "flow ~ log(dist_centroid_km) | origin + destination",
                                    model: .ppml, options: options)
        let elasticity = try #require(fit.coefficient("log(dist_centroid_km)")).estimate
        #expect(elasticity < 0, "\(elasticity)")
        let panel = try Estimator.fit(table, formula: "flow ~ log(dist_centroid_km) + contiguous | origin^year + destination^year",
                                      model: .ppml)
        let b = try #require(panel.coefficient("log(dist_centroid_km)"))
        #expect(abs(b.estimate - -0.550) < 5e-4 && abs(b.standardError - 0.031) < 5e-4, "\(b.estimate) (\(b.standardError))")
        #expect(RegressionTable.make([fit]).render(.markdown).contains("log(dist_centroid_km)"))
        let predicted = try fit.predict(table)
        #expect(predicted.count == table.rowCount)
        let scenario = Scenario(changes: [try ScenarioChange(parsing: "dist_centroid_km*=1.2")],
                                matchColumn: "origin", matchValues: [try table.column("origin").text(at: 0)])
        let outcome = try fit.predict(table, under: scenario)
        #expect(outcome.totals.scenario < outcome.totals.baseline)   // longer distances, fewer moves
        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(fit)) as? [String: Any]
        #expect(json?["coefficients"] != nil && json?["model"] as? String == "ppml")
    }
}
