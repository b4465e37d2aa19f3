/// A compressed file's CSV text, decompressed as it is read (`GzipBytes`, `ZstdBytes`).
protocol CompressedCSVBytes: CSVByteSource {
    /// Bytes of CSV text given so far.
    var produced: Int { get }
    /// The error the compressed stream failed with, if it did (each later read throws it).
    var failure: CSVError? { get }
    /// A lower bound on the length of the text, from the compressed file of
    /// `compressedSize` bytes (`nil` for a stream), when its format records one: the parser
    /// reserves room for the rows from it, as from a plain file's size.
    func plannedTextBytes(compressedSize: Int?) -> Int?
}

extension CSVReader {
    /// Reads the CSV text decompressed from `source`, streaming, with the parser, limits
    /// and errors of a plain stream: a syntax error names the line and column of the
    /// decompressed text, and a record over the limits fails within them, so a file that
    /// decompresses to far more than memory without a line end (a "zip bomb") fails after
    /// `maxRecordBytes`. The table is built only once the whole stream has been read and
    /// checked (each member's CRC, each frame's checksum).
    ///
    /// Damaged compressed data can decompress to wrong bytes before the damage is found
    /// (only a check at a member's end catches some), and the parser may fail on them
    /// first. So when the parser fails, the rest of the stream is decompressed (up to
    /// `verificationBudget` bytes of text) and, when it is damaged, that is the error
    /// reported: the cause, rather than a misleading CSV error in garbage.
    static func readDecompressed<Source: CompressedCSVBytes>(_ source: Source, compressedSize: Int?, path: String,
                                                             options: CSVOptions) throws(CSVError) -> Table {
        var source = source
        var parser = CSVParser(file: path, options: options)
        parser.plannedBytes = source.plannedTextBytes(compressedSize: compressedSize)
        do {
            try stream(&source, fromStart: true, into: &parser, options: options)
            return try parser.finish()
        } catch {
            if source.failure == nil { try decompressRest(&source, budget: verificationBudget(compressedSize)) }
            throw error
        }
    }

    /// How much text to decompress, after a CSV error, looking for damage in the stream:
    /// 256 MiB, and 32 bytes per compressed byte of a regular file (CSV compresses 3 to 10
    /// times; only a file made to expand, which the limits refuse anyway, goes further).
    static func verificationBudget(_ compressedSize: Int?) -> Int {
        (256 << 20) + 32 * (compressedSize ?? 0)
    }

    /// Decompresses up to `budget` more bytes of `source` and drops them; throws the
    /// stream's error if it is damaged there.
    static func decompressRest<Source: CompressedCSVBytes>(_ source: inout Source, budget: Int) throws(CSVError) {
        var scratch = [UInt8](repeating: 0, count: 1 << 20)
        var left = budget
        while left > 0 {
            let got = try scratch.withUnsafeMutableBufferPointer { p throws(CSVError) in
                try source.read(into: p.baseAddress!, count: min(p.count, left))
            }
            if got == 0 { return }
            left -= got
        }
    }
}
