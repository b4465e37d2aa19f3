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
    static func read(_ table: Table, _ s: Sources, only: Int?) throws(CommandFailure) -> [IndicesInput] {
        let origins = try texts(table, s.origin), destinations = try texts(table, s.destination)
        let flows = try numbers(table, s.flow, "--flow")
        let years = table[s.yearColumn] == nil ? nil : try numbers(table, s.yearColumn, "--year-column")
        var groups: [(Double?, [Int])] = []
        if let years {
            for y in Set(years.filter { !$0.isNaN }).sorted() where only == nil || Double(only!) == y {
                groups.append((y, years.indices.filter { years[$0] == y }))
            }
            if groups.isEmpty {
                let all = Set(years.filter { !$0.isNaN }).sorted().map { String(Int($0)) }.joined(separator: ", ")
                throw CommandFailure("no rows for --year \(only!) (years in the data: \(all))")
            }
        } else {
            if let only { throw CommandFailure("--year \(only): the data have no '\(s.yearColumn)' column") }
            groups = [(nil, Array(0..<table.rowCount))]
        }
        let populationFile = try s.populationsFile.map { path throws(CommandFailure) in try keyed(path, key: "region", value: "population") }
        return try groups.map { (year, rows) throws(CommandFailure) -> IndicesInput in
            let matrix: MigrationMatrix
            do {
                matrix = try MigrationMatrix(origins: rows.map { origins[$0] }, destinations: rows.map { destinations[$0] },
                                             flows: rows.map { flows[$0] }, rows: rows.map { $0 + 1 })
            } catch { throw CommandFailure(prefix(year) + "\(error)") }
            var input = IndicesInput(year: year, matrix: matrix)
            do {
                if let populationFile {
                    input.populations = try matrix.populations(populationFile)
                } else if let c = s.populationColumn {
                    let p = try numbers(table, c, "--population")
                    var byRegion: [String: Double] = [:]
                    for k in rows { byRegion[destinations[k]] = p[k] * s.populationScale }
                    input.populations = try matrix.populations(byRegion)
                }
                input.distances = try distances(matrix, table: table, rows: rows, s, origins, destinations)
            } catch let e as CommandFailure { throw CommandFailure(prefix(year) + e.message) } catch { throw CommandFailure(prefix(year) + "\(error)") }
            return input
        }
    }

    init(year: Double?, matrix: MigrationMatrix) { self.year = year; self.matrix = matrix }

    static func prefix(_ year: Double?) -> String { year.map { "year \(Int($0)): " } ?? "" }

    static func distances(_ m: MigrationMatrix, table: Table, rows: [Int], _ s: Sources,
                          _ origins: [String], _ destinations: [String]) throws -> [Double]? {
        if let path = s.distancesFile {
            let t = try open(path)
            return try m.distances(origins: try texts(t, "origin"), destinations: try texts(t, "destination"), distances: try numbers(t, "distance", "--distances"))
        }
        if let path = s.coordinatesFile {
            return try m.distances(latitude: try keyed(path, key: "region", value: "lat"), longitude: try keyed(path, key: "region", value: "lon"))
        }
        guard let c = s.distanceColumn else { return nil }
        let d = try numbers(table, c, "--distance")
        return try m.distances(origins: rows.map { origins[$0] }, destinations: rows.map { destinations[$0] }, distances: rows.map { d[$0] })
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

    static func numbers(_ t: Table, _ name: String, _ flag: String) throws(CommandFailure) -> [Double] {
        guard let c = t[name] else { throw CommandFailure("no column '\(name)' for \(flag) (columns: \(t.columnNames.joined(separator: ", ")))") }
        guard let v = c.numbers else { throw CommandFailure("column '\(name)' (\(flag)) is not numeric") }
        return v
    }
}
