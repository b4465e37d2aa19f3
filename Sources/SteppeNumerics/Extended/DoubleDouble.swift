/// An unevaluated sum `high + low` of two doubles with |low| ≤ ulp(high)/2: about 32
/// significant digits, for residuals and sums where double precision is not enough.
///
/// Algorithms: Knuth's TwoSum and the FMA-based TwoProduct (error-free transformations),
/// and the "sloppy" double-double addition of Dekker/Bailey (QD library), whose relative
/// error is a small multiple of 2⁻¹⁰⁶ when the operands do not cancel and remains far
/// below double rounding when they do. Used by `LeastSquares` for iterative refinement
/// and by `CompensatedSum`.
public struct DoubleDouble: Sendable, Equatable, Comparable {
    /// The leading part, the double nearest to the value.
    public var high: Double
    /// The trailing part: what `high` leaves out.
    public var low: Double

    /// The value `high + low`, normalised so that `high` is the rounded sum.
    @inlinable
    public init(_ high: Double, _ low: Double = 0) {
        let s = high + low
        self.high = s
        self.low = low - (s - high)
    }

    /// The pair as it is, for a `low` already below half an ulp of `high` (the result of
    /// TwoSum or TwoProduct); no renormalisation. SteppeNumerics-internal.
    @inlinable
    init(normalized high: Double, _ low: Double) {
        self.high = high
        self.low = low
    }

    /// The value rounded to a double.
    @inlinable public var doubleValue: Double { high + low }

    /// The exact sum a + b as (rounded sum, rounding error) — Knuth's TwoSum, 6 flops.
    @inlinable
    public static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        let bb = s - a
        let e = (a - (s - bb)) + (b - bb)
        return DoubleDouble(normalized: s, e)
    }

    /// The exact product a · b as (rounded product, rounding error).
    ///
    /// The error comes from Dekker's algorithm (Veltkamp's split of each factor into 26-
    /// and 27-bit halves, then exact partial products): about 17 flops inline. A fused
    /// multiply-add would be one instruction, but the baseline x86-64 target has none
    /// (library targets take no `-mfma`), so `addingProduct` is a call into libm, several
    /// times slower. Dekker's algorithm is exact unless a factor is near overflow or the
    /// product near underflow; there the fused multiply-add is used.
    @inlinable
    public static func twoProduct(_ a: Double, _ b: Double) -> DoubleDouble {
        let p = a * b
        let e: Double
        if a.magnitude < 0x1p995, b.magnitude < 0x1p995, p.magnitude > 0x1p-960 {
            let ca = 134_217_729.0 * a, cb = 134_217_729.0 * b      // 2²⁷ + 1
            let ah = ca - (ca - a), bh = cb - (cb - b)
            let al = a - ah, bl = b - bh
            e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        } else {
            e = (-p).addingProduct(a, b)
        }
        return DoubleDouble(normalized: p, e)
    }

    @inlinable
    public static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let s = twoSum(a.high, b.high)
        let e = s.low + a.low + b.low
        let h = s.high + e
        return DoubleDouble(normalized: h, e - (h - s.high))
    }

    @inlinable
    public static func + (a: DoubleDouble, b: Double) -> DoubleDouble {
        let s = twoSum(a.high, b)
        let e = s.low + a.low
        let h = s.high + e
        return DoubleDouble(normalized: h, e - (h - s.high))
    }

    @inlinable
    public static prefix func - (a: DoubleDouble) -> DoubleDouble { DoubleDouble(normalized: -a.high, -a.low) }

    @inlinable
    public static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + (-b) }

    @inlinable
    public static func - (a: DoubleDouble, b: Double) -> DoubleDouble { a + (-b) }

    @inlinable
    public static func * (a: DoubleDouble, b: Double) -> DoubleDouble {
        let p = twoProduct(a.high, b)
        let e = p.low + a.low * b
        let h = p.high + e
        return DoubleDouble(normalized: h, e - (h - p.high))
    }

    @inlinable
    public static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let p = twoProduct(a.high, b.high)
        let e = p.low + (a.high * b.low + a.low * b.high)
        let h = p.high + e
        return DoubleDouble(normalized: h, e - (h - p.high))
    }

    /// Division to double-double accuracy: one long-division step after the double quotient.
    @inlinable
    public static func / (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let q1 = a.high / b.high
        let r = a - b * q1
        let q2 = r.high / b.high
        let r2 = r - b * q2
        let q3 = r2.high / b.high
        return DoubleDouble.twoSum(q1, q2) + q3
    }

    /// Square root to double-double accuracy (one Newton step from the double root).
    public var squareRoot: DoubleDouble {
        if high <= 0 { return DoubleDouble(high == 0 ? 0 : .nan) }
        let x = high.squareRoot()
        let residual = self - DoubleDouble.twoProduct(x, x)
        return DoubleDouble.twoSum(x, residual.high / (2 * x))
    }

    @inlinable
    public static func < (a: DoubleDouble, b: DoubleDouble) -> Bool {
        a.high < b.high || (a.high == b.high && a.low < b.low)
    }
}

/// A running sum kept in double-double precision, for sums whose terms cancel or
/// vary over many orders of magnitude (Σy², total sums of squares, log-likelihoods).
///
/// Error: about 2⁻¹⁰⁶ relative to Σ|xᵢ| per term, so the result is correctly rounded
/// to double unless the sum cancels by more than about 16 digits. Cost: about 10 flops a term.
public struct CompensatedSum: Sendable {
    /// The sum so far.
    public var total = DoubleDouble(0)

    /// An empty sum.
    public init() {}

    /// Adds `x` to the sum.
    @inlinable public mutating func add(_ x: Double) { total = total + x }

    /// Adds the exact product `a · b` to the sum.
    @inlinable public mutating func addProduct(_ a: Double, _ b: Double) { total = total + DoubleDouble.twoProduct(a, b) }

    /// The sum rounded to double.
    public var value: Double { total.doubleValue }

    /// The compensated sum of `values`.
    public static func of(_ values: some Sequence<Double>) -> Double {
        var s = CompensatedSum()
        for v in values { s.add(v) }
        return s.value
    }

    /// The compensated dot product Σ aᵢbᵢ, each product exact.
    public static func dot(_ a: some Collection<Double>, _ b: some Collection<Double>) -> Double {
        var s = CompensatedSum()
        for (x, y) in zip(a, b) { s.addProduct(x, y) }
        return s.value
    }
}
