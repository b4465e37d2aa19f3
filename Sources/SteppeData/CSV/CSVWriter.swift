import Foundation

/// Writes tables as CSV (RFC 4180): a header row, LF line ends, fields quoted when they
/// hold a comma, a quote, a line break or leading/trailing spaces or tabs (which the
/// reader trims from unquoted cells), quotes doubled inside.
/// Numbers are written in their shortest round-trip form (so reading the file back gives
/// the same doubles), missing values as empty fields.
public enum CSVWriter {
    /// The CSV text of `table`.
    public static func text(_ table: Table) -> String {
        var out = table.columnNames.map(field).joined(separator: ",") + "\n"
        for i in 0..<table.rowCount {
            out += table.columns.map { c -> String in
                c.isMissing(i) ? "" : field(c.text(at: i))
            }.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// One field, quoted when it must be.
    public static func field(_ s: String) -> String {
        let needs = s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || s.first == " " || s.last == " " || s.first == "\t" || s.last == "\t" || s == "NA"
        return needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
