#if canImport(Glibc)
import Glibc
#endif

/// Decimal text to `Double`, correctly rounded, from bytes.
///
/// The digits are read into a 64-bit integer w (eight at a time where they run on,
/// as fast_float does) and the value is w·10^q:
/// - Clinger's fast path (1990): w ≤ 2⁵³ and |q| ≤ 22 make w and 10^|q| exact doubles,
///   so one IEEE multiplication or division rounds correctly.
/// - Otherwise, up to 19 significant digits and −342 ≤ q ≤ 308: the Eisel–Lemire
///   algorithm (Lemire, "Number parsing at a gigabyte per second", 2021): w times a
///   128-bit truncation of 5^q (`PowersOfFive`) gives the 54 leading bits of the product
///   and whether the truncation could change the rounding; it decides all but about one
///   number in 10¹⁹ (`eiselLemire`).
/// - Everything else (more than 19 significant digits, results that are subnormal or
///   overflow, `inf`, `nan`, and the undecided cases) goes to C's `strtod`, which is
///   correctly rounded in glibc. The tests check every path against it bit for bit.
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
    ///
    /// Digits accumulate with wrapping arithmetic and are counted afterwards: more than 19
    /// significant digits (leading zeros do not count) cannot be held exactly, and such a
    /// number goes to `strtod`; the loops stay free of per-digit bookkeeping.
    @inline(__always)
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Scan {
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress else { return .noDigits }
        let negative = base[0] == UInt8(ascii: "-")
        var i = negative || base[0] == UInt8(ascii: "+") ? 1 : 0
        let signBit = UInt64(negative ? 1 : 0) << 63    // applied without a branch: signs are random
        var w: UInt64 = 0
        let integerStart = i
        Self.readDigits(base, n, &i, &w)
        var digitCount = i - integerStart
        var exponent = 0
        if i < n, base[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            Self.readDigits(base, n, &i, &w)
            exponent = fractionStart - i
            digitCount += i - fractionStart
        }
        if digitCount == 0 { return .noDigits }
        let digitsEnd = i
        if i < n, base[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, base[i] == UInt8(ascii: "-") || base[i] == UInt8(ascii: "+") {
                expNegative = base[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            let expStart = i
            while i < n, base[i] &- 48 < 10 {
                if e < 100_000 { e = e &* 10 &+ Int(base[i] &- 48) }
                i += 1
            }
            if i == expStart { return .badExponent }
            exponent += expNegative ? -e : e
        }
        if digitCount > 19 {
            // Leading zeros (and the point among them) are not significant.
            var k = integerStart
            while k < digitsEnd, base[k] == UInt8(ascii: "0") || base[k] == UInt8(ascii: ".") {
                if base[k] == UInt8(ascii: "0") { digitCount -= 1 }
                k += 1
            }
            if digitCount > 19 { return .needsStrtod(end: i) }
        }
        if w == 0 { return .value(negative ? -0.0 : 0.0, end: i) }
        if w <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var value = Double(w)
            if exponent < 0 { value /= power(-exponent) } else if exponent > 0 { value *= power(exponent) }
            return .value(Double(bitPattern: value.bitPattern | signBit), end: i)
        }
        guard let value = eiselLemire(w, exponent) else { return .needsStrtod(end: i) }
        return .value(Double(bitPattern: value.bitPattern | signBit), end: i)
    }

    /// Appends the run of ASCII digits at `base[i]` to `w` (w·10^k + the k digits, wrapping)
    /// and moves `i` past it: eight digits at a time (`eightDigits`, three multiplications)
    /// while eight remain, then one at a time. (Reading the last few digits from one word
    /// by a shift was measured no faster.)
    @inline(__always)
    static func readDigits(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ w: inout UInt64) {
        while i &+ 8 <= n {
            let chunk = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self).littleEndian
            guard isEightDigits(chunk) else { break }
            w = w &* 100_000_000 &+ eightDigits(chunk)
            i &+= 8
        }
        while i < n, base[i] &- 48 < 10 {
            w = w &* 10 &+ UInt64(base[i] &- 48)
            i &+= 1
        }
    }

    /// Whether the eight bytes (little-endian) are all ASCII digits (Lemire's fast_float test).
    @inline(__always)
    static func isEightDigits(_ v: UInt64) -> Bool {
        ((v & 0xF0F0_F0F0_F0F0_F0F0) | (((v &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)) == 0x3333_3333_3333_3333
    }

    /// 10^k for 0 ≤ k ≤ 22 (exact), from a tuple: no array access, so no bounds check or
    /// lazy-initialisation check on the hot path.
    @inline(__always)
    static func power(_ k: Int) -> Double {
        withUnsafeBytes(of: tenToThe) { $0.load(fromByteOffset: k &* 8, as: Double.self) }
    }

    private static let tenToThe: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
                                  Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double) =
        (1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22)

    /// w·10^q correctly rounded to the nearest double (ties to even), for 0 < w < 2⁶⁴, or
    /// `nil` when this cannot decide (then `strtod` does): q outside the table, a subnormal
    /// or infinite result, or a product too close to a rounding boundary.
    ///
    /// 10^q = 5^q·2^q. With w shifted left until its top bit is set, the high 64 bits of
    /// w·5^q (from the table's high word; the low word too when the bits below the 54
    /// needed are all ones, so a carry could reach them) hold the leading bits of the
    /// result; the binary exponent is q·log₂10 (⌊217706·q / 2¹⁶⌋, exact over the table's
    /// range) plus the shifts. The bits are rounded to 53 with the ties-to-even case
    /// detected exactly where products can be exact (−4 ≤ q ≤ 23). A low word of all ones
    /// after both products leaves the truncation's error undecided outside −27 ≤ q ≤ 55,
    /// where products are exact: `nil` (Lemire 2021, section 5).
    @inline(__always)
    static func eiselLemire(_ w: UInt64, _ q: Int) -> Double? {
        guard q >= PowersOfFive.smallestExponent, q <= PowersOfFive.largestExponent else { return nil }
        let leadingZeros = w.leadingZeroBitCount
        let normalised = w << UInt64(leadingZeros)
        let index = 2 &* (q &- PowersOfFive.smallestExponent)
        let (high, low) = PowersOfFive.table.withUnsafeBufferPointer { t in
            var (high, low) = normalised.multipliedFullWidth(by: t[index])
            // 64 − (52 + 3) bits below the ones kept: all ones means a carry from the
            // low word's product could still change them.
            if high & 0x1FF == 0x1FF {
                let carry = normalised.multipliedFullWidth(by: t[index &+ 1]).high
                low = low &+ carry
                if carry > low { high &+= 1 }
            }
            return (high, low)
        }
        if low == UInt64.max && (q < -27 || q > 55) { return nil }
        let upperBit = Int(high >> 63)
        let shift = UInt64(upperBit &+ 9)
        var mantissa = high >> shift
        var power2 = ((q &* 217_706) >> 16) &+ 63 &+ upperBit &- leadingZeros &+ 1023
        if power2 <= 0 { return nil }
        if low <= 1 && q >= -4 && q <= 23 && mantissa & 3 == 1 && mantissa << shift == high {
            mantissa &= ~1    // exactly halfway, and the lower neighbour is even
        }
        mantissa &+= mantissa & 1
        mantissa >>= 1
        if mantissa >= 2 << 52 {
            mantissa = 1 << 52
            power2 &+= 1
        }
        if power2 >= 0x7FF { return nil }
        mantissa &= ~(1 << 52)
        return Double(bitPattern: UInt64(power2) << 52 | mantissa)
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
            // strtod also accepts hexadecimal floats and leading white space (space, and \t \n
            // \v \f \r: bytes 9–13); a CSV number should not be either.
            if bytes.contains(where: { $0 == UInt8(ascii: " ") || $0 &- 9 < 5 || $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }) { return nil }
            return v
        }
    }
}
