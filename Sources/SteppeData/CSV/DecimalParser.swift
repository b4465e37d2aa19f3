#if canImport(Glibc)
import Glibc
#endif

/// Decimal text to `Double`, correctly rounded, from bytes.
///
/// Fast path (Clinger 1990): when the digits fit in 19 decimal digits with a value
/// below 2⁵³ and the decimal exponent is within ±22, the answer is one exact
/// multiplication or division by a power of ten, which IEEE arithmetic rounds
/// correctly. Everything else (long mantissas, large exponents, `inf`, `nan`) goes
/// to C's `strtod`, which is correctly rounded in glibc.
enum DecimalParser {
    private static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// Parses the whole of `bytes` as a number, or returns `nil` when it is not one.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = bytes.count
        guard n > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while i < n, bytes[i] &- 48 < 10 {
            sawDigit = true
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48); if mantissa > 0 { digits += 1 } } else { exponent += 1 }
            i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, bytes[i] &- 48 < 10 {
                sawDigit = true
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48); if mantissa > 0 { digits += 1 }; exponent -= 1 }
                i += 1
            }
        }
        if !sawDigit { return slowPath(bytes) }
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
            if expDigits == 0 { return nil }
            exponent += expNegative ? -e : e
        }
        if i != n { return nil }
        if digits >= 19 || mantissa > (1 << 53) || exponent < -22 || exponent > 22 {
            return slowPath(bytes)
        }
        var value = Double(mantissa)
        if exponent < 0 { value /= powersOfTen[-exponent] } else if exponent > 0 { value *= powersOfTen[exponent] }
        return negative ? -value : value
    }

    /// `strtod` on a NUL-terminated copy; the whole text must be consumed.
    private static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if bytes.count > 400 { return nil }
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
