/// How to read a CSV file.
public struct CSVOptions: Sendable {
    /// The field separator. Default `,` (RFC 4180).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Cell texts read as missing. Default: the empty cell and `NA` (R's and pandas' convention).
    public var missingValues: Set<String> = ["", "NA"]
    /// Column kinds that override inference, by column name: for example `["kato2": .text]`
    /// keeps codes such as `00` as text rather than the number 0.
    public var columnKinds: [String: Column.Kind] = [:]
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

    /// The defaults, with any overrides given.
    public init(delimiter: UInt8 = UInt8(ascii: ","), missingValues: Set<String> = ["", "NA"],
                columnKinds: [String: Column.Kind] = [:], chunkSize: Int = 4 << 20) {
        self.delimiter = delimiter
        self.missingValues = missingValues
        self.columnKinds = columnKinds
        self.chunkSize = chunkSize
    }
}
