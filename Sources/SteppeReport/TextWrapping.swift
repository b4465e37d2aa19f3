/// Wraps prose for terminals.
public enum TextWrapping {
    /// `text` broken at spaces into lines of at most `width` characters (a longer word
    /// stays whole), the first prefixed by `first`, the rest by `rest`.
    public static func wrap(_ text: String, width: Int = 88, first: String = "", rest: String = "") -> String {
        var lines: [String] = []
        var current = first
        var empty = true
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !empty && current.count + 1 + word.count > width {
                lines.append(current)
                current = rest
                empty = true
            }
            current += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }
}
