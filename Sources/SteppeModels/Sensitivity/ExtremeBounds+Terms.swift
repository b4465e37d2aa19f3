import Foundation

/// Terms named on the command line or in an API call, and the design columns they stand
/// for: shared by `ExtremeBounds` and `OmittedVariableBias`.
public enum SensitivityTerms {
    /// Splits `text` at `separator` outside parentheses and trims each part, so that
    /// `"log(a), poly(x, 2)"` gives `["log(a)", "poly(x, 2)"]`; empty parts are dropped.
    public static func split(_ text: String, separator: Character) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for c in text {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == separator && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The design columns (indices into `frame.coefficientNames`) of `term`: the column of
    /// that name, or else every column built from the formula term with that label (the
    /// dummies of a categorical term). Spaces are ignored in the comparison.
    ///
    /// `frame` must be a frame built from a formula (not a `selecting(columns:)` variant,
    /// whose formula keeps fewer terms than its specification).
    /// - Throws: `ModelError.invalidOption` naming the model's terms when none matches.
    static func columns(of term: String, in frame: ModelFrame, role: String) throws(ModelError) -> [Int] {
        let key = compact(term)
        if let j = frame.coefficientNames.firstIndex(where: { compact($0) == key }) { return [j] }
        if let t = frame.formula.terms.firstIndex(where: { compact($0.label) == key }) {
            let columns = frame.specification.columns.indices.filter { frame.specification.columns[$0].term == t }
            if !columns.isEmpty { return columns }
        }
        let known = frame.formula.terms.map(\.label).joined(separator: ", ")
        throw .invalidOption("\(role) '\(term)' is not a term of the model; its terms are \(known)")
    }

    static func compact(_ s: String) -> String { s.filter { !$0.isWhitespace } }
}
