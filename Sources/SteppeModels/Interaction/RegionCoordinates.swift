import SteppeData

/// The centre of each region (latitude north, longitude east, in degrees), for
/// interaction models whose data have no distance column: the distance between two
/// regions is then the great-circle distance between their centres in km
/// (`GreatCircle`: haversine on a sphere of radius 6371.0088 km, the IUGG mean; the
/// radius scikit-mobility uses, 6371.0, differs by 1.4e-6 relative, which leaves the
/// radiation model, which only ranks distances, unchanged).
///
/// The gravity model takes log(d_ij) (or d_ij) of the pairs in the data; the radiation
/// model needs, for each origin i and destination j, the population s_ij of the regions
/// strictly inside the circle of radius d_ij around i, so it needs the distance from i to
/// every region, also to those it has no row for. Coordinates give both.
public struct RegionCoordinates: Sendable, Equatable {
    /// Latitude and longitude of each region, by its label.
    public var latitude: [String: Double]
    public var longitude: [String: Double]
    /// Where they come from, for errors ("centres.csv").
    public var source: String

    /// Coordinates by region label; both dictionaries must have the same keys.
    public init(latitude: [String: Double], longitude: [String: Double], source: String = "the coordinates") {
        self.latitude = latitude
        self.longitude = longitude
        self.source = source
    }

    /// Reads the columns `region`, `latitude` (or `lat`) and `longitude` (or `lon`, `lng`)
    /// of `table`; `source` names the table in errors.
    ///
    /// - Throws: `InteractionError` for a missing column, a text or out-of-range
    ///   coordinate (|latitude| ≤ 90, |longitude| ≤ 180), or a region given twice with
    ///   different coordinates, each naming the rows (1-based, the header not counted).
    public init(_ table: Table, source: String = "the coordinates") throws(InteractionError) {
        guard let region = table["region"] else { throw Self.noColumn("region", table, source) }
        let lat = try Self.column(table, ["latitude", "lat"], source: source)
        let lon = try Self.column(table, ["longitude", "lon", "lng"], source: source)
        var latitude: [String: Double] = [:], longitude: [String: Double] = [:], firstRow: [String: Int] = [:]
        var bad: [Int] = []
        for k in 0..<table.rowCount where !region.isMissing(k) {
            let name = region.text(at: k)
            guard abs(lat[k]) <= 90, abs(lon[k]) <= 180 else { bad.append(k); continue }
            if let a = latitude[name], let b = longitude[name] {
                guard a == lat[k] && b == lon[k] else {
                    throw .invalidData("\(source): region \(name) has two positions (rows \(firstRow[name]! + 1) and \(k + 1))")
                }
                continue
            }
            latitude[name] = lat[k]; longitude[name] = lon[k]; firstRow[name] = k
        }
        if !bad.isEmpty {
            throw .invalidData("\(source): every region needs a latitude within ±90 and a longitude within ±180 degrees, but \(InteractionError.rowList(bad)) (\(InteractionError.nameList(bad.map { region.text(at: $0) }))) \(bad.count == 1 ? "has" : "have") none or one out of range")
        }
        self.init(latitude: latitude, longitude: longitude, source: source)
    }

    /// "centres.csv has no column 'region' (…)".
    static func noColumn(_ name: String, _ table: Table, _ source: String) -> InteractionError {
        .invalidData("\(source) has no column '\(name)'; region coordinates need the columns region, latitude, longitude (columns: \(InteractionError.nameList(table.columnNames)))")
    }

    /// The first of `names` that `table` has, as numbers.
    static func column(_ table: Table, _ names: [String], source: String) throws(InteractionError) -> [Double] {
        guard let name = names.first(where: { table[$0] != nil }) else { throw noColumn(names[0], table, source) }
        return try InteractionData.numbers(table, name, role: "\(source) \(names[0])")
    }

    /// The labels of `regions` that have no coordinates, in order.
    public func missing(_ regions: [String]) -> [String] {
        regions.filter { latitude[$0] == nil || longitude[$0] == nil }
    }

    /// Throws naming the regions of the flows without coordinates.
    func require(_ regions: [String]) throws(InteractionError) {
        let absent = missing(regions)
        guard !absent.isEmpty else { return }
        throw .invalidData("\(source) has no coordinates for \(absent.count) region\(absent.count == 1 ? "" : "s") in the flows: \(InteractionError.nameList(absent))")
    }

    /// The R × R row-major matrix of great-circle distances (km) between `regions`.
    ///
    /// - Throws: `.invalidData` naming the regions without coordinates.
    public func distanceMatrix(_ regions: [String]) throws(InteractionError) -> [Double] {
        try require(regions)
        let rows = GreatCircle.distanceMatrix(latitudes: regions.map { latitude[$0]! }, longitudes: regions.map { longitude[$0]! })
        return rows.flatMap { $0 }
    }

    /// `table` with a numeric column `name`: the great-circle distance (km) of each row's
    /// origin and destination (missing where either is missing; 0 within a region).
    ///
    /// - Throws: `.unknownColumn` for the origin or destination, `.invalidData` naming the
    ///   regions without coordinates, or when the data already have a column `name`.
    public func addingDistances(to table: Table, origin: String, destination: String, name: String) throws(InteractionError) -> Table {
        guard table[name] == nil else {
            throw .invalidData("the data already have a column '\(name)'; with coordinates the distances are computed and named '\(name)'")
        }
        let (o, d, regions) = try InteractionData.regionCodes(table, origin: origin, destination: destination)
        let km = try distanceMatrix(regions)
        let r = regions.count
        let values = (0..<table.rowCount).map { k in o[k] < 0 || d[k] < 0 ? Double.nan : km[Int(o[k]) * r + Int(d[k])] }
        // The name is new (checked above) and the length is the table's, so the table builds.
        return try! table.adding(.numeric(name, values))
    }
}
