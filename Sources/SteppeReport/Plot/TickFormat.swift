import Foundation

/// Tick labels of one axis, formatted alike: the same number of decimals for every tick
/// (those of the step, so 0, 0.5, 1.0 reads 0.0, 0.5, 1.0), thousands separated by
/// commas from 10,000 up, scientific notation (`2×10⁻⁵`) for steps below 10⁻⁴ or values
/// of 10¹⁰ and more, and a true minus sign (U+2212), as typeset figures have.
public enum TickFormat {
    /// Labels for `ticks` spaced by `step`.
    public static func labels(_ ticks: [Double], step: Double) -> [String] {
        let largest = ticks.map(abs).max() ?? 0
        if step < 1e-4 || largest >= 1e10 { return ticks.map(scientific) }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let grouped = largest >= 10_000
        return ticks.map { fixed($0, decimals: decimals, grouped: grouped) }
    }

    /// `x` with `decimals` decimals, a minus sign, and commas between thousands when `grouped`.
    public static func fixed(_ x: Double, decimals: Int, grouped: Bool = false) -> String {
        var digits = String(format: "%.\(decimals)f", abs(x))
        if grouped {
            let parts = digits.split(separator: ".", maxSplits: 1)
            var whole = String(parts[0])
            var out = ""
            while whole.count > 3 {
                out = "," + whole.suffix(3) + out
                whole.removeLast(3)
            }
            digits = whole + out + (parts.count > 1 ? "." + parts[1] : "")
        }
        let isZero = digits.allSatisfy { $0 == "0" || $0 == "." || $0 == "," }
        return (x < 0 && !isZero ? "−" : "") + digits
    }

    /// `x` to `digits` significant digits, as a direct label prints a value: `0.0385`,
    /// `−1.47`, `2,310`; scientific (`1.2×10⁻⁵`) below 10⁻⁴ and from 10⁹. NaN is "NA".
    public static func significant(_ x: Double, _ digits: Int = 3) -> String {
        guard x.isFinite else { return x.isNaN ? "NA" : (x > 0 ? "∞" : "−∞") }
        if x == 0 { return "0" }
        let a = abs(x)
        if a < 1e-4 || a >= 1e9 { return scientific(x) }
        let magnitude = Int(floor(log10(a)))
        let decimals = max(0, digits - 1 - magnitude)
        var s = fixed(x, decimals: decimals, grouped: a >= 10_000)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// `x` as m×10ⁿ with the mantissa to three significant digits (`1` alone for powers of ten).
    public static func scientific(_ x: Double) -> String {
        guard x != 0, x.isFinite else { return "0" }
        let exponent = Int(floor(log10(abs(x)) + 1e-12))
        let mantissa = x / pow(10, Double(exponent))
        var m = String(format: "%.2f", abs(mantissa))
        while m.hasSuffix("0") { m.removeLast() }
        if m.hasSuffix(".") { m.removeLast() }
        let sign = x < 0 ? "−" : ""
        let power = "10" + superscript(exponent)
        return m == "1" ? sign + power : sign + m + "×" + power
    }

    /// An integer in superscript digits: −5 → ⁻⁵.
    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(abs(n)).map { digits[Int(String($0))!] }
    }
}
