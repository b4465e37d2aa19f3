/// How to read a CSV file.
public struct CSVOptions: Sendable {
    /// The field separator. Default `,` (RFC 4180).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Cell texts read as missing. Default: the empty cell and `NA` (R's and pandas' convention).
    /// An unquoted cell is compared after its leading and trailing spaces and tabs are
    /// trimmed, so a cell of spaces alone is empty, hence missing by default. In a column
    /// declared `.text` in `columnKinds`, a quoted cell is never missing: `""` is the empty
    /// text and `"NA"` the text NA, as `CSVWriter` writes them.
    public var missingValues: Set<String> = ["", "NA"]
    /// Column kinds that override inference, by column name: for example `["kato2": .text]`
    /// keeps codes such as `00` as text rather than the number 0.
    public var columnKinds: [String: Column.Kind] = [:]
    /// Columns the caller will use as numbers (a formula's variables), not declared: each
    /// is inferred as usual, but one that has been read as numbers and meets a cell that is
    /// neither a number nor missing is an error at that cell, as if it were declared
    /// numeric, instead of becoming a text column. The error is the one a program would
    /// report anyway (text in a column used as numbers), found in the one read: without it,
    /// a stray word near the end of a 1 GB file turned millions of parsed numbers into text
    /// levels (several times the file's size in memory) before the mistake could be named.
    /// A column whose first cells are text stays text. Default: none.
    public var numbersExpected: Set<String> = []
    /// Bytes read from the file at a time. Default 4 MiB: large enough that the per-read
    /// cost vanishes, small enough that a 1 GB file never needs its text in memory.
    public var chunkSize: Int = 4 << 20
    /// Parse large files (at least `parallelMinimumBytes`) as two halves on two threads.
    /// Default `true`; the result is the same table as a sequential read, or the reader
    /// falls back to one (see `CSVReader.readInTwoHalves`).
    public var parallel: Bool = true
    /// The size from which files are read in two halves. Default 8 MiB: below it, the
    /// second thread's start-up and the join cost more than they save.
    public var parallelMinimumBytes = 8 << 20
    /// The longest record, in bytes (a record is one line, or several when a quoted field
    /// holds line breaks); a longer one is an error naming the line where it starts.
    ///
    /// Default 4 MiB: 200,000 cells of 20 bytes, twenty times the widest design Steppe's
    /// tests fit (10,000 columns) and far wider than any migration table (the widest
    /// bundled file's lines have 482 bytes). The reader holds one unfinished record beside
    /// the chunk it reads, so this bounds its memory for the text: with the default chunk,
    /// the buffer never grows past 4 MiB, and a stream that never ends a line (a FIFO fed
    /// without line ends) fails after 4 MiB instead of growing until the process is killed.
    public var maxRecordBytes: Int = 4 << 20
    /// The longest cell, in bytes (quotes included); a longer one is an error naming its
    /// line and column.
    ///
    /// Default 1 MiB: names, codes, numbers and notes are far shorter (the longest cell of
    /// the bundled datasets has 222 bytes). A cell longer than that is almost always a
    /// quote that is never closed, which would otherwise swallow the rest of the file,
    /// or a file that is not CSV; the error then points at the cell's start.
    public var maxCellBytes: Int = 1 << 20
    /// How the errors for `maxRecordBytes` and `maxCellBytes` tell the user to raise them.
    /// Default: these properties' names; a program that exposes the limits as its own
    /// settings (the `steppe` command line: environment variables) names those instead.
    public var recordLimitName = "CSVOptions.maxRecordBytes"
    /// See `recordLimitName`.
    public var cellLimitName = "CSVOptions.maxCellBytes"
    /// How the error of `CSVReader.readBatches` for a column whose kind changes between
    /// batches tells the user to declare it text, with `{column}` for the column's name.
    /// Default: `columnKinds`; the `steppe` command line names its `--text` flag instead.
    public var textDeclarationName = "CSVOptions.columnKinds[\"{column}\"] = .text"

    /// The defaults, with any overrides given.
    public init(delimiter: UInt8 = UInt8(ascii: ","), missingValues: Set<String> = ["", "NA"],
                columnKinds: [String: Column.Kind] = [:], chunkSize: Int = 4 << 20) {
        self.delimiter = delimiter
        self.missingValues = missingValues
        self.columnKinds = columnKinds
        self.chunkSize = chunkSize
    }
}
