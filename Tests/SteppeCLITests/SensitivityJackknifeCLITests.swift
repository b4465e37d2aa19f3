import Foundation
import SteppeTestFixtures
import Testing

/// `steppe sensitivity jackknife` and `steppe sensitivity influence` end to end: the default
/// analysis's text, the JSON envelope, and errors as one line. The numbers themselves are
/// checked against statsmodels, pyfixest and summclust in SteppeModelsTests
/// (JackknifeTests, InfluenceTests); here the JSON of the default analysis is compared with
/// the same reference, `SteppeModelsTests/Fixtures/sensitivity/jackknife_reference.json`.
@Suite("steppe sensitivity jackknife and influence")
struct SensitivityJackknifeCLITests {
    static func json(_ r: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    static func reference() throws -> [String: Any] {
        let all = try FixtureDirectory(target: "SteppeModelsTests").json("sensitivity/jackknife_reference.json")
        return try #require(all["kazakhstan"] as? [String: Any])
    }

    @Test("the default analysis leaves out each region: a table per term and one per region")
    func defaultText() throws {
        let r = try CLI.run(["sensitivity", "jackknife"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "Jackknife leaving out one region at a time (14 refits)")
        #expect(lines.contains { $0.hasPrefix("term ") && $0.contains("CRV3 s.e.") })
        #expect(lines.contains("Estimates without each region"))
        #expect(lines.contains { $0.hasPrefix("Astana city ") })
        #expect(r.stdout.contains("14 of 14 refits estimated every term"))
        #expect(r.stdout.contains("Offset: log(population)"))
    }

    @Test("--format json: the envelope, and the results of the default analysis match statsmodels refits")
    func defaultJSON() throws {
        let r = try CLI.run(["sensitivity", "jackknife", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try Self.json(r)
        #expect(Set(object.keys) == ["schemaVersion", "command", "method", "model", "results", "data"])
        #expect(object["schemaVersion"] as? Int == 2)
        #expect(object["command"] as? String == "sensitivity")
        #expect(object["method"] as? String == "jackknife")
        let results = try #require(object["results"] as? [String: Any])
        #expect(Set(results.keys) == ["clusterVariable", "clusters", "terms", "leverage", "failed"])
        #expect(results["clusterVariable"] as? String == "region")
        #expect(results["clusters"] as? Int == 14)
        #expect((results["failed"] as? [Any])?.isEmpty == true)
        let reference = try Self.reference()
        let terms = try #require(results["terms"] as? [[String: Any]])
        #expect(terms.map { $0["term"] as? String } == (reference["names"] as! [String]).map { Optional($0) })
        for (j, term) in terms.enumerated() {
            for key in ["term", "estimate", "stdError", "crv3StdError", "leaveOneOut", "mostInfluential", "partialLeverage"] {
                #expect(term[key] != nil, "missing \(key)")
            }
            let crv3 = try #require(term["crv3StdError"] as? Double)
            let expected = (reference["crv3"] as! [Double])[j]
            // The command runs IRLS to its default 1e-8 criterion.
            #expect(abs(crv3 - expected) / expected < 1e-6, "\(term["term"]!): \(crv3) vs \(expected)")
        }
        let leverage = try #require(results["leverage"] as? [String: Any])
        #expect(Set(leverage.keys) == ["min", "max", "median", "mean", "byCluster"])
        #expect((leverage["byCluster"] as? [Any])?.count == 14)
    }

    @Test("influence --format json lists every row of the sample with its measures and the thresholds")
    func influenceJSON() throws {
        let r = try CLI.run(["sensitivity", "influence", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try Self.json(r)
        #expect(object["method"] as? String == "influence")
        let results = try #require(object["results"] as? [String: Any])
        let observations = try #require(results["observations"] as? [[String: Any]])
        #expect(observations.count == 28)
        for key in ["row", "hat", "studentizedResidual", "externallyStudentizedResidual", "cooksDistance", "dffits", "dfbetas"] {
            #expect(observations[0][key] != nil, "missing \(key)")
        }
        let thresholds = try #require(results["thresholds"] as? [String: Any])
        #expect(abs((thresholds["cooksDistance"] as! Double) - 4.0 / 28) < 1e-15)
        let text = try CLI.run(["sensitivity", "influence", "--top", "3"])
        #expect(text.stdout.hasPrefix("The 3 most influential of 28 observations, by Cook's distance\n"))
    }

    @Test("bad input is one line on stderr and exit status 1", arguments: [
        (["sensitivity", "jackknife", "--cluster", "nope"], "steppe: error: the cluster variable 'nope' is not a column of the data"),
        (["sensitivity", "jackknife", "--term", "nope"], "steppe: error: the model has no term 'nope'"),
        (["sensitivity", "jackknife", "--top=-1"], "steppe: error: --top must be 0 or more, got -1"),
        (["sensitivity", "jackknife", "flows.csv", "-f", "flow ~ dist", "--cluster", "push^"], "steppe: error: --cluster push^: name a column"),
        (["sensitivity", "jackknife", "flows.csv", "-f", "flow ~ dist", "--cluster", "origin", "--term", "dist", "-m", "ppml", "--vcov", "cluster:nope"], "steppe: error: "),
        (["sensitivity", "influence", "flows.csv", "-m", "ppml", "-f", "flow ~ log(dist) | origin + destination", "--exact"],
         "steppe: error: exact leave-one-out refits are not available with fixed effects"),
    ])
    func errors(_ arguments: [String], _ message: String) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 1, "\(arguments): \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix(message), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
