/// What a bundled dataset is: its columns with types and units, and its provenance.
///
/// Stored as `NAME.manifest.json` beside `NAME.csv` (Datasets/README.md). The
/// column list is the contract the CSV is checked against when it is opened: same
/// names, same order, and values of the declared type.
public struct DatasetManifest: Sendable, Codable, Equatable {
    /// One column: its name, type (`number`, `text` or `boolean`), unit and meaning.
    public struct ColumnDescription: Sendable, Codable, Equatable {
        /// The column's name in the CSV header.
        public let name: String
        /// `number`, `text` or `boolean`.
        public let type: String
        /// The unit of its values (empty for codes and names).
        public let unit: String
        /// What it holds, and how derived values were computed.
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
        /// A document the figures come from (one of the seed documents).
        public let document: String?
        /// The document's words the figures rest on.
        public let quote: String?
        /// The statistical office or other publisher.
        public let publisher: String?
        /// The publisher's table or series.
        public let table: String?
        /// Where it was read.
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

    /// The registry name (also the file stem).
    public let name: String
    /// A one-line title.
    public let title: String
    /// What the dataset holds and what it is for.
    public let description: String
    /// The CSV file name, or `nil` for a derived dataset.
    public let file: String?
    /// Rows in the CSV (for derived datasets, in the computed table).
    public let rows: Int
    /// The years covered, as text ("2000–2023").
    public let years: String
    /// The licence of the figures and of Steppe's file.
    public let licence: String
    /// Where the figures come from.
    public let sources: [Source]
    /// What a user must know before using the figures.
    public let caveats: [String]
    /// The columns, in file order.
    public let columns: [ColumnDescription]
    /// How a derived dataset is computed; `nil` for a dataset with a CSV.
    public let derived: Derivation?
}
