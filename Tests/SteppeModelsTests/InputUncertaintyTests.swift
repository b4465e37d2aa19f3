import Foundation
import SteppeData
import SteppeModels
import SteppeNumerics
import SteppeTestFixtures
import Testing

/// The Monte Carlo over input intervals against closed forms: for OLS with the outcome
/// multiplied row by row by f ~ U(a, b), β̂_d = (XᵀX)⁻¹Xᵀ(y∘f) has the exact variance
/// (XᵀX)⁻¹ Xᵀ diag(yᵢ²)X (XᵀX)⁻¹ · (b − a)²/12 (the sampling part grows too, as the noise
/// enters the residuals); with a zero-width interval, β* is normal
/// around β̂ with the fit's standard error.
@Suite("Sensitivity: input intervals by Monte Carlo")
struct InputUncertaintyTests {
    static func data() throws -> Table {
        var g = SeededRandom(seed: 77)
        let x = (0..<200).map { _ in g.nextNormal() }
        let y = x.map { 2 + 0.5 * $0 + 0.3 * g.nextNormal() }
        return try Table(columns: [.numeric("x", x), .numeric("y", y)])
    }

    /// The exact standard deviation of the slope under y∘f, f ~ U(a, b) per row.
    static func exactSlopeStdDev(_ table: Table, a: Double, b: Double) throws -> Double {
        let x = try table.column("x").numbers!, y = try table.column("y").numbers!
        let n = Double(x.count), sx = x.reduce(0, +), sxx = x.reduce(0) { $0 + $1 * $1 }
        // (XᵀX)⁻¹ for X = [1, x]; the slope row is (−sx, n)/det.
        let det = n * sxx - sx * sx
        let row = x.map { (-sx + n * $0) / det }              // slope = Σ rowᵢ · yᵢfᵢ
        let variance = zip(row, y).reduce(0) { $0 + $1.0 * $1.0 * $1.1 * $1.1 } * (b - a) * (b - a) / 12
        return variance.squareRoot()
    }

    @Test("the spread from the inputs matches the closed form; the sampling part is the fit's")
    func closedForm() throws {
        let table = try Self.data()
        let r = try InputUncertainty.run(table, formula: "y ~ x", model: .ols, options: EstimationOptions(covariance: .iid),
                                         intervals: [InputInterval(parsing: "y*=0.8:1.2")], draws: 2000, seed: 3)
        let slope = try #require(r.terms.first { $0.term == "x" })
        let exact = try Self.exactSlopeStdDev(table, a: 0.8, b: 1.2)
        #expect(abs(slope.inputStdDev / exact - 1) < 0.05, "\(slope.inputStdDev) vs exact \(exact)")
        let total = slope.inputStdDev * slope.inputStdDev + slope.samplingStdDev * slope.samplingStdDev
        #expect(abs(slope.shareFromInputs - slope.inputStdDev * slope.inputStdDev / total) < 1e-12)
        #expect(r.failed.isEmpty && r.draws == 2000)
    }

    @Test("a zero-width interval leaves only sampling error: β̂ ± 1.96 s.e.")
    func zeroWidth() throws {
        let table = try Self.data()
        let r = try InputUncertainty.run(table, formula: "y ~ x", model: .ols, options: EstimationOptions(covariance: .iid),
                                         intervals: [InputInterval(parsing: "y*=1:1")], draws: 2000, seed: 5)
        let fit = try Estimator.fit(table, formula: "y ~ x", model: .ols, options: EstimationOptions(covariance: .iid))
        let b = try #require(fit.coefficient("x")), slope = try #require(r.terms.first { $0.term == "x" })
        #expect(slope.shareFromInputs == 0 && slope.inputStdDev == 0)
        #expect(abs(slope.median - b.estimate) < 0.05 * b.standardError)
        #expect(abs((slope.q975 - b.estimate) / (1.959964 * b.standardError) - 1) < 0.06)
        #expect(abs((b.estimate - slope.q025) / (1.959964 * b.standardError) - 1) < 0.06)
    }

    @Test("the same seed gives the same bits; intervals carried by the data are found")
    func seededAndCarried() throws {
        let table = try Self.data()
        let y = try table.column("y").numbers!
        let withBounds = try table.adding(.numeric("y_low", y.map { $0 - 0.1 })).adding(.numeric("y_high", y.map { $0 + 0.1 }))
        let carried = InputInterval.carried(by: withBounds, for: ["x", "y"])
        #expect(carried.map(\.column) == ["y"])
        func run(_ seed: UInt64) throws -> [Double] {
            try InputUncertainty.run(withBounds, formula: "y ~ x", model: .ols, options: EstimationOptions(), intervals: carried,
                                     draws: 50, distribution: .triangular, seed: seed).terms.flatMap { [$0.median, $0.q025, $0.q975] }
        }
        #expect(try run(9) == run(9))
        #expect(try run(9) != run(10))
    }

    @Test("bad intervals and too few draws are one-line errors")
    func badInput() throws {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return "\(error)" }
        }
        #expect(message { _ = try InputInterval(parsing: "y=3:1") } == "--interval 'y=3:1': the low end 3.0 is above the high end 1.0")
        #expect(message { _ = try InputInterval(parsing: "y~1:2") }.contains("is not COLUMN=LOW:HIGH"))
        let table = try Self.data()
        #expect(message { _ = try InputUncertainty.run(table, formula: "y ~ x", model: .ols, options: EstimationOptions(),
                                                       intervals: [InputInterval(parsing: "z*=0.9:1.1")], draws: 10, seed: 1) }
                .contains("no column named 'z'"))
        #expect(message { _ = try InputUncertainty.run(table, formula: "y ~ x", model: .ols, options: EstimationOptions(),
                                                       intervals: [InputInterval(parsing: "y*=0.9:1.1")], draws: 1, seed: 1) }
                == "--draws must be at least 2, got 1")
    }

    // MARK: through the flows model

    /// Five regions on a line of points 150 km apart, with unbalanced margins.
    static func flowInputs(intervals: Bool = true) throws -> InputUncertainty.FlowInputs {
        let regions = ["A", "B", "C", "D", "E"]
        let departures = [12_000.0, 8_000, 20_000, 5_000, 9_000], arrivals = [10_000.0, 9_000, 18_000, 7_000, 11_000]
        let km = regions.indices.map { i in regions.indices.map { j in 150 * abs(Double(i - j)) + (i == j ? 0 : 20) } }
        let table = try Table(columns: [.text("region", regions), .numeric("departures", departures), .numeric("arrivals", arrivals)])
        return InputUncertainty.FlowInputs(regions: regions, table: table, distances: km)
    }

    static let everything = InputUncertainty.FlowGroup(name: "all", origins: Array(0..<5), destinations: Array(0..<5))

    @Test("through flows: the total of all flows is Σ departures whatever β, so its spread is the closed form of the margins' and none comes from the decay")
    func flowsClosedForm() throws {
        let inputs = try Self.flowInputs()
        let r = try InputUncertainty.runFlows(inputs, intervals: [InputInterval(parsing: "departures*=0.9:1.1")],
                                              decay: .init(low: 0.5, high: 2.5), groups: [Self.everything], draws: 2000, seed: 11)
        let total = try #require(r.groups.first)
        let departures = try inputs.table.column("departures").numbers!
        // Σ O_i f_i with f_i ~ U(0.9, 1.1) independent: variance Σ O_i² · 0.2²/12.
        let exact = (departures.reduce(0) { $0 + $1 * $1 } * 0.04 / 12).squareRoot()
        #expect(abs(total.stdDev / exact - 1) < 0.05, "\(total.stdDev) vs \(exact)")
        #expect(total.shareFromInputs > 0.999_999 && total.shareFromDecay < 0.1, "\(total.shareFromInputs) \(total.shareFromDecay)")
        #expect(abs(total.estimate - departures.reduce(0, +)) < 1e-6 * total.estimate)
        #expect(r.failed.isEmpty && r.flows.count == 20 && r.flows[0].name == "A → B")
    }

    @Test("through flows: fixed margins leave only the decay (share 1, exactly), a fixed β only the margins; the median follows the middle β")
    func flowsSharesAtTheEdges() throws {
        let inputs = try Self.flowInputs()
        let decayOnly = try InputUncertainty.runFlows(inputs, intervals: [InputInterval(parsing: "departures*=1:1")],
                                                      decay: .init(low: 0.5, high: 2.5), draws: 2001, seed: 4)
        let model = try FlowsFromMargins(regions: inputs.regions, departures: [12_000, 8_000, 20_000, 5_000, 9_000],
                                         arrivals: [10_000, 9_000, 18_000, 7_000, 11_000], distances: inputs.distances)
        let middle = try model.estimate(beta: 1.5).flows
        for f in decayOnly.flows { #expect(f.shareFromDecay == 1 && f.shareFromInputs < 0.1, "\(f.name): \(f.shareFromInputs)") }
        // A → E (600 km) falls with β: its median is the flow at the median β (1.5 for U(0.5, 2.5)).
        let far = try #require(decayOnly.flows.first { $0.name == "A → E" })
        #expect(abs(far.median / middle[0][4] - 1) < 0.1, "\(far.median) vs \(middle[0][4])")
        #expect(abs(far.estimate - middle[0][4]) < 1e-9 * far.estimate)
        let marginsOnly = try InputUncertainty.runFlows(inputs, intervals: [InputInterval(parsing: "arrivals*=0.8:1.2")],
                                                        decay: .init(low: 1, high: 1), draws: 200, seed: 4)
        for f in marginsOnly.flows { #expect(f.shareFromInputs == 1 && f.shareFromDecay < 0.2) }
    }

    @Test("through flows: the same seed gives the same bits (draws on their own streams, in order), another seed other bits")
    func flowsSeeded() throws {
        let inputs = try Self.flowInputs()
        func run(_ seed: UInt64, _ draws: Int = 60) throws -> [Double] {
            try InputUncertainty.runFlows(inputs, intervals: [InputInterval(parsing: "departures*=0.9:1.1")],
                                          decay: .init(low: 0.5, high: 2, central: 1, samplingStandardError: 0.1),
                                          groups: [Self.everything], draws: draws, distribution: .triangular, seed: seed)
                .flows.flatMap { [$0.median, $0.q025, $0.q975, $0.shareFromInputs, $0.shareFromDecay] }
        }
        #expect(try run(9) == run(9))
        #expect(try run(9) != run(10))
    }

    @Test("through flows: a negative drawn margin is a counted failure with its reason; bad input is a one-line error")
    func flowsFailuresAndErrors() throws {
        let inputs = try Self.flowInputs()
        let r = try InputUncertainty.runFlows(inputs, intervals: [InputInterval(parsing: "departures=-2000:6000")],
                                              decay: .init(low: 1, high: 1), draws: 40, seed: 2)
        #expect(!r.failed.isEmpty && r.failed.count < 40)
        #expect(r.failed.allSatisfy { $0.reason.contains("they must be finite and ≥ 0") })
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return "\(error)" }
        }
        #expect(message { _ = try InputUncertainty.DecayRange(low: 2, high: 1) } == "--decay-range: the low end 2.0 is above the high end 1.0")
        #expect(message { _ = try InputUncertainty.runFlows(inputs, intervals: [], decay: .init(low: 1, high: 1), draws: 1, seed: 1) }
                == "--draws must be at least 2, got 1")
        #expect(message { _ = try InputUncertainty.runFlows(inputs, intervals: [InputInterval(parsing: "nowhere*=0.9:1.1")],
                                                            decay: .init(low: 1, high: 1), draws: 10, seed: 1) }.contains("no column named 'nowhere'"))
        #expect(message { _ = try InputUncertainty.runFlows(inputs, intervals: [InputInterval(parsing: "region*=0.9:1.1")],
                                                            decay: .init(low: 1, high: 1), draws: 10, seed: 1) }.contains("not numeric"))
    }

    @Test("the decay calibration on the bundled Korean, Dutch and Italian matrices equals pyfixest's PPML (β to 1e-8, statsmodels too; stacked s.e. to 1e-4)")
    func decayCalibration() throws {
        let reference = try FixtureDirectory(target: "SteppeModelsTests").json("inputs/decay_reference.json")
        let centres = reference["italyAreaCentres"] as! [String: [String: Double]]
        for (area, c) in centres {
            let mine = try #require(DecayCalibration.italyAreaCentres[area])
            #expect(abs(mine.lat - c["lat"]!) < 1e-12 && abs(mine.lon - c["lon"]!) < 1e-12, "\(area)")
        }
        for decay in FlowsFromMargins.Decay.allCases {
            let calibration = try DecayCalibration.bundled(decay: decay)
            let expected = reference[decay.rawValue] as! [String: Any], stacked = expected["stacked"] as! [String: Any]
            #expect(calibration.countries.map(\.dataset) == DecayCalibration.datasets)
            for c in calibration.countries {
                let alone = expected[c.dataset] as! [String: Any], joint = stacked[c.dataset] as! [String: Double]
                let beta = alone["beta"] as! Double
                #expect(abs(c.beta - beta) < 1e-8 * max(1, abs(beta)), "\(decay) \(c.dataset): \(c.beta) vs \(beta)")
                if let sm = alone["betaStatsmodels"] as? Double { #expect(abs(c.beta - sm) < 1e-7 * max(1, abs(sm))) }
                #expect(abs(c.standardError / joint["stdError"]! - 1) < 1e-4, "\(decay) \(c.dataset) s.e.")
                #expect(c.observations == alone["nobs"] as! Int)
            }
            let range = try InputUncertainty.DecayRange(calibration)
            let betas = calibration.countries.map(\.beta).sorted()
            #expect(range.low == betas[0] && range.high == betas[2] && range.central == betas[1])
            #expect(range.samplingStandardError == calibration.countries.map(\.standardError).max()!)
        }
    }
}
