/// What a bundled dataset is: its columns with types and units, and its provenance.
///
/// Stored as `NAME.manifest.json` beside `NAME.csv` (DESIGN.md, "Datasets"). The
/// column list is the contract the CSV is checked against when it is opened: same
/// names, same order, and values of the declared type.
public struct DatasetManifest: Sendable, Codable, Equatable {
    /// One column: its name, type (`number`, `text` or `boolean`), unit and meaning.
    public struct ColumnDescription: Sendable, Codable, Equatable {
        public let name: String
        public let type: String
        public let unit: String
        public let description: String

        /// The `Column.Kind` the type declares.
        public var kind: Column.Kind? {
            switch type {
            case "number": return .numeric
            case "text": return .text
            case "boolean": return .boolean
            default: return nil
            }
        }
    }

    /// Where figures come from: a document with a quote, or a publisher with a table.
    public struct Source: Sendable, Codable, Equatable {
        public let document: String?
        public let quote: String?
        public let publisher: String?
        public let table: String?
        public let url: String?
        /// The intermediate copy the figures were read from, when not the publisher's own.
        public let via: String?

        /// One line naming the source.
        public var summary: String {
            [document, publisher, table.map { "table: \($0)" }, url, via.map { "via \($0)" }]
                .compactMap { $0 }.joined(separator: "; ")
        }
    }

    /// How a derived dataset is computed (it has no CSV of its own).
    public struct Derivation: Sendable, Codable, Equatable {
        /// The dataset it is computed from.
        public let from: String
        /// The method, with its constants.
        public let method: String
    }

    public let name: String
    public let title: String
    public let description: String
    /// The CSV file name, or `nil` for a derived dataset.
    public let file: String?
    /// Rows in the CSV (for derived datasets, in the computed table).
    public let rows: Int
    public let years: String
    public let licence: String
    public let sources: [Source]
    public let caveats: [String]
    public let columns: [ColumnDescription]
    public let derived: Derivation?
}
