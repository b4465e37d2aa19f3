import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SteppeData
import Testing

/// Every way a store cannot be opened, read or written is one line naming the file (and
/// what to do), never a crash: not HDF5, not a store, another version, incomplete,
/// truncated, damaged; an unknown column, a range outside; a file that changed since it
/// was opened; a column whose kind changes between batches.
@Suite("Column store: errors")
struct ColumnStoreErrorTests {
    /// A finished store of `rows` rows of a number, a boolean and a text column.
    static func store(rows: Int = 1_000, chunkRows: Int = 64) throws -> String {
        let path = StoreFiles.path("s.h5")
        let table = try Table(columns: [
            .numeric("x", (0..<rows).map(Double.init)),
            Column(name: "b", values: .boolean((0..<rows).map { Double($0 % 2) })),
            Column.text("t", (0..<rows).map { $0 % 3 == 0 ? nil : "level \($0 % 17)" }),
        ])
        try ColumnStore.write(table: table, to: path, chunkRows: chunkRows)
        return path
    }

    /// The message `ColumnStore(path:)` throws, or "" when it opens.
    static func openingError(_ path: String) -> String {
        do { _ = try ColumnStore(path: path); return "" } catch { return error.message }
    }

    @Test("a missing file, a directory, a CSV file, an empty file: one line each")
    func notStores() throws {
        #expect(Self.openingError("/nonexistent/x.h5") == "/nonexistent/x.h5: cannot open: No such file or directory")
        let dir = StoreFiles.path("dir")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { rmdir(dir) }
        #expect(Self.openingError(dir) == "\(dir): is a directory, not a column store")
        for text in ["a,b\n1,2\n", ""] {
            let csv = StoreFiles.file(text, name: "x.h5")
            defer { unlink(csv) }
            #expect(Self.openingError(csv).hasPrefix("\(csv): not an HDF5 file, so not a column store"), "\(text.debugDescription)")
        }
    }

    @Test("a store of another version is refused, naming both versions")
    func otherVersion() throws {
        let path = StoreFiles.path("v2.h5")
        defer { unlink(path) }
        let writer = try ColumnStoreWriter(path: path, steppeVersion: "9.9.9", chunkRows: 64, formatVersion: 2)
        try writer.append(try Table(columns: [.numeric("x", [1, 2])]))
        try writer.finish()
        #expect(Self.openingError(path) == "\(path): written by store version 2 (steppe 9.9.9); this steppe reads version 1")
    }

    @Test("a store whose writing never finished is incomplete")
    func incomplete() throws {
        let path = StoreFiles.path("partial.h5")
        defer { unlink(path) }
        do {
            let writer = try ColumnStoreWriter(path: path, chunkRows: 2)
            try writer.append(try Table(columns: [.numeric("x", [1, 2, 3, 4, 5])]))
        }                                   // dropped without finish
        #expect(Self.openingError(path) == "\(path): an incomplete column store (no @rows: its writing never finished)")
    }

    @Test("a truncated store is an error at opening or at reading, never a crash or wrong numbers")
    func truncated() throws {
        let path = try Self.store(rows: 5_000)
        defer { unlink(path) }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for keep in [8, 100, 1_000, bytes.count / 2, bytes.count - 1] {
            let cut = StoreFiles.path("cut.h5")
            defer { unlink(cut) }
            FileManager.default.createFile(atPath: cut, contents: Data(bytes.prefix(keep)))
            let message = Self.openingError(cut)
            #expect(message.hasPrefix("\(cut): ") && !message.contains("\n"), "kept \(keep): \(message)")
            #expect(message.contains("not an HDF5 file") || message.contains("damaged or truncated"), "kept \(keep): \(message)")
        }
    }

    @Test("garbage after HDF5's signature, and text codes outside their levels, are errors")
    func damaged() throws {
        var random = SystemRandomNumberGenerator()
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        let garbage = StoreFiles.path("garbage.h5")
        defer { unlink(garbage) }
        FileManager.default.createFile(atPath: garbage, contents: Data(signature + (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &random) }))
        let message = Self.openingError(garbage)
        #expect(message.hasPrefix("\(garbage): ") && (message.contains("damaged") || message.contains("not an HDF5 file")), "\(message)")

        // Codes no level has: the text dataset's raw chunk overwritten (codes are int32 1000s).
        let path = StoreFiles.path("codes.h5")
        defer { unlink(path) }
        try ColumnStore.write(table: try Table(columns: [Column.text("t", (0..<4_096).map { _ in "only" })]), to: path)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        // The 4,096 codes are 16 KiB of zeros (code 0): the longest run of zero bytes.
        var best = (start: 0, length: 0), run = 0
        for (i, b) in bytes.enumerated() {
            run = b == 0 ? run + 1 : 0
            if run > best.length { best = (i - run + 1, run) }
        }
        #expect(best.length >= 16_384)
        bytes[best.start + 4_000] = 0x55
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let store = try ColumnStore(path: path)
        #expect(throws: ChunkedTableError.self) { _ = try store.table() }
        do { _ = try store.table() } catch {
            #expect(error.message.contains("outside its 1 levels") && error.message.contains("column 't'"), "\(error.message)")
        }
    }

    @Test("an unknown column and a range outside the store")
    func badRequests() throws {
        let path = try Self.store()
        defer { unlink(path) }
        let s = try ColumnStore(path: path)
        #expect(throws: ChunkedTableError("\(path): no column named 'z' (columns: x, b, t)")) { _ = try s.rows(0..<1, columns: ["x", "z"]) }
        #expect(throws: ChunkedTableError("\(path): rows 990..<1001 are outside the store's 1000")) { _ = try s.rows(990..<1_001, columns: ["x"]) }
    }

    @Test("a store appended to, rewritten or replaced after opening: checkUnchanged and rows throw")
    func changed() throws {
        for change in ["append", "rewrite", "replace", "remove"] {
            let path = try Self.store()
            defer { unlink(path) }
            let s = try ColumnStore(path: path)
            try s.checkUnchanged()
            _ = try s.rows(0..<10, columns: ["x"])
            switch change {
            case "append":
                let h = try #require(FileHandle(forWritingAtPath: path))
                try h.seekToEnd()
                h.write(Data([0]))
                try h.close()
            case "rewrite":
                // The same bytes written again a moment later: only the modification time differs.
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                usleep(20_000)
                let h = try #require(FileHandle(forWritingAtPath: path))
                h.write(bytes)
                try h.close()
            case "replace":
                let other = try Self.store(rows: 1_000)
                #expect(rename(other, path) == 0)
            default:
                unlink(path)
            }
            #expect(throws: ChunkedTableError.self, "\(change)") { try s.checkUnchanged() }
            do { _ = try s.rows(0..<10, columns: ["x"]); Issue.record("\(change): read a changed store") } catch {
                #expect(error.message.hasPrefix("\(path): the store "), "\(change): \(error.message)")
            }
        }
    }

    @Test("a writer refuses a column whose kind changes, other columns, and work after finishing")
    func writerErrors() throws {
        let path = StoreFiles.path("w.h5")
        defer { unlink(path) }
        let writer = try ColumnStoreWriter(path: path, chunkRows: 4)
        try writer.append(try Table(columns: [.numeric("x", [1, .nan]), .numeric("y", [.nan, .nan])]))
        try writer.append(try Table(columns: [Column.text("x", [nil, nil]), Column.text("y", ["a", nil])]))   // missing x; y decided
        #expect(throws: ColumnStoreError("column 'x' holds numbers before row 5 and text at row 6 ('b'), writing \(path): "
                                         + "a store's column has one kind (declare the column's kind, as CSVOptions.columnKinds does)")) {
            try writer.append(try Table(columns: [Column.text("x", [nil, "b"]), Column.text("y", ["a", "c"])]))
        }
        #expect(throws: ColumnStoreError("the store \(path) is incomplete: an earlier write failed")) { try writer.finish() }

        let other = StoreFiles.path("w2.h5")
        defer { unlink(other) }
        let second = try ColumnStoreWriter(path: other)
        try second.append(try Table(columns: [.numeric("x", [1])]))
        #expect(throws: ColumnStoreError.self) { try second.append(try Table(columns: [.numeric("z", [1])])) }
        let empty = StoreFiles.path("w3.h5")
        defer { unlink(empty) }
        let third = try ColumnStoreWriter(path: empty)
        try third.finish()
        #expect(throws: ColumnStoreError("the store \(empty) is already finished")) { try third.finish() }
        #expect(try ColumnStore(path: empty).columnNames.isEmpty)
        #expect(throws: ColumnStoreError.self) { _ = try ColumnStoreWriter(path: "/nonexistent/dir/s.h5") }
    }

    @Test("reading in batches, a numeric column that meets text in a later batch fails at that cell, saying how to declare it")
    func kindChangesBetweenBatches() throws {
        let csv = StoreFiles.file("id,v\n1,1.5\n2,2\n3,three\n4,true\n")
        defer { unlink(csv) }
        #expect(try CSVReader.read(path: csv).column("v").kind == .text, "one pass makes the column text")
        do {
            try CSVReader.readBatches(path: csv, batchRows: 2) { _ in }
            Issue.record("read a column whose kind changed")
        } catch let error as CSVError {
            #expect(error.description == "\(csv):4:3: 'three' in column 'v', which earlier batches of rows read as numbers: a file read in "
                    + "batches cannot change a column's kind once rows have been handed over; declare the column text "
                    + "(CSVOptions.columnKinds[\"v\"] = .text)")
        }
        // Within one batch the column becomes text as in one pass; declared, any batch size works.
        var kinds: [Column.Kind] = []
        try CSVReader.readBatches(path: csv, batchRows: 4) { kinds.append($0.columns[1].kind) }
        #expect(kinds == [.text])
        let declared = CSVOptions(columnKinds: ["v": .text])
        let store = try StoreFiles.convert(csv, batchRows: 1, options: declared)
        defer { unlink(store) }
        #expect(StoreFiles.identical(try ColumnStore(path: store).table(), try CSVReader.read(path: csv, options: declared)))
        // A boolean column that meets a number later.
        let flags = StoreFiles.file("f\ntrue\nfalse\n1\n")
        defer { unlink(flags) }
        #expect(throws: CSVError.self) { try CSVReader.readBatches(path: flags, batchRows: 2) { _ in } }
    }

    @Test("CSV errors in a batch read are those of the whole read, at the same line and column")
    func csvErrors() throws {
        for text in ["a,b\n1,2\n3\n", "a,b\n1,\"x\n", "", "a,a\n1,2\n", "a\n1\n2\n\"x\"y\n"] {
            let csv = StoreFiles.file(text)
            defer { unlink(csv) }
            var whole = "", batched = ""
            do { _ = try CSVReader.read(path: csv) } catch { whole = error.description }
            do { try CSVReader.readBatches(path: csv, batchRows: 1) { _ in } } catch { batched = "\(error)" }
            #expect(!whole.isEmpty && whole == batched, "\(text.debugDescription)")
        }
    }
}
