import Foundation
import SteppeData
import SteppeNumerics

/// Monte Carlo over loose margins and the distance decay, through `FlowsFromMargins`
/// (`steppe sensitivity inputs --through flows`).
///
/// Draw d, on its own random stream (`Replicates.run`: the same seed gives the same bits
/// on any number of threads):
/// - margins M_d: every `InputInterval` on the departures or arrivals column drawn, row
///   (region) by row, as in the regression path;
/// - decay β_d = R_d + s·z_d: R_d drawn in the decay range [β_low, β_high] with the same
///   distribution as the intervals (triangular: mode at the central β), s the sampling
///   standard error of the calibration (`DecayCalibration.samplingStandardError`; 0 for a
///   range the user gives), z_d standard normal. The range is the decay's transfer
///   uncertainty (which country's β applies to Kazakhstan), s its estimation error;
/// - the flows F(M_d, β_d) by IPF, and two more for the variance split: F(M_d, β′_d) with
///   an independent β′_d, and F(M′_d, β_d) with independent margins M′_d.
///
/// Reported per flow (and per group of flows summed): the median and the 2.5% and 97.5%
/// quantiles of F(M_d, β_d) (R's type 7), and the first-order Sobol shares of its variance,
/// shareFromInputs = Var(E[F | M]) / Var(F) and shareFromDecay = Var(E[F | β]) / Var(F),
/// each by the pick-freeze estimator of Janon et al. (2014, ESAIM: P&S 18): for pairs
/// (y, y′) that share the factor, (mean(y·y′) − m²) / (mean((y² + y′²)/2) − m²) with
/// m = mean((y + y′)/2), clipped to [0, 1]. shareFromInputs is what the regression path
/// reports (there the rest is sampling; here the rest is the decay, its sampling error and
/// the interaction). A draw whose margins are invalid (a negative count) or whose IPF
/// does not converge is counted with the reason and left out.
extension InputUncertainty {
    /// The margins (a table with one row per region) and the distances between regions.
    public struct FlowInputs: Sendable {
        public let regions: [String]
        /// The margins and any `X_low`/`X_high` columns; one row per region, in `regions`' order.
        public let table: Table
        public let departuresColumn: String
        public let arrivalsColumn: String
        /// Distances in km, n × n.
        public let distances: [[Double]]
        public var decay: FlowsFromMargins.Decay = .power

        public init(regions: [String], table: Table, departuresColumn: String = "departures", arrivalsColumn: String = "arrivals",
                    distances: [[Double]], decay: FlowsFromMargins.Decay = .power) {
            self.regions = regions
            self.table = table
            self.departuresColumn = departuresColumn
            self.arrivalsColumn = arrivalsColumn
            self.distances = distances
            self.decay = decay
        }

        /// The flows model for the margins in `table`.
        func model(_ table: Table) throws(ModelError) -> FlowsFromMargins {
            var m = try FlowsFromMargins(regions: regions, departures: try InputInterval.numbers(table, departuresColumn),
                                         arrivals: try InputInterval.numbers(table, arrivalsColumn), distances: distances)
            m.decay = decay
            return m
        }
    }

    /// Where β is drawn: the range, its centre and the sampling error added.
    public struct DecayRange: Sendable {
        public let low: Double, high: Double, central: Double
        public let samplingStandardError: Double

        /// - Throws: `ModelError.invalidOption` when low > high, or a bound is not finite.
        public init(low: Double, high: Double, central: Double? = nil, samplingStandardError: Double = 0) throws(ModelError) {
            guard low.isFinite, high.isFinite, samplingStandardError.isFinite, samplingStandardError >= 0 else {
                throw .invalidOption("the decay range must be finite, got [\(low), \(high)]")
            }
            guard low <= high else { throw .invalidOption("--decay-range: the low end \(low) is above the high end \(high)") }
            self.low = low
            self.high = high
            self.central = min(max(central ?? (low + high) / 2, low), high)
            self.samplingStandardError = samplingStandardError
        }

        /// The range of a calibration: its smallest and largest β, its median and largest standard error.
        public init(_ c: DecayCalibration) throws(ModelError) {
            try self.init(low: c.low, high: c.high, central: c.central, samplingStandardError: c.samplingStandardError)
        }

        func draw(_ distribution: DrawDistribution, _ random: inout SeededRandom) throws(ModelError) -> Double {
            try distribution.draw(low, high, mode: central, &random) + samplingStandardError * random.nextNormal()
        }
    }

    /// A sum of flows to follow: origins to destinations (pairs i = j are skipped).
    public struct FlowGroup: Sendable {
        public let name: String
        public let origins: [Int]
        public let destinations: [Int]
        public init(name: String, origins: [Int], destinations: [Int]) {
            self.name = name
            self.origins = origins
            self.destinations = destinations
        }
    }

    public struct FlowsResult: Sendable {
        public let regions: [String]
        public let draws: Int
        /// Every pair i ≠ j, row by row (origin-major).
        public let flows: [FlowSummary]
        public let groups: [FlowSummary]
        public let decay: DecayRange
        public let failed: [(draw: Int, reason: String)]
    }

    /// Runs `draws` draws of the margins' `intervals` and the decay through the flows model.
    /// - Throws: `ModelError.invalidOption` for fewer than 2 draws, an interval on a column
    ///   other than the margins, invalid reported margins, or fewer than 2 usable draws.
    public static func runFlows(_ inputs: FlowInputs, intervals: [InputInterval], decay: DecayRange, groups: [FlowGroup] = [],
                                draws: Int, distribution: DrawDistribution = .uniform, seed: UInt64,
                                progress: ProgressHandler? = nil) throws(ModelError) -> FlowsResult {
        guard draws >= 2 else { throw .invalidOption("--draws must be at least 2, got \(draws)") }
        for interval in intervals {
            _ = try InputInterval.numbers(inputs.table, interval.column)
            guard [inputs.departuresColumn, inputs.arrivalsColumn].contains(interval.column) else {
                throw .invalidOption("--interval through flows draws the margins ('\(inputs.departuresColumn)', '\(inputs.arrivalsColumn)'), not '\(interval.column)'")
            }
        }
        if distribution == .loguniform && decay.low <= 0 && decay.high > decay.low {
            throw .invalidOption("--draw loguniform needs a decay range above 0, got [\(decay.low), \(decay.high)]; give --decay-range")
        }
        let base = try inputs.model(inputs.table).estimate(beta: decay.central)
        guard base.converged else { throw .invalidOption("the flows at the reported margins and β = \(decay.central) did not converge (IPF)") }
        let outcomes = Replicates.run(count: draws, seed: seed, progress: progress) { _, random in
            flowDraw(inputs, intervals: intervals, decay: decay, groups: groups, distribution: distribution, random: &random)
        }
        let failed = outcomes.enumerated().compactMap { d, o in o.failure.map { (draw: d, reason: $0) } }
        let ok = outcomes.filter { $0.failure == nil }
        guard ok.count >= 2 else { throw .invalidOption("only \(ok.count) of \(draws) draws could be used: " + (failed.first?.reason ?? "")) }
        let baseValues = flowValues(base.flows, groups)
        let names = pairNames(inputs.regions) + groups.map { ($0.name, "", "") }
        let summaries = names.indices.map { k in
            FlowSummary(names[k], estimate: baseValues[k], ok.map { ($0.joint[k], $0.otherDecay[k], $0.otherMargins[k]) })
        }
        let pairs = inputs.regions.count * (inputs.regions.count - 1)
        return FlowsResult(regions: inputs.regions, draws: draws, flows: Array(summaries[..<pairs]), groups: Array(summaries[pairs...]), decay: decay, failed: failed)
    }

    /// One draw's three flow vectors (pairs, then groups), or why not.
    struct FlowDraw: Sendable {
        var joint: [Double] = [], otherDecay: [Double] = [], otherMargins: [Double] = []
        var failure: String? = nil
    }

    static func flowDraw(_ inputs: FlowInputs, intervals: [InputInterval], decay: DecayRange, groups: [FlowGroup],
                         distribution: DrawDistribution, random: inout SeededRandom) -> FlowDraw {
        do {
            func margins(_ random: inout SeededRandom) throws(ModelError) -> FlowsFromMargins {
                var t = inputs.table
                for interval in intervals { t = try interval.draw(into: t, distribution: distribution, random: &random) }
                return try inputs.model(t)
            }
            let m = try margins(&random), beta = try decay.draw(distribution, &random)
            let beta2 = try decay.draw(distribution, &random), m2 = try margins(&random)
            var out = FlowDraw()
            for (model, b) in [(m, beta), (m, beta2), (m2, beta)] {
                let e = try model.estimate(beta: b)
                guard e.converged else { return FlowDraw(failure: "IPF did not converge in \(e.iterations) iterations (β = \(b))") }
                let v = flowValues(e.flows, groups)
                if out.joint.isEmpty { out.joint = v } else if out.otherDecay.isEmpty { out.otherDecay = v } else { out.otherMargins = v }
            }
            return out
        } catch {
            return FlowDraw(failure: "\(error)")
        }
    }

    /// The pairs i ≠ j row by row, then each group's sum.
    static func flowValues(_ t: [[Double]], _ groups: [FlowGroup]) -> [Double] {
        var v: [Double] = []
        for i in t.indices { for j in t.indices where i != j { v.append(t[i][j]) } }
        for g in groups {
            var s = 0.0
            for i in g.origins { for j in g.destinations where i != j { s += t[i][j] } }
            v.append(s)
        }
        return v
    }

    static func pairNames(_ regions: [String]) -> [(String, String, String)] {
        var out: [(String, String, String)] = []
        for i in regions.indices { for j in regions.indices where i != j { out.append((regions[i] + " → " + regions[j], regions[i], regions[j])) } }
        return out
    }
}
