// Fuzzing of two command-line value parsers in SteppeModels: the scenario change of
// `steppe predict --change` (`ScenarioChange(parsing:)`) and the dimension of
// `steppe sensitivity curve --vary` (`SpecificationDimension(parsing:)`). The first
// byte chooses the parser (even: change, odd: vary); the rest is UTF-8 text.
//
// Change: parses or throws; a parsed change has a non-empty column and a finite value;
// its description parses back to the same change (unless the column ends in * or +,
// where `a+` `=` 3 and `a` `+=` 3 are spelled alike); applied to a small table it edits
// exactly the chosen rows as its operation says.
// Vary: parses or throws; a parsed dimension has at least one alternative, each free of
// surrounding white space; NAME=ALT1|ALT2… rendered from it parses back to the same
// dimension; and the specification plan of each alternative (around `y ~ x` and
// `y ~ x | g`) is built, and its formula text parsed, without a trap.
#if canImport(Glibc)
import Glibc
#endif
import FuzzerDriver
import SteppeData
@testable import SteppeModels

func report(_ message: String) -> Never {
    let text = "FuzzOptions mismatch: " + message + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress!, $0.count - 1) }
    abort()
}

func fuzzChange(_ text: String) {
    guard let change = try? ScenarioChange(parsing: text) else { return }
    if change.column.isEmpty || !change.value.isFinite { report("change \(text.debugDescription) gives \(change.column.debugDescription) \(change.value)") }
    if !(change.column.hasSuffix("*") || change.column.hasSuffix("+")) {
        guard let again = try? ScenarioChange(parsing: change.description) else {
            report("change \(text.debugDescription) is described as \(change.description.debugDescription), which does not parse")
        }
        if again != change { report("change \(text.debugDescription) is described as \(change.description.debugDescription), which parses to \(again.column.debugDescription) \(again.operation) \(again.value)") }
    }
    let before: [Double] = [1, -2.5, 0, 1e300]
    let rows = [true, false, true, true]
    guard let table = try? Table(columns: [.numeric(change.column, before), .text(change.column == "id" ? "id2" : "id", ["a", "b", "c", "d"])]),
          let after = try? change.apply(to: table, rows: rows).column(change.column).numbers else {
        report("change \(text.debugDescription) does not apply to a numeric column of its name")
    }
    for i in before.indices {
        let expected = !rows[i] ? before[i] : change.operation == .multiply ? before[i] * change.value
            : change.operation == .add ? before[i] + change.value : change.value
        if !(after[i] == expected || after[i].isNaN && expected.isNaN) { report("change \(change) made row \(i) \(after[i]), not \(expected)") }
    }
}

let bases = [try! Formula(parsing: "y ~ x"), try! Formula(parsing: "y ~ x | g")]

func fuzzVary(_ text: String) {
    guard let d = try? SpecificationDimension(parsing: text) else { return }
    if d.alternatives.isEmpty { report("vary \(text.debugDescription) has no alternatives") }
    for a in d.alternatives where a.first?.isWhitespace == true || a.last?.isWhitespace == true || a.contains(where: { $0 == "|" }) {
        report("vary \(text.debugDescription) has alternative \(a.debugDescription)")
    }
    let rendered = d.kind.rawValue + "=" + d.alternatives.joined(separator: "|")
    guard let again = try? SpecificationDimension(parsing: rendered) else { report("vary \(text.debugDescription) renders as \(rendered.debugDescription), which does not parse") }
    if again != d { report("vary \(text.debugDescription) renders as \(rendered.debugDescription), which parses to \(again)") }
    for base in bases {
        for k in d.alternatives.indices {
            guard let plan = try? SpecificationPlan(formula: base, model: .ppml, dimensions: [d], choice: [k]) else { continue }
            _ = plan.label
            _ = plan.frameKey
            _ = try? Formula(parsing: plan.formulaText)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOptions(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size >= 1, let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    if data[0] & 1 == 0 { fuzzChange(text) } else { fuzzVary(text) }
    return 0
}

exit(steppe_fuzzer_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzOptions($0, $1) })
