extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, line breaks; Unicode's
    /// `Character.isWhitespace`). Steppe's one trimming rule, for CSV header names, formula
    /// text and scenario edits; shared between Steppe's modules, not public API.
    package var trimmingWhitespace: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
