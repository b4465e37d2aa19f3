import SteppeData
import SteppeModels

/// The columns of `steppe interaction` and the calls into the library: parsing of the
/// flags that name columns, the year selection, and the two fits.
struct InteractionSetup {
    var flow: String, origin: String, destination: String, cost: String
    var originVariables: [String], destinationVariables: [String]
    var populations: (String, String)? = nil
    /// Region centres (`--coordinates`): the distances of both models are then great-circle km.
    var coordinates: RegionCoordinates? = nil

    /// The name of the distance column computed from `--coordinates`.
    static let greatCircleColumn = "great_circle_km"

    /// "a, b" → ["a", "b"].
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The rows of `year` in `column` (all rows without a year), and a note saying how many.
    static func select(_ table: Table, year: Double?, column: String) throws(CommandFailure) -> (Table, [String]) {
        guard let year else { return (table, []) }
        guard let values = table[column] else {
            throw CommandFailure("--year needs a year column: '\(column)' is not in the data (set it with --year-column)")
        }
        guard let numbers = values.numbers else { throw CommandFailure("the year column '\(column)' is text; it must hold numbers") }
        let rows = numbers.indices.filter { numbers[$0] == year }
        let shown = Column.format(year)
        guard !rows.isEmpty else {
            let years = Set(numbers.filter { !$0.isNaN }).sorted().map(Column.format)
            throw CommandFailure("no rows of year \(shown) (years in the data: \(years.joined(separator: ", ")))")
        }
        return (table.rows(rows), ["Rows of \(column) \(shown): \(rows.count) of \(table.rowCount); the other \(table.rowCount - rows.count) rows are other years."])
    }

    /// The cost column and where it comes from: `--cost`, the Korean matrix's centroid
    /// distances, or (`--coordinates FILE`) great-circle km between the regions' centres,
    /// which both models then use (the radiation model for every pair of regions, also
    /// those without a row). Returns the column, the coordinates and a note for the tables.
    static func distances(cost: String?, coordinates path: String?, korea: Bool) throws(CommandFailure) -> (String, RegionCoordinates?, [String]) {
        guard let path else {
            if let cost { return (cost, nil, []) }
            if korea { return ("dist_centroid_km", nil, []) }
            throw CommandFailure("give the cost (distance) column with --cost, or region centres with --coordinates FILE (region, latitude, longitude)")
        }
        if let cost { throw CommandFailure("give the distances one way: --cost \(cost) or --coordinates \(path), not both") }
        let centres: RegionCoordinates
        do { centres = try RegionCoordinates(try DataSource.open(path).table, source: path) } catch let e as CommandFailure { throw e } catch { throw CommandFailure(error) }
        return (greatCircleColumn, centres, ["Distances: \(greatCircleColumn), great-circle km between the region centres of \(path) (haversine, R = 6371.0088 km)."])
    }

    /// Radiation populations: the flags, else the first attractiveness variable of each side.
    func radiationPopulations(_ o: String?, _ d: String?, needed: Bool) throws(CommandFailure) -> (String, String)? {
        guard needed else { return nil }
        guard let o = o ?? originVariables.first, let d = d ?? destinationVariables.first else {
            throw CommandFailure("the radiation model needs populations: give --origin-population and --destination-population (or --origin-vars and --destination-vars)")
        }
        return (o, d)
    }

    /// The gravity-type model with the flags' settings.
    func fitGravity(_ table: Table, costFunction: SpatialInteractionModel.CostFunction, constraint: SpatialInteractionModel.Constraint,
                    vcov: String, intercept: Bool, intrazonal: Bool, level: Double) throws(CommandFailure) -> InteractionFit {
        var m = SpatialInteractionModel(flow: flow, origin: origin, destination: destination, cost: cost)
        m.costFunction = costFunction
        m.constraint = constraint
        m.originVariables = originVariables
        m.destinationVariables = destinationVariables
        m.intercept = intercept
        m.includeIntrazonal = intrazonal
        m.confidenceLevel = level
        m.covariance = try Self.covariance(vcov)
        m.coordinates = coordinates
        if !intercept && constraint != .none { throw CommandFailure("--no-intercept applies to --constraint none only: a constrained model's intercept is in its balancing factors") }
        do { return try m.fit(table) } catch { throw CommandFailure(error) }
    }

    /// The radiation model on the same rows.
    func fitRadiation(_ table: Table) throws(CommandFailure) -> RadiationFit {
        guard let (o, d) = populations else { throw CommandFailure("the radiation model needs --origin-population and --destination-population") }
        var m = RadiationModel(flow: flow, origin: origin, destination: destination, distance: cost, originPopulation: o, destinationPopulation: d)
        m.coordinates = coordinates
        do { return try m.fit(table) } catch { throw CommandFailure(error) }
    }

    /// `--vcov`: quasi (also quasi-poisson), else `CovarianceArgument`'s spellings.
    static func covariance(_ text: String) throws(CommandFailure) -> InteractionCovariance {
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "quasi", "quasi-poisson", "quasipoisson": return .quasiPoisson
        default: break
        }
        switch try CovarianceArgument.parse(text) {
        case .iid: return .modelBased
        case .heteroskedastic(let v): return .heteroskedastic(v)
        case .cluster(let names): return .cluster(names)
        }
    }
}
