/// A seeded, splittable pseudo-random number generator: xoshiro256** (Blackman & Vigna, 2018),
/// its state filled from the seed by SplitMix64.
///
/// Same seed, same numbers, on every machine and in every run. For parallel work
/// (bootstrap replicates on several threads) take independent streams with
/// `stream(_:)` or `split()`: stream k starts k·2¹²⁸ draws further along the same
/// sequence (the generator's jump polynomial), so streams never overlap in practice
/// and results do not depend on how work is scheduled. Period 2²⁵⁶ − 1.
///
/// Conforms to `RandomNumberGenerator`, so it works with `shuffled(using:)` and friends;
/// but those standard-library algorithms may change between Swift versions, while
/// `nextUniform()`, `nextInt(below:)` and `nextNormal()` are Steppe's and stay fixed.
public struct SeededRandom: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose state is SplitMix64's first four outputs from `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Advances the state by 2¹²⁸ draws (the published jump polynomial).
    public mutating func jump() {
        let polynomial: [UInt64] = [0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C, 0xA958_2618_E03F_C9AA, 0x39AB_DC45_29B1_661C]
        var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0
        for word in polynomial {
            for bit in 0..<64 {
                if word & (UInt64(1) << UInt64(bit)) != 0 {
                    t0 ^= s0; t1 ^= s1; t2 ^= s2; t3 ^= s3
                }
                _ = next()
            }
        }
        s0 = t0; s1 = t1; s2 = t2; s3 = t3
    }

    /// Stream k of this generator: a copy advanced by (k + 1)·2¹²⁸ draws. Complexity: O(k).
    public func stream(_ k: Int) -> SeededRandom {
        precondition(k >= 0, "stream index must be non-negative")
        var g = self
        for _ in 0...k { g.jump() }
        return g
    }

    /// Returns a generator for a new, non-overlapping stream and moves this one past it:
    /// the child starts 2¹²⁸ draws ahead, and this generator continues 2·2¹²⁸ ahead.
    public mutating func split() -> SeededRandom {
        jump()
        let child = self
        jump()
        return child
    }

    /// A uniform double in [0, 1) with 53 random bits: (next() >> 11)·2⁻⁵³.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in 0..<n, without bias (Lemire's multiply-and-reject). Traps when n ≤ 0.
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0, "nextInt(below:) needs a positive bound")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// A standard normal variate by inversion, Φ⁻¹(u) with u uniform on (0, 1):
    /// one uniform per variate, so streams stay aligned, and exact tails.
    public mutating func nextNormal() -> Double {
        var u = 0.0
        repeat { u = nextUniform() } while u == 0
        return Normal.standardQuantile(u)
    }
}
