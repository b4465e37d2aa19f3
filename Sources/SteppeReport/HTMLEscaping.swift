/// How text is written into the HTML of `HTMLReport`.
enum HTMLEscaping {
    /// `text` with `&`, `<`, `>`, `"` and `'` written as character references, so that it
    /// stands alike in element content and in a double-quoted attribute value, and reads
    /// the same to an HTML5 parser and to an XML one (the page is polyglot markup, which is
    /// how the tests parse it). `'` is `&#39;` rather than `&apos;`, which HTML 4 lacked.
    ///
    /// Control characters other than tab, newline and carriage return are parse errors in
    /// HTML5 and forbidden in XML 1.0; they become spaces, so a stray byte in a dataset's
    /// label cannot make the page invalid.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
