import Foundation

/// One self-contained HTML5 page: the page a researcher attaches to an email.
///
/// It holds a command's tables (`ReportTable`, every one of them, with their notes), its
/// figures as inline SVG, where the data come from (sources with the documents' quotes,
/// and the caveats), and the exact command line with Steppe's version and the date, so
/// a reader can rerun it. The page loads nothing: the style sheet is inline, the fonts
/// are the system's, there is no script, and a Content-Security-Policy that allows only
/// inline styles makes any reference to the network a console error rather than a
/// request. Every text is escaped (`HTMLEscaping`).
///
/// The markup is polyglot: valid HTML5 and well-formed XML at once (void elements
/// self-closed, only XML's character references), so any XML parser can check it.
///
/// ```swift
/// let page = HTMLReport(title: "Push factors", command: CommandLine.arguments,
///                       tables: [table], figures: [.init(caption: "Coefficients", svg: plot.inlineSVG)],
///                       sources: [.init(manifest: manifest)], version: "0.1.0", generated: Date())
/// try page.render().write(toFile: "report.html", atomically: true, encoding: .utf8)
/// ```
public struct HTMLReport: Sendable, Equatable {
    /// The page's `<title>` and heading.
    public var title: String
    /// The process arguments that produced the page (the program first), shown
    /// shell-quoted; empty for a page made by a library call.
    public var command: [String]
    public var tables: [ReportTable]
    public var figures: [Figure]
    public var sources: [Provenance]
    /// Steppe's version, shown with the command.
    public var version: String?
    /// When the page was made, shown in UTC to the minute.
    public var generated: Date?

    public init(title: String, command: [String] = [], tables: [ReportTable] = [], figures: [Figure] = [],
                sources: [Provenance] = [], version: String? = nil, generated: Date? = nil) {
        self.title = title
        self.command = command
        self.tables = tables
        self.figures = figures
        self.sources = sources
        self.version = version
        self.generated = generated
    }

    /// The page, ending with a newline.
    public func render() -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n" + head() + "<body>\n" + header() + "<main>\n" + figureSection()
            + tableSection() + sourceSection() + "</main>\n" + footer() + "</body>\n</html>\n"
    }

    /// `<head>`: UTF-8, the viewport, the policy that forbids every load, the title and
    /// the style sheet.
    func head() -> String {
        var out = "<head>\n<meta charset=\"utf-8\" />\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\" />\n"
        out += "<meta name=\"generator\" content=\"" + HTMLEscaping.escape("Steppe" + (version.map { " " + $0 } ?? "")) + "\" />\n"
        out += "<title>" + HTMLEscaping.escape(title) + "</title>\n<style>\n" + HTMLStyleSheet.css + "\n</style>\n</head>\n"
        return out
    }

    /// The heading, and the command line with the version and date when there is one.
    func header() -> String {
        var out = "<header>\n<h1>" + HTMLEscaping.escape(title) + "</h1>\n"
        if !command.isEmpty {
            out += "<p>Made by " + madeBy() + " with:</p>\n"
            out += "<pre class=\"command\"><code>" + HTMLEscaping.escape(HTMLCommandLine.quoted(command)) + "</code></pre>\n"
        }
        return out + "</header>\n"
    }

    /// "Steppe 0.1.0 on 2026-01-31 14:05 UTC", with what is known.
    func madeBy() -> String {
        var out = "Steppe" + (version.map { " " + HTMLEscaping.escape($0) } ?? "")
        if let generated { out += " on <time datetime=\"\(Self.isoDate(generated))\">" + Self.shownDate(generated) + "</time>" }
        return out
    }

    func figureSection() -> String {
        guard !figures.isEmpty else { return "" }
        return "<section class=\"figures\">\n<h2>Figures</h2>\n"
            + figures.enumerated().map { $0.element.render(number: $0.offset + 1) }.joined() + "</section>\n"
    }

    func tableSection() -> String {
        guard !tables.isEmpty else { return "" }
        return "<section class=\"tables\">\n<h2>" + (tables.count == 1 ? "Table" : "Tables") + "</h2>\n"
            + tables.enumerated().map { $0.element.renderHTMLSection(id: "table-\($0.offset + 1)") }.joined() + "</section>\n"
    }

    func sourceSection() -> String {
        guard !sources.isEmpty else { return "" }
        return "<section class=\"data-sources\">\n<h2>Data sources</h2>\n" + sources.map { $0.render() }.joined() + "</section>\n"
    }

    func footer() -> String {
        "<footer>\n<p>Made by " + madeBy() + ". The notes under each table list what was dropped and assumed.</p>\n</footer>\n"
    }

    /// `2026-01-31T14:05:09Z`, the machine-readable `datetime`.
    static func isoDate(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// `2026-01-31 14:05 UTC`, the date as printed.
    static func shownDate(_ date: Date) -> String {
        let iso = isoDate(date)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }
}
