/// The formats every Steppe table can be written in.
public enum OutputFormat: String, Sendable, CaseIterable, Codable {
    /// Aligned plain text for a terminal (the default).
    case text
    /// A GitHub-flavoured Markdown table with the notes as a list.
    case markdown
    /// A LaTeX `tabular` in a `table` float, booktabs rules (needs `\usepackage{booktabs}`).
    case latex
    /// RFC 4180 CSV: the header and rows only (notes are not data).
    case csv
    /// JSON; for fits, the stable contract of DESIGN.md.
    case json
}
