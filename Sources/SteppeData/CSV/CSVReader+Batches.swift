#if canImport(Glibc)
import Glibc
#endif

extension CSVReader {
    /// Reads the CSV file at `path` (plain, gzip or Zstandard, as `read` does) as
    /// consecutive tables of at most `batchRows` rows, handing each to `body` as the file
    /// streams past, so that a file larger than memory is read in memory for one batch:
    /// `batchRows` rows of the columns, each batch's own text levels, and the reader's
    /// buffer (`CSVOptions.chunkSize`, and one record of at most `.maxRecordBytes`).
    ///
    /// The batches, one after the other, are the rows of `read(path:options:)`, with the
    /// same errors at the same lines and columns, and the same kinds:
    /// - a column's kind is inferred from the first batch in which it has a value; a
    ///   column with only missing cells so far is undecided (a numeric column of NaN in its
    ///   batch) and is decided by a later batch, as one pass would decide it;
    /// - a later batch keeps that kind: a text column stays text (later numbers keep their
    ///   spelling, as in one pass), while a numeric or boolean column that meets a cell it
    ///   cannot hold is an error at that cell's line and column, naming the column and
    ///   saying how to declare it text (`CSVOptions.columnKinds`). One pass would turn the
    ///   column into text, rewriting its earlier rows, which a batch read has handed over.
    ///   Declared kinds and `numbersExpected` act as in `read`.
    ///
    /// Text columns' levels are each batch's own (codes from 0, in order of first
    /// appearance in the batch): `ColumnStoreWriter` maps them to one list. A file with a
    /// header and no rows gives one batch of no rows, so its column names are known.
    ///
    /// - Parameters:
    ///   - batchRows: the most rows in a batch, positive (a programmer error otherwise,
    ///     which traps). Default 65,536, the column store's chunk: about 0.5 MB a numeric
    ///     column, large enough that per-batch costs vanish.
    ///   - body: called with each batch in file order; an error it throws ends the read and
    ///     is rethrown.
    /// - Throws: `CSVError` as `read(path:options:)` does, and for a kind that changes
    ///   between batches; or what `body` throws.
    public static func readBatches(path: String, options: CSVOptions = CSVOptions(), batchRows: Int = 65_536,
                                   _ body: (Table) throws -> Void) throws {
        precondition(batchRows > 0, "CSVReader.readBatches: batchRows must be positive")
        let (fd, info) = try openForReading(path)
        defer { close(fd) }
        let regular = (info.st_mode & S_IFMT) == S_IFREG
        var file = FileBytes(fd: fd, path: path, seekable: regular)
        var parser = CSVParser(file: path, options: options)
        parser.rowLimit = batchRows
        switch CSVCompression.detect(try file.peek(CSVCompression.magicBytes)) {
        case .none:
            try streamBatches(&file, into: &parser, options: options, body)
        case .gzip:
            var source = GzipBytes(file)
            try streamCompressedBatches(&source, compressedSize: regular ? Int(info.st_size) : nil, into: &parser, options: options, body)
        case .zstd:
            var source = ZstdBytes(file)
            try streamCompressedBatches(&source, compressedSize: regular ? Int(info.st_size) : nil, into: &parser, options: options, body)
        }
    }

    /// `streamBatches` on decompressed text: after a CSV error, the rest of the stream is
    /// checked and its damage, when there is some, reported instead (as `readDecompressed`).
    static func streamCompressedBatches<Source: CompressedCSVBytes>(_ source: inout Source, compressedSize: Int?, into parser: inout CSVParser,
                                                                    options: CSVOptions, _ body: (Table) throws -> Void) throws {
        do {
            try streamBatches(&source, into: &parser, options: options, body)
        } catch let error as CSVError {
            if source.failure == nil { try decompressRest(&source, budget: verificationBudget(compressedSize)) }
            throw error
        }
    }

    /// Feeds all of `source` to `parser` (whose `rowLimit` is the batch size), as
    /// `stream(_:fromStart:into:options:)` does, taking a batch each time the parser holds
    /// `rowLimit` rows and going on with the same bytes; the rows left at the end are the
    /// last batch (or the only one, empty, for a file of no rows).
    static func streamBatches<Source: CSVByteSource>(_ source: inout Source, into parser: inout CSVParser, options: CSVOptions,
                                                     _ body: (Table) throws -> Void) throws {
        let batchRows = parser.rowLimit
        // Room for a batch, up to a million rows (more is reserved as the columns grow).
        let reserve = min(batchRows, 1 << 20)
        var buffer = [UInt8](repeating: 0, count: max(options.chunkSize, 64))
        var filled = 0
        var endings = LineEndings()
        var handedOver = false
        while true {
            if filled == buffer.count {
                let grown = max(buffer.count + 64, min(2 * buffer.count, options.maxRecordBytes + 1))
                buffer.append(contentsOf: [UInt8](repeating: 0, count: grown - buffer.count))
            }
            let got = try buffer.withUnsafeMutableBufferPointer { p throws(CSVError) in
                try source.read(into: p.baseAddress! + filled, count: p.count - filled)
            }
            let atEnd = got == 0
            filled += got
            buffer.withUnsafeMutableBufferPointer { endings.normalize($0, count: filled, final: atEnd) }
            var consumed = 0
            while true {
                consumed += try buffer.withUnsafeBufferPointer { p throws(CSVError) in
                    try parser.consume(UnsafeBufferPointer(rebasing: p[consumed..<filled]), final: atEnd)
                }
                guard parser.rowCount >= batchRows else { break }
                try body(try parser.takeBatch(reserving: reserve))
                handedOver = true
            }
            if atEnd { break }
            if consumed > 0 {
                buffer.withUnsafeMutableBufferPointer { p in
                    let rest = filled - consumed
                    if rest > 0 { memmove(p.baseAddress!, p.baseAddress! + consumed, rest) }
                }
                filled -= consumed
                endings.discard(consumed)
            }
            if filled > parser.limitCheckBytes {
                try buffer.withUnsafeBufferPointer { p throws(CSVError) in
                    try parser.checkLimits(UnsafeBufferPointer(rebasing: p[0..<filled]), complete: false)
                }
            }
        }
        let last = try parser.takeBatch(reserving: 0)
        if last.rowCount > 0 || !handedOver { try body(last) }
    }
}
