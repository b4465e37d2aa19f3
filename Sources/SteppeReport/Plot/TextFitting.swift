/// A label fitted into a width: its lines, and the full text when it had to be shortened
/// (to go into a `<title>` tooltip, so that nothing is lost).
public struct FittedLabel: Sendable, Equatable {
    public let lines: [String]
    public let full: String

    /// Whether the lines lost part of the text (a truncation with "…").
    public var isShortened: Bool { lines.joined().filter { $0 != " " } != full.filter { $0 != " " } }
}

/// Breaking and shortening labels to fit a width, by `TextMetrics`' estimates.
public enum TextFitting {
    /// `text` cut to at most `width` pixels at `size`, ending with "…" when cut.
    public static func truncate(_ text: String, width: Double, size: Double, weight: FontWeight = .normal) -> String {
        if TextMetrics.reservedWidth(text, size: size, weight: weight) <= width { return text }
        var chars = Array(text)
        while !chars.isEmpty && TextMetrics.reservedWidth(String(chars) + "…", size: size, weight: weight) > width {
            chars.removeLast()
        }
        while chars.last == " " { chars.removeLast() }
        return String(chars) + "…"
    }

    /// `text` broken into at most `maxLines` lines of at most `width` pixels at `size`.
    ///
    /// Lines break after a space, `_`, `+`, `,`, `/`, `|`, `=`, `:` or `*` and before `(`
    /// (so `log(income_2020_kzt_month)` can break as `log(income_2020_` / `kzt_month)`); a
    /// piece with no break wider than the width is cut between characters. When the text
    /// needs more lines, the last one ends with "…" and `full` keeps the whole.
    ///
    /// With `words` (for prose: titles, captions), lines break at spaces only.
    public static func wrap(_ text: String, width: Double, size: Double, maxLines: Int,
                            weight: FontWeight = .normal, words: Bool = false) -> FittedLabel {
        let fits = { (s: String) in TextMetrics.reservedWidth(s, size: size, weight: weight) <= width }
        var lines: [String] = []
        var current = ""
        for piece in pieces(text, breaks: words ? " " : " _+,/|=:*", beforeParenthesis: !words).flatMap({ fits($0) ? [$0] : hardBreak($0, fits) }) {
            if current.isEmpty || fits(current + piece) {
                current += piece
            } else {
                lines.append(current.trimmingTrailingSpaces)
                current = piece.trimmingLeadingSpaces
            }
        }
        if !current.isEmpty { lines.append(current.trimmingTrailingSpaces) }
        guard lines.count > maxLines, maxLines > 0 else { return FittedLabel(lines: lines, full: text) }
        var kept = Array(lines.prefix(maxLines))
        let rest = lines[(maxLines - 1)...].joined(separator: " ")
        kept[maxLines - 1] = truncate(rest + "…", width: width, size: size, weight: weight)
        if !kept[maxLines - 1].hasSuffix("…") { kept[maxLines - 1] += "…" }
        return FittedLabel(lines: kept, full: text)
    }

    /// The text cut after each character of `breaks` (and before "(" when `beforeParenthesis`).
    static func pieces(_ text: String, breaks: String, beforeParenthesis: Bool) -> [String] {
        var out: [String] = []
        var current = ""
        for c in text {
            if beforeParenthesis && c == "(" && !current.isEmpty && current.last != "(" {
                out.append(current)
                current = ""
            }
            current.append(c)
            if breaks.contains(c) {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// A piece wider than the line cut into pieces that fit, between characters.
    static func hardBreak(_ piece: String, _ fits: (String) -> Bool) -> [String] {
        var out: [String] = []
        var current = ""
        for c in piece {
            if !current.isEmpty && !fits(current + String(c)) {
                out.append(current)
                current = ""
            }
            current.append(c)
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }

    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
