import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SteppeData
import Testing

/// Another program reads a store as `ColumnStoreFormat` says: h5py (Python) sees the same
/// numbers, booleans, codes, levels, names and attributes, and a store whose version h5py
/// patches is refused naming both versions. Skipped, with a message, when h5py is missing
/// (`scripts/ensure-system-libraries` installs Debian's python3-h5py).
@Suite("Column store: read by h5py")
struct ColumnStoreInteropTests {
    /// A Python that imports h5py: Debian's /usr/bin/python3 first (python3-h5py is
    /// installed for it), then the first python3 on PATH.
    static let python: String? = {
        for candidate in ["/usr/bin/python3", "python3"] where (try? run(candidate, ["-c", "import h5py"]))?.status == 0 {
            return candidate
        }
        return nil
    }()

    static func run(_ python: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// The store as h5py reads it, as JSON: attributes, names, kinds, each column's values
    /// (float64 as their bits), dtype and chunking, and the levels.
    static let dump = """
    import h5py, json, math, sys
    f = h5py.File(sys.argv[1], "r")
    out = {"attrs": {k: (v.decode() if isinstance(v, bytes) else (v if isinstance(v, str) else int(v))) for k, v in f.attrs.items()},
           "names": list(f["column_names"].asstr()[...]), "kinds": list(f["column_kinds"].asstr()[...]), "columns": [], "levels": {}}
    for j in range(len(out["names"])):
        d = f["columns/%d" % j]
        # float64 as their bit patterns in hex, so that the comparison is exact
        values = ["%016x" % v for v in d[...].view("uint64").tolist()] if d.dtype.kind == "f" else d[...].tolist()
        out["columns"].append({"dtype": str(d.dtype), "chunks": list(d.chunks), "values": values,
                               "name": d.attrs["name"], "kind": d.attrs["kind"]})
        if out["kinds"][j] == "text":
            out["levels"][str(j)] = list(f["levels/%d" % j].asstr()[...])
    print(json.dumps(out))
    """

    @Test("h5py sees the numbers, booleans, codes, levels and names of a converted CSV",
          .enabled(if: python != nil, "h5py is not installed (apt-get install python3-h5py)"))
    func h5pyReads() throws {
        let python = try #require(Self.python)
        let csv = StoreFiles.file(StoreFiles.mixed(rows: 100_000))
        defer { unlink(csv) }
        let table = try CSVReader.read(path: csv)
        let store = try StoreFiles.convert(csv, batchRows: 30_000)
        defer { unlink(store) }
        let result = try Self.run(python, ["-c", Self.dump, store])
        #expect(result.status == 0, "\(result.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let attrs = try #require(json["attrs"] as? [String: Any])
        #expect(attrs["steppe_store_version"] as? Int == 1 && attrs["rows"] as? Int == 100_000 && attrs["steppe_version"] as? String == "test")
        #expect(json["names"] as? [String] == table.columnNames)
        #expect(json["kinds"] as? [String] == table.columns.map(\.kind.rawValue))
        let columns = try #require(json["columns"] as? [[String: Any]])
        let levels = try #require(json["levels"] as? [String: [String]])
        for (j, column) in table.columns.enumerated() {
            let seen = columns[j]
            #expect(seen["name"] as? String == column.name && seen["kind"] as? String == column.kind.rawValue)
            #expect(seen["chunks"] as? [Int] == [65_536], "chunks of 65,536 rows")
            let values = try #require(seen["values"] as? [Any])
            switch column.values {
            case .numeric(let v):
                #expect(seen["dtype"] as? String == "float64")
                let hex = v.map { x in String(repeating: "0", count: 16 - String(x.bitPattern, radix: 16).count) + String(x.bitPattern, radix: 16) }
                #expect(zip(hex, values).allSatisfy { x, y in (y as? String) == x }, "\(column.name)")
            case .boolean(let v):
                #expect(seen["dtype"] as? String == "int8")
                #expect(zip(v, values).allSatisfy { x, y in (y as? Int) == (x.isNaN ? -1 : Int(x)) }, "\(column.name)")
            case .text(let codes, let l):
                #expect(seen["dtype"] as? String == "int32")
                #expect(levels[String(j)] == l, "\(column.name)'s levels")
                #expect(zip(codes, values).allSatisfy { c, y in (y as? Int) == Int(c) }, "\(column.name)'s codes")
            }
            #expect(values.count == table.rowCount)
        }
    }

    @Test("a store whose @steppe_store_version h5py sets to 2 is refused naming both versions; one h5py made is not a store",
          .enabled(if: python != nil, "h5py is not installed (apt-get install python3-h5py)"))
    func h5pyPatches() throws {
        let python = try #require(Self.python)
        let store = try ColumnStoreErrorTests.store()
        defer { unlink(store) }
        let patch = "import h5py, sys\nf = h5py.File(sys.argv[1], 'r+')\nf.attrs['steppe_store_version'] = 2\nf.attrs['steppe_version'] = '2.0.0'\nf.close()"
        #expect(try Self.run(python, ["-c", patch, store]).status == 0)
        #expect(ColumnStoreErrorTests.openingError(store) == "\(store): written by store version 2 (steppe 2.0.0); this steppe reads version 1")

        let other = StoreFiles.path("plain.h5")
        defer { unlink(other) }
        let make = "import h5py, sys, numpy\nf = h5py.File(sys.argv[1], 'w')\nf['x'] = numpy.arange(10.0)\nf.close()"
        #expect(try Self.run(python, ["-c", make, other]).status == 0)
        #expect(ColumnStoreErrorTests.openingError(other) == "\(other): an HDF5 file, but not a Steppe column store (it has no @steppe_store_version)")
    }
}
