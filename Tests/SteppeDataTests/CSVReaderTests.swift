import Foundation
import SteppeData
import SteppeNumerics
import Testing

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("RFC 4180 quoting, CRLF, BOM and missing values")
    func quotingAndLineEnds() throws {
        let text = "\u{FEFF}name,pop,note\r\n\"Almaty, city\",2000900,\"says \"\"hi\"\"\"\r\nTaraz,NA,\"two\nlines\"\r\nShymkent,,\r\n"
        let t = try CSVReader.read(text: text)
        #expect(t.columnNames == ["name", "pop", "note"])
        #expect(t.rowCount == 3)
        let name = try t.column("name"), pop = try t.column("pop"), note = try t.column("note")
        #expect(name.text(at: 0) == "Almaty, city")
        #expect(note.text(at: 0) == "says \"hi\"")
        #expect(note.text(at: 1) == "two\nlines")
        #expect(note.isMissing(2))
        #expect(pop.kind == .numeric && pop.isMissing(1) && pop.isMissing(2))
        #expect(pop.numbers?[0] == 2_000_900)
    }

    @Test("Kinds are inferred, promoted, and can be declared")
    func kinds() throws {
        let text = "a,b,c,d,e\n1,true,x,00,\n2.5,False,y,10,\n-3e2,TRUE,x,11,\n"
        let t = try CSVReader.read(text: text)
        #expect(try t.column("a").kind == .numeric)
        #expect(try t.column("a").numbers == [1, 2.5, -300])
        #expect(try t.column("b").kind == .boolean && t.column("b").numbers == [1, 0, 1])
        guard case .text(let codes, let levels) = try t.column("c").values else { Issue.record("c is text"); return }
        #expect(levels == ["x", "y"] && codes == [0, 1, 0])
        #expect(try t.column("d").kind == .numeric, "00 reads as the number 0 unless declared")
        #expect(try t.column("e").kind == .numeric && t.column("e").isMissing(0))
        let declared = try CSVReader.read(text: text, options: CSVOptions(columnKinds: ["d": .text]))
        #expect(try declared.column("d").text(at: 0) == "00")
        // A numeric column that meets text becomes text, earlier cells written back.
        let mixed = try CSVReader.read(text: "v\n1.50\n2\nthree\n")
        #expect(try mixed.column("v").kind == .text)
        #expect(try (0..<3).map { try mixed.column("v").text(at: $0) } == ["1.5", "2", "three"])
    }

    @Test("Numbers are correctly rounded, like Swift's own conversion")
    func numbers() throws {
        let samples = ["0.1", "-6.860120914", "1e308", "4.9e-324", "123456789012345678901234567890",
                       "0.30000000000000004", "2.2250738585072014e-308", "9007199254740993", "1.7976931348623157e308",
                       "-0", "5e-324", ".5", "3.", "0.000001234", "1234.5678e-3"]
        let text = "x\n" + samples.joined(separator: "\n") + "\n"
        let values = try CSVReader.read(text: text).column("x").numbers!
        for (s, v) in zip(samples, values) {
            let expected = Double(s.hasPrefix(".") ? "0" + s : (s.hasSuffix(".") ? s + "0" : s))!
            #expect(v.bitPattern == expected.bitPattern, "\(s): \(v) vs \(expected)")
        }
    }

    @Test("Streaming in small chunks gives the same table")
    func chunkBoundaries() throws {
        var lines = ["id,x,label,flag"]
        for i in 0..<2000 {
            lines.append("\(i),\(Double(i) / 7),\"lab,el \(i % 13)\",\(i % 2 == 0 ? "true" : "false")")
        }
        let text = lines.joined(separator: "\r\n") + "\r\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-chunks-\(getpid()).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try CSVReader.read(text: text, name: path)
        for chunk in [64, 65, 100, 4096] {
            let streamed = try CSVReader.read(path: path, options: CSVOptions(chunkSize: chunk))
            #expect(streamed == whole, "chunk size \(chunk)")
        }
        #expect(whole.rowCount == 2000)
        #expect(try whole.column("x").numbers![1999] == 1999.0 / 7)
    }

    @Test("Malformed input: one-line errors with file, line and column")
    func errors() throws {
        func message(_ text: String, _ options: CSVOptions = CSVOptions()) -> String {
            do { _ = try CSVReader.read(text: text, name: "f.csv", options: options); return "no error" } catch { return error.description }
        }
        #expect(message("a,b\n1,2\n3\n") == "f.csv:3: 1 field where the header has 2")
        #expect(message("a,b\n1,\"2\n") == "f.csv:2:3: unterminated quoted field (a \" opened here is never closed)")
        #expect(message("a,a\n1,2\n") == "f.csv:1:3: duplicate column name 'a' in the header")
        #expect(message("a,,c\n1,2,3\n") == "f.csv:1:3: empty column name in the header (column 2)")
        #expect(message("") == "f.csv: the file is empty (no header row)")
        #expect(message("a,b\n1,x\n", CSVOptions(columnKinds: ["b": .numeric])) ==
                "f.csv:2:3: 'x' in column 'b' is not a number (the column is declared numeric)")
        #expect(message("a\nab\"c\n") == "f.csv:2:3: a quote inside an unquoted field (quote the whole field and double the quote)")
        #expect(message("a\n\"x\"y\n") == "f.csv:2:4: unexpected character after a closing quote")
        var invalid = Array("a\n".utf8); invalid += [0xff, 0xfe, 0x0a]
        #expect(throws: CSVError.self) { try CSVReader.read(bytes: invalid) }
        #expect(throws: CSVError.self) { try CSVReader.read(path: "/nonexistent/file.csv") }
        do {
            _ = try CSVReader.read(path: "/tmp")
            Issue.record("a directory must not read")
        } catch {
            #expect(error.description == "/tmp: is a directory, not a CSV file")
        }
        // Header only: a table with no rows.
        #expect(try CSVReader.read(text: "a,b\n").rowCount == 0)
    }

    /// Records without quotes take a fast path (numbers parsed while their field's end is
    /// found); a record with any quoted field takes the general path. The same cells in
    /// both forms (the second with an extra quoted column) must read the same.
    @Test("The unquoted fast path reads every cell as the general path does", arguments: [UInt8(ascii: ","), UInt8(ascii: ";")])
    func fastPathMatchesGeneralPath(delimiter: UInt8) throws {
        let d = String(UnicodeScalar(delimiter))
        let rows: [[String]] = [
            ["1.5", "1", "-999", "7\r", "a", "true"],
            ["NA", "2", "3", "8", "b", "false"],
            ["", "2.50", "-999", "9\r", "a", "TRUE"],
            ["1e400", "3", "4", "10", "c", "false"],
            ["12345678901234567890123", "three", "5", "11", "a", "true"],
            ["-0", "4", "-999", "12", "d", "false"],
            ["+5", "5", "6", "13", "e", "true"],
            ["0.1e-5", "6", "7", "14", "a", "false"],
            ["1.5x", "7", "8", "15", "f", "true"],
            ["2.2250738585072011e-308", "8", "9", "16", "g", "false"],
        ]
        let header = ["p", "q", "r", "s", "t", "u"]
        let options = CSVOptions(delimiter: delimiter, missingValues: ["", "NA", "-999"])
        let fast = header.joined(separator: d) + "\n" + rows.map { $0.joined(separator: d) + "\n" }.joined()
        let general = (header + ["extra"]).joined(separator: d) + "\n" + rows.map { ($0 + ["\"q\""]).joined(separator: d) + "\n" }.joined()
        let a = try CSVReader.read(text: fast, options: options)
        let b = try CSVReader.read(text: general, options: options)
        for name in header {
            let ca = try a.column(name), cb = try b.column(name)
            #expect(ca.kind == cb.kind, "\(name)")
            #expect((0..<rows.count).map { ca.isMissing($0) } == (0..<rows.count).map { cb.isMissing($0) }, "\(name)")
            if let x = ca.numbers, let y = cb.numbers {
                #expect(zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(name): \(x) vs \(y)")
            } else {
                #expect((0..<rows.count).map { ca.text(at: $0) } == (0..<rows.count).map { cb.text(at: $0) }, "\(name)")
            }
        }
        #expect(try a.column("r").isMissing(0) && a.column("r").numbers?[1] == 3, "-999 is a missing spelling, checked before parsing")
        #expect(try a.column("s").numbers?[0] == 7, "a carriage return before the delimiter is not data")
        #expect(try a.column("p").kind == .text, "1.5x makes p text")
        #expect(try a.column("q").kind == .text && a.column("q").text(at: 2) == "2.5")
    }

    /// Levels are found by their bytes; texts that Swift's String calls equal in other bytes
    /// (canonically equivalent Unicode) must still share one level, as code that maps
    /// levels to values by String relies on, and a text equal to a promoted number's
    /// rendering shares that number's level. Also across the two halves of a large file.
    @Test("Text levels: canonically equivalent spellings and promoted numbers share a level")
    func textLevelsByBytesAndStrings() throws {
        let precomposed = "caf\u{E9}", decomposed = "cafe\u{301}", kelvin = "\u{212A}", k = "K"
        #expect(precomposed == decomposed && kelvin == k, "Swift's String equality, which the levels follow")
        let t = try CSVReader.read(text: "r,v\n\(k),1.50\n\(precomposed),2\n\(decomposed),three\n\(kelvin),1.5\nx,2.0\n")
        guard case .text(let codes, let levels) = try t.column("r").values else { Issue.record("r is text"); return }
        #expect(levels == [k, precomposed, "x"] && codes == [0, 1, 1, 0, 2], "\(levels) \(codes)")
        guard case .text(let vcodes, let vlevels) = try t.column("v").values else { Issue.record("v is text"); return }
        #expect(vlevels == ["1.5", "2", "three", "2.0"] && vcodes == [0, 1, 2, 0, 3], "\(vlevels) \(vcodes)")
        // Two halves: each spelling on its side of the split, joined to one level.
        var rows = ["r,n"]
        for i in 0..<20_000 { rows.append("\(i < 10_000 ? (i % 2 == 0 ? precomposed : k) : (i % 2 == 0 ? decomposed : kelvin)),\(i)") }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-levels-\(getpid()).csv").path
        try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = CSVOptions()
        options.parallelMinimumBytes = 1 << 10
        let halves = try CSVReader.read(path: path, options: options)
        guard case .text(let hcodes, let hlevels) = try halves.column("r").values else { Issue.record("r is text"); return }
        #expect(hlevels == [precomposed, k] && hcodes[10_000] == 0 && hcodes[10_001] == 1)
    }

    /// The fast path holds parsed numbers in per-column blocks of 256 (`StagedNumbers`)
    /// before they reach their columns; a missing cell, a number only strtod rounds, a text
    /// cell that turns a column to text, a quoted record and the end of every chunk must
    /// all see the numbers before them in place. Checked on 3,000 rows against strtod
    /// (numbers), against the rows' own texts (promoted column) and against chunk sizes.
    @Test("Numbers staged in blocks keep their order through missing, text, quoted records and chunk ends")
    func stagedNumbersKeepOrder() throws {
        var g = SeededRandom(seed: 91)
        var lines = ["a,b,c,d"]
        var expectA: [Double?] = [], expectC: [Double] = [], textsD: [String] = []
        for i in 0..<3000 {
            let x = g.nextNormal() * 1e3
            let a = i % 97 == 5 ? "NA" : String(format: "%.17g", x)
            expectA.append(i % 97 == 5 ? nil : strtod(a, nil))
            // c: mostly 17 digits, sometimes 24 digits (strtod), sometimes a short number.
            let c = i % 301 == 7 ? "1234567890123456789012.5" : (i % 5 == 0 ? "\(i)" : String(format: "%.17g", -x / 7))
            expectC.append(strtod(c, nil))
            // d: numeric until row 2,000, where a text cell turns it to text.
            let d = i == 2000 ? "many" : String(format: "%.3f", Double(i) / 8)
            // Cells before the text are written back as numbers; later ones keep their spelling.
            textsD.append(i < 2000 ? Column.format(strtod(d, nil)) : d)
            // Every 400th record is quoted: the general path reads it.
            let b = i % 400 == 3 ? "\"q\(i)\"" : "q\(i)"
            lines.append([a, b, c, d].joined(separator: ","))
        }
        let text = lines.joined(separator: "\n") + "\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-staged-\(getpid()).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try CSVReader.read(text: text)
        let a = try whole.column("a"), c = try whole.column("c"), d = try whole.column("d")
        #expect(a.kind == .numeric && c.kind == .numeric && d.kind == .text)
        #expect((0..<3000).allSatisfy { i in expectA[i].map { a.numbers![i].bitPattern == $0.bitPattern } ?? a.isMissing(i) })
        #expect((0..<3000).allSatisfy { c.numbers![$0].bitPattern == expectC[$0].bitPattern })
        #expect((0..<3000).map { d.text(at: $0) } == textsD)
        #expect(try whole.column("b").text(at: 403) == "q403")
        for chunk in [64, 1000, 4096] {
            var options = CSVOptions(chunkSize: chunk)
            options.parallel = false
            let streamed = try CSVReader.read(path: path, options: options)
            for name in whole.columnNames {
                // Bit patterns: a missing number is NaN, which == would call unequal to itself.
                let x = try streamed.column(name), y = try whole.column(name)
                if let u = x.numbers, let v = y.numbers {
                    #expect(u.map(\.bitPattern) == v.map(\.bitPattern), "chunk size \(chunk), column \(name)")
                } else {
                    #expect(x == y, "chunk size \(chunk), column \(name)")
                }
            }
        }
    }
}

