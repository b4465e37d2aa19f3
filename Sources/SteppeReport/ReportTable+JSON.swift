extension ReportTable {
    /// The table as a JSON value (what `render(.json)` writes), for combining several.
    public var jsonValueForCLI: JSONValue { jsonValue }
}
