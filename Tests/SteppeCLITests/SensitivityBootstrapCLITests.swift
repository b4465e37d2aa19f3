import Foundation
import SteppeTestFixtures
import Testing

/// `steppe sensitivity bootstrap`: the default analysis, a wildboottest reference case end
/// to end, the help text and the errors.
@Suite("steppe sensitivity bootstrap")
struct SensitivityBootstrapCLITests {
    /// The models tests' bootstrap data and reference (Fixtures/sensitivity/bootstrap_make_reference.py).
    static let models = FixtureDirectory(target: "SteppeModelsTests")
    static var dataPath: String { models.url("sensitivity/bootstrap_data.csv").path }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try CLI.run(["sensitivity", "bootstrap"] + arguments + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test("the default analysis: score bootstrap of the pooled PPML model by region, 14 clusters, 9,999 random draws")
    func defaultAnalysis() throws {
        let doc = try Self.json(["--no-ci"])
        #expect(doc["command"] as? String == "sensitivity" && doc["method"] as? String == "bootstrap")
        let results = try #require(doc["results"] as? [String: Any])
        #expect(results["type"] as? String == "score" && results["weights"] as? String == "rademacher")
        #expect(results["clusterVariable"] as? String == "region" && results["clusters"] as? Int == 14)
        #expect(results["reps"] as? Int == 9_999 && results["enumerated"] as? Bool == false)   // 2^14 > 9,999
        let terms = try #require(results["terms"] as? [[String: Any]])
        #expect(terms.count == 5)
        for t in terms {
            let p = try #require(t["pValue"] as? Double)
            #expect(p >= 0 && p <= 1 && t["failed"] as? Int == 0 && t["imposedNull"] as? Bool == true)
            #expect(t["stdError"] is NSNull && (t["nullReasons"] as? [String: String])?["stdError"] != nil)
            #expect(t["confLow"] is NSNull && t["type"] as? String == "score")
        }
    }

    @Test("text output: one table per term, and notes on the method, draws, failures and reference")
    func textOutput() throws {
        let r = try CLI.run(["sensitivity", "bootstrap", Self.dataPath, "-f", "y ~ x1 + x2 + x3", "--cluster", "cl10", "--term", "x1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Wild cluster bootstrap: x1 (H0: x1 = 0)"))
        #expect(r.stdout.contains("all 1024 = 2^10 Rademacher sign vectors"))
        #expect(r.stdout.contains("No replicate failed."))
        #expect(r.stdout.contains("Reference: boottest / fwildclusterboot / wildboottest"))
    }

    @Test("end to end, the wild bootstrap equals wildboottest under full enumeration (t to 1e-10, p·1024 exactly)")
    func wildboottestReference() throws {
        let reference = try Self.models.json("sensitivity/bootstrap_reference.json")["cases"] as! [[String: Any]]
        for name in ["ols_wcr_x2_null", "ols_fe_wcu_x1"] {
            let c = try #require(reference.first { $0["name"] as? String == name })
            var arguments = [Self.dataPath, "-f", c["formula"] as! String, "--cluster", c["cluster"] as! String,
                             "--term", c["term"] as! String, "--null", "\(c["null"] as! Double)"]
            if !(c["imposeNull"] as! Bool) { arguments.append("--no-impose-null") }
            let results = try #require(try Self.json(arguments)["results"] as? [String: Any])
            let term = try #require((results["terms"] as? [[String: Any]])?.first)
            let t = try #require(term["tStatistic"] as? Double), expected = c["t"] as! Double
            #expect(abs(t - expected) <= 1e-10 * abs(expected), "\(name): \(t) vs \(expected)")
            #expect((term["pValue"] as! Double) * 1024 == Double(c["countAtLeast"] as! Int))
            #expect(results["enumerated"] as? Bool == true && results["reps"] as? Int == 1024)
        }
    }

    @Test("two-way clusters: --cluster a+b and --cluster a --cluster b equal the brute-force reference (t to 1e-10, p·256 exactly)")
    func twoWay() throws {
        let reference = try Self.models.json("bootstrap/multiway_reference.json")["cases"] as! [[String: Any]]
        let c = try #require(reference.first { $0["name"] as? String == "twoway_fe_wcr_x2" })
        let path = Self.models.url("bootstrap/multiway_data.csv").path
        let common = [path, "-f", c["formula"] as! String, "--term", "x2", "--null", "0.1", "--small-sample", "none"]
        for spelling in [["--cluster", "a+b"], ["--cluster", "a", "--cluster", "b"], ["--cluster", "b+a", "--bootcluster", "a"]] {
            let results = try #require(try Self.json(common + spelling)["results"] as? [String: Any])
            let term = try #require((results["terms"] as? [[String: Any]])?.first)
            let t = try #require(term["tStatistic"] as? Double), expected = c["t"] as! Double
            #expect(abs(t - expected) <= 1e-10 * abs(expected), "\(spelling): \(t) vs \(expected)")
            #expect((term["pValue"] as! Double) * 256 == Double(c["countAtLeast"] as! Int))
            #expect(results["bootcluster"] as? String == "a" && results["clusters"] as? Int == 8)
        }
        let text = try CLI.run(["sensitivity", "bootstrap"] + common + ["--cluster", "a+b"])
        #expect(text.stdout.contains("two-way by a+b (8 and 11 clusters; Cameron–Gelbach–Miller variance), weights by a (8 bootclusters)"))
    }

    @Test("help: an Examples section, every line within 80 columns")
    func help() throws {
        let r = try CLI.run(["sensitivity", "bootstrap", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Examples:"))
        for line in r.stdout.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
    }

    @Test("bad flags are one-line errors")
    func errors() throws {
        let cases: [([String], String)] = [
            (["--reps", "50"], "--reps must be at least 99, got 50"),
            (["--type", "wild"], "use the score bootstrap (--type score)"),
            (["--type", "pairs", "--wild-weights", "webb"], "--wild-weights applies to the wild and score bootstrap"),
            (["--type", "cluster", "--no-impose-null"], "--no-impose-null applies to the wild and score bootstrap"),
            (["--type", "pairs", "--cluster", "region"], "--type pairs resamples rows and takes no --cluster"),
            (["--cluster", "nowhere"], "nowhere"),
            (["--term", "nothing"], "has no term 'nothing'"),
            (["--cluster", "region^"], "name a column, or columns joined by ^"),
            (["--cluster", "region+"], "two dimensions joined by +"),
            (["--cluster", "region+region_id"], "two-way clusters"),
            (["--bootcluster", "^"], "--bootcluster ^: use min, max, or a column"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(["sensitivity", "bootstrap"] + arguments)
            #expect(r.status != 0 && r.stdout.isEmpty, "\(arguments)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
        }
    }
}
