import Foundation
import Testing

/// `steppe sensitivity inputs`: through the fit and through `steppe flows` (the default
/// Kazakhstan margins, the calibrated decay), the same bits on one core and on all, the
/// help text and the errors.
@Suite("steppe sensitivity inputs")
struct SensitivityInputsCLITests {
    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try CLI.run(["sensitivity", "inputs"] + arguments + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test("through flows on the default Kazakhstan margins: flows by median, the south-to-north sums, the calibrated decay")
    func flowsDefault() throws {
        let doc = try Self.json(["--through", "flows", "--draws", "60", "--top", "5"])
        #expect(doc["method"] as? String == "inputs")
        let model = try #require(doc["model"] as? [String: Any])
        #expect(model["model"] as? String == "ppml")
        let results = try #require(doc["results"] as? [String: Any])
        #expect(results["through"] as? String == "flows" && results["draws"] as? Int == 60 && results["used"] as? Int == 60)
        let flows = try #require(results["flows"] as? [[String: Any]])
        #expect(flows.count == 5)
        let medians = flows.map { $0["median"] as! Double }
        #expect(medians == medians.sorted(by: >))
        for f in flows {
            let q025 = f["q025"] as! Double, q975 = f["q975"] as! Double, median = f["median"] as! Double
            #expect(q025 <= median && median <= q975)
            #expect(f["name"] as? String == "\(f["origin"] as! String) → \(f["destination"] as! String)")
            let share = f["shareFromInputs"] as! Double
            #expect(share >= 0 && share <= 1)
        }
        let groups = try #require(results["groups"] as? [[String: Any]])
        #expect(groups.map { $0["name"] as! String }.last == "south → north (total)" && groups.count == 6)
        let decay = try #require(results["decay"] as? [String: Any])
        let calibration = try #require(decay["calibration"] as? [[String: Any]])
        let betas = calibration.map { $0["beta"] as! Double }
        #expect(calibration.map { $0["dataset"] as! String } == ["korea-interregional", "netherlands-corop", "italy-areas"])
        #expect(decay["low"] as? Double == betas.min() && decay["high"] as? Double == betas.max() && decay["source"] as? String == "calibrated")
    }

    @Test("through flows: text tables, --from/--to sums, --decay-range given")
    func flowsText() throws {
        let r = try CLI.run(["sensitivity", "inputs", "--through", "flows", "--draws", "30", "--from", "Zhambyl,Turkistan",
                             "--to", "Astana city", "--decay-range", "1:2", "--interval", "departures*=0.8:1.2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Zhambyl → Astana city") && r.stdout.contains("origins → Astana city (total)"))
        #expect(r.stdout.contains("β in [1.000, 2.000] (--decay-range), no sampling error added"))
        #expect(r.stdout.contains("departures × [0.8, 1.2]") && !r.stdout.contains("arrivals × [0.9"))
        #expect(r.stdout.contains("korea-interregional") && r.stdout.contains("Every draw was used."))
    }

    @Test("the same seed gives the same bits on one core as on all (taskset), through flows and through the fit")
    func threads() throws {
        for arguments in [["sensitivity", "inputs", "--through", "flows", "--draws", "40", "--top", "0", "--seed", "5", "--format", "json"],
                          ["sensitivity", "inputs", "--draws", "40", "--seed", "5", "--format", "json"]] {
            let many = try CLI.run(arguments)
            let one = try Self.runOnOneCore(arguments)
            #expect(many.status == 0 && one.status == 0, "\(one.stderr)")
            #expect(one.stdout == many.stdout)
        }
    }

    @Test("help: an Examples section, every line within 80 columns")
    func help() throws {
        let r = try CLI.run(["sensitivity", "inputs", "--help"])
        #expect(r.status == 0 && r.stdout.contains("--through flows"))
        for line in r.stdout.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
    }

    @Test("bad input is a one-line error and a non-zero status")
    func errors() throws {
        let cases: [([String], String)] = [
            (["--interval", "departures=3:1"], "the low end 3.0 is above the high end 1.0"),
            (["--through", "flows", "--interval", "departures=3:1"], "the low end 3.0 is above the high end 1.0"),
            (["--through", "flows", "--interval", "nowhere*=0.9:1.1"], "no column named 'nowhere'"),
            (["--through", "flows", "--draws", "1"], "--draws must be at least 2, got 1"),
            (["--draws", "1"], "--draws must be at least 2, got 1"),
            (["--through", "flows", "--decay-range", "2:1"], "the low end 2.0 is above the high end 1.0"),
            (["--through", "flows", "--decay-range", "x"], "--decay-range 'x' is not LOW:HIGH"),
            (["--through", "flows", "--from", "Atlantis"], "no region named 'Atlantis'"),
            (["--through", "flows", "--top=-1"], "--top must be 0 or more, got -1"),
            (["--through", "flows", "-f", "y ~ x"], "--through flows takes margins"),
            (["--top", "3"], "--top applies to --through flows"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(["sensitivity", "inputs", "--draws", "20"] + arguments)
            #expect(r.status != 0, "\(arguments)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
    }

    /// `steppe arguments…` pinned to core 0 by taskset, so the draws run in turn on one core.
    static func runOnOneCore(_ arguments: [String]) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        process.arguments = ["-c", "0", CLI.executable.path] + arguments
        process.currentDirectoryURL = CLI.fixtures
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
