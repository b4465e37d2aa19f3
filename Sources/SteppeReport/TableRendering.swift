import Foundation
import SteppeData

extension ReportTable {
    /// The table in `format`, ending with a newline; HTML is a whole page (`HTMLReport`)
    /// with this table alone.
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .text: return renderText()
        case .markdown: return renderMarkdown()
        case .latex: return renderLaTeX()
        case .csv: return renderCSV()
        case .json: return JSONOutput.string(jsonValue) + "\n"
        case .html: return HTMLReport(title: title.isEmpty ? "Steppe table" : title, tables: [self]).render()
        }
    }

    /// Whether column `j` is right-aligned: not the first, and mostly numbers.
    func rightAligned(_ j: Int) -> Bool {
        guard j > 0 else { return false }
        var numbers = 0, texts = 0
        for r in rows where j < r.count {
            switch r[j] {
            case .number: numbers += 1
            case .text(let t): if !t.isEmpty { texts += 1 }
            case .empty: break
            }
        }
        return numbers >= texts
    }

    /// Aligned text: numeric columns right-aligned, text columns left-aligned, rules of dashes.
    func renderText() -> String {
        let all = [columns] + rows.map { $0.map(\.display) }
        let widths = columns.indices.map { j in all.map { ($0.count > j ? $0[j] : "").count }.max() ?? 0 }
        let right = columns.indices.map(rightAligned)
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { j, c in
                let pad = String(repeating: " ", count: max(0, widths[j] - c.count))
                return right[j] ? pad + c : c + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let total = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
        let rule = String(repeating: "-", count: total)
        var out = ""
        if !title.isEmpty { out += title + "\n" }
        out += rule + "\n" + line(columns) + "\n" + rule + "\n"
        for (i, r) in rows.enumerated() {
            if rules.contains(i) && i > 0 { out += rule + "\n" }
            out += line(r.map(\.display)) + "\n"
        }
        out += rule + "\n"
        for n in notes { out += n + "\n" }
        return out
    }

    func renderMarkdown() -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = ""
        if !title.isEmpty { out += "**" + esc(title) + "**\n\n" }
        out += "| " + columns.map(esc).joined(separator: " | ") + " |\n"
        out += "|" + columns.indices.map { rightAligned($0) ? "---:|" : ":---|" }.joined() + "\n"
        for (i, r) in rows.enumerated() {
            if rules.contains(i) && i > 0 { out += "| " + columns.map { _ in "" }.joined(separator: " | ") + " |\n" }
            out += "| " + r.map { esc($0.display) }.joined(separator: " | ") + " |\n"
        }
        if !notes.isEmpty { out += "\n" + notes.map { "- " + esc($0) }.joined(separator: "\n") + "\n" }
        return out
    }

    func renderLaTeX() -> String {
        func esc(_ s: String) -> String {
            var o = ""
            for c in s {
                switch c {
                case "\\": o += "\\textbackslash{}"
                case "&", "%", "$", "#", "_", "{", "}": o += "\\" + String(c)
                case "~": o += "\\textasciitilde{}"
                case "^": o += "\\textasciicircum{}"
                case "|": o += "$|$"
                case "²": o += "$^2$"
                case "Δ": o += "$\\Delta$"
                case "θ": o += "$\\theta$"
                case "β": o += "$\\beta$"
                case "≥": o += "$\\geq$"
                case "≤": o += "$\\leq$"
                case "→": o += "$\\rightarrow$"
                default: o.append(c)
                }
            }
            return o
        }
        var out = "\\begin{table}[htbp]\n\\centering\n"
        if !title.isEmpty { out += "\\caption{" + esc(title) + "}\n" }
        out += "\\begin{tabular}{" + columns.indices.map { rightAligned($0) ? "r" : "l" }.joined() + "}\n\\toprule\n"
        out += columns.map(esc).joined(separator: " & ") + " \\\\\n\\midrule\n"
        for (i, r) in rows.enumerated() {
            if rules.contains(i) && i > 0 { out += "\\midrule\n" }
            out += r.map { esc($0.display) }.joined(separator: " & ") + " \\\\\n"
        }
        out += "\\bottomrule\n\\end{tabular}\n"
        if !notes.isEmpty {
            out += "\\par\\smallskip\n{\\footnotesize\n" + notes.map { esc($0) }.joined(separator: "\\\\\n") + "\n}\n"
        }
        out += "\\end{table}\n"
        return out
    }

    func renderCSV() -> String {
        var out = columns.map(CSVWriter.field).joined(separator: ",") + "\n"
        for r in rows {
            out += r.map { cell -> String in
                switch cell {
                case .number(let v, _): return v.isFinite ? ReportNumber.significant(v, 10) : "NA"
                case .text(let s): return CSVWriter.field(s)
                case .empty: return ""
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// `{"title", "columns", "rows": [{column: value}], "notes"}`; numbers as JSON numbers.
    public var jsonValue: JSONValue {
        .object([
            ("title", .string(title)),
            ("columns", .array(columns.map { .string($0) })),
            ("rows", .array(rows.map { r in
                .object(zip(columns, r).map { c, cell in
                    switch cell {
                    case .number(let v, _): return (c, .number(v))
                    case .text(let s): return (c, .string(s))
                    case .empty: return (c, .null)
                    }
                })
            })),
            ("notes", .array(notes.map { .string($0) })),
        ])
    }
}
