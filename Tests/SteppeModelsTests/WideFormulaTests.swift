import Foundation
import SteppeData
@testable import SteppeModels
import Testing

/// Formulas of thousands of terms: parsing and the model frame are near-linear in the
/// number of terms (no term is compared with every other, no label rebuilt per term),
/// so a wide formula reaches the estimator at once. These tests check the results, not
/// the time; the timing measured with the command line is in the CHANGELOG.
@Suite("Wide formulas")
struct WideFormulaTests {
    /// A table of `rows` rows: y, numeric x1…x`columns`, and text g1…g`groups` of three levels.
    static func table(rows: Int, columns: Int, groups: Int = 0) throws -> Table {
        var cols = [Column(name: "y", values: .numeric((0..<rows).map { Double($0 % 7) }))]
        for j in 1...columns {
            cols.append(Column(name: "x\(j)", values: .numeric((0..<rows).map { Double(($0 * j) % 11) + 0.5 })))
        }
        for j in stride(from: 1, through: groups, by: 1) {
            cols.append(Column(name: "g\(j)", values: .text(codes: (0..<rows).map { Int32(($0 + j) % 3) }, levels: ["a", "b", "c"])))
        }
        return try Table(columns: cols)
    }

    @Test("10,000 terms parse, in order, without duplicates")
    func parsesTenThousandTerms() throws {
        let names = (1...10_000).map { "x\($0)" }
        let f = try Formula(parsing: "y ~ " + names.joined(separator: " + ") + " + x1 + x5000")
        #expect(f.terms.count == 10_000)
        #expect(f.terms.map(\.label) == names)
        #expect(f.columnsUsed.count == 10_001)
    }

    @Test("removing thousands of terms with '-' keeps the others in order")
    func removesThousandsOfTerms() throws {
        let kept = (1...5_000).map { "x\(2 * $0 - 1)" }
        let removed = (1...5_000).map { "x\(2 * $0)" }
        let text = "y ~ " + (1...10_000).map { "x\($0)" }.joined(separator: " + ") + " - " + removed.joined(separator: " - ")
        let f = try Formula(parsing: text)
        #expect(f.terms.map(\.label) == kept)
        // Removed and added again: the term is back, at the end (as before this change).
        let again = try Formula(parsing: "y ~ a + b - a + a")
        #expect(again.terms.map(\.label) == ["b", "a"])
    }

    @Test("a product of more than 14 factors is an error, not 2^k terms")
    func longProducts() throws {
        let twelve = try Formula(parsing: "y ~ " + (1...12).map { "x\($0)" }.joined(separator: "*"))
        #expect(twelve.terms.count == (1 << 12) - 1)
        #expect(throws: FormulaError.self) { try Formula(parsing: "y ~ " + (1...40).map { "x\($0)" }.joined(separator: "*")) }
        do { _ = try Formula(parsing: "y ~ a + " + (1...40).map { "x\($0)" }.joined(separator: "*")) } catch {
            #expect(error.description.contains("a product of 40 factors expands to 2^40 - 1 terms; at most 14 factors"), "\(error)")
            #expect(error.position == 9)
        }
    }

    @Test("a frame of 10,000 numeric terms: one column each, named and valued in order")
    func frameOfTenThousandTerms() throws {
        let t = try Self.table(rows: 40, columns: 10_000)
        let f = try Formula(parsing: "y ~ " + (1...10_000).map { "x\($0)" }.joined(separator: " + "))
        let frame = try ModelFrame(table: t, formula: f)
        #expect(frame.design.rows == 40 && frame.design.columns == 10_001)
        #expect(frame.coefficientNames.first == "(Intercept)")
        #expect(frame.coefficientNames.last == "x10000")
        #expect(frame.design[3, 10_000] == Double((3 * 10_000) % 11) + 0.5)
        #expect(frame.design[39, 1] == Double(39 % 11) + 0.5)
    }

    @Test("a frame of 2,000 categorical terms: two treatment dummies each, labelled")
    func frameOfManyCategoricals() throws {
        let t = try Self.table(rows: 30, columns: 1, groups: 2_000)
        let f = try Formula(parsing: "y ~ x1 + " + (1...2_000).map { $0 == 7 ? "C(g7)" : "g\($0)" }.joined(separator: " + "))
        let frame = try ModelFrame(table: t, formula: f)
        #expect(frame.design.columns == 1 + 1 + 2 * 2_000)
        #expect(frame.coefficientNames[2] == "g1[T.b]" && frame.coefficientNames[3] == "g1[T.c]")
        #expect(frame.coefficientNames[2 + 2 * 6] == "C(g7)[T.b]", "g7 is written C(g7), so its dummies say so")
        #expect(frame.coefficientNames.last == "g2000[T.c]")
    }
}
