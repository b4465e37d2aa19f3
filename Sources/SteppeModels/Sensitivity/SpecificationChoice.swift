import SteppeData

/// One dimension of a specification curve: a name and its alternatives, each a change to
/// the base specification (`--vary "NAME=ALT1|ALT2|…"`).
///
/// The name says what the alternatives change:
/// - `fe`: the fixed effects, in formula syntax (`origin + destination`, `origin^year`);
///   an empty alternative means none.
/// - `model`: the estimator and the outcome's scale, for the zeros question of gravity
///   models: `ppml` and `poisson` (levels, zeros kept), `ols` (levels), `ols-log` (log y by
///   OLS, rows with y ≤ 0 dropped — and counted), `ols-log1p` (log(1 + y) by OLS), and the
///   other `ModelKind`s by name.
/// - `controls`: terms added to the base formula's right-hand side (`a + log(b)`); empty
///   adds none.
/// - `sample`: `all`, `drop:COLUMN=v1,v2` or `keep:COLUMN=v1,v2` (rows whose COLUMN is one
///   of the values are left out, or kept alone).
public struct SpecificationDimension: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case fixedEffects = "fe", model, controls, sample
    }

    public let kind: Kind
    /// The alternatives as written, in order.
    public let alternatives: [String]

    public init(kind: Kind, alternatives: [String]) {
        self.kind = kind
        self.alternatives = alternatives
    }

    /// Parses `NAME=ALT1|ALT2|…`.
    /// - Throws: `ModelError.invalidOption` for an unknown name or no alternatives.
    public init(parsing text: String) throws(ModelError) {
        guard let eq = text.firstIndex(of: "=") else {
            throw .invalidOption("--vary '\(text)' is not NAME=ALT1|ALT2 (NAME one of fe, model, controls, sample)")
        }
        let name = text[..<eq].trimmingWhitespace
        guard let kind = Kind(rawValue: name) else {
            throw .invalidOption("--vary: unknown dimension '\(name)' (use fe, model, controls or sample)")
        }
        let alternatives = text[text.index(after: eq)...].split(separator: "|", omittingEmptySubsequences: false).map(\.trimmingWhitespace)
        guard alternatives.count >= 1 else { throw .invalidOption("--vary \(name): give at least one alternative") }
        for alternative in alternatives { try SpecificationDimension.validate(kind, alternative) }
        self.init(kind: kind, alternatives: alternatives)
    }

    /// Checks one alternative's syntax (the data are checked when it is applied).
    static func validate(_ kind: Kind, _ alternative: String) throws(ModelError) {
        switch kind {
        case .model:
            guard OutcomeScale(alternative) != nil else {
                throw .invalidOption("--vary model: unknown model '\(alternative)' (use ppml, poisson, ols, ols-log, ols-log1p, gaussian, gamma, negbin)")
            }
        case .sample:
            guard alternative == "all" || SampleRule(alternative) != nil else {
                throw .invalidOption("--vary sample: '\(alternative)' is not all, drop:COLUMN=v1,v2 or keep:COLUMN=v1,v2")
            }
        case .fixedEffects, .controls:
            break
        }
    }
}

/// The estimator and the outcome's scale of one `model` alternative.
struct OutcomeScale: Sendable, Hashable {
    enum Transform: Sendable, Hashable { case level, log, log1p }
    let model: ModelKind
    let transform: Transform

    init?(_ text: String) {
        switch text {
        case "ols-log": self.init(model: .ols, transform: .log)
        case "ols-log1p": self.init(model: .ols, transform: .log1p)
        default:
            guard let kind = ModelKind(rawValue: text) else { return nil }
            self.init(model: kind, transform: .level)
        }
    }

    init(model: ModelKind, transform: Transform) {
        self.model = model
        self.transform = transform
    }

    /// The formula's left-hand side for a response written `response` on the level scale.
    func lhs(_ response: String) -> String {
        switch transform {
        case .level: return response
        case .log: return "log(\(response))"
        case .log1p: return "log1p(\(response))"
        }
    }
}

/// A `sample` alternative: rows whose column is one of the values are dropped, or kept alone.
struct SampleRule: Sendable, Hashable {
    let keep: Bool
    let column: String
    let values: Set<String>

    init?(_ text: String) {
        let keep: Bool
        if text.hasPrefix("drop:") { keep = false } else if text.hasPrefix("keep:") { keep = true } else { return nil }
        let body = text.dropFirst(5)
        guard let eq = body.firstIndex(of: "=") else { return nil }
        let column = body[..<eq].trimmingWhitespace
        let values = body[body.index(after: eq)...].split(separator: ",").map(\.trimmingWhitespace).filter { !$0.isEmpty }
        guard !column.isEmpty, !values.isEmpty else { return nil }
        self.keep = keep
        self.column = column
        self.values = Set(values)
    }

    /// The rows of `table` the rule keeps.
    /// - Throws: `ModelError` when the column is missing or a value matches no row.
    func rows(of table: Table) throws(ModelError) -> [Int] {
        let c: Column
        do { c = try table.column(column) } catch { throw ModelError.from(error) }
        let present = Set((0..<table.rowCount).map { c.text(at: $0) })
        if let unknown = values.sorted().first(where: { !present.contains($0) }) {
            throw .invalidOption("--vary sample: no row has \(column) = '\(unknown)'")
        }
        return (0..<table.rowCount).filter { values.contains(c.text(at: $0)) == keep }
    }
}
