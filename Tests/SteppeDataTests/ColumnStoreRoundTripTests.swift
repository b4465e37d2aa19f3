import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SteppeData
import Testing

/// Temporary files and the comparison the column store tests share.
enum StoreFiles {
    /// A fresh path in the temporary directory (nothing is created there).
    static func path(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("steppe-store-\(UUID().uuidString)-\(name)").path
    }

    /// A temporary file holding `text`.
    static func file(_ text: String, name: String = "data.csv") -> String {
        let p = path(name)
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    /// Bit-for-bit equality of two tables (NaN payloads too), kinds, names and level lists.
    static func identical(_ a: Table, _ b: Table) -> Bool { CompressedFixtures.identical(a, b) }

    /// The CSV file at `csv` converted to a store by batches of `batchRows` rows, chunks of `chunkRows`.
    static func convert(_ csv: String, batchRows: Int, chunkRows: Int = ColumnStore.defaultChunkRows,
                        options: CSVOptions = CSVOptions()) throws -> String {
        let store = path("store.h5")
        let writer = try ColumnStoreWriter(path: store, steppeVersion: "test", chunkRows: chunkRows)
        try CSVReader.readBatches(path: csv, options: options, batchRows: batchRows) { try writer.append($0) }
        try writer.finish()
        #expect(writer.openObjectsAtFinish == 2 + (try CSVReader.read(path: csv, options: options)).columns.count,
                "the file, /columns and one dataset per column are all that is open before closing")
        return store
    }

    /// A CSV text of `rows` rows: a number with missing values, a boolean with missing, a
    /// text column (levels that first appear late, missing), an integer id, and odd names.
    static func mixed(rows: Int) -> String {
        var s = "y,flag,region,id,\"odd/name with spaces\",\"é\"\n"
        for i in 0..<rows {
            let y = i % 7 == 3 ? "NA" : String(Double(i) * 0.1 + 1e-3)
            let flag = i % 5 == 4 ? "" : (i % 3 == 0 ? "true" : "FALSE")
            let region = i % 11 == 0 ? "NA" : "r\(i % 13 + (i > rows / 2 ? 100 : 0))"
            s += "\(y),\(flag),\(region),\(i),\"a/\(i % 4)\",\(i % 2 == 0 ? "Ålmaty" : "Taraz")\n"
        }
        return s
    }
}

/// A CSV file through `CSVReader.readBatches` and `ColumnStoreWriter` into a store, read
/// back by `ColumnStore`, is bit for bit the table `CSVReader.read` gives, for any batch
/// size and chunk size, with batch and chunk boundaries anywhere; ranges read from the
/// store are slices of that table.
@Suite("Column store: round trips")
struct ColumnStoreRoundTripTests {
    @Test("numbers with NaN, booleans, text with missing, odd names: store == CSVReader.read", arguments: [1, 2, 3, 7, 64, 65_536])
    func roundTrip(batchRows: Int) throws {
        let csv = StoreFiles.file(StoreFiles.mixed(rows: 200))
        defer { unlink(csv) }
        let expected = try CSVReader.read(path: csv)
        #expect(expected.columns.map(\.kind) == [.numeric, .boolean, .text, .numeric, .text, .text])
        for chunkRows in [1, 5, 64, ColumnStore.defaultChunkRows] {
            let store = try StoreFiles.convert(csv, batchRows: batchRows, chunkRows: chunkRows)
            defer { unlink(store) }
            let opened = try ColumnStore(path: store)
            #expect(StoreFiles.identical(try opened.table(), expected), "batches of \(batchRows), chunks of \(chunkRows)")
            #expect(opened.columnNames == expected.columnNames && opened.steppeVersion == "test")
            #expect(opened.openObjects == 1 + expected.columns.count, "the file and one dataset per column, nothing leaked")
        }
    }

    @Test("a table written whole reads back exactly, level lists (unused levels too) and NaN payloads included")
    func tableWhole() throws {
        let payload = Double(bitPattern: 0x7FF8_0000_0000_1234)
        let table = try Table(columns: [
            .numeric("x", [1, -0.0, .infinity, -.infinity, payload, .nan, 5e-324]),
            Column(name: "b", values: .boolean([1, 0, .nan, 1, 0, 0, 1])),
            Column(name: "t", values: .text(codes: [2, -1, 0, 0, 2, -1, 0], levels: ["c", "unused", "a"])),
            Column(name: "none", values: .text(codes: [Int32](repeating: -1, count: 7), levels: [])),
            .numeric("nan only", [Double](repeating: .nan, count: 7)),
        ])
        let store = StoreFiles.path("whole.h5")
        defer { unlink(store) }
        try ColumnStore.write(table: table, to: store)
        #expect(StoreFiles.identical(try ColumnStore(path: store).table(), table))
        #expect(try ColumnStore(path: store).kinds == [.numeric, .boolean, .text, .text, .numeric])
    }

    @Test("0 rows and 1 row", arguments: [0, 1])
    func tiny(rows: Int) throws {
        let csv = StoreFiles.file(rows == 0 ? "a,b/c,d\n" : "a,b/c,d\n1,x,true\n")
        defer { unlink(csv) }
        let expected = try CSVReader.read(path: csv)
        var batches = 0
        try CSVReader.readBatches(path: csv, batchRows: 1) { t in batches += 1; #expect(t.columnNames == ["a", "b/c", "d"]) }
        #expect(batches == 1, "a file of no rows is one empty batch, so its columns are known")
        let store = try StoreFiles.convert(csv, batchRows: 1)
        defer { unlink(store) }
        let s = try ColumnStore(path: store)
        #expect(try s.rowCount == rows && StoreFiles.identical(s.table(), expected))
        #expect(try s.rows(rows..<rows, columns: ["d"]).rowCount == 0)
    }

    @Test("batch boundaries at 1, 2 and 65,536 ± 1 rows, against chunks of 65,536", arguments: [65_535, 65_536, 65_537])
    func chunkBoundaries(rows: Int) throws {
        var text = "y,g,h\n"
        text.reserveCapacity(rows * 24)
        for i in 0..<rows { text += "\(i % 9 == 0 ? "NA" : String(i)),g\(i % 1_000),\(i == rows - 1 ? "last" : "h\(i % 3)")\n" }
        let csv = StoreFiles.file(text)
        defer { unlink(csv) }
        let expected = try CSVReader.read(path: csv)
        for batchRows in [1_000, 65_535, 65_536, 65_537, 200_000] {
            var sizes: [Int] = []
            var joined: [Column] = []
            try CSVReader.readBatches(path: csv, batchRows: batchRows) { t in
                sizes.append(t.rowCount)
                if joined.isEmpty { joined = t.columns } else { joined = zip(joined, t.columns).map { Self.append($0, $1) } }
            }
            #expect(sizes.dropLast().allSatisfy { $0 == batchRows } && sizes.reduce(0, +) == rows, "batches of \(batchRows)")
            #expect(StoreFiles.identical(try Table(columns: joined), expected), "batches of \(batchRows) joined == the whole read")
            let store = try StoreFiles.convert(csv, batchRows: batchRows)
            defer { unlink(store) }
            #expect(StoreFiles.identical(try ColumnStore(path: store).table(), expected), "store from batches of \(batchRows)")
        }
    }

    @Test("batches of 1 and 2 rows over a few hundred rows equal the whole read")
    func smallBatches() throws {
        let csv = StoreFiles.file(StoreFiles.mixed(rows: 300))
        defer { unlink(csv) }
        let expected = try CSVReader.read(path: csv)
        for batchRows in [1, 2] {
            let store = try StoreFiles.convert(csv, batchRows: batchRows, chunkRows: 3)
            defer { unlink(store) }
            #expect(StoreFiles.identical(try ColumnStore(path: store).table(), expected), "batches of \(batchRows)")
        }
    }

    @Test("a column all missing in early batches takes its kind from the first batch with a value")
    func undecidedColumns() throws {
        // a: missing then text; b: missing then numbers; c: missing throughout; d: missing then booleans.
        var text = "a,b,c,d\n"
        for _ in 0..<10 { text += "NA,,NA,\n" }
        text += "x,1.5,,true\nNA,2,NA,false\ny,NA,,\n"
        let csv = StoreFiles.file(text)
        defer { unlink(csv) }
        let expected = try CSVReader.read(path: csv)
        #expect(expected.columns.map(\.kind) == [.text, .numeric, .numeric, .boolean])
        for batchRows in [1, 3, 4, 10, 11, 100] {
            for chunkRows in [2, 5, 65_536] {
                let store = try StoreFiles.convert(csv, batchRows: batchRows, chunkRows: chunkRows)
                defer { unlink(store) }
                #expect(StoreFiles.identical(try ColumnStore(path: store).table(), expected), "batches \(batchRows), chunks \(chunkRows)")
            }
        }
        // A declared text column that is all missing stays text.
        let declared = CSVOptions(columnKinds: ["c": .text])
        let store = try StoreFiles.convert(csv, batchRows: 2, options: declared)
        defer { unlink(store) }
        #expect(StoreFiles.identical(try ColumnStore(path: store).table(), try CSVReader.read(path: csv, options: declared)))
    }

    @Test("text levels are numbered in first appearance over all batches; text stays text (numbers keep their spelling)")
    func globalLevels() throws {
        let csv = StoreFiles.file("t,n\nb,1\na,2\nb,3\n1.50,4\nc,5\na,6\n007,7\n")
        defer { unlink(csv) }
        let expected = try CSVReader.read(path: csv)
        guard case .text(_, let levels) = try expected.column("t").values else { Issue.record("t is text"); return }
        #expect(levels == ["b", "a", "1.50", "c", "007"])
        for batchRows in [1, 2, 3] {
            var local: [[String]] = []
            try CSVReader.readBatches(path: csv, batchRows: batchRows) { t in
                if case .text(_, let l) = t.columns[0].values { local.append(l) }
            }
            #expect(local.count == Int((7 + batchRows - 1) / batchRows), "every batch of t is text")
            let store = try StoreFiles.convert(csv, batchRows: batchRows)
            defer { unlink(store) }
            #expect(StoreFiles.identical(try ColumnStore(path: store).table(), expected), "batches of \(batchRows)")
        }
    }

    @Test("ranges read from the store equal slices of the table, for any range and column order")
    func ranges() throws {
        let csv = StoreFiles.file(StoreFiles.mixed(rows: 1_000))
        defer { unlink(csv) }
        let expected = try CSVReader.read(path: csv)
        let store = try StoreFiles.convert(csv, batchRows: 97, chunkRows: 64)
        defer { unlink(store) }
        let s = try ColumnStore(path: store)
        var random = SystemRandomNumberGenerator()
        var ranges: [Range<Int>] = [0..<1_000, 0..<64, 64..<128, 63..<65, 999..<1_000, 500..<500]
        for _ in 0..<40 {
            let a = Int.random(in: 0...1_000, using: &random), b = Int.random(in: 0...1_000, using: &random)
            ranges.append(min(a, b)..<max(a, b))
        }
        let columns = [["y"], ["region", "y"], expected.columnNames.reversed(), ["odd/name with spaces", "é", "flag"]]
        for range in ranges {
            for names in columns {
                #expect(StoreFiles.identical(try s.rows(range, columns: names), try expected.rows(range, columns: names)), "\(range) \(names)")
            }
        }
        // Reading in chunks of 65,536-like steps from several threads at once: the lock serialises HDF5.
        let parts = try (0..<8).map { k in try s.rows((k * 125)..<((k + 1) * 125), columns: expected.columnNames) }
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            let again = try? s.rows((k * 125)..<((k + 1) * 125), columns: expected.columnNames)
            #expect(again.map { StoreFiles.identical($0, parts[k]) } == true)
        }
        #expect(s.openObjects == 1 + expected.columns.count)
    }

    /// `b`'s cells after `a`'s, for batches of one file (text levels recoded into `a`'s).
    static func append(_ a: Column, _ b: Column) -> Column {
        switch (a.values, b.values) {
        case (.numeric(let x), .numeric(let y)): return Column(name: a.name, values: .numeric(x + y))
        case (.boolean(let x), .boolean(let y)): return Column(name: a.name, values: .boolean(x + y))
        case (.text(let c, var levels), .text(let d, let m)):
            var index = Dictionary(levels.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { x, _ in x })
            let map = m.map { level -> Int32 in
                if let k = index[level] { return k }
                levels.append(level)
                index[level] = Int32(levels.count - 1)
                return Int32(levels.count - 1)
            }
            return Column(name: a.name, values: .text(codes: c + d.map { $0 < 0 ? -1 : map[Int($0)] }, levels: levels))
        default:
            Issue.record("column \(a.name): kinds \(a.kind) and \(b.kind) in two batches")
            return a
        }
    }
}
