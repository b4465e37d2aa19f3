#if canImport(Glibc)
import Glibc
#endif

/// Decimal text to `Double`, correctly rounded, from bytes.
///
/// Fast path (Clinger 1990): when the digits fit in 19 decimal digits with a value
/// below 2⁵³ and the decimal exponent is within ±22, the answer is one exact
/// multiplication or division by a power of ten, which IEEE arithmetic rounds
/// correctly. Up to 19 digits below 2⁶³ (the 17 digits that round-trip a double,
/// which is what numpy, pandas and R write): the same in double-double arithmetic,
/// with a check that the result is not on a rounding boundary (`extendedPath`).
/// Everything else (longer mantissas, larger exponents, `inf`, `nan`, boundary cases)
/// goes to C's `strtod`, which is correctly rounded in glibc; the test suite checks the
/// fast paths against it bit for bit.
enum DecimalParser {
    /// Parses the whole of `bytes` as a number, or returns `nil` when it is not one.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty else { return nil }
        switch scan(bytes) {
        case .value(let v, let end): return end == bytes.count ? v : nil
        case .noDigits: return slowPath(bytes)
        case .badExponent: return nil
        case .needsStrtod(let end): return end == bytes.count ? slowPath(bytes) : nil
        }
    }

    /// The number at the start of `bytes` and where it ends (the first byte that cannot
    /// continue it), for a reader that finds the end of a numeric field while parsing it;
    /// `nil` when there is no such number or only `strtod` can round it (the caller then
    /// finds the field's end and calls `parse(_:)`). Where the number ends at the end of
    /// `bytes`, the value is the one `parse(_:)` gives.
    @inline(__always)
    static func parsePrefix(_ bytes: UnsafeBufferPointer<UInt8>) -> (value: Double, end: Int)? {
        if case .value(let v, let end) = scan(bytes) { return (v, end) }
        return nil
    }

    /// How a scan ended.
    enum Scan {
        /// A number, correctly rounded, ending before byte `end`.
        case value(Double, end: Int)
        /// No digit before the first byte that cannot belong to a number (`inf`, `nan`, text).
        case noDigits
        /// An `e` without exponent digits.
        case badExponent
        /// Digits that only `strtod` can round (too many, or an exponent out of the fast range), ending before `end`.
        case needsStrtod(end: Int)
    }

    /// Reads sign, digits, fraction and exponent from the start of `bytes`, stopping at the
    /// first byte that cannot continue the number.
    @inline(__always)
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Scan {
        var i = 0
        let n = bytes.count
        guard n > 0 else { return .noDigits }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        var dropped = false     // digits beyond the 19th were seen: only strtod can round them
        while i < n, bytes[i] &- 48 < 10 {
            sawDigit = true
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48); if mantissa > 0 { digits += 1 } } else { exponent += 1; dropped = true }
            i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            // Eight fraction digits at a time while they fit in the 19-digit mantissa.
            while digits + 8 <= 19, i + 8 <= n {
                let chunk = UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self).littleEndian
                guard Self.isEightDigits(chunk) else { break }
                let wasZero = mantissa == 0
                mantissa = mantissa &* 100_000_000 &+ Self.eightDigits(chunk)
                if !wasZero {
                    digits += 8
                } else if mantissa > 0 {
                    // The chunk's digits after its leading zeros (the first digit is the low byte).
                    digits = 8 - (chunk ^ 0x3030_3030_3030_3030).trailingZeroBitCount / 8
                }
                exponent -= 8
                sawDigit = true
                i += 8
            }
            while i < n, bytes[i] &- 48 < 10 {
                sawDigit = true
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48); if mantissa > 0 { digits += 1 }; exponent -= 1 } else { dropped = true }
                i += 1
            }
        }
        if !sawDigit { return .noDigits }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < n, bytes[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(bytes[i] &- 48) }
                expDigits += 1
                i += 1
            }
            if expDigits == 0 { return .badExponent }
            exponent += expNegative ? -e : e
        }
        if dropped || exponent < -22 || exponent > 22 || mantissa >= 1 << 62 {
            return .needsStrtod(end: i)
        }
        if mantissa <= (1 << 53) {
            var value = Double(mantissa)
            if exponent < 0 { value /= power(-exponent) } else if exponent > 0 { value *= power(exponent) }
            return .value(negative ? -value : value, end: i)
        }
        // 16 to 19 digits (the 17 that round-trip a double, typically): double-double.
        guard let value = extendedPath(mantissa, exponent) else { return .needsStrtod(end: i) }
        return .value(negative ? -value : value, end: i)
    }

    /// 10^k for 0 ≤ k ≤ 22 (exact), from a tuple: no array access, so no bounds check or
    /// lazy-initialisation check on the hot path.
    @inline(__always)
    static func power(_ k: Int) -> Double {
        withUnsafeBytes(of: tenToThe) { $0.load(fromByteOffset: k &* 8, as: Double.self) }
    }

    /// 10^−k for 0 ≤ k ≤ 22, correctly rounded (the literals 1e-k).
    @inline(__always)
    static func reciprocalPower(_ k: Int) -> Double {
        withUnsafeBytes(of: tenToTheMinus) { $0.load(fromByteOffset: k &* 8, as: Double.self) }
    }

    private static let tenToTheMinus: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
                                       Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double) =
        (1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 1e-16, 1e-17,
         1e-18, 1e-19, 1e-20, 1e-21, 1e-22)

    /// 10^−k − reciprocalPower(k), rounded: the low part of 10^−k in double-double
    /// (computed exactly with rationals; the pair is within 2⁻¹⁰⁵ of 10^−k, relative).
    @inline(__always)
    static func reciprocalPowerLow(_ k: Int) -> Double {
        withUnsafeBytes(of: tenToTheMinusLow) { $0.load(fromByteOffset: k &* 8, as: Double.self) }
    }

    private static let tenToTheMinusLow: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
                                          Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double) =
        (0.0, -5.551115123125783e-18, -2.0816681711721684e-19, -2.0816681711721686e-20, -4.79217360238593e-21,
         -8.180305391403131e-22, 4.525188817411374e-23, 4.525188817411374e-24, -2.092256083012847e-25,
         -6.228159145777985e-26, -3.643219731549774e-27, 6.050303071806019e-28, 2.0113352370744385e-29,
         -3.037374556340037e-30, 1.1806906454401013e-32, -7.770539987666108e-32, 2.0902213275965398e-33,
         -7.154242405462192e-34, -7.154242405462193e-35, 2.475407316473987e-36, 5.484672854579043e-37,
         9.246254777210363e-38, -4.859677432657087e-39)

    private static let tenToThe: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
                                  Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double) =
        (1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22)

    /// w·10^q for 2⁵³ < w < 2⁶² and |q| ≤ 22, correctly rounded, or `nil` when undecided.
    ///
    /// w splits exactly into hi + lo (hi = w rounded, |lo| ≤ 2¹⁰); the product with 10^q
    /// (exact for q ≥ 0, a double-double within 2⁻¹⁰⁵ for q < 0) is formed in
    /// double-double (Dekker's exact error of hi·p), accurate to about 2⁻¹⁰² relative. Its high part is the correctly rounded
    /// result unless the low part lies within that error of half an ulp, a rounding
    /// boundary: then `nil`, and `strtod` decides (about one number in 10¹⁵).
    @inline(__always)
    static func extendedPath(_ w: UInt64, _ q: Int) -> Double? {
        let hi = Double(w)                                   // ≤ 2⁶², so UInt64(hi) cannot overflow
        let lo = Double(Int64(bitPattern: w &- UInt64(hi)))  // w − hi exactly (wrapping when hi > w)
        // 10^q as a double-double: exact for q ≥ 0 (10^22 < 2⁷⁴ has at most 52 significant
        // bits after its factor 2^22), 10^q = rounded + low part within 2⁻¹⁰⁶ otherwise.
        let p = q >= 0 ? power(q) : reciprocalPower(-q)
        let pLow = q >= 0 ? 0 : reciprocalPowerLow(-q)
        // w·10^q = (hi + lo)(p + pLow): the error of hi·p exactly (Dekker), the rest as
        // small terms. No division (13 cycles of latency each).
        let ph = hi * p
        let pl = Self.productError(hi, p, ph) + lo * p + hi * pLow
        let s = ph + pl
        let e = pl - (s - ph)
        guard s.isFinite, s != 0 else { return nil }
        let half = e > 0 ? (s.nextUp - s) * 0.5 : (s - s.nextDown) * 0.5
        let margin = s.magnitude * 0x1p-96
        if e.magnitude >= half - margin { return nil }
        return s
    }

    /// a·b − fl(a·b), exactly (Dekker's product with Veltkamp's split), for |a·b| far from
    /// overflow and underflow. Not `addingProduct`: without an FMA instruction in the
    /// baseline x86-64 target (library targets take no `-mfma`) that is a call into libm,
    /// which cost a fifth of parsing 17-digit numbers.
    @inline(__always)
    static func productError(_ a: Double, _ b: Double, _ product: Double) -> Double {
        let (ah, al) = split(a), (bh, bl) = split(b)
        return ((ah * bh - product) + ah * bl + al * bh) + al * bl
    }

    /// x = high + low with high holding the leading 26 bits (Veltkamp): exact.
    @inline(__always)
    static func split(_ x: Double) -> (Double, Double) {
        let c = 134_217_729.0 * x          // 2²⁷ + 1
        let high = c - (c - x)
        return (high, x - high)
    }

    /// Whether the eight bytes (little-endian) are all ASCII digits (Lemire's fast_float test).
    @inline(__always)
    static func isEightDigits(_ v: UInt64) -> Bool {
        ((v & 0xF0F0_F0F0_F0F0_F0F0) | (((v &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)) == 0x3333_3333_3333_3333
    }

    /// The value of eight ASCII digits (little-endian, first digit in the low byte), by
    /// three multiplications instead of eight (SWAR, as fast_float).
    @inline(__always)
    static func eightDigits(_ chunk: UInt64) -> UInt64 {
        var v = chunk &- 0x3030_3030_3030_3030
        v = (v &* 10) &+ (v >> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        return (((v & mask) &* 0x000F_4240_0000_0064) &+ (((v >> 16) & mask) &* 0x0000_2710_0000_0001)) >> 32
    }

    /// `strtod` on a NUL-terminated copy; the whole text must be consumed.
    private static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if bytes.isEmpty || bytes.count > 400 { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer -> Double? in
            for k in 0..<bytes.count { buffer[k] = CChar(bitPattern: bytes[k]) }
            buffer[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buffer.baseAddress!, &end)
            guard let end, end - buffer.baseAddress! == bytes.count else { return nil }
            // strtod also accepts hexadecimal floats and leading spaces; a CSV number should not be either.
            if bytes.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }) { return nil }
            return v
        }
    }
}
