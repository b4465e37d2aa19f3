import SteppeReport

/// Several tables as one output: text formats one after another, JSON as an array.
enum Tables {
    static func render(_ tables: [ReportTable], _ format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONOutput.string(.array(tables.map(\.jsonValue))) + "\n"
        case .csv:
            return tables.first?.render(.csv) ?? ""
        default:
            return tables.map { $0.render(format) }.joined(separator: "\n")
        }
    }
}
