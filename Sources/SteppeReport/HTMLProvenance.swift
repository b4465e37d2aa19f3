import SteppeData

extension HTMLReport {
    /// Where one input of a report comes from: a bundled dataset's manifest (its
    /// description, years, rows and licence, each source with the document's own words,
    /// and the caveats a reader must know), or a file named by the user.
    ///
    /// A report that leaves its data's provenance to another command is not one a reader
    /// can check, so the page carries it in full: the same sources, quotes and caveats as
    /// `steppe datasets show`.
    public struct Provenance: Sendable, Equatable {
        /// One source: the line that names it and, when the figures rest on a document,
        /// the document's words.
        public struct Source: Sendable, Equatable {
            public var summary: String
            public var quote: String?

            public init(summary: String, quote: String? = nil) {
                self.summary = summary
                self.quote = quote
            }
        }

        /// The dataset's name or the file's path.
        public var name: String
        /// A one-line title; may be empty.
        public var title: String
        /// What the data hold.
        public var description: String
        /// Short facts shown as a list: years, rows, file, licence.
        public var details: [String]
        public var sources: [Source]
        public var caveats: [String]

        public init(name: String, title: String = "", description: String = "", details: [String] = [],
                    sources: [Source] = [], caveats: [String] = []) {
            self.name = name
            self.title = title
            self.description = description
            self.details = details
            self.sources = sources
            self.caveats = caveats
        }

        /// A bundled dataset's provenance, from its manifest.
        public init(manifest m: DatasetManifest) {
            let file = m.file ?? "none; derived from \(m.derived?.from ?? "?") by \(m.derived?.method ?? "?")"
            self.init(name: m.name, title: m.title, description: m.description,
                      details: ["Years: \(m.years)", "Rows: \(ReportNumber.grouped(Double(m.rows)))", "File: \(file)", "Licence: \(m.licence)"],
                      sources: m.sources.map { Source(summary: $0.summary, quote: $0.quote) }, caveats: m.caveats)
        }

        /// An `<article>`: the name and title as a heading, the description, the details,
        /// the sources with their quotes as block quotes, and the caveats.
        func render() -> String {
            let e = HTMLEscaping.escape
            var out = "<article class=\"provenance\">\n<h3>" + e(name) + (title.isEmpty ? "" : ": " + e(title)) + "</h3>\n"
            if !description.isEmpty { out += "<p>" + e(description) + "</p>\n" }
            if !details.isEmpty { out += "<ul class=\"details\">\n" + details.map { "<li>" + e($0) + "</li>\n" }.joined() + "</ul>\n" }
            if !sources.isEmpty {
                out += "<h4>Sources</h4>\n<ul class=\"sources\">\n"
                for s in sources {
                    out += "<li>" + e(s.summary)
                    if let q = s.quote { out += "\n<blockquote>" + e(q) + "</blockquote>\n" }
                    out += "</li>\n"
                }
                out += "</ul>\n"
            }
            if !caveats.isEmpty {
                out += "<h4>Caveats</h4>\n<ul class=\"caveats\">\n" + caveats.map { "<li>" + e($0) + "</li>\n" }.joined() + "</ul>\n"
            }
            return out + "</article>\n"
        }
    }
}
