/// A model formula in fixest's syntax: `response ~ terms | fixed effects`.
///
/// ```
/// flow ~ log(pop_o) + log(pop_d) + log(dist) | origin + destination
/// y ~ x + I(x^2)               polynomial terms (arithmetic + - * / ^ inside I(...))
/// y ~ 0 + x                    no intercept (also y ~ x - 1)
/// y ~ x1:x2 + x1*x2 + C(g)     interactions; a*b = a + b + a:b; C(g) makes g categorical
/// flow ~ log(dist) | origin^year + destination^year     interacted fixed effects
/// ```
///
/// Functions: `log`, `log1p`, `exp`, `sqrt`, `abs`, `I(...)`, `C(...)`. A text column
/// used as a term is categorical without `C(...)`, as in fixest. Parsing is
/// `Formula(parsing:)`; errors point at the offending position.
public struct Formula: Sendable, Hashable, CustomStringConvertible {
    /// The left-hand side, e.g. `flow` or `log(flow)`.
    public let response: Expression
    /// The terms of the right-hand side, in order, without duplicates.
    public let terms: [Term]
    /// Whether the model has an intercept (`0 +` or `- 1` removes it; fixed effects absorb it).
    public let hasIntercept: Bool
    /// The fixed effects after `|`: each a list of columns interacted by `^`.
    public let fixedEffects: [[String]]
    /// The formula as written.
    public let text: String

    public var description: String { text }

    /// Builds a formula from parts (the parser's result, or code that composes formulas).
    public init(response: Expression, terms: [Term], hasIntercept: Bool, fixedEffects: [[String]], text: String? = nil) {
        self.response = response
        self.terms = terms
        self.hasIntercept = hasIntercept
        self.fixedEffects = fixedEffects
        self.text = text ?? Formula.render(response: response, terms: terms, hasIntercept: hasIntercept, fixedEffects: fixedEffects)
    }

    /// Parses fixest-style formula text.
    ///
    /// - Throws: `FormulaError` with the position of the problem.
    public init(parsing text: String) throws(FormulaError) {
        var parser = FormulaParser(text)
        self = try parser.parseFormula()
    }

    /// The canonical text of a formula built from parts.
    static func render(response: Expression, terms: [Term], hasIntercept: Bool, fixedEffects: [[String]]) -> String {
        var rhs = terms.map(\.label)
        if !hasIntercept { rhs.insert("0", at: 0) }
        if rhs.isEmpty { rhs = ["1"] }
        var s = "\(response) ~ " + rhs.joined(separator: " + ")
        if !fixedEffects.isEmpty {
            s += " | " + fixedEffects.map { $0.map(Expression.quoteIfNeeded).joined(separator: "^") }.joined(separator: " + ")
        }
        return s
    }

    /// The names of every column the formula reads.
    public var columnsUsed: Set<String> {
        var out = response.columns
        for t in terms { for f in t.factors { out.formUnion(f.columns) } }
        for fe in fixedEffects { out.formUnion(fe) }
        return out
    }

    /// The same formula with other fixed effects (for example none, to compare).
    public func replacingFixedEffects(_ fe: [[String]]) -> Formula {
        Formula(response: response, terms: terms, hasIntercept: hasIntercept, fixedEffects: fe)
    }
}

/// One term of a formula: a product (interaction) of factors, e.g. `x1:log(x2)`.
public struct Term: Sendable, Hashable, CustomStringConvertible {
    /// The factors multiplied in this term, in the order written.
    public let factors: [Factor]
    public init(_ factors: [Factor]) { self.factors = factors }
    /// The term as written in a coefficient name: factors joined by `:`.
    public var label: String { factors.map(\.label).joined(separator: ":") }
    public var description: String { label }
}

/// A factor of a term: a numeric expression, or a categorical variable.
public enum Factor: Sendable, Hashable, CustomStringConvertible {
    /// A numeric expression: a column, a function of columns, or `I(...)` arithmetic.
    case numeric(Expression)
    /// `C(column)`: the column's levels as dummy variables.
    case categorical(String)

    /// The factor as written.
    public var label: String {
        switch self {
        case .numeric(let e): return e.description
        case .categorical(let c): return "C(\(Expression.quoteIfNeeded(c)))"
        }
    }
    public var description: String { label }

    var columns: Set<String> {
        switch self {
        case .numeric(let e): return e.columns
        case .categorical(let c): return [c]
        }
    }
}

/// An arithmetic expression over columns.
public indirect enum Expression: Sendable, Hashable, CustomStringConvertible {
    /// Binary operators, with R's precedence: ^ over * / over + −.
    public enum Operator: String, Sendable, Hashable { case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^" }

    case number(Double)
    case column(String)
    case negate(Expression)
    case binary(Operator, Expression, Expression)
    /// A function call: `log`, `log1p`, `exp`, `sqrt`, `abs`, or `I` (identity, marks arithmetic).
    case call(String, Expression)

    public var description: String {
        switch self {
        case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
        case .column(let c): return Expression.quoteIfNeeded(c)
        case .negate(let e): return "-\(e.parenthesizedIfBinary)"
        case .binary(let op, let a, let b):
            return op == .power ? "\(a.parenthesizedAsBase)^\(b.parenthesizedIfBinary)" : "\(a.parenthesizedIfBinary)\(op.rawValue)\(b.parenthesizedIfBinary)"
        case .call(let f, let e): return "\(f)(\(e))"
        }
    }

    private var parenthesizedIfBinary: String {
        if case .binary = self { return "(\(description))" }
        return description
    }

    /// The base of a power: a negation (or a negative number) too is parenthesized, since ^
    /// binds tighter than unary minus: `(-x)^2` is not `-x^2`, which is −(x²).
    private var parenthesizedAsBase: String {
        switch self {
        case .binary, .negate: return "(\(description))"
        case .number(let v) where v.sign == .minus: return "(\(description))"
        default: return description
        }
    }

    /// Column names that need backquotes to be read back: all but those the parser reads
    /// as one name (a letter, `_` or `.` not followed by a digit, then letters, digits,
    /// `_` and `.`; `.5a` would read as the number .5 and the name a).
    static func quoteIfNeeded(_ name: String) -> String {
        let ok = name.first.map { $0.isLetter || $0 == "_" || $0 == "." } ?? false
            && !(name.first == "." && name.dropFirst().first?.isNumber == true)
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        return ok ? name : "`\(name)`"
    }

    /// Parses an arithmetic expression over columns, such as `log(population)` or `1/disp`.
    ///
    /// - Throws: `FormulaError` with the position of the problem.
    public init(parsing text: String) throws(FormulaError) {
        var parser = FormulaParser(text)
        self = try parser.parseStandaloneExpression()
    }

    /// The columns the expression reads.
    public var columns: Set<String> {
        switch self {
        case .number: return []
        case .column(let c): return [c]
        case .negate(let e), .call(_, let e): return e.columns
        case .binary(_, let a, let b): return a.columns.union(b.columns)
        }
    }
}
