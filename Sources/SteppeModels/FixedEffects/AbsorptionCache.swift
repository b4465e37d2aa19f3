import Foundation

/// Demeaned columns kept between fits, so that refitting many variants of one linear
/// model with fixed effects absorbs each variable once.
///
/// Frisch–Waugh–Lovell makes the within regression of y on any subset S of the columns
/// of X equal to least squares of ỹ on X̃_S, where ˜ is the same fixed-effect projection for
/// every subset. So an extreme-bounds or specification search over k candidate regressors
/// needs k + 1 absorptions, not one per variant: pass one cache in
/// `EstimationOptions.absorptionCache` to every fit of frames derived from one frame
/// (`ModelFrame.selecting(columns:)`), and each fit demeans only the columns not yet cached.
///
/// Entries are keyed by the data the frame was built from (`ModelFrame.dataIdentity`), the
/// column's name, the estimation sample (its row numbers), the fixed effects, whether the
/// fit is weighted and the absorption tolerance, so a fit of other data with the same
/// column names, on another sample or with other fixed effects misses the cache instead
/// of reusing a wrong column. Used by OLS (whose weights do not change between iterations); IRLS fits re-weight
/// every iteration and warm-start instead.
///
/// Memory: one n-vector (plus the fixed-effect coefficients) per cached column.
/// Thread-safe: fits on several threads may share one cache.
public final class AbsorptionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: FixedEffectAbsorber.Result] = [:]
    private(set) var hits = 0
    private(set) var misses = 0

    public init() {}

    /// Columns demeaned so far.
    public var count: Int { lock.withLock { entries.count } }

    /// Lookups that found a demeaned column, and that had to demean one.
    public var statistics: (hits: Int, misses: Int) { lock.withLock { (hits, misses) } }

    /// Empties the cache.
    public func removeAll() { lock.withLock { entries.removeAll() } }

    /// The context part of a key: data, sample, fixed effects, weighting and tolerance.
    static func context(data: UUID, sample: [Int], fixedEffects: [Grouping], weighted: Bool, tolerance: Double) -> String {
        var hasher = Hasher()
        hasher.combine(sample)
        // Hasher is seeded per process, which is what a cache living in one process needs.
        return "data=\(data.uuidString)|n=\(sample.count)|h=\(hasher.finalize())|fe=\(fixedEffects.map(\.name).joined(separator: "+"))|w=\(weighted)|tol=\(tolerance)"
    }

    func value(for key: String) -> FixedEffectAbsorber.Result? {
        lock.withLock {
            let v = entries[key]
            if v == nil { misses += 1 } else { hits += 1 }
            return v
        }
    }

    func store(_ value: FixedEffectAbsorber.Result, for key: String) {
        lock.withLock { entries[key] = value }
    }
}
