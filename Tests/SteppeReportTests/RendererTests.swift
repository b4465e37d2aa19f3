import Foundation
import Testing
@testable import SteppeReport

/// Every renderer on one small table with a rule, a missing cell, a NaN, a text column and
/// characters each format must escape.
@Suite("SteppeReport: renderers")
struct RendererTests {
    static let table = ReportTable(
        title: "Flows | 2023",
        columns: ["pair", "flow", "share %"],
        rows: [[.text("A → B"), .number(1234.5, display: "1234.5"), ReportTable.number(12.3456, digits: 2)],
               [.text("C_D & \"E\""), .empty, ReportTable.number(.nan)],
               [.text("total"), .number(1234.5, display: "1234.5"), .number(100, display: "100")]],
        rules: [2],
        notes: ["β = 1.5; 50% of pairs"])

    @Test("aligned text: numbers right, text left, rules of dashes, notes below")
    func text() {
        let expected = """
        Flows | 2023
        --------------------------
        pair         flow  share %
        --------------------------
        A → B      1234.5    12.35
        C_D & "E"               NA
        --------------------------
        total      1234.5      100
        --------------------------
        β = 1.5; 50% of pairs

        """
        #expect(Self.table.render(.text) == expected, "\(firstLineDifference(Self.table.render(.text), expected))")
    }

    @Test("Markdown: pipes escaped, alignment row, notes as a list")
    func markdown() {
        let out = Self.table.render(.markdown)
        #expect(out.hasPrefix("**Flows \\| 2023**\n\n| pair | flow | share % |\n|:---|---:|---:|\n"))
        #expect(out.contains("| C_D & \"E\" |  | NA |\n"))
        #expect(out.hasSuffix("\n- β = 1.5; 50% of pairs\n"))
    }

    @Test("LaTeX: specials escaped, booktabs rules, arrows and Greek in math mode")
    func latex() {
        let out = Self.table.render(.latex)
        #expect(out.contains("\\caption{Flows $|$ 2023}"))
        #expect(out.contains("\\begin{tabular}{lrr}\n\\toprule\npair & flow & share \\% \\\\\n\\midrule\n"))
        #expect(out.contains("A $\\rightarrow$ B & 1234.5 & 12.35 \\\\\n"))
        #expect(out.contains("C\\_D \\& \"E\" &  & NA \\\\\n\\midrule\ntotal"))
        #expect(out.contains("$\\beta$ = 1.5; 50\\% of pairs"))
    }

    @Test("CSV: RFC 4180 quoting, full numbers, NA for a non-finite number, no notes")
    func csv() {
        let expected = "pair,flow,share %\nA → B,1234.5,12.3456\n\"C_D & \"\"E\"\"\",,NA\ntotal,1234.5,100\n"
        #expect(Self.table.render(.csv) == expected)
    }

    @Test("JSON: rows keyed by column, numbers as numbers, null for empty and non-finite")
    func json() throws {
        let text = Self.table.render(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows[0]["flow"] as? Double == 1234.5 && rows[0]["share %"] as? Double == 12.3456)
        #expect(rows[1]["flow"] is NSNull && rows[1]["share %"] is NSNull)
        #expect(object["notes"] as? [String] == ["β = 1.5; 50% of pairs"])
        #expect(!text.contains("NaN"))
    }
}

/// The first differing line of two texts.
func firstLineDifference(_ a: String, _ b: String) -> String {
    let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(x.count, y.count) where (i < x.count ? x[i] : "<end>") != (i < y.count ? y[i] : "<end>") {
        return "line \(i + 1): got '\(i < x.count ? String(x[i]) : "<end>")', expected '\(i < y.count ? String(y[i]) : "<end>")'"
    }
    return "identical"
}
