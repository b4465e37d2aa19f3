import Foundation
@_spi(SteppeInternal) import SteppeNumerics

/// The wild weights of every replicate: replicate b's G weights are drawn from stream b,
/// `SeededRandom(seed:).stream(b)`, cluster by cluster in the order of the estimation
/// sample (see `BootstrapWeights` for each distribution), or, under full enumeration, are
/// the b-th sign vector in the order of Python's `itertools.product([-1, 1], repeat: G)`
/// (wildboottest's): cluster g is +1 when bit G − 1 − g of b is set. Either way a
/// replicate's weights do not depend on which thread draws them or on how replicates are
/// grouped, so results are the same bits on any number of threads.
struct WildWeightDraws: Sendable {
    let clusters: Int
    /// Replicates drawn: B, or 2^G when enumerated.
    let replicates: Int
    let enumerated: Bool
    let kind: BootstrapWeights
    /// The replicates' streams (empty when enumerated).
    private let streams: [SeededRandom]

    /// Full enumeration when the weights are Rademacher and 2^G ≤ B (boottest's and
    /// fwildclusterboot's rule), else B random draws.
    init(clusters g: Int, requested b: Int, kind: BootstrapWeights, seed: UInt64) {
        clusters = g
        self.kind = kind
        if kind == .rademacher && g < 62 && (1 << g) <= b {
            enumerated = true
            replicates = 1 << g
            streams = []
        } else {
            enumerated = false
            replicates = b
            streams = Replicates.streams(count: b, seed: seed)
        }
    }

    /// Writes replicate b's G weights into `out` (G elements).
    func weights(_ b: Int, into out: UnsafeMutablePointer<Double>) {
        if enumerated {
            for g in 0..<clusters { out[g] = (b >> (clusters - 1 - g)) & 1 == 1 ? 1 : -1 }
            return
        }
        var random = streams[b]
        for g in 0..<clusters { out[g] = Self.draw(kind, &random) }
    }

    /// One weight of distribution `kind` (see `BootstrapWeights` for the exact rules).
    @inline(__always)
    static func draw(_ kind: BootstrapWeights, _ random: inout SeededRandom) -> Double {
        switch kind {
        case .rademacher:
            return random.nextUniform() < 0.5 ? -1 : 1
        case .webb:
            return webbPoints[random.nextInt(below: 6)]
        case .mammen:
            return random.nextUniform() < mammenLowProbability ? mammenLow : mammenHigh
        case .normal:
            return random.nextNormal()
        }
    }

    /// −√(3/2), −1, −√(1/2), √(1/2), 1, √(3/2).
    static let webbPoints: [Double] = [-(1.5).squareRoot(), -1, -(0.5).squareRoot(), (0.5).squareRoot(), 1, (1.5).squareRoot()]
    static let mammenLow = -((5.0).squareRoot() - 1) / 2
    static let mammenHigh = ((5.0).squareRoot() + 1) / 2
    static let mammenLowProbability = ((5.0).squareRoot() + 1) / (2 * (5.0).squareRoot())

    /// `body(range, weights)` for consecutive blocks of replicates on all cores, with the
    /// block's weights column-major (G × range.count); the results in block order. Blocks
    /// depend only on the replicate count, never on the number of threads; `serial` runs
    /// them one after the other on the calling thread (the one-thread case, for tests).
    func blocks<T: Sendable>(size: Int = 512, serial: Bool = false,
                             _ body: @Sendable (Range<Int>, UnsafeBufferPointer<Double>) -> T) -> [T] {
        let count = (replicates + size - 1) / size
        let block: @Sendable (Int) -> T = { k in
            let range = (k * size)..<min(replicates, (k + 1) * size)
            var v = [Double](repeating: 0, count: clusters * range.count)
            v.withUnsafeMutableBufferPointer { p in
                for (c, b) in range.enumerated() { weights(b, into: p.baseAddress! + c * clusters) }
            }
            return v.withUnsafeBufferPointer { body(range, $0) }
        }
        return serial ? (0..<count).map(block) : Parallel.map(count, block)
    }
}
