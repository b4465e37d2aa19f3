import Foundation
import SteppeData
import SteppeModels
import Testing

/// Spatial interaction models against PySAL's spint 1.0.7 on the Austria data of its own
/// tests (spint/tests/test_gravity.py), and the radiation model against scikit-mobility.
/// Fixtures and their generator: Fixtures/interaction/ (generate.py).
@Suite("Spatial interaction models (spint, scikit-mobility)")
struct InteractionTests {
    static let austria = try! Fixtures.table("interaction/austria.csv")
    nonisolated(unsafe) static let references = (try! Fixtures.json("interaction/spint.json"))["models"] as! [String: [String: Any]]

    /// The model called `key` in spint.json: "doubly-exp", "base-pow-quasi", …
    static func model(_ key: String, covariance: InteractionCovariance? = nil) -> SpatialInteractionModel {
        let parts = key.split(separator: "-").map(String.init)
        var m = SpatialInteractionModel(flow: "flow", origin: "origin", destination: "destination", cost: "distance")
        m.costFunction = parts[1] == "exp" ? .exponential : .power
        switch parts[0] {
        case "base": m.constraint = .none; m.intercept = false
        case "unconstrained": m.constraint = .none; m.originVariables = ["origin_var"]; m.destinationVariables = ["destination_var"]
        case "production": m.constraint = .production; m.destinationVariables = ["destination_var"]
        case "attraction": m.constraint = .attraction; m.originVariables = ["origin_var"]
        default: m.constraint = .doubly
        }
        m.covariance = covariance ?? (parts.count > 2 ? .quasiPoisson : .modelBased)
        return m
    }

    /// spint's parameters that Steppe estimates as coefficients (not fixed effects): the last ones.
    static func tail(_ values: Any?, _ count: Int) -> [Double] { Array((values as! [Double]).suffix(count)) }

    @Test("Every model of spint's test file and the ones it does not pin: estimates, SEs, fitted flows, statistics",
          arguments: ["base-exp", "base-pow", "base-exp-quasi", "unconstrained-exp", "unconstrained-pow", "unconstrained-pow-quasi",
                      "production-exp", "production-pow", "attraction-exp", "attraction-pow", "doubly-exp", "doubly-pow", "doubly-pow-quasi"])
    func againstSpint(_ key: String) throws {
        var ref = try #require(Self.references[key])
        let result = try Self.model(key).fit(Self.austria)
        let coefficients = result.fit.coefficients
        let estimates = Self.tail(ref["params"], coefficients.count), errors = Self.tail(ref["stdErrors"], coefficients.count)
        let z = Self.tail(ref["tvalues"], coefficients.count), p = Self.tail(ref["pvalues"], coefficients.count)
        // spint's standard errors come from the IRLS weights of its last-but-one step (it
        // stops when the smallest coefficient change is below 1e-8), 1e-7 to 6e-5 from the
        // information at its own estimates; statsmodels' exact ones are checked to 1e-8 below.
        for (m, c) in coefficients.enumerated() {
            #expect(relativeDifference(c.estimate, estimates[m]) < 1e-8, "\(key) \(c.term): \(c.estimate) vs \(estimates[m])")
            #expect(relativeDifference(c.standardError, errors[m]) < 1e-4, "\(key) \(c.term) se: \(c.standardError) vs \(errors[m])")
            #expect(relativeDifference(c.statistic, z[m]) < 1e-4, "\(key) \(c.term) z")
            #expect(abs(c.pValue - p[m]) < 2e-6, "\(key) \(c.term) p: \(c.pValue) vs \(p[m])")
        }
        let fitted = ref["fitted"] as! [Double]
        #expect(result.fitted.count == fitted.count)
        for (a, b) in zip(result.fitted, fitted) { #expect(relativeDifference(a, b) < 1e-7, "\(key) fitted \(a) vs \(b)") }
        let s = result.statistics
        #expect(s.parameterCount == ref["k"] as! Int && s.observations == 72)
        if key.hasPrefix("base") {
            // spint's deviance is 2Σy·log(y/ŷ), without the −2Σ(y − ŷ) of the Poisson deviance,
            // which is 0 with an intercept or fixed effects but not in the no-constant model.
            var missingTerm = 0.0
            for (a, b) in zip(fitted, result.observed) { missingTerm += 2 * (a - b) }
            let spintDeviance = ref["deviance"] as! Double, spintD2 = ref["D2"] as! Double
            let deviance: Double = spintDeviance + missingTerm
            let nullDeviance: Double = spintDeviance / (1 - spintD2)
            let ratio: Double = deviance / nullDeviance
            let residualDF = Double(72 - s.parameterCount)
            ref["deviance"] = deviance
            ref["D2"] = 1 - ratio
            ref["adjD2"] = 1 - 71.0 / residualDF * ratio
        }
        let pairs: [(String, Double?)] = [("deviance", s.deviance), ("D2", s.d2), ("adjD2", s.adjustedD2), ("SSI", s.ssi),
                                          ("SRMSE", s.srmse), ("CPC", s.cpc), ("llf", s.logLikelihood), ("llnull", s.nullLogLikelihood),
                                          ("AIC", s.aic), ("pseudoR2", s.pseudoRSquared), ("adjPseudoR2", s.adjustedPseudoRSquared)]
        for (name, value) in pairs {
            if let expected = ref[name] as? Double {
                #expect(value.map { relativeDifference($0, expected) < 1e-6 } == true, "\(key) \(name): \(String(describing: value)) vs \(expected)")
            } else {
                #expect(value == nil, "\(key) \(name): spint has no value (quasi-Poisson), Steppe \(String(describing: value))")
            }
        }
    }

    @Test("Model-based, robust (HC0, HC1) and origin-clustered SEs against statsmodels' GLM on spint's design",
          arguments: ["unconstrained-exp", "unconstrained-pow", "production-exp", "production-pow", "attraction-exp", "doubly-exp", "doubly-pow"])
    func sandwich(_ key: String) throws {
        let ref = try #require(Self.references[key])
        for (name, covariance) in [("iid", InteractionCovariance.modelBased), ("hc0", .heteroskedastic(.hc0)), ("clusterOrigin", .cluster(["origin"]))] {
            let result = try Self.model(key, covariance: covariance).fit(Self.austria)
            let expected = Self.tail(ref[name], result.fit.coefficients.count)
            for (m, c) in result.fit.coefficients.enumerated() {
                #expect(relativeDifference(c.standardError, expected[m]) < 1e-7, "\(key) \(name) \(c.term): \(c.standardError) vs \(expected[m])")
            }
        }
        // HC1 = HC0·n/(n − K) (statsmodels' GLM returns HC0 for 'HC1', so the definition is checked).
        let hc0 = try Self.model(key, covariance: .heteroskedastic(.hc0)).fit(Self.austria)
        let hc1 = try Self.model(key, covariance: .heteroskedastic(.hc1)).fit(Self.austria)
        let factor = (72.0 / Double(72 - hc1.statistics.parameterCount)).squareRoot()
        for (a, b) in zip(hc1.fit.coefficients, hc0.fit.coefficients) { #expect(relativeDifference(a.standardError, b.standardError * factor) < 1e-12) }
    }

    /// The numbers written in spint/tests/test_gravity.py itself (rounded as printed there).
    @Test("The values pinned in spint's test_gravity.py")
    func spintTestFile() throws {
        let base = try Self.model("base-exp").fit(Self.austria)
        #expect(abs(base.cost!.estimate - 0.01641585) < 1e-4)
        #expect(abs(base.statistics.aic! - 957622.28429746185) < 1e-4)
        // spint's deviance here lacks −2Σ(y − ŷ) (see againstSpint): 1087408.97 + 2Σ(ŷ − y).
        var missingTerm = 0.0
        for (a, b) in zip(base.fitted, base.observed) { missingTerm += 2 * (a - b) }
        #expect(relativeDifference(base.statistics.deviance - missingTerm, 1087408.9707170483) < 1e-8)
        #expect(abs(base.statistics.nullLogLikelihood! - (-88037.0499629)) < 1e-4)
        #expect(relativeDifference(base.cost!.standardError, 1.38598941e-05) < 1e-5)
        let pow = try Self.model("base-pow").fit(Self.austria)
        #expect(abs(pow.statistics.logLikelihood! - (-188648.02358166798)) < 1e-4)
        #expect(abs(pow.cost!.standardError - 0.00065723) < 1e-6)
        let quasi = try Self.model("base-exp-quasi").fit(Self.austria)
        #expect(abs(quasi.cost!.standardError - 0.02823993) < 1e-7)
        #expect(abs(quasi.cost!.pValue - 0.56103881) < 2e-6)
        #expect(quasi.statistics.aic == nil)
        let gravity = try Self.model("unconstrained-exp").fit(Self.austria)
        for (c, v) in zip(gravity.fit.coefficients, [-7.95447436e+00, 8.63867812e-01, 8.80474585e-01, -6.20544765e-03]) {
            #expect(relativeDifference(c.estimate, v) < 1e-7, "\(c.term)")
        }
        #expect(abs(gravity.statistics.ssi - 0.72706171189789603) < 1e-7 && abs(gravity.statistics.srmse - 0.62063116008447083) < 1e-7)
        #expect(abs(gravity.statistics.adjustedPseudoRSquared! - 0.88416760104130376) < 1e-7)
        let production = try Self.model("production-exp").fit(Self.austria)
        #expect(abs(production.statistics.aic! - 15882.651018068489) < 1e-4)
        #expect(abs(production.cost!.estimate - (-0.00727113)) < 1e-4)
        let doubly = try Self.model("doubly-exp").fit(Self.austria)
        #expect(abs(doubly.cost!.estimate - (-0.00791533)) < 1e-5)
        #expect(relativeDifference(doubly.cost!.standardError, 5.06213514e-05) < 1e-4)
        // spint stops a little short of the maximum: Steppe's deviance is 4e-4 lower.
        #expect(relativeDifference(doubly.statistics.deviance, 9360.482092561484) < 1e-7)
        #expect(abs(doubly.statistics.d2 - 0.946661920897) < 1e-7 && abs(doubly.statistics.adjustedD2 - 0.929870303401) < 1e-7)
        #expect(abs(doubly.statistics.ssi - 0.811852110904) < 1e-7 && abs(doubly.statistics.srmse - 0.37925654532618808) < 1e-7)
        #expect(abs(doubly.statistics.pseudoRSquared! - 0.943539912198) < 1e-7)
        // spint's constant and dummies are the fixed effects: its constant is log μ of AT11 → AT11
        // without the cost, a(AT11) + b(AT11); its AT12 origin dummy a(AT12) − a(AT11).
        let a = try #require(doubly.fit.fixedEffects.first { $0.name == "origin" })
        let b = try #require(doubly.fit.fixedEffects.first { $0.name == "destination" })
        func effect(_ e: FixedEffectEstimates, _ level: String) -> Double { e.values[e.levels.firstIndex(of: level)!] }
        #expect(abs(effect(a, "AT11") + effect(b, "AT11") - 6.20471518) < 1e-5)
        #expect(abs(effect(a, "AT12") - effect(a, "AT11") - 1.5449095) < 1e-5)
    }

    @Test("Doubly constrained flows reproduce both margins")
    func margins() throws {
        let fit = try Self.model("doubly-pow").fit(Self.austria)
        var out = [Double](repeating: 0, count: fit.regions.count), outFitted = out, into = out, intoFitted = out
        for k in fit.observed.indices {
            let i = Int(fit.originIndex[k]), j = Int(fit.destinationIndex[k])
            out[i] += fit.observed[k]; outFitted[i] += fit.fitted[k]; into[j] += fit.observed[k]; intoFitted[j] += fit.fitted[k]
        }
        for r in out.indices {
            #expect(relativeDifference(outFitted[r], out[r]) < 1e-8 && relativeDifference(intoFitted[r], into[r]) < 1e-8)
        }
    }

    @Test("Radiation model against scikit-mobility's Radiation on the Korean 2020 matrix")
    func radiation() throws {
        let ref = try Fixtures.json("interaction/radiation.json")
        let korea = try DatasetRegistry.bundled().table("korea-interregional")
        let year = korea["year"]!.numbers!
        let table = korea.rows(year.indices.filter { year[$0] == 2020 })
        let model = RadiationModel(flow: "flow", origin: "origin", destination: "destination", distance: "dist_centroid_km",
                                   originPopulation: "origin_pop_millions", destinationPopulation: "destination_pop_millions")
        let fit = try model.fit(table)
        var expected: [String: (Double, Double)] = [:]
        for e in ref["flows"] as! [[String: Any]] {
            expected[(e["origin"] as! String) + "|" + (e["destination"] as! String)] = (e["finiteSize"] as! Double, e["plain"] as! Double)
        }
        #expect(fit.predicted.count == expected.count && fit.exclusions.first?.reason == .intrazonal && fit.exclusions.first?.count == 17)
        for k in fit.predicted.indices {
            let key = fit.regions[Int(fit.originIndex[k])] + "|" + fit.regions[Int(fit.destinationIndex[k])]
            let (finite, plain) = try #require(expected[key])
            #expect(relativeDifference(fit.predicted[k], finite) < 1e-12, "\(key)")
            #expect(relativeDifference(fit.predictedUncorrected[k], plain) < 1e-12, "\(key)")
        }
        let stats = ref["statistics"] as! [String: [String: Double]]
        #expect(relativeDifference(fit.statistics.ssi, stats["finiteSize"]!["SSI"]!) < 1e-12)
        #expect(relativeDifference(fit.statistics.cpc, stats["finiteSize"]!["CPC"]!) < 1e-12)
        #expect(relativeDifference(fit.statisticsUncorrected.srmse, stats["plain"]!["SRMSE"]!) < 1e-12)
    }

    @Test("The radiation formula on a hand-computed line of four towns, with a tie")
    func radiationByHand() throws {
        // Towns on a line at 0, 1, 2, 2 (C and D tied from A); populations 1, 2, 3, 4; M = 10.
        let names = ["A", "B", "C", "D"], position = [0.0, 1, 2, 2], pop = [1.0, 2, 3, 4]
        var o: [String?] = [], d: [String?] = [], f: [Double] = [], c: [Double] = [], po: [Double] = [], pd: [Double] = []
        for i in 0..<4 {
            for j in 0..<4 where i != j {
                o.append(names[i]); d.append(names[j]); f.append(10)
                let distance: Double = abs(position[i] - position[j])
                c.append(distance); po.append(pop[i]); pd.append(pop[j])
            }
        }
        let table = try Table(columns: [.text("o", o), .text("d", d), .numeric("f", f), .numeric("c", c), .numeric("po", po), .numeric("pd", pd)])
        let fit = try RadiationModel(flow: "f", origin: "o", destination: "d", distance: "c", originPopulation: "po", destinationPopulation: "pd").fit(table)
        // From A (T = 30, m = 1): B s=0: 1·2/(1·3); C and D s=2 (B only; the tie keeps them out of each other's circle).
        let shares: [Double] = [2.0 / 3.0, 3.0 / 18.0, 4.0 / 21.0]
        let fromA: [Double] = shares.map { 30 * $0 }
        for (k, expected) in fromA.enumerated() {
            #expect(relativeDifference(fit.predictedUncorrected[k], expected) < 1e-14)
            #expect(relativeDifference(fit.predicted[k], expected / (1 - 0.1)) < 1e-14)
        }
    }

    /// Six Kazakh cities and made-up flows between them without the pairs Aktobe ↔ Pavlodar
    /// (Fixtures/interaction/cities.csv, cities_flows.csv; radiation_coordinates.py).
    static let cities = try! Fixtures.table("interaction/cities.csv")
    static let cityFlows = try! Fixtures.table("interaction/cities_flows.csv")

    @Test("Radiation model with distances from coordinates against scikit-mobility's Radiation.generate on six cities")
    func radiationFromCoordinates() throws {
        let ref = try Fixtures.json("interaction/radiation_coordinates.json")
        var model = RadiationModel(flow: "flow", origin: "origin", destination: "destination", distance: "km",
                                   originPopulation: "pop_o", destinationPopulation: "pop_d")
        model.coordinates = try RegionCoordinates(Self.cities, source: "cities.csv")
        let fit = try model.fit(Self.cityFlows)
        var expected: [String: (Double, Double)] = [:]
        for e in ref["flows"] as! [[String: Any]] {
            expected[(e["origin"] as! String) + "|" + (e["destination"] as! String)] = (e["finiteSize"] as! Double, e["plain"] as! Double)
        }
        #expect(fit.predicted.count == 28 && expected.count == 28)
        for k in fit.predicted.indices {
            let key = fit.regions[Int(fit.originIndex[k])] + "|" + fit.regions[Int(fit.destinationIndex[k])]
            let (finite, plain) = try #require(expected[key])
            #expect(relativeDifference(fit.predicted[k], finite) < 1e-12, "\(key): \(fit.predicted[k]) vs \(finite)")
            #expect(relativeDifference(fit.predictedUncorrected[k], plain) < 1e-12, "\(key)")
        }
        let stats = ref["statistics"] as! [String: [String: Double]]
        for (s, key) in [(fit.statistics, "finiteSize"), (fit.statisticsUncorrected, "plain")] {
            #expect(relativeDifference(s.ssi, stats[key]!["SSI"]!) < 1e-12 && relativeDifference(s.srmse, stats[key]!["SRMSE"]!) < 1e-12)
            #expect(relativeDifference(s.cpc, stats[key]!["CPC"]!) < 1e-12)
        }
        // Without coordinates, a distance column of the rows has no distance Aktobe → Pavlodar.
        let km = try model.coordinates!.addingDistances(to: Self.cityFlows, origin: "origin", destination: "destination", name: "km")
        model.coordinates = nil
        #expect(throws: InteractionError.invalidData("the radiation model needs the distance from every origin to every region, but Aktobe → Pavlodar has none")) {
            try model.fit(km)
        }
    }

    @Test("Coordinates: scikit-mobility's haversine distances, and a gravity model on them as on the same distances in a column")
    func gravityFromCoordinates() throws {
        let ref = try Fixtures.json("interaction/radiation_coordinates.json")
        let coordinates = try RegionCoordinates(Self.cities, source: "cities.csv")
        let names = coordinates.latitude.keys.sorted()
        let matrix = try coordinates.distanceMatrix(names)
        for e in ref["distances"] as! [[String: Any]] {
            let i = names.firstIndex(of: e["origin"] as! String)!, j = names.firstIndex(of: e["destination"] as! String)!
            #expect(relativeDifference(matrix[i * names.count + j], e["steppeRadius"] as! Double) < 1e-12, "\(e)")
        }
        let withColumn = try coordinates.addingDistances(to: Self.cityFlows, origin: "origin", destination: "destination", name: "km")
        var m = SpatialInteractionModel(flow: "flow", origin: "origin", destination: "destination", cost: "km")
        let direct = try m.fit(withColumn)
        m.coordinates = coordinates
        let computed = try m.fit(Self.cityFlows)
        #expect(computed.cost!.estimate == direct.cost!.estimate && computed.cost!.standardError == direct.cost!.standardError)
        #expect(computed.fit.formula == "flow ~ log(km) | origin + destination")
    }

    @Test("Bad coordinates: one sentence naming the regions or rows")
    func badCoordinates() throws {
        func failure(_ csv: [[String]], name: String = "km") -> String {
            do {
                let table = try Table(columns: (0..<csv[0].count).map { j in
                    let values = csv.dropFirst().map { $0[j] }
                    return j == 0 ? .text(csv[0][j], values) : .numeric(csv[0][j], values.map { Double($0) ?? .nan })
                })
                _ = try RegionCoordinates(table, source: "centres.csv").addingDistances(to: Self.cityFlows, origin: "origin", destination: "destination", name: name)
                return ""
            } catch { return "\(error)" }
        }
        let all = Self.cities
        let rows = (0..<all.rowCount).map { k in ["region", "latitude", "longitude"].map { all[$0]!.text(at: k) } }
        let header = ["region", "latitude", "longitude"]
        #expect(failure([header] + rows.dropLast()) == "centres.csv has no coordinates for 1 region in the flows: Pavlodar")
        #expect(failure([header] + rows + [["Almaty", "43", "77"]]) == "centres.csv: region Almaty has two positions (rows 1 and 7)")
        #expect(failure([header] + [["Almaty", "143.2", "76.9"]] + rows.dropFirst())
                == "centres.csv: every region needs a latitude within ±90 and a longitude within ±180 degrees, but row 1 (Almaty) has none or one out of range")
        #expect(failure([["region", "lat", "long"]] + rows).hasPrefix("centres.csv has no column 'longitude'; region coordinates need the columns region, latitude, longitude"))
        #expect(failure([["region", "lat", "lon"]] + rows, name: "flow") == "the data already have a column 'flow'; with coordinates the distances are computed and named 'flow'")
        // Two regions at one place: zero distance off the diagonal, which power cost rejects.
        var m = SpatialInteractionModel(flow: "flow", origin: "origin", destination: "destination", cost: "km")
        var same = try RegionCoordinates(Self.cities)
        same.latitude["Astana"] = same.latitude["Karaganda"]; same.longitude["Astana"] = same.longitude["Karaganda"]
        m.coordinates = same
        do { _ = try m.fit(Self.cityFlows); Issue.record("no error") } catch { #expect("\(error)".contains("off the diagonal") && "\(error)".contains("Astana → Karaganda")) }
    }

    @Test("Bad input: one sentence naming the rows, pairs or regions")
    func badInput() throws {
        func failure(_ table: Table, _ edit: (inout SpatialInteractionModel) -> Void = { _ in }) -> String {
            var m = Self.model("production-pow")
            edit(&m)
            do { _ = try m.fit(table); return "" } catch { return error.description }
        }
        func replacing(_ name: String, _ change: (inout [Double]) -> Void) -> Table {
            var v = Self.austria[name]!.numbers!
            change(&v)
            return try! Self.austria.adding(.numeric(name, v))
        }
        #expect(failure(replacing("flow") { $0[4] = -3 }).contains("row 5 (AT11 → AT31: -3)"))
        let zero = failure(replacing("distance") { $0[9] = 0 })
        #expect(zero.contains("off the diagonal") && zero.contains("row 10 (AT12 → AT13: 0)"))
        let missing = failure(replacing("destination_var") { v in for k in v.indices where k % 8 == 0 { v[k] = .nan } })
        #expect(missing.contains("no value for") && missing.contains("AT12"), "\(missing)")
        #expect(failure(Self.austria) { $0.destinationVariables = ["nope"] }.contains("unknown destination variable column 'nope'"))
        #expect(failure(Self.austria) { $0.originVariables = ["origin_var"] }.contains("absorb"))
        let doubled = try Table(columns: Self.austria.columns.map { $0.rows(Array(0..<72) + [3]) })
        #expect(failure(doubled).contains("appears more than once (rows 4 and 73)"))
        #expect(failure(replacing("flow") { v in for k in v.indices { v[k] = 0 } }) == "all 72 flows between the regions are zero: there is nothing to fit")
        // Missing flows are left out and counted, not an error.
        let fit = try Self.model("doubly-pow").fit(replacing("flow") { $0[0] = .nan })
        #expect(fit.exclusions == [InteractionExclusion(reason: .missingFlow, count: 1)] && fit.fitted.count == 71)
    }
}
