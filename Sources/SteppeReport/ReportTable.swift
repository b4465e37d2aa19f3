/// A table ready to print: a header, rows of cells, horizontal rules, and notes below.
///
/// Every output of Steppe's commands is one or more of these, rendered by
/// `ReportTable.render(_:)` as aligned text, Markdown, LaTeX, CSV, JSON or HTML, so that the
/// formats always carry the same content.
public struct ReportTable: Sendable, Equatable {
    /// One cell: text, or a number with the text it is displayed as.
    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A number; `display` is what text formats print, JSON gets `value`.
        case number(Double, display: String)
        /// Nothing (a coefficient a model does not have).
        case empty

        /// What text formats print.
        public var display: String {
            switch self {
            case .text(let s): return s
            case .number(_, let d): return d
            case .empty: return ""
            }
        }
    }

    /// A title printed above the table (a caption in LaTeX); may be empty.
    public var title: String
    /// Column headings.
    public var columns: [String]
    /// The rows; each has `columns.count` cells.
    public var rows: [[Cell]]
    /// Row indices before which a horizontal rule is drawn (text, Markdown bold break, LaTeX \midrule).
    public var rules: Set<Int>
    /// Sentences printed under the table.
    public var notes: [String]

    public init(title: String = "", columns: [String], rows: [[Cell]] = [], rules: Set<Int> = [], notes: [String] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.rules = rules
        self.notes = notes
    }

    /// A number cell shown with `ReportNumber.format` (NaN shows as NA; JSON gets null).
    public static func number(_ x: Double, digits: Int = 4) -> Cell {
        .number(x, display: ReportNumber.format(x, digits: digits))
    }
}

/// Number display shared by every table.
public enum ReportNumber {
    /// `digits` decimals for magnitudes in [10⁻³, 10⁶) (trailing zeros kept, as fixest's
    /// etable does, so that columns line up), and 3-digit scientific notation outside that
    /// range; with `digits: 0`, every magnitude below 10¹⁵ as a whole number. NaN is "NA"
    /// (as R prints it), ±∞ "Inf"/"-Inf". Default 4 decimals.
    public static func format(_ x: Double, digits: Int = 4) -> String {
        if x.isNaN { return "NA" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        if x == 0 { return digits == 0 ? "0" : "0." + String(repeating: "0", count: digits) }
        let a = abs(x)
        if a >= 1e-3 && a < 1e6 || digits == 0 && a < 1e15 {
            return fixed(x, digits)
        }
        return scientific(x, 3)
    }

    /// An integer with thousands separators: 1,234,567.
    public static func grouped(_ x: Double) -> String {
        guard x.isFinite, abs(x) < 1e15 else { return format(x) }
        let n = Int64(x.rounded())
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Fixed-point with `digits` decimals, rounding half away from zero on the decimal value.
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        guard r < 9e15 else { return scientific(x, 3) }
        let whole = Int64(r)
        var s = String(whole)
        if digits > 0 {
            while s.count <= digits { s = "0" + s }
            s.insert(".", at: s.index(s.endIndex, offsetBy: -digits))
        }
        return (x < 0 && r != 0 ? "-" : "") + s
    }

    /// `x` rounded to `digits` significant digits, in the shortest form that reads back as
    /// that rounded value (plain or exponent notation, as Swift prints doubles).
    public static func significant(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite, x != 0 else { return x == 0 ? "0" : "\(x)" }
        let rounded = Double(String(format: "%.\(max(1, digits) - 1)e", x)) ?? x
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }

    /// Scientific notation with `significant` digits: 1.23e-05.
    public static func scientific(_ x: Double, _ significant: Int) -> String {
        guard x != 0 else { return "0" }
        guard x.isFinite else { return format(x) }
        var e = Int(floor(log10(abs(x))))
        var m = x / pow10(e)
        if abs(Double(fixed(m, significant - 1))!) >= 10 { e += 1; m = x / pow10(e) }
        let exp = (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
        return fixed(m, significant - 1) + "e" + exp
    }

    private static func pow10(_ e: Int) -> Double {
        var p = 1.0
        if e >= 0 { for _ in 0..<e { p *= 10 } } else { for _ in 0..<(-e) { p /= 10 } }
        return p
    }
}

import Foundation
