import Foundation
import Testing

/// Hostile input at the command line: an output path that is an input, /dev/zero and
/// FIFOs as data, numbers with spaces around them, old-Mac line endings, NUL bytes. Each
/// ends with a result or one line on stderr, status 1, in bounded time; an input is
/// never overwritten.
@Suite("steppe command line: hostile input")
struct HostileInputCLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        let seconds: Double
    }

    /// Runs `steppe arguments…` in `directory` with `environment` added, killed after
    /// `timeout` seconds (then the status is that of the signal, and the test fails).
    static func run(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:], timeout: Double = 60) throws -> Run {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment["COLUMNS"] = "80"
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let start = Date()
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                   stderr: String(decoding: e, as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }

    /// A fresh directory holding `files` (name → bytes).
    static func directory(_ files: [String: [UInt8]]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-hostile-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    static let flows = Array("origin,destination,flow,dist\nA,B,10,100\nA,C,5,250\nB,A,8,100\nB,C,12,180\nC,A,3,250\nC,B,9,180\n".utf8)

    // MARK: Outputs that are inputs

    @Test("--output naming the data file, a link to it or another path to it is refused; the data stays")
    func outputIsTheInput() throws {
        let dir = try Self.directory(["data.csv": Self.flows])
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.csv").path, withDestinationPath: "data.csv")
        try FileManager.default.linkItem(atPath: dir.appendingPathComponent("data.csv").path, toPath: dir.appendingPathComponent("hard.csv").path)
        let fit = ["fit", "data.csv", "-f", "flow ~ log(dist)"]
        let cases: [([String], String)] = [
            (fit + ["--output", "data.csv"], "cannot write output to data.csv: it is an input of this command; nothing was written, choose another output path"),
            (fit + ["-o", "./data.csv"], "cannot write output to ./data.csv: it is an input of this command (data.csv, the same file); nothing was written, choose another output path"),
            (fit + ["-o", "link.csv"], "cannot write output to link.csv: it is an input of this command (data.csv, the same file); nothing was written, choose another output path"),
            (["fit", "hard.csv", "-f", "flow ~ log(dist)", "-o", "data.csv", "--format", "csv"], "cannot write output to data.csv: it is an input of this command (hard.csv, the same file); nothing was written, choose another output path"),
            (["indices", "data.csv", "-o", dir.appendingPathComponent("data.csv").path], "cannot write output to \(dir.appendingPathComponent("data.csv").path): it is an input of this command (data.csv, the same file); nothing was written, choose another output path"),
        ]
        for (arguments, message) in cases {
            let r = try Self.run(arguments, in: dir)
            #expect(r.status == 1 && r.stdout.isEmpty, "\(arguments): \(r.status) \(r.stderr)")
            #expect(r.stderr == "steppe: error: " + message + "\n", "\(arguments)")
            #expect(try Data(contentsOf: dir.appendingPathComponent("data.csv")) == Data(Self.flows), "\(arguments) changed the data")
        }
        // Another output path is written as before.
        let ok = try Self.run(fit + ["-o", "result.txt"], in: dir)
        #expect(ok.status == 0 && FileManager.default.fileExists(atPath: dir.appendingPathComponent("result.txt").path), "\(ok.stderr)")
    }

    @Test("--margins, --prior and --coordinates files are inputs too")
    func otherInputs() throws {
        let margins = Array("region,departures,arrivals,net\nA,250,150,30\nB,100,150,40\nC,80,130,-70\nD,70,70,0\n".utf8)
        let prior = Array("origin,destination,flow\nA,B,100\nA,C,30\nA,D,20\nB,A,40\nB,C,25\nB,D,10\nC,A,20\nC,B,15\nC,D,5\nD,A,10\nD,B,12\nD,C,8\n".utf8)
        let od = try [UInt8](Data(contentsOf: CLI.fixtures.appendingPathComponent("od.csv")))
        let centres = try [UInt8](Data(contentsOf: CLI.fixtures.appendingPathComponent("od_coordinates.csv")))
        let dir = try Self.directory(["m.csv": margins, "p.csv": prior, "c.csv": centres, "od.csv": od])
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([String], String, [UInt8])] = [
            (["flows", "--margins", "m.csv", "--prior", "p.csv", "-o", "p.csv"], "p.csv", prior),
            (["flows", "--margins", "m.csv", "--prior", "p.csv", "-o", "m.csv"], "m.csv", margins),
            (["interaction", "od.csv", "--coordinates", "c.csv", "--top", "0", "-o", "c.csv"], "c.csv", centres),
            (["interaction", "od.csv", "--coordinates", "c.csv", "--top", "0", "-o", "od.csv"], "od.csv", od),
        ]
        for (arguments, file, bytes) in cases {
            let r = try Self.run(arguments, in: dir)
            #expect(r.status == 1 && r.stderr == "steppe: error: cannot write output to \(file): it is an input of this command; nothing was written, choose another output path\n",
                    "\(arguments): \(r.stderr)")
            #expect(try Data(contentsOf: dir.appendingPathComponent(file)) == Data(bytes), "\(arguments) changed \(file)")
        }
    }

    // MARK: Streams and devices

    @Test("/dev/zero as data: one line naming the NUL byte, at once")
    func devZero() throws {
        let r = try Self.run(["fit", "/dev/zero", "-f", "y ~ x"], in: FileManager.default.temporaryDirectory, timeout: 30)
        #expect(r.status == 1 && r.stderr == "steppe: error: /dev/zero:1:1: a NUL byte (0x00): this is not UTF-8 text (a binary file, or UTF-16?)\n", "\(r.stderr)")
        #expect(r.seconds < 20)
    }

    /// Runs `steppe fit fifo …` while `writer` (a shell command) writes into the FIFO.
    static func fitFIFO(writer: String, environment: [String: String] = [:]) throws -> Run {
        let dir = try Self.directory([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let feeder = Process()
        feeder.executableURL = URL(fileURLWithPath: "/bin/sh")
        feeder.arguments = ["-c", "\(writer) > '\(fifo)'"]
        feeder.standardError = FileHandle.nullDevice
        try feeder.run()
        defer { if feeder.isRunning { feeder.terminate() }; feeder.waitUntilExit() }
        return try Self.run(["fit", fifo, "-f", "y ~ x"], in: dir, environment: environment, timeout: 60)
    }

    @Test("a FIFO that never ends a line stops at the line limit, named with its variable")
    func endlessFIFO() throws {
        let r = try Self.fitFIFO(writer: "yes 1,2, | tr -d '\\n'")
        #expect(r.status == 1 && r.stderr.hasSuffix(":1: no line end within 4 MiB (4194304 bytes), the longest a record may be: not a CSV file? (the environment variable STEPPE_MAX_LINE_BYTES raises the limit)\n"), "\(r.stderr)")
        #expect(r.seconds < 30)
        // A cell that never ends stops at the cell limit, which the variable raises.
        let cell = try Self.fitFIFO(writer: "yes a | tr -d '\\n'", environment: ["STEPPE_MAX_CELL_BYTES": "2M"])
        #expect(cell.status == 1 && cell.stderr.hasSuffix(":1:1: a field longer than 2 MiB (2097152 bytes): not a CSV file? (the environment variable STEPPE_MAX_CELL_BYTES raises the limit)\n"), "\(cell.stderr)")
    }

    @Test("a FIFO carrying a CSV file is read as the file is")
    func fifoWithData() throws {
        let r = try Self.fitFIFO(writer: "printf 'y,x\\n1,2\\n2,3\\n3,5\\n4,4\\n5,7\\n'")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("0.7432"), "\(r.stdout)")
    }

    @Test("the limits' variables: a bad value is one line; a low one applies to a regular file")
    func limitVariables() throws {
        let dir = try Self.directory(["data.csv": Self.flows])
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = try Self.run(["fit", "data.csv", "-f", "flow ~ dist"], in: dir, environment: ["STEPPE_MAX_LINE_BYTES": "lots"])
        #expect(bad.status == 1 && bad.stderr == "steppe: error: STEPPE_MAX_LINE_BYTES=lots: give a positive number of bytes, optionally with K, M or G (as in STEPPE_MAX_LINE_BYTES=64M)\n", "\(bad.stderr)")
        let low = try Self.run(["fit", "data.csv", "-f", "flow ~ dist"], in: dir, environment: ["STEPPE_MAX_CELL_BYTES": "6"])
        #expect(low.status == 1 && low.stderr == "steppe: error: data.csv:1:8: a field longer than 6 bytes: not a CSV file? (the environment variable STEPPE_MAX_CELL_BYTES raises the limit)\n", "\(low.stderr)")
    }

    // MARK: Cells and line ends

    /// The output of `steppe fit data.csv -f "y ~ x"` for the file's `bytes`.
    static func fit(_ bytes: [UInt8], _ extra: [String] = []) throws -> Run {
        let dir = try Self.directory(["data.csv": bytes])
        defer { try? FileManager.default.removeItem(at: dir) }
        return try Self.run(["fit", "data.csv", "-f", "y ~ x"] + extra, in: dir)
    }

    static let plain = "y,x\n1,2\n2,3\n3,5\n4,4\n5,7\n"

    @Test("numbers with spaces and tabs around them are numbers: the same fit as without")
    func spacedNumbers() throws {
        let reference = try Self.fit(Array(Self.plain.utf8))
        #expect(reference.status == 0, "\(reference.stderr)")
        let spaced = try Self.fit(Array("y,x\n1,  2\n 2,3 \n3,\t5\n4 , 4\t\n5,7\n".utf8))
        #expect(spaced.status == 0 && spaced.stdout == reference.stdout, "\(spaced.stderr)\n\(spaced.stdout)")
        // Quoted, the spaces are kept: text, which the numeric check names.
        let quoted = try Self.fit(Array("y,x\n1,\" 2 \"\n2,3\n".utf8))
        #expect(quoted.status == 1 && quoted.stderr == "steppe: error: data.csv:2:3: ' 2 ' in column 'x' is not a number (the column is declared numeric); quoted cells are read as written: remove the quotes or the spaces\n", "\(quoted.stderr)")
    }

    @Test("old-Mac line endings are read; mixed ones and NUL bytes are one line naming line and column")
    func lineEndingsAndNUL() throws {
        let reference = try Self.fit(Array(Self.plain.utf8))
        let mac = try Self.fit(Array(Self.plain.replacingOccurrences(of: "\n", with: "\r").utf8))
        #expect(mac.status == 0 && mac.stdout == reference.stdout, "\(mac.stderr)")
        let mixed = try Self.fit(Array("y,x\n1,2\n2,3\r3,5\n4,4\n".utf8))
        #expect(mixed.status == 1 && mixed.stderr.hasPrefix("steppe: error: data.csv:3:4: a carriage return inside an unquoted field, in a file whose lines end in LF or CRLF: mixed line endings?"), "\(mixed.stderr)")
        let nul = try Self.fit(Array("y,x\n1,2\n2,\u{0}3\n".utf8))
        #expect(nul.status == 1 && nul.stderr == "steppe: error: data.csv:3:3: a NUL byte (0x00): this is not UTF-8 text (a binary file, or UTF-16?)\n", "\(nul.stderr)")
    }
}
