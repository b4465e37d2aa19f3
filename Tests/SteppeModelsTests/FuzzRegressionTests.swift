@testable import SteppeModels
import Testing

/// Inputs the fuzzers (Fuzz/, `scripts/fuzz`) found in the formula and option parsers,
/// each a bug fixed.
@Suite("Fuzz regressions: formulas and options")
struct FuzzRegressionModelsTests {
    /// FuzzFormula: (-x)^2 was described as -x^2, which reads back as −(x²): a term label
    /// and the canonical text (as the specification curve refits it) of another model.
    @Test("a negated base of a power keeps its parentheses", arguments: ["I((-x)^2)", "I((-x)^-1)", "I((--x)^y^z)"])
    func negatedBase(_ term: String) throws {
        let f = try Formula(parsing: "y ~ \(term)")
        let canonical = Formula(response: f.response, terms: f.terms, hasIntercept: f.hasIntercept, fixedEffects: f.fixedEffects)
        #expect(try Formula(parsing: canonical.text).terms == f.terms, "\(canonical.text)")
        let e = try Expression(parsing: String(term.dropFirst(2).dropLast()))
        #expect(try Expression(parsing: e.description) == e, "\(e.description)")
        #expect(try Expression(parsing: "(-x)^2").description == "(-x)^2")
        #expect(try Expression(parsing: "-x^2").description == "-(x^2)")
        #expect(Expression.binary(.power, .number(-2), .column("x")).description == "(-2)^x")
    }

    /// FuzzFormula: 1e999 was read as infinity and printed "inf", a column's name.
    @Test("a number too large for a double is an error at its position")
    func infiniteNumber() {
        #expect(throws: FormulaError(formula: "y ~ I(1e999 * x)", position: 7, message: "'1e999' is too large for a number")) {
            try Formula(parsing: "y ~ I(1e999 * x)")
        }
        #expect(throws: FormulaError.self) { try Expression(parsing: "x^1e400") }
    }

    /// FuzzFormula: `.5a` (a backquoted name) was printed without its backquotes and read
    /// back as the number .5 and the name a; fixed-effect names were printed unquoted.
    @Test("names that need backquotes keep them, fixed effects included")
    func quotedNames() throws {
        for text in ["y ~ `` + `.5a`", "y ~ x | `a b` + `.5a`^g"] {
            let f = try Formula(parsing: text)
            let canonical = Formula(response: f.response, terms: f.terms, hasIntercept: f.hasIntercept, fixedEffects: f.fixedEffects)
            let again = try Formula(parsing: canonical.text)
            #expect(again.terms == f.terms && again.fixedEffects == f.fixedEffects, "\(canonical.text)")
        }
    }

    /// The specification curve rebuilt its base formula's fixed effects without
    /// backquotes, so a base `y ~ x | \`a b\`` gave formulas that do not parse.
    @Test("a specification plan keeps the base formula's quoted fixed effects")
    func planQuotesFixedEffects() throws {
        let base = try Formula(parsing: "y ~ x | `a b`")
        let d = try SpecificationDimension(parsing: "model=ppml|ols-log")
        for k in 0..<2 {
            let plan = try SpecificationPlan(formula: base, model: .ppml, dimensions: [d], choice: [k])
            #expect(try Formula(parsing: plan.formulaText).fixedEffects == [["a b"]], "\(plan.formulaText)")
        }
    }
}
