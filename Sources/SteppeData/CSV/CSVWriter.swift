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
                // An empty text is quoted: an empty field is a missing value.
                c.isMissing(i) ? "" : c.text(at: i).isEmpty ? "\"\"" : field(c.text(at: i))
            }.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// One field, quoted when it must be. Decided on the UTF-8 bytes, as the reader reads
    /// them: "\r\n" is one `Character`, equal to neither "\r" nor "\n", and a space
    /// followed by a combining mark is one `Character` that is not " ".
    public static func field(_ s: String) -> String {
        let u = s.utf8
        let needs = u.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
            || u.first == UInt8(ascii: " ") || u.last == UInt8(ascii: " ") || u.first == UInt8(ascii: "\t") || u.last == UInt8(ascii: "\t") || s == "NA"
            || s.unicodeScalars.first == "\u{FEFF}"   // at the file's start, the reader skips it as a byte-order mark
        return needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
