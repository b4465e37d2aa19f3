import SteppeReport

/// Several tables as one output: text formats one after another, JSON in the envelope's
/// `tables`, HTML all on one page (with the data's `sources` and any `figures`), CSV one
/// table (a CSV file holds one header).
enum Tables {
    /// Renders `tables`; `command` names the JSON document, `table` picks one for CSV.
    ///
    /// - Throws: `CommandFailure` for CSV of several tables without `--table`, or a
    ///   `--table` outside 1…count.
    static func render(_ tables: [ReportTable], _ options: OutputOptions, command: String,
                       json extra: [(String, JSONValue)] = [], sources: [HTMLReport.Provenance] = [],
                       figures: [HTMLReport.Figure] = []) throws(CommandFailure) -> String {
        let chosen = try select(tables, options.table, format: options.format)
        switch options.format {
        case .json:
            return OutputEnvelope.text(command: command, [("tables", .array(chosen.map(\.jsonValue)))] + extra)
        case .html:
            return HTMLPage.render(chosen, command: command, figures: figures, sources: sources)
        default:
            return chosen.map { $0.render(options.format) }.joined(separator: "\n")
        }
    }

    /// The tables to print: `--table K` picks the K-th; CSV needs exactly one.
    static func select(_ tables: [ReportTable], _ k: Int?, format: OutputFormat) throws(CommandFailure) -> [ReportTable] {
        if let k {
            guard k >= 1 && k <= tables.count else {
                throw CommandFailure("--table \(k): this command prints \(tables.count) table\(tables.count == 1 ? "" : "s"); use 1 to \(tables.count)")
            }
            return [tables[k - 1]]
        }
        guard format != .csv || tables.count <= 1 else {
            let list = tables.enumerated().map { "\($0.offset + 1): \($0.element.title)" }.joined(separator: "; ")
            throw CommandFailure("CSV holds one table and this command prints \(tables.count) (\(list)); choose one with --table 1 to --table \(tables.count)")
        }
        return tables
    }
}
