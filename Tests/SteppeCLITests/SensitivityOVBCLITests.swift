import Foundation
import SteppeTestFixtures
import Testing

/// `steppe sensitivity ovb` and `steppe sensitivity eba` end to end: the JSON envelope, the
/// numbers of the reference examples through the command line (PySensemakr on Darfur,
/// ExtremeBounds on mtcars: `SteppeModelsTests/Fixtures/sensitivity/ovb*`, `eba*`), the
/// default analysis, errors as one line and help within 80 columns. The methods themselves
/// are tested in SteppeModelsTests (OmittedVariableBiasTests, ExtremeBoundsTests).
@Suite("steppe sensitivity ovb and eba")
struct SensitivityOVBCLITests {
    static let models = FixtureDirectory(target: "SteppeModelsTests")

    static func json(_ r: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    /// Checks the envelope and returns its `results`.
    static func results(_ r: CLI.Result, method: String) throws -> [String: Any] {
        #expect(r.status == 0, "\(r.stderr)")
        let object = try json(r)
        #expect(Set(object.keys) == ["schemaVersion", "command", "method", "model", "results", "data"])
        #expect(object["schemaVersion"] as? Int == 2)
        #expect(object["command"] as? String == "sensitivity")
        #expect(object["method"] as? String == method)
        #expect((object["model"] as? [String: Any])?["coefficients"] != nil)
        return try #require(object["results"] as? [String: Any])
    }

    @Test("ovb on Darfur (village fixed effect) prints PySensemakr's numbers in the envelope")
    func ovbDarfur() throws {
        let data = Self.models.url("sensitivity/ovb_darfur.csv").path
        let r = try CLI.run(["sensitivity", "ovb", data, "-f",
                             "peacefactor ~ directlyharmed + age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female | village",
                             "--treatment", "directlyharmed", "--benchmark", "female", "--vcov", "hetero", "--format", "json"])
        let results = try Self.results(r, method: "ovb")
        #expect(Set(results.keys) == ["treatment", "estimate", "stdError", "tStatistic", "degreesOfFreedom", "partialR2",
                                      "partialF2", "robustnessValue", "robustnessValueAlpha", "q", "alpha", "reduce",
                                      "bounds", "contour", "warnings"])
        let reference = try #require(try Self.models.json("sensitivity/ovb_darfur_reference.json")["paper"] as? [String: Any])
        for key in ["estimate", "stdError", "tStatistic", "partialR2", "partialF2", "robustnessValue", "robustnessValueAlpha"] {
            let got = try #require(results[key] as? Double), expected = reference[key] as! Double
            #expect(abs(got - expected) / abs(expected) < 1e-10, "\(key): \(got) vs \(expected)")
        }
        #expect(results["degreesOfFreedom"] as? Int == 783)
        let bounds = try #require(results["bounds"] as? [[String: Any]])
        let expectedBounds = reference["bounds"] as! [[String: Any]]
        #expect(bounds.count == 3)
        for (b, e) in zip(bounds, expectedBounds) {
            #expect(b["benchmark"] as? String == "female")
            for key in ["kd", "ky", "r2dzx", "r2yzdx", "adjustedEstimate", "adjustedStdError", "adjustedT", "adjustedConfLow", "adjustedConfHigh"] {
                let got = try #require(b[key] as? Double), expected = e[key] as! Double
                #expect(abs(got - expected) / abs(expected) < 1e-10, "\(key): \(got) vs \(expected)")
            }
        }
        let contour = try #require(results["contour"] as? [String: Any])
        #expect((contour["r2dzx"] as? [Double])?.count == 40 && (contour["adjustedEstimate"] as? [[Double]])?.count == 40)
    }

    @Test("ovb on the default analysis: the OLS twin of model (2), its notes, and the JSON's keys")
    func ovbDefault() throws {
        let text = try CLI.run(["sensitivity", "ovb"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr.isEmpty)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Omitted-variable bias of log(income_2020_kzt_month) (Cinelli & Hazlett 2020): log(departures/population), OLS") == true)
        #expect(lines.contains { $0.hasPrefix("crude_birth_rate ") } && lines.contains { $0.hasPrefix("log(dist_main_km) ") })
        #expect(text.stdout.contains("Standard errors: classical (iid), df = n - K, as sensemakr, whatever --vcov says"))
        let results = try Self.results(try CLI.run(["sensitivity", "ovb", "--format", "json"]), method: "ovb")
        #expect(results["treatment"] as? String == "log(income_2020_kzt_month)")
        #expect((results["bounds"] as? [Any])?.count == 2)
    }

    @Test("eba on mtcars (Hlavac 2016's sophisticated EBA) prints ExtremeBounds' numbers in the envelope")
    func ebaPaper() throws {
        let data = Self.models.url("sensitivity/eba_mtcars.csv").path
        let r = try CLI.run(["sensitivity", "eba", data, "-f", "mpg ~ wt + cyl + carb + disp + hp + vs + drat + qsec + gear + am",
                             "--free", "wt", "--focus", "cyl,carb,disp,hp", "--doubtful", "vs,drat,wt,qsec,gear,am",
                             "--exclusive", "cyl+carb+disp+hp|am+gear", "--vif", "7", "--vcov", "hc0", "--eba-weights", "lri",
                             "--format", "json"])
        let results = try Self.results(r, method: "eba")
        #expect(results["combinations"] as? Int == 148 && results["regressions"] as? Int == 148)
        let reference = try #require(try Self.models.json("sensitivity/eba_reference_r.json")["paper"] as? [String: Any])
        let variables = try #require(results["variables"] as? [[String: Any]])
        let expected = reference["variables"] as! [[String: Any]]
        #expect(variables.map { $0["term"] as? String } == expected.map { $0["term"] as? String })
        for (v, e) in zip(variables, expected) {
            #expect(v["type"] as? String == e["type"] as? String && v["leamerRobust"] as? Bool == e["leamerRobust"] as? Bool)
            #expect(v["regressions"] as? Int == e["regressions"] as? Int && v["coefficientsUsed"] as? Int == e["coefficientsUsed"] as? Int)
            for key in ["weightedMean", "weightedStdError", "weightedVariance", "shareNegative", "sharePositive",
                        "shareSignificantNegative", "shareSignificantPositive", "leamerLow", "leamerHigh",
                        "cdfNormalBelowZero", "cdfGenericBelowZero"] {
                let got = try #require(v[key] as? Double, "\(key)"), want = e[key] as! Double
                #expect(got == want || abs(got - want) / abs(want) < 1e-10, "\(v["term"]!) \(key): \(got) vs \(want)")
            }
        }
    }

    @Test("eba on the default analysis: PPML, focus on income, the other push factors doubtful")
    func ebaDefault() throws {
        let results = try Self.results(try CLI.run(["sensitivity", "eba", "--format", "json"]), method: "eba")
        #expect(results["combinations"] as? Int == 8)
        #expect(results["focus"] as? [String] == ["log(income_2020_kzt_month)"])
        let text = try CLI.run(["sensitivity", "eba"])
        #expect(text.status == 0 && text.stderr.isEmpty)
        #expect(text.stdout.hasPrefix("Extreme bounds analysis: departures, ppml, 8 regressions"))
        #expect(text.stdout.contains("Leamer's extreme bounds and Sala-i-Martin's CDF(0)"))
    }

    @Test("bad input is one line on stderr that says what to do", arguments: [
        (["sensitivity", "ovb", "-m", "ppml", "--offset", "log(population)", "--treatment", "crude_birth_rate", "-f",
          "departures ~ log(income_2020_kzt_month) + crude_birth_rate"], "ovb is defined for linear models (Cinelli & Hazlett 2020), not ppml"),
        (["sensitivity", "ovb", "--kd", "1,x"], "--kd: 'x' is not a number"),
        (["sensitivity", "ovb", "--treatment", "income"], "the treatment 'income' is not a term of the model"),
        (["sensitivity", "eba", "--k", "0:4"], "--k 4 is too high"),
        (["sensitivity", "eba", "--k", "two"], "--k: 'two' is not a range"),
        (["sensitivity", "eba", "--eba-weights", "r2"], "needs an OLS model"),
        (["sensitivity", "eba", "--exclusive", "crude_birth_rate+log(population)"], "is not a term of the model"),
    ])
    func errors(_ c: ([String], String)) throws {
        let r = try CLI.run(c.0)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && r.stderr.contains(c.1), "\(r.stderr)")
    }

    @Test("help has an Examples section within 80 columns", arguments: ["ovb", "eba"])
    func help(_ method: String) throws {
        let r = try CLI.run(["sensitivity", method, "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Examples:"))
        for line in r.stdout.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
    }
}
