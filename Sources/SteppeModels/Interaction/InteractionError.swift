import SteppeData

/// Why a spatial interaction or radiation model cannot be fitted: one sentence that names
/// the column, the rows (1-based, the header not counted) or the regions at fault.
public enum InteractionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A column the model names is not in the data.
    case unknownColumn(String, role: String, available: [String])
    /// The data cannot be used as given: negative flows, zero distances with power cost,
    /// a region without attractiveness, a pair given twice, …
    case invalidData(String)
    /// Settings that do not fit together (origin variables in a production-constrained model, …).
    case invalidOption(String)
    /// The Poisson fit itself failed.
    case fit(ModelError)

    public var description: String {
        switch self {
        case let .unknownColumn(name, role, available):
            let shown = available.prefix(12).joined(separator: ", ")
            return "unknown \(role) column '\(name)' (columns: \(shown)\(available.count > 12 ? ", …" : ""))"
        case let .invalidData(why), let .invalidOption(why): return why
        case let .fit(error): return error.description
        }
    }

    /// "rows 3, 17 and 4 more": up to five 0-based row indices shown 1-based.
    static func rowList(_ rows: [Int]) -> String {
        let shown = rows.prefix(5).map { String($0 + 1) }.joined(separator: ", ")
        let more = rows.count > 5 ? " and \(rows.count - 5) more" : ""
        return (rows.count == 1 ? "row " : "rows ") + shown + more
    }

    /// Up to eight names, then "and N more".
    static func nameList(_ names: [String]) -> String {
        let shown = names.prefix(8).joined(separator: ", ")
        return shown + (names.count > 8 ? " and \(names.count - 8) more" : "")
    }
}
