import SteppeData
import SteppeReport

extension ManifestDocument {
    /// `steppe datasets show NAME --format html`: the manifest's provenance (description,
    /// sources with quotes, caveats, licence) as the page's data source, the columns as a
    /// table, and the documents' quotes as a second table when the dataset holds them
    /// (the same content as the text document, in the page's form).
    static func html(_ m: DatasetManifest, _ table: Table) -> String {
        var columns = ReportTable(title: "Columns of \(m.name)", columns: ["column", "type", "unit", "description"])
        for c in m.columns { columns.rows.append([.text(c.name), .text(c.type), .text(c.unit), .text(c.description)]) }
        var tables = [columns]
        if let quotes = quoteTable(table) { tables.append(quotes) }
        return HTMLPage.render(tables, command: "datasets show", sources: [HTMLReport.Provenance(manifest: m)], title: "\(m.name): \(m.title)")
    }

    /// The documents' quotes, one row each, with the figure or range they state.
    static func quoteTable(_ table: Table) -> ReportTable? {
        guard let quote = table["quote"] else { return nil }
        let subject = table["subject"] ?? table["measure"], low = table["value_low"]?.numbers, high = table["value_high"]?.numbers
        let id = table["id"]
        var out = ReportTable(title: "The documents' quotes", columns: ["id", "subject", "value", "quote"])
        for i in 0..<table.rowCount where !quote.isMissing(i) {
            var value = ""
            if let low, let high, !low[i].isNaN {
                value = low[i] == high[i] ? ReportNumber.grouped(low[i]) : ReportNumber.grouped(low[i]) + " to " + ReportNumber.grouped(high[i])
            }
            out.rows.append([.text(id?.text(at: i) ?? String(i + 1)), .text(subject?.text(at: i) ?? ""), .text(value), .text(quote.text(at: i))])
        }
        return out
    }
}
