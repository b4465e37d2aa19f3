import SteppeData
import SteppeReport

/// `steppe datasets show`: a dataset's manifest as a readable document, with the
/// documents' quotes when the dataset holds them.
enum ManifestDocument {
    static func render(_ m: DatasetManifest, _ table: Table, markdown: Bool) -> String {
        func heading(_ s: String) -> String { markdown ? "## " + s + "\n" : s + "\n" }
        func item(_ s: String) -> String {
            markdown ? "- " + s : TextWrapping.wrap(s, first: "  - ", rest: "    ")
        }
        var out = markdown ? "# \(m.name): \(m.title)\n\n" : "\(m.name): \(m.title)\n\n"
        out += (markdown ? m.description : TextWrapping.wrap(m.description)) + "\n\n"
        let file = m.file ?? "none; derived from \(m.derived?.from ?? "?") by \(m.derived?.method ?? "?")"
        out += (markdown ? "- " : "") + "Years: \(m.years)\n" + (markdown ? "- " : "") + "Rows: \(ReportNumber.grouped(Double(m.rows)))\n"
        out += (markdown ? "- " : "") + "File: \(file)\n" + (markdown ? "- " : "") + "Licence: \(m.licence)\n\n"
        out += heading("Sources")
        for s in m.sources {
            out += item(s.summary) + "\n"
            if let q = s.quote { out += (markdown ? "  > " + q : TextWrapping.wrap("\"" + q + "\"", first: "    ", rest: "    ")) + "\n" }
        }
        out += "\n" + heading("Caveats")
        for c in m.caveats { out += item(c) + "\n" }
        out += "\n" + heading("Columns")
        let nameWidth = m.columns.map(\.name.count).max() ?? 0
        for c in m.columns {
            let unit = c.unit.isEmpty ? "" : ", " + c.unit
            if markdown {
                out += "- `\(c.name)` (\(c.type)\(unit)): \(c.description)\n"
            } else {
                let lead = "  " + c.name + String(repeating: " ", count: nameWidth - c.name.count) + "  "
                out += TextWrapping.wrap("(\(c.type)\(unit)) \(c.description)", first: lead,
                                         rest: String(repeating: " ", count: lead.count)) + "\n"
            }
        }
        if let quote = table["quote"] {
            out += "\n" + heading("Quotes")
            let subject = table["subject"] ?? table["measure"], low = table["value_low"]?.numbers, high = table["value_high"]?.numbers
            let id = table["id"]
            for i in 0..<table.rowCount where !quote.isMissing(i) {
                var head = (id?.text(at: i) ?? String(i + 1)) + " " + (subject?.text(at: i) ?? "")
                if let low, let high, !low[i].isNaN {
                    head += " [" + (low[i] == high[i] ? ReportNumber.grouped(low[i]) : ReportNumber.grouped(low[i]) + " to " + ReportNumber.grouped(high[i])) + "]"
                }
                if markdown {
                    out += "- **\(head)**: \"\(quote.text(at: i))\"\n"
                } else {
                    out += TextWrapping.wrap(head, first: "  ", rest: "    ") + "\n"
                    out += TextWrapping.wrap("\"" + quote.text(at: i) + "\"", first: "    ", rest: "    ") + "\n"
                }
            }
        }
        return out
    }
}
