/// The formats every Steppe table can be written in.
public enum OutputFormat: String, Sendable, CaseIterable, Codable {
    /// Aligned plain text for a terminal (the default).
    case text
    /// A GitHub-flavoured Markdown table with the notes as a list.
    case markdown
    /// A LaTeX `tabular` in a `table` float, booktabs rules (needs `\usepackage{booktabs}`).
    case latex
    /// RFC 4180 CSV: the header and rows only (notes are not data); numbers to 10
    /// significant digits, which BLAS kernels and thread counts do not change (standard
    /// errors differ between kernels around the 12th digit); JSON has full precision.
    case csv
    /// JSON in the one envelope of every command (ARCHITECTURE.md, "The JSON contract").
    case json
    /// One self-contained HTML5 page (`HTMLReport`): every table, the figures as inline
    /// SVG, the notes, the data's sources with their quotes and caveats, and the command
    /// that made it; no network, scripts or fonts, so it opens anywhere it is sent.
    case html
}
