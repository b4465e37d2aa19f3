import SteppeModels
import Testing

@Suite("Formula parsing")
struct FormulaTests {
    func labels(_ text: String) throws -> [String] { try Formula(parsing: text).terms.map(\.label) }

    @Test func termsAndIntercept() throws {
        let f = try Formula(parsing: "flow ~ log(pop_o) + log(pop_d) + log(dist) | origin + destination")
        #expect(f.response == .column("flow"))
        #expect(f.terms.map(\.label) == ["log(pop_o)", "log(pop_d)", "log(dist)"])
        #expect(f.fixedEffects == [["origin"], ["destination"]])
        #expect(!f.hasIntercept, "fixed effects absorb the intercept")
        #expect(try Formula(parsing: "y ~ x").hasIntercept)
        #expect(try !Formula(parsing: "y ~ 0 + x").hasIntercept)
        #expect(try !Formula(parsing: "y ~ x - 1").hasIntercept)
        #expect(try Formula(parsing: "y ~ x + 1").hasIntercept)
        #expect(try labels("y ~ x + I(x^2) + I(x^3)") == ["x", "I(x^2)", "I(x^3)"])
        #expect(try labels("y ~ x1*x2") == ["x1", "x2", "x1:x2"])
        #expect(try labels("y ~ a*b*c") == ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"])
        #expect(try labels("y ~ x1*x2 - x1:x2") == ["x1", "x2"])
        #expect(try labels("y ~ x + x") == ["x"], "duplicates collapse")
        #expect(try labels("y ~ C(region) + x:C(region)") == ["C(region)", "x:C(region)"])
        #expect(try labels("y ~ log1p(x) + exp(z) + sqrt(w) + abs(v)") == ["log1p(x)", "exp(z)", "sqrt(w)", "abs(v)"])
        #expect(try labels("y ~ I((a + b)/2) + I(-x^2)") == ["I((a+b)/2)", "I(-(x^2))"])
        #expect(try labels("y ~ `pop total` + x.1") == ["`pop total`", "x.1"])
        #expect(try Formula(parsing: "log(y) ~ x").response == .call("log", .column("y")))
        let interacted = try Formula(parsing: "flow ~ log(dist) | origin^year + destination^year")
        #expect(interacted.fixedEffects == [["origin", "year"], ["destination", "year"]])
        #expect(try Formula(parsing: "y ~ 1 | g").terms.isEmpty)
        #expect(try Formula(parsing: "y ~ x + I(x^2) | a").columnsUsed == ["y", "x", "a"])
    }

    @Test func expressions() throws {
        #expect(try Expression(parsing: "1/disp") == .binary(.divide, .number(1), .column("disp")))
        #expect(try Expression(parsing: "log(pop) - 2") == .binary(.subtract, .call("log", .column("pop")), .number(2)))
        // ^ binds tighter than unary minus and associates to the right, as in R.
        #expect(try Expression(parsing: "-x^2^3") == .negate(.binary(.power, .column("x"), .binary(.power, .number(2), .number(3)))))
    }

    @Test("Errors name the position and the problem")
    func errors() {
        func message(_ text: String) -> String {
            do { _ = try Formula(parsing: text); return "parsed" } catch { return error.description }
        }
        #expect(message("y x") == "formula error: a formula needs '~' between the response and the terms, as in y ~ x")
        #expect(message("y ~ foo(x)") == "formula error at character 5: unknown function 'foo' (known: C, I, abs, exp, log, log1p, sqrt)")
        #expect(message("y ~ log(x") == "formula error at character 10: expected ')' to close log(, found the end of the formula")
        #expect(message("y ~ x^2") == "formula error at character 6: powers belong inside I(...): write I(x^2)")
        #expect(message("y ~ x + ") == "formula error at character 9: expected a term, found the end of the formula")
        #expect(message("y ~ x | log(g)") == "formula error at character 9: fixed effects are column names (combine them with ^), not function calls")
        #expect(message("y ~ x $ z") == "formula error at character 7: unexpected character '$'")
        #expect(message("y ~ 3") == "formula error at character 5: a number alone is not a term (only 0 and 1, for the intercept); use I(...) for arithmetic")
        #expect(message("y ~ 0") == "formula error: the model has no terms and no intercept")
        #expect(message("y ~ (a + b)") == "formula error at character 5: parentheses group terms only inside a function; write I(...) for arithmetic")
        let e = (try? Formula(parsing: "y ~ foo(x)")) == nil
        #expect(e)
        do { _ = try Formula(parsing: "y ~ x + bar(z)") } catch {
            #expect(error.pointer == "y ~ x + bar(z)\n        ^")
        }
    }
}
