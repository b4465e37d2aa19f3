import Foundation
import SteppeTestFixtures
import Testing

/// `steppe flows --prior/--method/--net-column` on migest's 4 × 4 example, against the
/// numbers migest itself gave (Tests/SteppeModelsTests/Fixtures/flows/migest_reference.json).
@Suite("steppe flows: prior, cm and net migration")
struct FlowsMarginFittingCLITests {
    static let regions = ["A", "B", "C", "D"]

    static func reference(_ key: String) throws -> [[Double]] {
        let url = FixtureDirectory.testsRoot.appendingPathComponent("SteppeModelsTests/Fixtures/flows/migest_reference.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (json[key] as! [String: Any])["flows"] as! [[Double]]
    }

    /// The flows table of a JSON output as a matrix.
    static func matrix(_ stdout: String) throws -> [[Double]] {
        let doc = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as! [String: Any]
        let rows = ((doc["tables"] as! [[String: Any]])[0]["rows"] as! [[String: Any]])
        var m = [[Double]](repeating: [0, 0, 0, 0], count: 4)
        for row in rows {
            let i = regions.firstIndex(of: row["origin"] as! String)!, j = regions.firstIndex(of: row["destination"] as! String)!
            m[i][j] = row["estimated flow"] as! Double
        }
        return m
    }

    @Test("--method cm and --net-column with --prior give migest's cm2 and net_matrix_ipf flows")
    func againstMigest() throws {
        let base = ["flows", "--margins", "flows_margins4.csv", "--prior", "flows_prior4.csv", "--top", "0", "--format", "json"]
        let cm = try CLI.run(base + ["--method", "cm"])
        #expect(cm.status == 0, "\(cm.stderr)")
        for (x, y) in zip(try Self.matrix(cm.stdout).joined(), try Self.reference("cm2_4").joined()) { #expect(abs(x - y) <= 1e-5 * max(1, y)) }
        for method in ["ipf", "entropy"] {
            let net = try CLI.run(base + ["--net-column", "net", "--method", method])
            #expect(net.status == 0, "\(net.stderr)")
            for (x, y) in zip(try Self.matrix(net.stdout).joined(), try Self.reference("net_ipf_tight").joined()) { #expect(abs(x - y) <= 1e-6 * max(1, y), "\(method)") }
        }
    }

    @Test("--calibrated: the estimate at the median of the three fitted β, the sweep at all three; the same flows as --decay at that β")
    func calibrated() throws {
        let r = try CLI.run(["flows", "--calibrated", "--top", "3", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try CLI.run(["flows", "--calibrated"]).stdout
        #expect(text.contains("β=-0.351") && text.contains("β=0.887") && text.contains("β=1.696"))
        #expect(text.contains("korea-interregional 0.887"))
        // The calibration's median, written out: the Korean fit's β (see the InputUncertainty tests' pyfixest reference).
        let central = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let flows = ((central["tables"] as! [[String: Any]])[0]["rows"] as! [[String: Any]]).map { $0["estimated flow"] as! Double }
        #expect(flows.count == 3 && flows[0] > flows[1])
    }

    @Test("bad input is one line and exit 1", arguments: [
        (["flows", "--margins", "flows_margins4.csv", "--net-column", "net"], "steppe: error: net migration alone does not fix the volume"),
        (["flows", "--margins", "flows_margins4.csv", "--net-column", "net", "--prior", "flows_prior4.csv", "--method", "cm"], "steppe: error: --method cm needs departures and arrivals"),
        (["flows", "--net-column", "net"], "steppe: error: --net-column needs --margins FILE"),
        (["flows", "--margins", "flows_margins4.csv", "--prior", "flows_prior_unknown.csv"], "steppe: error: flows_prior_unknown.csv: row 3: region 'Z' is not in the margins"),
    ])
    func errors(_ arguments: [String], _ message: String) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 1, "\(arguments): \(r.stderr)")
        #expect(r.stderr.hasPrefix(message), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
