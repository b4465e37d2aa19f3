import Foundation
import SteppeData
import SteppeTestFixtures
import Testing

let Fixtures = FixtureDirectory(target: "SteppeDataTests")

/// The bundled datasets: each opens, matches its manifest, and holds what its sources say.

@Suite("Bundled datasets")
struct DatasetTests {
    let registry: DatasetRegistry

    init() throws { registry = try DatasetRegistry.bundled() }

    func numbers(_ t: Table, _ name: String) throws -> [Double] { try #require(t.column(name).numbers) }

    @Test("every dataset opens, matches its manifest and states its provenance")
    func everyDatasetOpens() throws {
        let expected = ["italy-areas", "kazakhstan-boundaries", "kazakhstan-distances", "kazakhstan-documents",
                        "kazakhstan-migration", "kazakhstan-migration-facts", "kazakhstan-oblasts", "kazakhstan-push-factors",
                        "kazakhstan-refugees", "korea-interregional", "netherlands-corop"]
        #expect(registry.names == expected)
        for name in registry.names {
            let m = try registry.manifest(name)
            let t = try registry.table(name)   // checks columns and row count against the manifest
            #expect(m.name == name)
            #expect(t.rowCount == m.rows && t.rowCount > 0)
            #expect(!m.sources.isEmpty && !m.licence.isEmpty && !m.years.isEmpty && !m.caveats.isEmpty, "\(name)")
            for c in m.columns { #expect(!c.description.isEmpty && c.kind != nil, "\(name).\(c.name)") }
            for (c, d) in zip(t.columns, m.columns) { #expect(c.kind == d.kind, "\(name).\(c.name) is \(c.kind)") }
        }
    }

    @Test("an unknown dataset name is an error that lists the available ones")
    func unknownName() {
        #expect(throws: DatasetError.self) { try registry.table("kazakhstan") }
        do { _ = try registry.table("kazakhstan") } catch {
            #expect("\(error)".hasPrefix("no bundled dataset named 'kazakhstan' (available: italy-areas,"))
        }
    }

    @Test("great-circle distances: exact on the sphere, and equal to an independent computation")
    func greatCircle() throws {
        let r = GreatCircle.earthRadiusKm
        #expect(abs(GreatCircle.distanceKm(latitude1: 0, longitude1: 0, latitude2: 0, longitude2: 1) - 2 * .pi * r / 360) < 1e-9)
        #expect(abs(GreatCircle.distanceKm(latitude1: 90, longitude1: 0, latitude2: 0, longitude2: 37) - .pi * r / 2) < 1e-9)
        #expect(abs(GreatCircle.distanceKm(latitude1: 10, longitude1: 20, latitude2: -10, longitude2: -160) - .pi * r) < 1e-3)  // asin near 1: metre-level at the antipode
        #expect(GreatCircle.distanceKm(latitude1: 43.2, longitude1: 76.9, latitude2: 43.2, longitude2: 76.9) == 0)
        // Ten pairs from a separate haversine computation (R, same radius, 0.1 km), see Fixtures/README.md.
        let reference = try Fixtures.table("reference_distances.csv",
                                           options: CSVOptions(columnKinds: ["origin_kato2": .text, "destination_kato2": .text]))
        let distances = try registry.table("kazakhstan-distances")
        var lookup: [String: Double] = [:]
        let o = try distances.column("origin_kato2"), d = try distances.column("destination_kato2")
        let km = try numbers(distances, "dist_km")
        for i in 0..<distances.rowCount { lookup[o.text(at: i) + ">" + d.text(at: i)] = km[i] }
        let ro = try reference.column("origin_kato2"), rd = try reference.column("destination_kato2")
        let rk = try numbers(reference, "dist_km_reference")
        for i in 0..<reference.rowCount {
            let mine = try #require(lookup[ro.text(at: i) + ">" + rd.text(at: i)])
            #expect(abs(mine - rk[i]) <= 0.1 + 1e-9, "\(ro.text(at: i))→\(rd.text(at: i)): \(mine) vs \(rk[i])")
        }
        // Symmetric, and 21 centres → 420 ordered pairs.
        #expect(distances.rowCount == 420)
        for i in 0..<distances.rowCount { #expect(lookup[d.text(at: i) + ">" + o.text(at: i)] == km[i]) }
    }

    @Test("the push-factor table's distances are Steppe's great-circle distances between the centres")
    func pushFactorDistances() throws {
        let t = try registry.table("kazakhstan-push-factors"), ob = try registry.table("kazakhstan-oblasts")
        var centre: [String: (Double, Double)] = [:]
        let k = try ob.column("kato2"), lat = try numbers(ob, "centre_lat"), lon = try numbers(ob, "centre_lon")
        for i in 0..<ob.rowCount { centre[k.text(at: i)] = (lat[i], lon[i]) }
        let tk = try t.column("kato2"), toAlmaty = try numbers(t, "dist_almaty_km"), toAstana = try numbers(t, "dist_astana_km")
        for i in 0..<t.rowCount {
            let c = try #require(centre[tk.text(at: i)])
            let a = GreatCircle.distanceKm(latitude1: c.0, longitude1: c.1, latitude2: centre["75"]!.0, longitude2: centre["75"]!.1)
            let b = GreatCircle.distanceKm(latitude1: c.0, longitude1: c.1, latitude2: centre["71"]!.0, longitude2: centre["71"]!.1)
            #expect(abs(a - toAlmaty[i]) <= 0.05 + 1e-9 && abs(b - toAstana[i]) <= 0.05 + 1e-9)
        }
    }

    @Test("the oblast panel follows the boundary changes, never pooling territories silently")
    func oblastBoundaries() throws {
        let t = try registry.table("kazakhstan-oblasts")
        let k = try t.column("kato2"), year = try numbers(t, "year"), pop = try numbers(t, "population")
        var perYear: [Int: Set<String>] = [:]
        for i in 0..<t.rowCount { perYear[Int(year[i]), default: []].insert(k.text(at: i)) }
        for y in 2000...2016 { #expect(perYear[y]?.count == 16 && perYear[y]!.contains("51") && !perYear[y]!.contains("61"), "\(y)") }
        for y in 2017...2021 { #expect(perYear[y]?.count == 17 && !perYear[y]!.contains("51") && perYear[y]!.contains("79"), "\(y)") }
        for y in 2022...2023 { #expect(perYear[y]?.count == 20 && perYear[y]!.contains("10") && perYear[y]!.contains("62"), "\(y)") }
        // The boundary table names every code of the panel, and the split regions' successors.
        let b = try registry.table("kazakhstan-boundaries")
        let codes = Set((0..<b.rowCount).map { try! b.column("kato2").text(at: $0) })
        #expect(Set(perYear.values.flatMap { $0 }).isSubset(of: codes))
        // A 2022 split shows in the data: East Kazakhstan loses Abay's population.
        func population(_ code: String, _ y: Int) -> Double { pop[(0..<t.rowCount).first { k.text(at: $0) == code && Int(year[$0]) == y }!] }
        #expect(population("63", 2021) > 1.3e6 && population("63", 2022) < 0.8e6)
        #expect(abs(population("63", 2022) + population("10", 2022) - population("63", 2021)) / population("63", 2021) < 0.02)
    }

    @Test("internal migration adds up: net = arrivals − departures, national arrivals = departures")
    func migrationConsistent() throws {
        let t = try registry.table("kazakhstan-migration")
        let a = try numbers(t, "arrivals"), d = try numbers(t, "departures"), net = try numbers(t, "net")
        let period = try t.column("period")
        var balance: [String: Double] = [:]
        for i in 0..<t.rowCount {
            #expect(net[i] == a[i] - d[i])
            balance[period.text(at: i), default: 0] += a[i] - d[i]
        }
        #expect(balance.count == 14)
        for (p, v) in balance { #expect(v == 0, "\(p)") }
    }

    @Test("the documents' loose figures are stored as intervals with their quotes")
    func documentIntervals() throws {
        let t = try registry.table("kazakhstan-documents")
        let subject = try t.column("subject"), kind = try t.column("kind"), quote = try t.column("quote")
        let lo = try numbers(t, "value_low"), hi = try numbers(t, "value_high")
        var figures: [String: (Double, Double, String)] = [:]
        for i in 0..<t.rowCount where kind.text(at: i) == "figure" {
            #expect(lo[i] <= hi[i])
            figures[subject.text(at: i)] = (lo[i], hi[i], quote.text(at: i))
        }
        #expect(figures.count == 8)
        #expect(figures["house prices in Almaty relative to the migrants' home towns"]! == (20, 100, figures["house prices in Almaty relative to the migrants' home towns"]!.2))
        #expect(figures["refugee influx 1994–1997"]!.0 == 4001 && figures["refugee influx 1994–1997"]!.2.contains("over 4,000"))
        #expect(figures["refugees from Afghanistan among them"]!.0 == 2100 && figures["refugees from Afghanistan among them"]!.1 == 2100)
        #expect(figures["ethnic Kazakhs living outside Kazakhstan"]!.0 > 3e6)
        #expect(figures["ethnic Kazakhs living in Afghanistan and Tajikistan"]!.2.contains("tens of thousands"))
        // Push factors: the seven the IWPR article names, for both southern regions.
        let factors = (0..<t.rowCount).filter { kind.text(at: $0) == "push factor" }
        #expect(factors.count == 14)
        #expect(Set(factors.map { subject.text(at: $0) }).isSuperset(of: ["high birth rate", "lack of jobs", "lack of water", "destroyed infrastructure", "poverty"]))
    }

    @Test("CSV written by CSVWriter reads back to the same table")
    func writerRoundTrip() throws {
        for name in ["kazakhstan-documents", "kazakhstan-oblasts", "kazakhstan-distances"] {
            let t = try registry.table(name)
            let m = try registry.manifest(name)
            var options = CSVOptions()
            for c in m.columns { options.columnKinds[c.name] = c.kind }
            let back = try CSVReader.read(text: CSVWriter.text(t), options: options)
            // Tables with NaN never compare equal, so compare kinds and the written text.
            #expect(back.columns.map(\.kind) == t.columns.map(\.kind), "\(name)")
            let same = CSVWriter.text(back) == CSVWriter.text(t)
            #expect(same, "\(name)")
        }
    }
}
