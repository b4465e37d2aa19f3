extension ReportTable {
    /// The table as an HTML `<section>`: a `<table>` with the title as its `<caption>`, the
    /// header in `<thead>`, one `<tbody>` per run of rows between rules (so the page draws
    /// each rule as a row-group border, as text draws dashes and LaTeX `\midrule`), and
    /// the notes as a list below.
    ///
    /// Columns that hold mostly numbers (`rightAligned`, the same rule as the text and
    /// Markdown renderers) carry `class="num"` on every cell and heading, which the style
    /// sheet right-aligns with tabular figures. Cells show their `display` text, so a
    /// missing number reads NA as in every other format; a number cell with no display
    /// text shows NA when its value is not finite. Everything is escaped.
    func renderHTMLSection(id: String) -> String {
        let numeric = columns.indices.map(rightAligned)
        func attributes(_ j: Int) -> String { j < numeric.count && numeric[j] ? " class=\"num\"" : "" }
        var out = "<section class=\"report-table\" id=\"\(id)\">\n<div class=\"scroll\">\n<table>\n"
        if !title.isEmpty { out += "<caption>" + HTMLEscaping.escape(title) + "</caption>\n" }
        out += "<thead>\n<tr>" + columns.enumerated().map { j, c in
            "<th scope=\"col\"\(attributes(j))>" + HTMLEscaping.escape(c) + "</th>"
        }.joined() + "</tr>\n</thead>\n"
        for group in rowGroups() {
            out += "<tbody>\n"
            for row in group {
                out += "<tr>" + columns.indices.map { j in
                    "<td\(attributes(j))>" + HTMLEscaping.escape(j < row.count ? Self.htmlText(row[j]) : "") + "</td>"
                }.joined() + "</tr>\n"
            }
            out += "</tbody>\n"
        }
        out += "</table>\n</div>\n"
        if !notes.isEmpty {
            out += "<ul class=\"notes\">\n" + notes.map { "<li>" + HTMLEscaping.escape($0) + "</li>\n" }.joined() + "</ul>\n"
        }
        return out + "</section>\n"
    }

    /// The rows cut at every rule; a rule before the first row starts no empty group, and
    /// a table without rows has one empty group (HTML wants a body after the header).
    func rowGroups() -> [[[Cell]]] {
        var groups: [[[Cell]]] = [[]]
        for (i, row) in rows.enumerated() {
            if rules.contains(i) && i > 0 && !groups[groups.count - 1].isEmpty { groups.append([]) }
            groups[groups.count - 1].append(row)
        }
        return groups
    }

    /// What a cell shows: its display text; NA for a non-finite number shown as nothing.
    static func htmlText(_ cell: Cell) -> String {
        if case .number(let v, let display) = cell, display.isEmpty, !v.isFinite { return "NA" }
        return cell.display
    }
}
