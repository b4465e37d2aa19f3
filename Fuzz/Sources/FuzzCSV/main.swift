// Differential fuzzing of SteppeData's CSV reader.
//
// The first byte of an input chooses the options (delimiter, chunk size, small limits,
// extra missing values); the rest is the file. It is read four ways:
//   A. in memory, `CSVReader.read(bytes:)` (one final chunk);
//   B. from a file, sequentially (`parallel = false`), in chunks of 64 bytes and up, so
//      records, quotes, CRLFs and the BOM straddle chunk boundaries;
//   C. from a file with `parallel = true` and `parallelMinimumBytes = 0`: the two-halves
//      path (split at the first LF after the middle), or its fall-back to one pass;
// and the three must agree: the same table (columns, kinds, values bit for bit, levels
// in order) or the same error (file, line, column, message; when either error is a NUL
// byte or a size limit, both need only fail). A table must also be
// well formed (every column as long as the row count, codes within their levels), and,
// read with the default missing values, survive a round trip through `CSVWriter`:
// writing it and reading the text back gives the same table (−0 may come back as 0).
#if canImport(Glibc)
import Glibc
#endif
import FuzzerDriver
import SteppeData

let path: String = {
    let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    return "\(dir)/steppe-fuzz-csv-\(getpid()).csv"
}()

func report(_ message: String) -> Never {
    let text = "FuzzCSV mismatch: " + message + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress!, $0.count - 1) }
    abort()
}

/// Exactly the same values: numbers compared by bit pattern (NaN is missing).
/// (`signedZero: false`: −0 and 0 match, as the writer spells both `0`.)
func same(_ a: Column, _ b: Column, signedZero: Bool = true) -> Bool {
    guard a.name == b.name else { return false }
    switch (a.values, b.values) {
    case (.numeric(let x), .numeric(let y)), (.boolean(let x), .boolean(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { $0.isNaN ? $1.isNaN : signedZero ? $0.bitPattern == $1.bitPattern : $0 == $1 }
    case (.text(let c1, let l1), .text(let c2, let l2)):
        return c1 == c2 && l1.count == l2.count && zip(l1, l2).allSatisfy { Array($0.utf8) == Array($1.utf8) }
    default:
        return false
    }
}

func same(_ a: Table, _ b: Table, signedZero: Bool = true) -> Bool {
    a.rowCount == b.rowCount && a.columns.count == b.columns.count && zip(a.columns, b.columns).allSatisfy { same($0, $1, signedZero: signedZero) }
}

func describe(_ r: Result<Table, CSVError>) -> String {
    switch r {
    case .success(let t):
        return "table \(t.rowCount)×\(t.columns.count) " + t.columns.map { c in
            "\(c.name.debugDescription):\(c.kind)" + (t.rowCount <= 20 ? (0..<t.rowCount).map { c.isMissing($0) ? "NA" : c.text(at: $0).debugDescription }.description : "")
        }.joined(separator: ", ")
    case .failure(let e): return "error \(e)"
    }
}

func agree(_ a: Result<Table, CSVError>, _ b: Result<Table, CSVError>, signedZero: Bool = true) -> Bool {
    switch (a, b) {
    case (.success(let x), .success(let y)): return same(x, y, signedZero: signedZero)
    case (.failure(let x), .failure(let y)):
        // Which of two problems in one record is reported can depend on the chunking when
        // one is a NUL byte or a size limit: those are checked on the bytes buffered so
        // far of a long record, before its syntax is parsed (see README.md). Other errors
        // must be identical.
        return x == y || isLimitError(x) || isLimitError(y)
    default: return false
    }
}

func isLimitError(_ e: CSVError) -> Bool {
    e.message.hasPrefix("a NUL byte") || e.message.contains("CSVOptions.maxCellBytes") || e.message.contains("CSVOptions.maxRecordBytes")
}

func checkWellFormed(_ t: Table) {
    var names = Set<String>()
    for c in t.columns {
        if c.count != t.rowCount { report("column '\(c.name)' has \(c.count) rows of \(t.rowCount)") }
        if c.name.isEmpty || !names.insert(c.name).inserted { report("empty or duplicate name '\(c.name)'") }
        if case .text(let codes, let levels) = c.values, codes.contains(where: { $0 < -1 || Int($0) >= levels.count }) {
            report("column '\(c.name)': a code outside its \(levels.count) levels")
        }
    }
}

func writeFile(_ bytes: UnsafeBufferPointer<UInt8>) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { report("cannot create \(path)") }
    var done = 0
    while done < bytes.count {
        let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
        guard n > 0 else { report("cannot write \(path)") }
        done += n
    }
    close(fd)
}

let chunkSizes = [64, 65, 100, 128, 257, 1000, 4096, 65536]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size >= 1, let data else { return 0 }
    let flags = data[0]
    let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
    var options = CSVOptions()
    options.delimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")][Int(flags & 3)]
    options.chunkSize = chunkSizes[Int(flags >> 2) & 7]
    if flags & 0x20 != 0 {
        options.maxCellBytes = 24
        options.maxRecordBytes = 96
    }
    let defaultMissing = flags & 0x40 == 0
    if !defaultMissing { options.missingValues = ["", "NA", "-", "n/a"] }

    let bytes = Array(body)
    let a = Result { () throws(CSVError) in try CSVReader.read(bytes: bytes, name: path, options: options) }
    writeFile(body)
    var sequential = options
    sequential.parallel = false
    let b = Result { () throws(CSVError) in try CSVReader.read(path: path, options: sequential) }
    var parallel = options
    parallel.parallel = true
    parallel.parallelMinimumBytes = 0
    let c = Result { () throws(CSVError) in try CSVReader.read(path: path, options: parallel) }

    if !agree(a, b) { report("in memory: \(describe(a)); sequential file read (chunk \(options.chunkSize)): \(describe(b))") }
    if !agree(b, c) { report("sequential: \(describe(b)); two halves: \(describe(c))") }
    if case .success(let table) = a {
        checkWellFormed(table)
        if defaultMissing {
            let text = CSVWriter.text(table)
            let again = Result { () throws(CSVError) in try CSVReader.read(text: text, name: path) }
            if !agree(.success(table), again, signedZero: false) {
                report("round trip through CSVWriter: \(describe(.success(table))); read back: \(describe(again))\nwritten: \(text.debugDescription)")
            }
        }
    }
    return 0
}

exit(steppe_fuzzer_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzCSV($0, $1) })
