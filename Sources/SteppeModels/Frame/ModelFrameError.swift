import SteppeData

/// Why a model cannot be set up from a formula and data.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The formula text does not parse.
    case formula(FormulaError)
    /// The formula names a column the data does not have.
    case unknownColumn(String, available: [String])
    /// A text column is used where numbers are needed.
    case textColumnInArithmetic(String)
    /// The formula uses a function Steppe does not know.
    case unknownFunction(String)
    /// No observation survives the removal of missing values and the other checks.
    case noObservations(String)
    /// The outcome is not valid for the model (negative counts for Poisson, …).
    case invalidOutcome(String)
    /// Weights that cannot be used (negative, or not finite).
    case invalidWeights(String)
    /// Every regressor was dropped, or the design has no column and no fixed effect.
    case noEstimableTerms(String)
    /// A numerical step failed in a way the estimator cannot recover from.
    case numerical(String)
    /// Options that do not fit together (HC3 with fixed effects, clustering by a missing column, …).
    case invalidOption(String)
    /// The data could not be read (a CSV error with its file, line and column).
    case data(CSVError)
    /// A table operation failed (columns of different lengths, duplicate names).
    case table(TableError)

    public var description: String {
        switch self {
        case let .formula(error): return error.description
        case let .unknownColumn(name, available):
            let shown = available.prefix(12).joined(separator: ", ")
            return "unknown column '\(name)' in the formula (columns: \(shown)\(available.count > 12 ? ", …" : ""))"
        case let .textColumnInArithmetic(name):
            return "column '\(name)' is text; use it as a term of its own (categorical) or in C(\(name)), not in arithmetic"
        case let .unknownFunction(name):
            return "unknown function '\(name)'"
        case let .noObservations(why): return "no observations left: \(why)"
        case let .invalidOutcome(why): return "invalid outcome: \(why)"
        case let .invalidWeights(why): return "invalid weights: \(why)"
        case let .noEstimableTerms(why): return "nothing to estimate: \(why)"
        case let .numerical(why): return "numerical failure: \(why)"
        case let .invalidOption(why): return why
        case let .data(error): return error.description
        case let .table(error): return error.description
        }
    }

    static func from(_ error: EvaluationError) -> ModelError {
        switch error {
        case let .unknownColumn(name, available): return .unknownColumn(name, available: available)
        case let .textColumn(name): return .textColumnInArithmetic(name)
        case let .unknownFunction(name): return .unknownFunction(name)
        }
    }

    /// An unknown column keeps its own case (the formula names it); the rest are `.table`.
    static func from(_ error: TableError) -> ModelError {
        switch error {
        case let .unknownColumn(name, available): return .unknownColumn(name, available: available)
        default: return .table(error)
        }
    }
}
