/// The limb layout of `ExactSum`, its carry propagation and the final rounding, and the
/// flat integer form for combining partial sums across processes (MPI_Allreduce with
/// MPI_SUM on MPI_INT64_T).
extension ExactSum {
    /// Limbs 0…65, each a 32-bit digit worth 2³²ⁱ⁻¹⁰⁷⁴ once canonical.
    @inlinable public static var digitCount: Int { 66 }
    /// The index of the top limb, the signed ⌊S / 2¹⁰³⁸⌋ once canonical.
    @inlinable public static var topIndex: Int { 66 }
    /// The index of the count of NaNs added.
    @inlinable public static var nanSlot: Int { 67 }
    /// The index of the count of +∞ added.
    @inlinable public static var positiveInfinitySlot: Int { 68 }
    /// The index of the count of −∞ added.
    @inlinable public static var negativeInfinitySlot: Int { 69 }
    /// The length of `limbs`: 66 digits, the top limb, and the three counts.
    @inlinable public static var limbCount: Int { 70 }

    /// The most digit-limb load, in units of 2³²: 2³¹ − 1, so that every digit limb stays
    /// below (2³¹ − 1)·2³² < 2⁶³ in magnitude. It is also the number of canonical `limbs`
    /// arrays (load 1 each, digits below 2³²) that may be summed elementwise before
    /// `init(limbs:)`.
    @inlinable public static var maximumLoad: Int { 1 << 31 - 1 }

    /// The load of one addition, 2²⁰ units of 2³²: no limb gains 2⁵² or more. From canonical
    /// (load 1), 2047 additions fit before a normalisation.
    @inlinable static var additionLoad: Int { 1 << 20 }

    /// The bit pattern of +∞.
    static let infinityBits: UInt64 = 0x7FF0_0000_0000_0000

    /// Propagates the carries: every digit limb into [0, 2³²) and what carries out of limb 65
    /// into the top limb, without changing the value and without overflow for any limb
    /// values (each limb is split into its low 32 bits and the rest before the incoming
    /// carry, |carry| ≤ 2³¹ + 1, is added to the low part). Traps only if the top limb
    /// overflows, which needs 2⁷⁷ additions of the largest double.
    static func propagateCarries(_ p: UnsafeMutableBufferPointer<Int64>) {
        var carry: Int64 = 0
        for i in 0..<digitCount {
            let limb = p[i]
            let low = (limb & 0xFFFF_FFFF) + carry
            p[i] = low & 0xFFFF_FFFF
            carry = (limb >> 32) + (low >> 32)
        }
        p[topIndex] += carry
    }

    /// Puts the limbs in canonical form (digits in [0, 2³²), the top limb signed): O(67).
    /// Runs by itself once every 2047 additions; call it only to compare limbs.
    public mutating func normalize() {
        withLimbs { Self.propagateCarries($0) }
        load = 1
    }

    /// The accumulator as `limbCount` integers, in canonical form: limbs 0…65 (32-bit digits,
    /// least significant first), the top limb (index `topIndex`) and the counts of NaN, +∞
    /// and −∞ (indices `nanSlot`, `positiveInfinitySlot`, `negativeInfinitySlot`).
    ///
    /// For combining K partial sums, sum K such arrays elementwise (MPI_Allreduce with
    /// MPI_SUM on MPI_INT64_T, in any order and any reduction tree: integer addition is
    /// exact) and rebuild with `init(limbs:)`. Headroom: each digit of a canonical array is
    /// below 2³², so up to `maximumLoad` = 2³¹ − 1 arrays can be summed without overflow; the
    /// top limb, ⌊S / 2¹⁰³⁸⌋, and the counts stay far below 2⁶³ for any feasible number of
    /// additions (2⁷⁷ of the largest double would be needed).
    public var limbs: [Int64] {
        var copy = self
        copy.normalize()
        return copy.withLimbs { Array($0) }
    }

    /// The accumulator whose `limbs` are `limbs` (normalised on the way), or the elementwise
    /// sum of at most `maximumLoad` canonical `limbs` arrays: then it holds the exact sum
    /// of everything the partial accumulators held. Traps (a programmer error) unless
    /// `limbs.count == limbCount` and the three counts are non-negative.
    public init(limbs: [Int64]) {
        precondition(limbs.count == Self.limbCount, "ExactSum(limbs:) needs \(Self.limbCount) limbs, got \(limbs.count)")
        precondition(limbs[Self.nanSlot...].allSatisfy { $0 >= 0 }, "ExactSum(limbs:): negative non-finite counts")
        storage = Self.zeroStorage
        load = 1
        withLimbs { p in for i in 0..<Self.limbCount { p[i] = limbs[i] } }
        normalize()
    }

    /// The bit pattern of the canonical, non-negative sum in `p` (top limb 0) rounded to
    /// nearest, ties to even: the 64 bits below the leading one, a sticky bit for the rest,
    /// then round; +∞'s pattern when the rounded value reaches 2¹⁰²⁴. Exact below 2⁵³·2⁻¹⁰⁷⁴,
    /// where the integer of the digits is the bit pattern itself (subnormals, then the
    /// normals of biased exponent 1).
    static func roundedMagnitudeBits(_ p: UnsafeMutableBufferPointer<Int64>) -> UInt64 {
        guard let h = (0..<digitCount).last(where: { p[$0] != 0 }) else { return 0 }
        let leadingDigit = UInt64(p[h])
        let width = 32 - UInt32(truncatingIfNeeded: leadingDigit).leadingZeroBitCount    // 1…32
        let leading = 32 * h + width - 1                            // the leading bit of S·2¹⁰⁷⁴
        if leading <= 52 { return UInt64(p[1]) << 32 | UInt64(p[0]) }
        let below = UInt64(p[h - 1]) << 32 | (h >= 2 ? UInt64(p[h - 2]) : 0)
        let window = leadingDigit << (64 - width) | below >> width  // leading bit at 63
        var sticky = below & (UInt64(1) << width - 1) != 0 || window & 0x3FF != 0
        if !sticky && h >= 3 { sticky = (0..<(h - 2)).contains { p[$0] != 0 } }
        let significand = window >> 11                              // 53 bits
        let roundBit = window >> 10 & 1
        let up: UInt64 = roundBit == 1 && (sticky || significand & 1 == 1) ? 1 : 0
        // (leading − 52)·2⁵² plus the significand with its implicit bit is the pattern; a
        // round-up that carries into bit 53 moves to the next binade by itself.
        let bits = UInt64(leading - 52) << 52 + significand + up
        return min(bits, infinityBits)
    }
}

/// The inline storage: seven tuples of ten Int64, contiguous like a C array of 70 (a
/// homogeneous tuple has its elements' layout), so one pointer reaches every limb without
/// the allocation, uniqueness check and bounds checks of an Array.
extension ExactSum {
    @usableFromInline typealias Ten = (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64)
    @usableFromInline typealias Storage = (Ten, Ten, Ten, Ten, Ten, Ten, Ten)

    @inlinable static var zeroStorage: Storage {
        let zero: Ten = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        return (zero, zero, zero, zero, zero, zero, zero)
    }

    /// Runs `body` on the `limbCount` limbs as one buffer.
    @inlinable @inline(__always)
    mutating func withLimbs<R>(_ body: (UnsafeMutableBufferPointer<Int64>) -> R) -> R {
        withUnsafeMutableBytes(of: &storage) { raw in raw.withMemoryRebound(to: Int64.self) { body($0) } }
    }
}
