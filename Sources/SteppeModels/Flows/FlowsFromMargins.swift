import Foundation

/// Origin–destination flows estimated from margins: a doubly constrained gravity model
/// fitted by iterative proportional fitting.
///
/// Model: T_ij = a_i · b_j · f(d_ij) for i ≠ j (T_ii = 0: moves between regions only),
/// with the balancing factors a, b chosen so that every row sums to the departures O_i
/// and every column to the arrivals D_j. IPF (Deming–Stephan; R migest's `ipf2` with the
/// distance-decay matrix as its offset `m`) starts from T = f(d) and alternately scales
/// rows and columns to their margins. Stops when the largest margin error, relative to
/// the margin total, is below `tolerance` (default 1e-10; migest's default is 1e-5
/// absolute), or after `maximumIterations` (default 10,000), which is reported.
///
/// Decay f: `power` d^(−β) (the log-linear gravity model's; default, β = 1 is the
/// distance elasticity most gravity estimates of internal migration land near) or
/// `exponential` exp(−β·d/100 km). The margins must have equal totals; when they do
/// not (data on arrivals and departures rarely balance exactly), the arrivals are scaled
/// to the departures' total and the factor is reported.
///
/// These are estimates: the margins and a distance-decay assumption determine them, and
/// nothing else. `sweep(_:)` shows how they move with β.
public struct FlowsFromMargins: Sendable {
    /// The distance-decay function.
    public enum Decay: String, Sendable, Codable, CaseIterable {
        case power, exponential

        /// f(d) for decay parameter β: d^(−β), or exp(−β·d/100 km).
        public func weight(_ distanceKm: Double, _ beta: Double) -> Double {
            switch self {
            case .power: return pow(distanceKm, -beta)
            case .exponential: return exp(-beta * distanceKm / 100)
            }
        }
    }

    /// Region labels.
    public let regions: [String]
    /// Departures O_i.
    public let departures: [Double]
    /// Arrivals D_j.
    public let arrivals: [Double]
    /// Distances d_ij in km (row-major n × n; the diagonal is ignored).
    public let distances: [[Double]]
    /// The decay function. Default `.power`.
    public var decay: Decay = .power
    /// IPF stops when the largest margin error, relative to the total, is below this. Default 1e-10.
    public var tolerance = 1e-10
    /// Upper limit on IPF iterations (reported when reached). Default 10,000.
    public var maximumIterations = 10_000

    /// The model for these margins and distances.
    /// - Throws: `ModelError.invalidOption` for mismatched sizes, negative or non-finite
    ///   margins, non-positive distances between different regions, or all-zero departures.
    public init(regions: [String], departures: [Double], arrivals: [Double], distances: [[Double]]) throws(ModelError) {
        let n = regions.count
        guard n >= 2 else { throw .invalidOption("flows need at least two regions") }
        guard departures.count == n, arrivals.count == n, distances.count == n, distances.allSatisfy({ $0.count == n }) else {
            throw .invalidOption("flows: \(n) regions but \(departures.count) departures, \(arrivals.count) arrivals and a \(distances.count)-row distance matrix")
        }
        for (i, v) in departures.enumerated() where !(v.isFinite && v >= 0) { throw .invalidOption("flows: departures of \(regions[i]) are \(v); they must be finite and ≥ 0") }
        for (i, v) in arrivals.enumerated() where !(v.isFinite && v >= 0) { throw .invalidOption("flows: arrivals of \(regions[i]) are \(v); they must be finite and ≥ 0") }
        for i in 0..<n { for j in 0..<n where i != j && !(distances[i][j].isFinite && distances[i][j] > 0) {
            throw .invalidOption("flows: the distance from \(regions[i]) to \(regions[j]) is \(distances[i][j]) km; distances between regions must be positive (two regions at one point cannot be told apart)")
        } }
        guard departures.reduce(0, +) > 0 else { throw .invalidOption("flows: every departure count is 0") }
        self.regions = regions
        self.departures = departures
        self.arrivals = arrivals
        self.distances = distances
    }

    /// An estimated flow matrix and how the fit ended.
    public struct Estimate: Sendable {
        /// β used.
        public let beta: Double
        /// T_ij (row-major), zero on the diagonal.
        public let flows: [[Double]]
        /// IPF iterations (one row and one column scaling each).
        public let iterations: Int
        /// Largest margin error relative to the total at the end.
        public let marginError: Double
        /// Whether the tolerance was met.
        public let converged: Bool
        /// Σ departures / Σ arrivals, the factor the arrivals were scaled by (1 when they balance).
        public let arrivalsScale: Double
        /// Mean distance of a move, Σ T_ij d_ij / Σ T_ij, in km.
        public let meanDistanceKm: Double
    }

    /// The flows for decay parameter `beta`.
    public func estimate(beta: Double) throws(ModelError) -> Estimate {
        guard beta.isFinite else { throw .invalidOption("flows: the decay parameter must be finite, got \(beta)") }
        let n = regions.count
        let total = departures.reduce(0, +)
        let scale = total / max(arrivals.reduce(0, +), .leastNonzeroMagnitude)
        let target = arrivals.map { $0 * scale }
        var t = (0..<n).map { i in (0..<n).map { j in i == j ? 0 : decay.weight(distances[i][j], beta) } }
        var iterations = 0, error = Double.infinity
        while iterations < maximumIterations {
            iterations += 1
            for i in 0..<n {
                let s = t[i].reduce(0, +)
                let f = s > 0 ? departures[i] / s : 0
                for j in 0..<n { t[i][j] *= f }
            }
            for j in 0..<n {
                var s = 0.0
                for i in 0..<n { s += t[i][j] }
                let f = s > 0 ? target[j] / s : 0
                for i in 0..<n { t[i][j] *= f }
            }
            // Columns are exact after the column step; measure the rows.
            error = 0
            for i in 0..<n { error = max(error, abs(t[i].reduce(0, +) - departures[i])) }
            for j in 0..<n {
                var s = 0.0
                for i in 0..<n { s += t[i][j] }
                error = max(error, abs(s - target[j]))
            }
            error /= total
            if error < tolerance { break }
        }
        var moved = 0.0, km = 0.0
        for i in 0..<n { for j in 0..<n where i != j { moved += t[i][j]; km += t[i][j] * distances[i][j] } }
        return Estimate(beta: beta, flows: t, iterations: iterations, marginError: error, converged: error < tolerance,
                        arrivalsScale: scale, meanDistanceKm: moved > 0 ? km / moved : .nan)
    }

    /// Estimates for each β in `betas`.
    public func sweep(_ betas: [Double]) throws(ModelError) -> [Estimate] {
        var out: [Estimate] = []
        for b in betas { out.append(try estimate(beta: b)) }
        return out
    }
}
