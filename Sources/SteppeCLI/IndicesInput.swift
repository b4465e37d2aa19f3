import Foundation
import SteppeData
import SteppeModels

/// The inputs of `steppe indices` for one year: the matrix, its populations and distances,
/// read from the long OD table and the files or columns the flags name.
struct IndicesInput {
    var year: Double?
    var matrix: MigrationMatrix
    var populations: [Double]?
    var distances: [Double]?

    /// Where populations and distances come from; bundled datasets have defaults (`preset`).
    struct Sources {
        var origin = "origin", destination = "destination", flow = "flow", yearColumn = "year"
        var populationColumn: String?, populationScale = 1.0, populationsFile: String?
        var distanceColumn: String?, distancesFile: String?, coordinatesFile: String?

        /// Columns of the bundled OD matrices: Korea's populations are in millions (migest's
        /// examples multiply `dest_pop` by 1e6), distances between centroids as in migest's
        /// `index_distance` example (`dist_cent`).
        mutating func preset(for dataset: String) {
            switch dataset {
            case "korea-interregional":
                if populationColumn == nil && populationsFile == nil { populationColumn = "destination_pop_millions"; populationScale = 1e6 }
                if distanceColumn == nil && distancesFile == nil && coordinatesFile == nil { distanceColumn = "dist_centroid_km" }
            case "netherlands-corop":
                if populationColumn == nil && populationsFile == nil { populationColumn = "destination_pop" }
                if distanceColumn == nil && distancesFile == nil && coordinatesFile == nil { distanceColumn = "distance_km" }
            default: break
            }
        }
    }

    /// One input per year of `table` (or one for a table without a year column); `only` keeps one year.
    ///
    /// Region columns are read as the table stores them, codes into their levels
    /// (`RegionLabels`), so no String is made or hashed per row.
    static func read(_ table: Table, _ s: Sources, only: Int?) throws(CommandFailure) -> [IndicesInput] {
        let origins = try labels(table, s.origin), destinations = try labels(table, s.destination)
        let flows = try numbers(table, s.flow, "--flow")
        let groups = try yearGroups(table, s, only: only)
        let populationFile = try s.populationsFile.map { path throws(CommandFailure) in try keyed(path, key: "region", value: "population") }
        return try groups.map { (year, rows) throws(CommandFailure) -> IndicesInput in
            let matrix: MigrationMatrix
            do {
                matrix = try MigrationMatrix(origins: pick(origins, rows), destinations: pick(destinations, rows),
                                             flows: pick(flows, rows), rows: rows?.map { $0 + 1 })
            } catch { throw CommandFailure(prefix(year) + "\(error)") }
            var input = IndicesInput(year: year, matrix: matrix)
            do {
                if let populationFile {
                    input.populations = try matrix.populations(populationFile)
                } else if let c = s.populationColumn {
                    let p = try numbers(table, c, "--population")
                    input.populations = try matrix.populations(byDestination(destinations, p, rows: rows, scale: s.populationScale))
                }
                input.distances = try distances(matrix, table: table, rows: rows, s, origins, destinations)
            } catch let e as CommandFailure { throw CommandFailure(prefix(year) + e.message) } catch { throw CommandFailure(prefix(year) + "\(error)") }
            return input
        }
    }

    /// The rows of each year (`nil`: every row, for a table without a year column).
    static func yearGroups(_ table: Table, _ s: Sources, only: Int?) throws(CommandFailure) -> [(Double?, [Int]?)] {
        guard table[s.yearColumn] != nil else {
            if let only { throw CommandFailure("--year \(only): the data have no '\(s.yearColumn)' column") }
            return [(nil, nil)]
        }
        let years = try numbers(table, s.yearColumn, "--year-column")
        let all = Set(years.filter { !$0.isNaN }).sorted()
        var rowsOf: [Double: [Int]] = [:]
        for (k, y) in years.enumerated() where only == nil || Double(only!) == y { rowsOf[y, default: []].append(k) }
        let groups: [(Double?, [Int]?)] = all.compactMap { y in rowsOf[y].map { (y, $0) } }
        if groups.isEmpty {
            throw CommandFailure("no rows for --year \(only!) (years in the data: \(all.map { String(Int($0)) }.joined(separator: ", ")))")
        }
        return groups
    }

    static func pick(_ x: [Double], _ rows: [Int]?) -> [Double] { rows.map { $0.map { x[$0] } } ?? x }
    static func pick(_ x: RegionLabels, _ rows: [Int]?) -> RegionLabels { rows.map { x.rows($0) } ?? x }

    /// The destination's population on each row (times `scale`) by region; where a region
    /// has several rows, the last one's.
    static func byDestination(_ destinations: RegionLabels, _ p: [Double], rows: [Int]?, scale: Double) -> [String: Double] {
        var last = [Int](repeating: -1, count: destinations.levels.count + 1)
        func note(_ k: Int) { last[Int(destinations.codes[k]) + 1] = k }
        if let rows { rows.forEach(note) } else { p.indices.forEach(note) }
        var byRegion: [String: Double] = [:]
        for (slot, k) in last.enumerated().filter({ $0.1 >= 0 }).sorted(by: { $0.1 < $1.1 }) {
            byRegion[slot == 0 ? "NA" : destinations.levels[slot - 1]] = p[k] * scale
        }
        return byRegion
    }

    init(year: Double?, matrix: MigrationMatrix) { self.year = year; self.matrix = matrix }

    static func prefix(_ year: Double?) -> String { year.map { "year \(Int($0)): " } ?? "" }

    static func distances(_ m: MigrationMatrix, table: Table, rows: [Int]?, _ s: Sources,
                          _ origins: RegionLabels, _ destinations: RegionLabels) throws -> [Double]? {
        if let path = s.distancesFile {
            let t = try open(path)
            return try m.distances(origins: try labels(t, "origin"), destinations: try labels(t, "destination"),
                                   distances: try numbers(t, "distance", "--distances"))
        }
        if let path = s.coordinatesFile {
            return try m.distances(latitude: try keyed(path, key: "region", value: "lat"), longitude: try keyed(path, key: "region", value: "lon"))
        }
        guard let c = s.distanceColumn else { return nil }
        let d = try numbers(table, c, "--distance")
        return try m.distances(origins: pick(origins, rows), destinations: pick(destinations, rows), distances: pick(d, rows))
    }

    static func open(_ path: String) throws(CommandFailure) -> Table { try DataSource.open(path).table }

    static func keyed(_ path: String, key: String, value: String) throws(CommandFailure) -> [String: Double] {
        let t = try open(path)
        let k = try texts(t, key), v = try numbers(t, value, path)
        var out: [String: Double] = [:]
        for i in 0..<t.rowCount { out[k[i]] = v[i] }
        return out
    }

    static func texts(_ t: Table, _ name: String) throws(CommandFailure) -> [String] {
        guard let c = t[name] else { throw CommandFailure("no column '\(name)' (columns: \(t.columnNames.joined(separator: ", ")))") }
        return (0..<t.rowCount).map { c.text(at: $0) }
    }

    /// A column of region names as codes: a text column's own, others (numeric region
    /// codes) numbered from their display text.
    static func labels(_ t: Table, _ name: String) throws(CommandFailure) -> RegionLabels {
        guard let c = t[name] else { throw CommandFailure("no column '\(name)' (columns: \(t.columnNames.joined(separator: ", ")))") }
        if case .text(let codes, let levels) = c.values { return RegionLabels(codes: codes, levels: levels) }
        return RegionLabels((0..<t.rowCount).map { c.text(at: $0) })
    }

    static func numbers(_ t: Table, _ name: String, _ flag: String) throws(CommandFailure) -> [Double] {
        guard let c = t[name] else { throw CommandFailure("no column '\(name)' for \(flag) (columns: \(t.columnNames.joined(separator: ", ")))") }
        guard let v = c.numbers else { throw CommandFailure("column '\(name)' (\(flag)) is not numeric") }
        return v
    }
}
