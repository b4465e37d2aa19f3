import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SteppeReport

/// The HTML page's structure, read back with an XML parser (the page is polyglot markup):
/// escaping, one `<table>` per `ReportTable` with its row groups, the command line, the
/// sources, the figures, and no reference to the network.
@Suite("SteppeReport: HTML report")
struct HTMLReportTests {
    static let title = "Flows <2023> & \"more\" 'quoted'"
    static let tables = [
        ReportTable(title: "A & B", columns: ["pair", "flow"],
                    rows: [[.text("x < y & \"z\""), .number(1, display: "1.0000")], [.text("total"), ReportTable.number(.nan)]],
                    rules: [1], notes: ["β < 1 & \"notes\""]),
        ReportTable(columns: ["term", "estimate"], rows: [[.text("log(d)"), ReportTable.number(-1.25)]]),
    ]
    static let svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\" viewBox=\"0 0 200 100\"><rect x=\"0\" y=\"0\" width=\"200\" height=\"100\" fill=\"#fff\"/></svg>\n"

    static var report: HTMLReport {
        HTMLReport(title: title, command: ["steppe", "fit", "-f", "y ~ log(d) | o", "--format", "html", "-o", "it's.html"],
                   tables: tables, figures: [.init(caption: "Estimates & 95% intervals", svg: svg)],
                   sources: [.init(name: "data.csv", description: "Read <here>.",
                                   sources: [.init(summary: "Office; https://example.org/t", quote: "\"20 to 100 times\" & more")],
                                   caveats: ["Not observed < estimated."])],
                   version: "0.1.0", generated: Date(timeIntervalSince1970: 1_767_225_600))
    }

    @Test("the page is well-formed: an XML parser reads it to the end")
    func wellFormed() throws {
        let page = try Self.parse(Self.report.render())
        #expect(page.error == nil, "\(page.error ?? "")")
        #expect(page.elements.first == "html")
        #expect(Self.report.render().hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />"))
    }

    @Test("the parser the tests read pages with rejects a page that is not well-formed")
    func parserRejects() throws {
        #expect(try Self.parse("<!DOCTYPE html>\n<html><body><p>open</body></html>").error != nil)
        #expect(try Self.parse("<!DOCTYPE html>\n<html><body><p>a & b</p></body></html>").error != nil)
    }

    @Test("<, &, quotes in the title and in a cell are escaped and read back as they were")
    func escaping() throws {
        let html = Self.report.render()
        #expect(html.contains("<title>Flows &lt;2023&gt; &amp; &quot;more&quot; &#39;quoted&#39;</title>"))
        #expect(html.contains("<td>x &lt; y &amp; &quot;z&quot;</td>"))
        #expect(!html.contains("x < y"))
        let page = try Self.parse(html)
        #expect(page.texts["title"] == [Self.title])
        #expect(page.texts["td"]?.contains("x < y & \"z\"") == true)
        #expect(page.texts["li"]?.contains("β < 1 & \"notes\"") == true)
        #expect(page.texts["blockquote"] == ["\"20 to 100 times\" & more"])
    }

    @Test("one <table> per ReportTable, a <tbody> per run of rows between rules, numbers right-aligned, NA")
    func tables() throws {
        let page = try Self.parse(Self.report.render())
        #expect(page.count("table") == Self.tables.count)
        #expect(page.count("tbody") == 3)
        #expect(page.count("caption") == 1)
        #expect(page.count("th") == 4)
        let html = Self.report.render()
        #expect(html.contains("<th scope=\"col\" class=\"num\">flow</th>"))
        #expect(html.contains("<td class=\"num\">NA</td>"))
        #expect(html.contains("<td class=\"num\">-1.2500</td>"))
    }

    @Test("the command line, shell-quoted, with the version and the date")
    func commandLine() throws {
        let page = try Self.parse(Self.report.render())
        #expect(page.texts["code"] == ["steppe fit -f 'y ~ log(d) | o' --format html -o 'it'\\''s.html'"])
        let html = Self.report.render()
        #expect(html.contains("Made by Steppe 0.1.0 on <time datetime=\"2026-01-01T00:00:00Z\">2026-01-01 00:00 UTC</time> with:"))
        #expect(HTMLCommandLine.quoted(["a", "", "$HOME", "x=1,2:3"]) == "a '' '$HOME' x=1,2:3")
    }

    @Test("figures inline without the XML declaration, captioned; sources with quotes and caveats")
    func figuresAndSources() throws {
        let html = Self.report.render()
        #expect(!html.contains("<?xml"))
        #expect(html.contains("<figure class=\"plot\" id=\"figure-1\">\n<svg xmlns="))
        let page = try Self.parse(html)
        #expect(page.count("svg") == 1 && page.count("figure") == 1)
        #expect(page.texts["figcaption"] == ["Figure 1. Estimates & 95% intervals"])
        #expect(page.texts["h2"] == ["Figures", "Tables", "Data sources"])
        #expect(page.texts["li"]?.contains("Not observed < estimated.") == true)
    }

    @Test("self-contained: no src or href to the network, no script, a policy that forbids loads, a print style")
    func selfContained() throws {
        let html = Self.report.render()
        let page = try Self.parse(html)
        #expect(page.count("script") == 0 && page.count("link") == 0 && page.count("img") == 0)
        for (name, value) in page.attributes where name == "src" || name == "href" {
            #expect(!value.hasPrefix("http://") && !value.hasPrefix("https://") && !value.hasPrefix("//"), "\(name)=\(value)")
        }
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url("))
        #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""))
        #expect(html.contains("@media print"))
    }

    @Test("ReportTable.render(.html) is a page with that table alone")
    func singleTable() throws {
        let html = Self.tables[0].render(.html)
        let page = try Self.parse(html)
        #expect(page.error == nil)
        #expect(page.count("table") == 1 && page.count("pre") == 0)
        #expect(page.texts["title"] == ["A & B"])
    }

    // MARK: - Reading the page back

    struct Page {
        var elements: [String] = []
        var texts: [String: [String]] = [:]
        var attributes: [(String, String)] = []
        var error: String?
        func count(_ name: String) -> Int { elements.filter { $0 == name }.count }
    }

    /// Parses `html` as XML (after its `<!DOCTYPE html>`, which XML reads as a document
    /// type without a DTD), collecting the elements, their text and their attributes.
    static func parse(_ html: String) throws -> Page {
        let delegate = Collector()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = delegate
        if !parser.parse() { delegate.page.error = parser.parserError.map { "\($0)" } ?? "parse failed" }
        return delegate.page
    }

    final class Collector: NSObject, XMLParserDelegate {
        var page = Page()
        var stack: [(String, String)] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            page.elements.append(name)
            page.attributes += attributes.map { ($0.key, $0.value) }
            stack.append((name, ""))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            for k in stack.indices { stack[k].1 += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard let (element, text) = stack.popLast() else { return }
            page.texts[element, default: []].append(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            page.error = "line \(parser.lineNumber): \(parseError)"
        }
    }
}
