import Foundation
import SteppeModels
import Testing

/// Doubly constrained flows by IPF, against the closed form and a brute-force Poisson fit.
@Suite("Flows from margins")
struct FlowsFromMarginsTests {
    static let regions = ["A", "B", "C", "D"]
    static let coords: [(Double, Double)] = [(0, 0), (300, 0), (0, 400), (500, 500)]
    static var distances: [[Double]] {
        coords.map { a in coords.map { b in ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)).squareRoot() } }
    }

    @Test("margins are reproduced and the result has the model's form T = a_i b_j d^-β")
    func marginsAndForm() throws {
        let out = [1000.0, 500, 800, 300], inn = [700.0, 900, 400, 600]
        let m = try FlowsFromMargins(regions: Self.regions, departures: out, arrivals: inn, distances: Self.distances)
        let e = try m.estimate(beta: 1.3)
        #expect(e.converged)
        for i in 0..<4 {
            #expect(abs(e.flows[i].reduce(0, +) - out[i]) < 1e-6)
            #expect(abs((0..<4).map { e.flows[$0][i] }.reduce(0, +) - inn[i]) < 1e-6)
            #expect(e.flows[i][i] == 0)
        }
        // Form: T_ij d_ij^β = a_i b_j, so cross-ratios of T·d^β are 1.
        let d = Self.distances
        func g(_ i: Int, _ j: Int) -> Double { e.flows[i][j] * pow(d[i][j], 1.3) }
        #expect(abs(g(0, 1) * g(2, 3) / (g(0, 3) * g(2, 1)) - 1) < 1e-9)
        #expect(abs(g(1, 0) * g(3, 2) / (g(1, 2) * g(3, 0)) - 1) < 1e-9)
    }

    @Test("β = 0 gives the quasi-independence fit: equal margins give equal flows off the diagonal")
    func zeroDecayIsQuasiIndependence() throws {
        // With β = 0 the fit is the quasi-independence model: a_i b_j off the diagonal.
        let m = try FlowsFromMargins(regions: ["A", "B", "C"], departures: [10, 10, 10], arrivals: [10, 10, 10],
                                     distances: [[0, 1, 2], [1, 0, 3], [2, 3, 0]])
        let e = try m.estimate(beta: 0)
        for i in 0..<3 { for j in 0..<3 where i != j { #expect(abs(e.flows[i][j] - 5) < 1e-9) } }
    }

    @Test("unbalanced margins are rescaled and the factor reported; bad input is an error")
    func unbalancedAndBad() throws {
        let m = try FlowsFromMargins(regions: ["A", "B", "C"], departures: [10, 20, 30], arrivals: [20, 20, 40], distances: [[0, 1, 2], [1, 0, 3], [2, 3, 0]])
        #expect(abs(try m.estimate(beta: 1).arrivalsScale - 0.75) < 1e-15)
        #expect(throws: ModelError.self) { try FlowsFromMargins(regions: ["A", "B"], departures: [1, -1], arrivals: [1, 1], distances: [[0, 1], [1, 0]]) }
        #expect(throws: ModelError.self) { try FlowsFromMargins(regions: ["A", "B"], departures: [1, 1], arrivals: [1, 1], distances: [[0, 0], [0, 0]]) }
        #expect(throws: ModelError.self) { try FlowsFromMargins(regions: ["A", "B"], departures: [1], arrivals: [1, 1], distances: [[0, 1], [1, 0]]) }
    }

    @Test("IPF equals the Poisson fit of flows ~ -β·log(d) with origin and destination effects on the same margins")
    func matchesPoissonGravity() throws {
        // The doubly constrained model is the Poisson GLM with origin and destination fixed
        // effects and log distance with coefficient −β as an offset (Willekens 1983).
        let out = [1000.0, 500, 800, 300], inn = [700.0, 900, 400, 600]
        let e = try FlowsFromMargins(regions: Self.regions, departures: out, arrivals: inn, distances: Self.distances).estimate(beta: 0.8)
        // Build the IPF result as data and refit with PPML: the fitted values must be the IPF flows
        // (they already satisfy the likelihood equations: margins reproduced, form a_i b_j d^-β).
        var o: [String?] = [], dcol: [String?] = [], y: [Double] = [], off: [Double] = []
        for i in 0..<4 { for j in 0..<4 where i != j {
            o.append(Self.regions[i]); dcol.append(Self.regions[j]); y.append(e.flows[i][j]); off.append(-0.8 * log(Self.distances[i][j]))
        } }
        let table = try SteppeData.Table(columns: [.text("o", o), .text("d", dcol), .numeric("flow", y), .numeric("off", off)])
        let options = EstimationOptions(offset: "off", dropSingletons: false)
        let fit = try Estimator.fit(table, formula: "flow ~ 0 + C(o) + C(d)", model: .poisson, options: options)
        for k in 0..<y.count { #expect(abs(fit.fittedValues[k] - y[k]) / y[k] < 1e-7) }
    }
}

import SteppeData
