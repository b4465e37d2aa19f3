/// A formula that cannot be parsed, with where: the 1-based character position and a caret line.
public struct FormulaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The formula text.
    public let formula: String
    /// 1-based character position of the problem (0: the formula as a whole).
    public let position: Int
    /// What is wrong.
    public let message: String

    public init(formula: String, position: Int, message: String) {
        self.formula = formula
        self.position = position
        self.message = message
    }

    /// One line: `formula error at character N: message`.
    public var description: String {
        position > 0 ? "formula error at character \(position): \(message)" : "formula error: \(message)"
    }

    /// The formula with a caret under the problem, for terminals.
    public var pointer: String {
        guard position > 0 else { return formula }
        return formula + "\n" + String(repeating: " ", count: position - 1) + "^"
    }
}
