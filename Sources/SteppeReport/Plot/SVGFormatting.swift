import Foundation

/// How numbers and text are written into SVG markup.
public enum SVGFormatting {
    /// A coordinate or length with at most two decimals, trailing zeros dropped: `12.5`,
    /// `3`, `-0.25`; minus zero is `0`.
    ///
    /// A hundredth of a pixel is below what any renderer shows, and two decimals keep the
    /// files small and their diffs readable. A value that is not finite is written `0`:
    /// the plots leave non-finite data out before they place anything (and say so in
    /// their captions), so this is only a guard that keeps the document valid.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 100).rounded() / 100
        if r == 0 { return "0" }
        if r == r.rounded() && abs(r) < 1e15 { return String(Int64(r)) }
        var s = String(format: "%.2f", r)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// Numbers separated by spaces: `"1 2.5 3"` (a `points` list, a dash array).
    public static func numbers(_ xs: [Double]) -> String { xs.map(number).joined(separator: " ") }

    /// `text` with the five XML special characters escaped (`&`, `<`, `>`, `"`, `'`), so
    /// that it can stand in character data and in a double-quoted attribute value alike
    /// (XML 1.0, section 2.4). Control characters other than tab, newline and carriage
    /// return, which XML 1.0 does not allow, become spaces.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
