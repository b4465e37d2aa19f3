import Foundation
import SteppeModels
import Testing

/// Margin fitting against R's migest itself (`Fixtures/flows/migest_make_reference.R`):
/// cm2's α, β, flows and iteration count, ipf2's flows and iterations, net_matrix_ipf's
/// flows; the KL-entropy estimate against net_matrix_ipf's fixed point at 1e-13.
@Suite("Flows: margin fitting as migest")
struct MarginFittingTests {
    static let m2: [[Double]] = [[5, 2], [1, 7]]
    static let m4: [[Double]] = [[0, 100, 30, 70], [50, 0, 45, 5], [60, 35, 0, 40], [20, 25, 20, 0]]
    static let rows4: [Double] = [250, 100, 140, 110], cols4: [Double] = [150, 150, 180, 120]
    static let net: [Double] = [30, 40, -15, -55]

    static func reference(_ key: String) throws -> [String: Any] { try Fixtures.json("flows/migest_reference.json")[key] as! [String: Any] }

    static func expectClose(_ a: [[Double]], _ b: Any, _ tolerance: Double, _ what: String) {
        let b = b as! [[Double]]
        for (x, y) in zip(a.joined(), b.joined()) { #expect(abs(x - y) <= tolerance * max(1, abs(y)), "\(what): \(x) vs \(y)") }
    }

    @Test("cm2 on Willekens' 2 × 2 example: α (2.4853919, 2.5789604), β (1.0662459, 0.9555451), 13 iterations; and the 4 × 4")
    func conditionalMaximisation() throws {
        for (key, rows, cols, m) in [("cm2_2", [18.0, 20], [16.0, 22], Self.m2), ("cm2_4", Self.rows4, Self.cols4, Self.m4)] {
            let fit = try MarginFitting.conditionalMaximisation(rowTotals: rows, columnTotals: cols, prior: m)
            let ref = try Self.reference(key)
            #expect(fit.iterations == ref["iterations"] as! Int)
            for (x, y) in zip(fit.alpha + fit.beta, (ref["alpha"] as! [Double]) + (ref["beta"] as! [Double])) { #expect(abs(x - y) <= 1e-12 * abs(y)) }
            Self.expectClose(fit.flows, ref["flows"]!, 1e-12, key)
        }
        let fit = try MarginFitting.conditionalMaximisation(rowTotals: [18, 20], columnTotals: [16, 22], prior: Self.m2)
        #expect(abs(fit.alpha[0] - 2.4853919) < 5e-8 && abs(fit.beta[1] - 0.9555451) < 5e-8)
    }

    @Test("ipf2: the 2 × 2 at migest's tolerance 1e-5 (12 iterations), the 4 × 4 at 1e-12; [[13.25, 4.75], [2.75, 17.25]] to 2 decimals when converged")
    func ipf() throws {
        let two = try MarginFitting.ipf(rowTotals: [18, 20], columnTotals: [16, 22], prior: Self.m2, tolerance: 1e-5)
        let ref2 = try Self.reference("ipf2_2")
        #expect(two.iterations == ref2["iterations"] as! Int)
        Self.expectClose(two.flows, ref2["flows"]!, 1e-12, "ipf2 2 × 2")
        let four = try MarginFitting.ipf(rowTotals: Self.rows4, columnTotals: Self.cols4, prior: Self.m4, tolerance: 1e-12)
        let ref4 = try Self.reference("ipf2_4")
        #expect(four.iterations == ref4["iterations"] as! Int)
        Self.expectClose(four.flows, ref4["flows"]!, 1e-12, "ipf2 4 × 4")
        // Converged, it rounds to migest's documented [[13.25, 4.75], [2.75, 17.25]] (the limit is 13.2501932…,
        // whose cross-product ratio is the prior's 17.5 exactly).
        let exact = try MarginFitting.ipf(rowTotals: [18, 20], columnTotals: [16, 22], prior: Self.m2)
        #expect(exact.converged)
        #expect(exact.flows.joined().map { ($0 * 100).rounded() / 100 } == [13.25, 4.75, 2.75, 17.25])
        let f = exact.flows
        #expect(abs(f[0][0] * f[1][1] / (f[0][1] * f[1][0]) - 17.5) < 1e-8)
    }

    @Test("net_matrix_ipf at its default and at 1e-13; the entropy estimate is the same fixed point")
    func net() throws {
        let fit = try MarginFitting.netIPF(net: Self.net, prior: Self.m4)
        let ref = try Self.reference("net_ipf_default")
        #expect(fit.iterations == ref["iterations"] as! Int)
        Self.expectClose(fit.flows, ref["flows"]!, 1e-12, "net_matrix_ipf")
        let tight = try Self.reference("net_ipf_tight")
        let entropy = try MarginFitting.netEntropy(net: Self.net, prior: Self.m4)
        #expect(entropy.converged)
        Self.expectClose(entropy.flows, tight["flows"]!, 1e-9, "entropy vs net_matrix_ipf at 1e-13")
        // The net totals hold: inflow − outflow = net.
        for k in 0..<4 {
            let inflow = (0..<4).reduce(0.0) { $0 + entropy.flows[$1][k] }, outflow = entropy.flows[k].reduce(0, +)
            #expect(abs(inflow - outflow - Self.net[k]) < 1e-7)
        }
    }

    @Test("bad input: totals that do not agree (by how much), net totals that do not sum to zero, a negative prior, a wrong size")
    func errors() throws {
        #expect(throws: ModelError.self) { try MarginFitting.ipf(rowTotals: [18, 21], columnTotals: [16, 22], prior: Self.m2) }
        do { _ = try MarginFitting.ipf(rowTotals: [18, 21], columnTotals: [16, 22], prior: Self.m2) } catch {
            #expect("\(error)".contains("a difference of 1"))
        }
        #expect(throws: ModelError.self) { try MarginFitting.netIPF(net: [1, 2, 3, 4], prior: Self.m4) }
        #expect(throws: ModelError.self) { try MarginFitting.netEntropy(net: Self.net, prior: [[0, -1], [1, 0]]) }
        #expect(throws: ModelError.self) { try MarginFitting.conditionalMaximisation(rowTotals: [1, 2, 3], columnTotals: [1, 2, 3], prior: Self.m2) }
    }
}
