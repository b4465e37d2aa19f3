import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `--format html` end to end: each command's page is well-formed polyglot markup with
/// every table it prints (not only one, as CSV), the data's sources with their quotes and
/// caveats, and the command that made it; nothing refers to the network. The page's
/// rendering in a browser is `scripts/check-html` (headless Chromium).
@Suite("steppe --format html")
struct HTMLCLITests {
    /// What a page holds, read back with an XML parser.
    struct Page {
        var elements: [String] = []
        var code: [String] = []
        var references: [String] = []
        var error: String?
        func count(_ name: String) -> Int { elements.filter { $0 == name }.count }
    }

    final class Collector: NSObject, XMLParserDelegate {
        var page = Page()
        var inCode = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            page.elements.append(name)
            page.references += attributes.filter { $0.key == "src" || $0.key == "href" }.map(\.value)
            if name == "code" { inCode = true; page.code.append("") }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inCode { page.code[page.code.count - 1] += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "code" { inCode = false }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            page.error = "line \(parser.lineNumber): \(parseError)"
        }
    }

    /// Runs `arguments` (which must ask for HTML), checks that the page parses and refers to
    /// nothing outside itself, and returns it with its text.
    static func page(_ arguments: [String]) throws -> (Page, String) {
        let r = try CLI.run(arguments)
        #expect(r.status == 0, "\(arguments): \(r.stderr)")
        #expect(r.stdout.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let collector = Collector()
        let parser = XMLParser(data: Data(r.stdout.utf8))
        parser.delegate = collector
        if !parser.parse() && collector.page.error == nil { collector.page.error = "parse failed" }
        let page = collector.page
        #expect(page.error == nil, "\(arguments): \(page.error ?? "")")
        #expect(page.count("script") == 0 && page.count("link") == 0)
        #expect(page.references.allSatisfy { !$0.contains("://") && !$0.hasPrefix("//") }, "\(page.references)")
        #expect(!r.stdout.contains("src=\"http") && !r.stdout.contains("href=\"http"))
        return (page, r.stdout)
    }

    @Test("fit: the regression table, the command line, the bundled data's sources and caveats")
    func fit() throws {
        let (page, html) = try Self.page(["fit", "--format", "html"])
        #expect(page.count("table") == 1)
        #expect(page.count("figure") == 1 && page.count("svg") == 1)
        #expect(page.code == ["steppe fit --format html"])
        #expect(html.contains("<h2>Data sources</h2>"))
        #expect(html.contains("<h3>kazakhstan-push-factors: "))
        #expect(html.contains("<h4>Caveats</h4>"))
        #expect(html.contains("The documents describe 1998–2001"))
        #expect(html.contains("<td class=\"num\">"))
        #expect(html.contains("Made by Steppe 0.1.0 on <time datetime=\""))
    }

    @Test("a CSV file's page names the file and quotes the arguments for a shell")
    func fitFile() throws {
        let (page, html) = try Self.page(["fit", "flows.csv", "-f", "flow ~ log(dist)", "--format", "html"])
        #expect(page.code == ["steppe fit flows.csv -f 'flow ~ log(dist)' --format html"])
        #expect(html.contains("<h3>flows.csv</h3>"))
    }

    @Test("commands that print several tables put them all on the page; --table picks one")
    func severalTables() throws {
        let (flows, html) = try Self.page(["flows", "--format", "html"])
        #expect(flows.count("table") == 2)
        #expect(html.contains("<h3>kazakhstan-migration: ") && html.contains("<h3>kazakhstan-oblasts: "))
        let (one, _) = try Self.page(["flows", "--format", "html", "--table", "2"])
        #expect(one.count("table") == 1)
        let (jackknife, _) = try Self.page(["sensitivity", "jackknife", "--format", "html"])
        #expect(jackknife.count("table") == 2 && jackknife.count("figure") == 1)
    }

    @Test("every other command that takes --format writes a page", arguments: [
        ["predict", "--format", "html"],
        ["indices", "--year", "2020", "--format", "html"],
        ["interaction", "--format", "html"],
        ["datasets", "list", "--format", "html"],
        ["sensitivity", "ovb", "--format", "html"],
    ])
    func everyCommand(_ arguments: [String]) throws {
        let (page, _) = try Self.page(arguments)
        #expect(page.count("table") >= 1)
    }

    @Test("datasets show: the manifest's sources with the documents' words as block quotes, the columns and the quotes")
    func datasetsShow() throws {
        let (page, html) = try Self.page(["datasets", "show", "kazakhstan-documents", "--format", "html"])
        #expect(page.count("table") == 2)
        #expect(page.count("blockquote") >= 2)
        #expect(html.contains("Thousands are migrating from their homes"))
    }

    @Test("-o writes the page to a file")
    func outputFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("report.html")
        let r = try CLI.run(["fit", "--format", "html", "-o", target.path])
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
        let html = try String(contentsOf: target, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(html.contains("-o \(target.path)</code>"))
    }
}
