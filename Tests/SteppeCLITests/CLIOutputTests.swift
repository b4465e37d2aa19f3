import Foundation
import SteppeTestFixtures
import Testing

/// End-to-end: the executable's whole output, against committed expected files.
///
/// Text outputs print at most 4 decimals, so they are the same with every BLAS kernel;
/// JSON prints full precision and is compared number by number (1e-9 relative).
/// Regenerate after a deliberate change: STEPPE_UPDATE_EXPECTED=1 swift test --filter CLI
@Suite("steppe command line: outputs")
struct CLIOutputTests {
    static let cases: [(String, [String])] = [
        ("fit-default.txt", ["fit"]),
        ("fit-default.md", ["fit", "--format", "markdown"]),
        ("fit-default.tex", ["fit", "--format", "latex"]),
        ("fit-default.csv", ["fit", "--format", "csv"]),
        ("fit-flows-side-by-side.txt", ["fit", "flows.csv", "-f", "flow ~ log(dist) + push", "-f", "flow ~ log(dist) | origin + destination", "-m", "ppml"]),
        ("predict-default.txt", ["predict"]),
        ("predict-birth-rate.txt", ["predict", "--change", "crude_birth_rate+=-2", "--regions", "Zhambyl,Turkistan", "--format", "markdown"]),
        ("flows-default.txt", ["flows"]),
        ("flows-margins.txt", ["flows", "--margins", "margins.csv", "--top", "0", "--sweep", "1,2"]),
        ("datasets-list.txt", ["datasets", "list"]),
        ("datasets-show-documents.txt", ["datasets", "show", "kazakhstan-documents"]),
        ("datasets-show-refugees.md", ["datasets", "show", "kazakhstan-refugees", "--format", "markdown"]),
        ("datasets-export-distances.csv", ["datasets", "export", "kazakhstan-distances"]),
        ("sensitivity-curve-default.txt", ["sensitivity", "curve"]),
        ("sensitivity-jackknife-default.txt", ["sensitivity", "jackknife"]),
        ("interaction-default.txt", ["interaction"]),
        ("interaction-default.md", ["interaction", "--format", "markdown"]),
        ("indices-default.txt", ["indices"]),
        ("indices-2020.md", ["indices", "--year", "2020", "--format", "markdown"]),
    ]

    @Test("whole outputs match the expected files", arguments: cases.map(\.0))
    func wholeOutput(_ name: String) throws {
        let arguments = Self.cases.first { $0.0 == name }!.1
        let r = try CLI.run(arguments)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let expected = try CLI.expected(name, actual: r.stdout)
        #expect(r.stdout == expected, "\(firstDifference(r.stdout, expected))")
    }

    @Test("fit --format json follows the contract and matches R's glm and sandwich")
    func jsonContractAndR() throws {
        let r = try CLI.run(["fit", "--format", "json"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let models = try #require(object["models"] as? [[String: Any]])
        #expect(models.count == 2)
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.fixtures.appendingPathComponent("default_fit_r.json"))) as? [String: Any])
        for (k, model) in models.enumerated() {
            for key in ["model", "formula", "nobs", "converged", "iterations", "coefficients", "vcov", "statistics", "dropped"] {
                #expect(model[key] != nil, "missing key \(key)")
            }
            #expect(model["model"] as? String == "ppml")
            #expect(model["converged"] as? Bool == true)
            let ref = try #require(reference["m\(k + 1)"] as? [String: Any])
            #expect(model["nobs"] as? Int == ref["nobs"] as? Int)
            let coefficients = try #require(model["coefficients"] as? [[String: Any]])
            let b = try #require(ref["coefficients"] as? [Double]), se = try #require(ref["hc1"] as? [Double])
            #expect(coefficients.count == b.count)
            for (j, c) in coefficients.enumerated() {
                let est = try #require(c["estimate"] as? Double), s = try #require(c["stdError"] as? Double)
                #expect(abs(est - b[j]) <= 1e-8 * max(1, abs(b[j])), "\(c["term"]!): \(est) vs R \(b[j])")
                #expect(abs(s - se[j]) <= 1e-7 * se[j], "\(c["term"]!) s.e.: \(s) vs R \(se[j])")
                for key in ["term", "statistic", "pValue", "confLow", "confHigh"] { #expect(c[key] != nil) }
            }
            let stats = try #require(model["statistics"] as? [String: Any])
            let deviance = try #require(stats["deviance"] as? Double), loglik = try #require(stats["logLikelihood"] as? Double)
            #expect(abs(deviance - (ref["deviance"] as! Double)) <= 1e-9 * deviance)
            #expect(abs(loglik - (ref["loglik"] as! Double)) <= 1e-9 * abs(loglik))
            let vcov = try #require(model["vcov"] as? [String: Any])
            #expect(vcov["type"] as? String == "hetero")
            let dropped = try #require(model["dropped"] as? [String: Any])
            let observations = try #require(dropped["observations"] as? [[String: Any]])
            #expect(observations.reduce(0) { $0 + ($1["count"] as! Int) } == 40 - (ref["nobs"] as! Int))
            #expect(observations.allSatisfy { $0["reason"] as? String == "missing" })
        }
    }

    @Test("one model and several share one envelope: schemaVersion 2, models, data")
    func oneEnvelope() throws {
        let one = try CLI.run(["fit", "flows.csv", "-f", "flow ~ log(dist) | origin + destination", "-m", "ppml", "--format", "json"])
        let two = try CLI.run(["fit", "flows.csv", "-f", "flow ~ log(dist) | origin + destination", "-m", "ppml", "-m", "ols", "--format", "json"])
        #expect(one.status == 0 && two.status == 0, "\(one.stderr)\(two.stderr)")
        for (r, count) in [(one, 1), (two, 2)] {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            #expect(o["schemaVersion"] as? Int == 2 && o["command"] as? String == "fit")
            #expect((o["data"] as? [String: Any])?["name"] as? String == "flows.csv")
            let models = try #require(o["models"] as? [[String: Any]])
            #expect(models.count == count)
            let m = models[0]
            #expect(m["model"] as? String == "ppml" && m["response"] as? String == "flow")
            #expect(m["formula"] as? String == "flow ~ log(dist) | origin + destination")
            #expect((m["vcov"] as? [String: Any])?["clusters"] as? [String] == ["origin"])
            let terms = try #require(m["coefficients"] as? [[String: Any]])
            #expect(terms.map { $0["term"] as? String } == ["log(dist)"])
            let effects = try #require(m["fixedEffects"] as? [[String: Any]])
            #expect(effects.map { $0["name"] as? String } == ["origin", "destination"])
            #expect(effects.allSatisfy { ($0["levelCount"] as? Int ?? 0) >= 2 && $0["levels"] == nil })
        }
    }

    @Test("--output writes the same bytes as standard output, atomically, leaving no temporary file")
    func outputFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("table.md")
        let written = try CLI.run(["fit", "--format", "markdown", "-o", target.path])
        #expect(written.status == 0 && written.stdout.isEmpty)
        let printed = try CLI.run(["fit", "--format", "markdown"])
        #expect(try String(contentsOf: target, encoding: .utf8) == printed.stdout)
        // A failing run leaves the existing file as it was.
        let failed = try CLI.run(["fit", "empty.csv", "-f", "y ~ x", "-o", target.path])
        #expect(failed.status == 1)
        #expect(try String(contentsOf: target, encoding: .utf8) == printed.stdout)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["table.md"])
    }

    @Test("a scenario that makes a variable invalid shows NA and leaves the row out of the totals")
    func scenarioInvalid() throws {
        let r = try CLI.run(["predict", "--change", "income_2020_kzt_month=-1", "--regions", "Zhambyl"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2 rows have a baseline but no scenario prediction"))
        let zhambyl = r.stdout.split(separator: "\n").filter { $0.hasPrefix("Zhambyl 2022") }
        #expect(zhambyl.count == 1 && zhambyl[0].contains("NA"))
    }

    @Test("bench runs every problem family at a small size and reports JSON")
    func bench() throws {
        let r = try CLI.run(["bench", "--rows", "2000", "--levels", "20", "--repetitions", "1", "--no-peak", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let results = try #require(o["results"] as? [[String: Any]])
        #expect(results.map { $0["problem"] as? String } == ["ols", "ols-normal", "glm", "ppml", "panel", "demean", "csv"])
        for result in results { #expect((result["seconds"] as? Double ?? -1) >= 0) }
        // A panel with more pairs than rows still has two years (one would leave only singletons).
        let panel = try CLI.run(["bench", "--problem", "panel", "--rows", "2000", "--levels", "50", "--repetitions", "1", "--no-peak"])
        #expect(panel.status == 0 && panel.stdout.contains("50×50×2 = 5000 rows"), "\(panel.stdout)\(panel.stderr)")
        // Timing a fit on a user's file: coefficients come back with the times.
        let d = try CLI.run(["bench", "--data", "flows.csv", "-f", "flow ~ log(dist) | origin + destination", "-m", "ppml", "--repetitions", "1",
                             "--read-repetitions", "3"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(d.stdout.utf8)) as? [String: Any])
        let fit = try #require(document["run"] as? [String: Any])
        #expect(fit["terms"] as? [String] == ["log(dist)"])
        #expect((fit["estimates"] as? [Double])?.count == 1)
    }

    @Test("--version and help with examples for every command")
    func helpAndVersion() throws {
        let v = try CLI.run(["--version"])
        #expect(v.status == 0 && v.stdout == "0.1.0\n")
        for command in [[], ["fit"], ["predict"], ["flows"], ["datasets"], ["bench"], ["convert"]] {
            let h = try CLI.run(command + ["--help"])
            #expect(h.status == 0)
            #expect(h.stdout.contains("Examples:"), "\(command)")
            #expect(h.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 || $0.hasPrefix("USAGE") }, "\(command) help wider than 80 columns")
        }
    }
}

/// The numbers in the goldens of `steppe interaction` and `steppe indices` against external
/// references, so that a golden is not merely the output of the day it was frozen: spint
/// 1.0.7 (the doubly constrained model on Korea 2020), scikit-mobility 1.3.1 (the radiation
/// flows) scored by statsmodels and spint (SteppeModelsTests/Fixtures/interaction/
/// korea_spint.py, korea_spint.json, radiation.json), and migest 2.0.5 (indices/
/// migest_reference.json), each to the precision the table prints.
@Suite("steppe command line: goldens against spint, scikit-mobility and migest")
struct GoldenReferenceTests {
    static let models = FixtureDirectory(target: "SteppeModelsTests")

    /// The cells of a row of a text table (split at runs of two or more spaces) or a
    /// Markdown table (split at "|").
    static func cells(_ line: Substring) -> [String] {
        if line.hasPrefix("|") {
            return line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return line.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Whether `printed` ("0.9188", "2.03e+06", "-1011.47", "405039") is `value` rounded to
    /// the digits it shows: within half a unit of its last digit.
    static func agrees(_ printed: String, _ value: Double) -> Bool {
        let text = printed.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "−", with: "-")
        guard let x = Double(text) else { return false }
        let parts = text.lowercased().split(separator: "e")
        let mantissa = parts[0], exponent = parts.count > 1 ? Int(parts[1])! : 0
        let decimals = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
        let unit = pow(10.0, Double(exponent - decimals))
        return abs(x - value) <= 0.5 * unit * (1 + 1e-6) + 1e-12 * abs(value)
    }

    /// The rows of `name` by their first cell.
    static func rows(_ name: String) throws -> [String: [String]] {
        let text = try String(contentsOf: CLI.expected.appendingPathComponent(name), encoding: .utf8)
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let c = cells(line)
            if c.count > 1 && out[c[0]] == nil { out[c[0]] = c }
        }
        return out
    }

    @Test("interaction goldens: β and its standard error, every statistic, the largest flows",
          arguments: ["interaction-default.txt", "interaction-default.md"])
    func interaction(_ name: String) throws {
        let rows = try Self.rows(name)
        let spint = try Self.models.json("interaction/korea_spint.json")
        let radiation = try #require(spint["radiation"] as? [String: [String: Double]])
        let beta = try #require(rows["log(dist_centroid_km)"])
        #expect(Self.agrees(beta[1], spint["cost"] as! Double) && Self.agrees(beta[2], spint["costStdError"] as! Double), "\(beta)")
        // label → key; the radiation model has K = 0, so its adjusted D² and pseudo-R² are the plain ones.
        let statistics: [(String, String, String)] = [
            ("deviance", "deviance", "deviance"), ("D²", "D2", "D2"), ("adjusted D²", "adjD2", "D2"),
            ("log-likelihood", "llf", "llf"), ("pseudo-R² (McFadden)", "pseudoR2", "pseudoR2"),
            ("adjusted pseudo-R²", "adjPseudoR2", "pseudoR2"), ("AIC", "AIC", "AIC"), ("SSI (Sørensen)", "SSI", "SSI"),
            ("SRMSE", "SRMSE", "SRMSE"), ("CPC (common part of commuters)", "CPC", "CPC"),
            ("Pearson χ²/(n − K)", "pearsonDispersion", "pearsonDispersion"),
        ]
        for (label, gravityKey, radiationKey) in statistics {
            let row = try #require(rows[label], "\(name): no row \(label)")
            #expect(row.count == 4 && Self.agrees(row[1], spint[gravityKey] as! Double), "\(name) gravity \(label): \(row)")
            #expect(Self.agrees(row[2], radiation["finiteSize"]![radiationKey]!), "\(name) radiation \(label): \(row)")
            #expect(Self.agrees(row[3], radiation["plain"]![radiationKey]!), "\(name) Simini \(label): \(row)")
        }
        var gravityFlows: [String: (Double, Double)] = [:], radiationFlows: [String: Double] = [:]
        for e in spint["fitted"] as! [[String: Any]] {
            gravityFlows["\(e["origin"]!) → \(e["destination"]!)"] = (e["observed"] as! Double, e["fitted"] as! Double)
        }
        for e in (try Self.models.json("interaction/radiation.json"))["flows"] as! [[String: Any]] {
            radiationFlows["\(e["origin"]!) → \(e["destination"]!)"] = e["finiteSize"] as? Double
        }
        let text = try String(contentsOf: CLI.expected.appendingPathComponent(name), encoding: .utf8)
        let largest = text.split(separator: "\n").map(Self.cells).filter { $0.count == 5 && gravityFlows["\($0[0]) → \($0[1])"] != nil }
        #expect(largest.count == 10, "\(name)")
        let observed = gravityFlows.values.map(\.0).sorted(by: >)
        for (k, row) in largest.enumerated() {
            let key = "\(row[0]) → \(row[1])", (y, fitted) = gravityFlows[key]!
            #expect(Self.agrees(row[2], y) && y == observed[k], "\(name) \(key) observed")
            #expect(Self.agrees(row[3], fitted) && Self.agrees(row[4], radiationFlows[key]!), "\(name) \(key): \(row)")
        }
    }

    /// migest's names of Steppe's keys (camelCase), where they differ.
    static let migestKeys = ["courgeauK": "courgeau_k", "effectiveness": "effectivness", "inequalityEqual": "inequality_equal",
                             "inequalitySim": "inequality_sim", "giniTotal": "gini_total", "giniOrigStd": "gini_orig_standardized",
                             "giniDestStd": "gini_dest_standardized", "mwgOrig": "mwg_orig", "mwgDest": "mwg_dest", "mwgMean": "mwg_mean"]

    @Test("indices goldens: every index of every year as migest 2.0.5", arguments: ["indices-default.txt", "indices-2020.md"])
    func indices(_ name: String) throws {
        let reference = try #require(Self.models.json("indices/migest_reference.json")["korea"] as? [[String: Any]])
        let text = try String(contentsOf: CLI.expected.appendingPathComponent(name), encoding: .utf8)
        let lines = text.split(separator: "\n").map(Self.cells)
        let header = try #require(lines.first { $0.first == "index" && $0.count > 2 })
        let years = header.dropFirst(2).map { Int($0)! }
        #expect(years == (name.hasSuffix("2020.md") ? [2020] : Array(2012...2020)))
        var checked = 0
        for row in lines where row.count == years.count + 2 && row[0] != "index" && !row[0].allSatisfy({ "-:".contains($0) }) {
            let key = row[1]
            for (k, year) in years.enumerated() {
                let result = try #require(reference.first { $0["year"] as? Int == year })
                // The median: matrixStats' interpolated weighted median with tied distances in
                // data order (median_stable; R's quicksort reorders ties, which moves migest's own
                // median in 2017–2020 by up to 0.6 km: SteppeModels/Indices/WeightedMedian.swift).
                let migestKey = key == "median" ? "median_stable" : Self.migestKeys[key] ?? key
                let value = ["intensity", "impact", "connectivity", "distance"].lazy
                    .compactMap { (result[$0] as? [String: Any])?[migestKey] as? Double }.first
                let want = try #require(value, "\(name): migest has no \(key)")
                #expect(Self.agrees(row[k + 2], want), "\(name) \(key) \(year): \(row[k + 2]) vs migest \(want)")
                checked += 1
            }
        }
        #expect(checked == 20 * years.count, "\(name): \(checked) numbers checked")
    }
}
