import Foundation
import SteppeData
import SteppeModels
import SteppeNumerics
import Testing

/// The migration indices against R migest 2.0.5 (index_intensity, index_impact,
/// index_connectivity, index_distance; migration.indices 0.3.0, matrixStats 0.63.0) on
/// migest's documented example (korea_gravity, 2012–2020) and Steppe's bundled
/// netherlands-corop matrix (Fixtures/indices/make_migest_reference.R).
@Suite("Migration indices against migest")
struct IndicesTests {
    /// Closed-form indices: 1e-10 relative. The GLM-based ones (inequalitySim, decay) are
    /// checked to 1e-7: R's glm stops at a relative deviance change of 1e-8.
    static let closedForm = 1e-10, glmBased = 1e-7

    static let migestKeys: [String: String] = [
        "cmp": "cmp", "courgeauK": "courgeau_k", "effectiveness": "effectivness", "anmr": "anmr",
        "preference": "preference", "velocity": "velocity", "connectivity": "connectivity",
        "inequalityEqual": "inequality_equal", "inequalitySim": "inequality_sim", "giniTotal": "gini_total",
        "giniOrigStd": "gini_orig_standardized", "giniDestStd": "gini_dest_standardized",
        "mwgOrig": "mwg_orig", "mwgDest": "mwg_dest", "mwgMean": "mwg_mean", "cv": "cv", "acv": "acv",
        "mean": "mean", "decay": "decay",
    ]

    struct Case { var matrix: MigrationMatrix; var populations: [Double]; var distances: [Double] }

    /// One year of a long table with destination populations and pair distances.
    static func yearCase(_ table: Table, year: Double, population: String, scale: Double, distance: String) throws -> Case {
        let years = try table.column("year").numbers!
        let rows = years.indices.filter { years[$0] == year }
        let t = table.rows(rows)
        let o = (0..<t.rowCount).map { try! t.column("origin").text(at: $0) }
        let d = (0..<t.rowCount).map { try! t.column("destination").text(at: $0) }
        let matrix = try MigrationMatrix(origins: o, destinations: d, flows: try t.column("flow").numbers!)
        var pop: [String: Double] = [:]
        let p = try t.column(population).numbers!
        for k in 0..<t.rowCount { pop[d[k]] = p[k] * scale }
        let dist = try matrix.distances(origins: o, destinations: d, distances: try t.column(distance).numbers!)
        return Case(matrix: matrix, populations: try matrix.populations(pop), distances: dist)
    }

    static func check(_ c: Case, _ reference: [String: Any], label: String) {
        let result = MigrationIndices.compute(c.matrix, populations: c.populations, distances: c.distances)
        for group in result.groups {
            let expected = reference[group.name] as! [String: Any]
            for v in group.values where v.key != "median" {
                let r = expected[migestKeys[v.key]!] as! Double
                let tolerance = ["inequalitySim", "decay"].contains(v.key) ? glmBased : closedForm
                let got = v.value ?? .nan
                #expect(abs(got - r) <= tolerance * max(abs(r), 1e-300), "\(label) \(v.key): \(got) vs migest \(r)")
            }
        }
        let distance = reference["distance"] as! [String: Any]
        let median = result.value("median") ?? .nan
        // Steppe keeps tied distances in data order: equal to the same formula in R with a stable sort,
        // and to matrixStats itself wherever R's quicksort leaves the ties in order.
        #expect(abs(median - (distance["median_stable"] as! Double)) <= closedForm * median, "\(label) median \(median)")
        if distance["median_stable"] as! Double == distance["median"] as! Double {
            #expect(abs(median - (distance["median"] as! Double)) <= closedForm * median, "\(label) median vs matrixStats")
        }
    }

    @Test("Korea 2012–2020 (migest's examples): every index of every year")
    func korea() throws {
        let reference = try Fixtures.json("indices/migest_reference.json")
        let table = try DatasetRegistry.bundled().table("korea-interregional")
        for year in reference["korea"] as! [[String: Any]] {
            let c = try Self.yearCase(table, year: year["year"] as! Double, population: "destination_pop_millions", scale: 1e6, distance: "dist_centroid_km")
            #expect(c.matrix.count == year["regions"] as! Int)
            Self.check(c, year, label: "Korea \(year["year"]!)")
        }
    }

    @Test("Netherlands COROP (bundled in Steppe): every index of every year")
    func netherlands() throws {
        let reference = try Fixtures.json("indices/migest_reference.json")
        let table = try DatasetRegistry.bundled().table("netherlands-corop")
        for year in reference["netherlands"] as! [[String: Any]] {
            let c = try Self.yearCase(table, year: year["year"] as! Double, population: "destination_pop", scale: 1, distance: "distance_km")
            Self.check(c, year, label: "Netherlands \(year["year"]!)")
        }
    }

    @Test("Bad input: negative flows, missing populations and distances, zero total — errors naming rows and regions")
    func badInput() throws {
        #expect(throws: MigrationIndexError.negativeFlows(rows: [2], count: 1)) {
            try MigrationMatrix(origins: ["A", "B"], destinations: ["B", "A"], flows: [3, -1])
        }
        #expect(throws: MigrationIndexError.zeroTotalFlow) {
            try MigrationMatrix(origins: ["A", "B", "A"], destinations: ["B", "A", "A"], flows: [0, 0, 5])
        }
        #expect(throws: MigrationIndexError.duplicatePair(origin: "A", destination: "B", rows: [1, 3])) {
            try MigrationMatrix(origins: ["A", "B", "A"], destinations: ["B", "A", "B"], flows: [1, 2, 3])
        }
        let m = try MigrationMatrix(origins: ["A", "B", "C"], destinations: ["B", "C", "A"], flows: [1, 2, 3])
        #expect(throws: MigrationIndexError.missingPopulations(["C"])) { try m.populations(["A": 1, "B": 2]) }
        #expect(throws: MigrationIndexError.badPopulations(["B"])) { try m.populations(["A": 1, "B": 0, "C": 1]) }
        #expect(throws: MigrationIndexError.missingDistances(pairs: ["B → C", "C → B"], count: 2)) {
            try m.distances(origins: ["A", "A"], destinations: ["B", "C"], distances: [1, 2])
        }
        let message = "\(MigrationIndexError.negativeFlows(rows: [4, 9], count: 2))"
        #expect(message.contains("data rows 4, 9") && !message.contains("\n"))
    }

    @Test("Undefined indices are nil with a reason, never NaN")
    func undefinedIndices() throws {
        // C sends nobody: its out-migration Gini is 0/0, so mwgOrig, mwgMean and acv are undefined.
        let m = try MigrationMatrix(origins: ["A", "A", "B", "B"], destinations: ["B", "C", "A", "C"], flows: [5, 1, 2, 7])
        let r = MigrationIndices.compute(m, populations: [10, 20, 30], distances: nil)
        for g in r.groups { for v in g.values {
            #expect(v.value.map(\.isFinite) ?? (v.reason != nil), "\(v.key)")
        } }
        #expect(r.value("mwgOrig") == nil && r.value("acv") == nil && r.value("decay") == nil)
        #expect(r.distance.first?.reason == "no distances given")
        #expect(r.value("giniTotal") != nil)
    }

    @Test("A 150-region gravity matrix: the decay recovers the exponent it was made with")
    func gravityDecay() throws {
        let n = 150
        var flows = [Double](repeating: 0, count: n * n), d = [Double](repeating: 0, count: n * n)
        var lat = [Double](), lon = [Double]()
        var state: UInt64 = 42
        func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / 9007199254740992 }
        for _ in 0..<n { lat.append(40 + 10 * uniform()); lon.append(60 + 20 * uniform()) }
        for i in 0..<n { for j in 0..<n where i != j {
            let dx = lat[i] - lat[j], dy = lon[i] - lon[j]
            d[i * n + j] = 100 * (dx * dx + dy * dy).squareRoot() + 1
            flows[i * n + j] = (1e6 * pow(d[i * n + j], -1.2) * (0.95 + 0.1 * uniform())).rounded()
        } }
        let m = try MigrationMatrix(regions: (0..<n).map { "r\($0)" }, flows: flows)
        let r = MigrationIndices.compute(m, populations: [Double](repeating: 1e5, count: n), distances: d)
        let decay = try #require(r.value("decay"))
        #expect(abs(decay + 1.2) < 0.01, "\(decay)")
        for g in r.groups { for v in g.values { #expect(v.value != nil, "\(v.key): \(v.reason ?? "")") } }
    }

    @Test("Region codes and region names give the same matrix, distances and errors")
    func codesAndNames() throws {
        let table = try DatasetRegistry.bundled().table("korea-interregional")
        let years = try table.column("year").numbers!
        let t = table.rows(years.indices.filter { years[$0] == 2020 })
        func labels(_ name: String) throws -> RegionLabels {
            guard case .text(let codes, let levels) = try t.column(name).values else { throw TableError.unknownColumn(name, available: []) }
            return RegionLabels(codes: codes, levels: levels)
        }
        let o = (0..<t.rowCount).map { try! t.column("origin").text(at: $0) }
        let d = (0..<t.rowCount).map { try! t.column("destination").text(at: $0) }
        let flows = try t.column("flow").numbers!, dist = try t.column("dist_centroid_km").numbers!
        let byName = try MigrationMatrix(origins: o, destinations: d, flows: flows)
        let byCode = try MigrationMatrix(origins: try labels("origin"), destinations: try labels("destination"), flows: flows)
        #expect(byName == byCode && byName.regions == byCode.regions)
        #expect(try byName.distances(origins: o, destinations: d, distances: dist)
                == byCode.distances(origins: try labels("origin"), destinations: try labels("destination"), distances: dist))
        // Codes into levels the rows do not all use, a missing label ("NA"), a duplicate pair.
        let from = RegionLabels(codes: [1, 0, -1, 1], levels: ["A", "B", "unused"])
        let to = RegionLabels(codes: [0, 1, 0, 0], levels: ["B", "A"])
        #expect(throws: MigrationIndexError.duplicatePair(origin: "B", destination: "B", rows: [1, 4])) {
            try MigrationMatrix(origins: from, destinations: to, flows: [1, 2, 3, 4])
        }
        let m = try MigrationMatrix(origins: from, destinations: RegionLabels(codes: [0, 1, 0, 1], levels: ["A", "B"]), flows: [1, 2, 3, 4])
        #expect(m.regions == ["B", "A", "NA"])
        #expect(m == (try MigrationMatrix(origins: ["B", "A", "NA", "B"], destinations: ["A", "B", "A", "B"], flows: [1, 2, 3, 4])))
    }

    /// S(x) = 2 Σ_k (2k − K − 1) x_(k) over one sorted vector, as the Gini family was computed before it shared one sort.
    static func pairwiseDifferences(_ values: [Double]) -> Double {
        let x = values.sorted(), k = Double(x.count)
        var s = CompensatedSum()
        for (r, v) in x.enumerated() { s.add((2 * Double(r + 1) - k - 1) * v) }
        return 2 * s.value
    }

    @Test("The Gini family and the weighted median from one radix sort equal a sort per row, column and median, to the bit")
    func oneSort() throws {
        let n = 60
        var state: UInt64 = 7
        func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / 9007199254740992 }
        // Ties (small counts), zeros, fractions and a few large flows; distances with ties.
        var flows = [Double](repeating: 0, count: n * n), d = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n where i != j {
            let u = uniform()
            flows[i * n + j] = u < 0.5 ? 0 : u < 0.9 ? (10 * uniform()).rounded() : u < 0.97 ? 100 * uniform() : 1e6 * uniform()
            d[i * n + j] = (20 * uniform()).rounded() + 1
        } }
        let m = try MigrationMatrix(regions: (0..<n).map { "r\($0)" }, flows: flows)
        let r = MigrationIndices.compute(m, populations: nil, distances: d)
        let offDiagonal = (0..<(n * n)).filter { $0 / n != $0 % n }
        let sAll = Self.pairwiseDifferences(offDiagonal.map { flows[$0] })
        let rows = (0..<n).map { i in Self.pairwiseDifferences((0..<n).filter { $0 != i }.map { flows[i * n + $0] }) }
        let columns = (0..<n).map { j in Self.pairwiseDifferences((0..<n).filter { $0 != j }.map { flows[$0 * n + j] }) }
        let k = Double(n * (n - 1)), total = m.margins.total
        #expect(r.value("giniTotal") == sAll / (2 * (k - 1) * total))
        #expect(r.value("giniOrigStd") == rows.reduce(0, +) / sAll)
        #expect(r.value("giniDestStd") == columns.reduce(0, +) / sAll)
        // The median with a stable comparison sort of the positive-flow pairs.
        let kept = offDiagonal.filter { flows[$0] > 0 }.sorted { d[$0] != d[$1] ? d[$0] < d[$1] : $0 < $1 }
        let weight = kept.reduce(0) { $0 + flows[$1] }
        var cumulative = 0.0, previous = 0.0, median = d[kept.last!]
        for (h, cell) in kept.enumerated() {
            let share = flows[cell] / weight
            cumulative += share
            let c = cumulative - share / 2
            if c >= 0.5 { median = h == 0 ? d[cell] : d[cell] + (0.5 - c) / (c - previous) * (d[cell] - d[kept[h - 1]]); break }
            previous = c
        }
        #expect(r.value("median") == median)
    }

    @Test("A 400-region gravity matrix, whose decay fit sweeps on all cores: the exponent recovered, the same every time")
    func parallelDecay() throws {
        let n = 400
        var state: UInt64 = 11
        func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / 9007199254740992 }
        let x = (0..<n).map { _ in 1000 * uniform() }, y = (0..<n).map { _ in 1000 * uniform() }
        var flows = [Double](repeating: 0, count: n * n), d = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n where i != j {
            d[i * n + j] = ((x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j])).squareRoot() + 1
            flows[i * n + j] = (1e4 * pow(d[i * n + j], -0.8) * (0.9 + 0.2 * uniform())).rounded()
        } }
        let m = try MigrationMatrix(regions: (0..<n).map { "r\($0)" }, flows: flows)
        let first = MigrationIndices.compute(m, populations: nil, distances: d)
        let decay = try #require(first.value("decay"))
        #expect(abs(decay + 0.8) < 0.01, "\(decay)")
        for _ in 0..<3 {
            let again = MigrationIndices.compute(m, populations: nil, distances: d)
            #expect(again.value("decay")!.bitPattern == decay.bitPattern && again == first)
        }
    }
}
