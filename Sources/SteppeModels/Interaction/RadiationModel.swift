import SteppeData

/// The radiation model of human mobility (Simini, González, Maritan & Barabási 2012,
/// Nature 484, 96–100), with the finite-size normalisation of Masucci et al. (2013,
/// Phys. Rev. E 88, 022812):
///
///     T_ij = T_i · m_i·n_j / ((m_i + s_ij)(m_i + n_j + s_ij))  ·  1/(1 − m_i/M)
///
/// T_i the observed outflow of origin i (over the pairs fitted, intrazonal ones left
/// out), m_i and n_j the populations of origin and destination, s_ij the population
/// within the circle of radius r_ij = cost(i, j) around i excluding i and j, and
/// M = Σ_k m_k over every region. Without the last factor (Simini's original) an origin's
/// flows sum to T_i·(1 − m_i/M) over all destinations; with it (the default, as
/// scikit-mobility's `Radiation`) to T_i. Parameter-free: K = 0 in the statistics.
///
/// Distances come from a column of the rows, or from region coordinates (`coordinates`:
/// great-circle km, scikit-mobility's haversine up to its radius, which does not change
/// the ranking; matched on six Kazakh cities, `Fixtures/interaction/radiation_coordinates.json`).
///
/// Ties: a region exactly at distance r_ij is not inside the circle (s_ij counts d_ik <
/// d_ij). scikit-mobility adds tied regions one after another in the order of its sort,
/// so on a matrix with tied distances the two differ; on the Korean matrix there are none
/// and they agree to 1e-12 (`Fixtures/interaction/radiation.json`).
public struct RadiationModel: Sendable {
    public var flow: String
    public var origin: String
    public var destination: String
    /// The distance (or any cost) that orders destinations around an origin.
    public var distance: String
    /// Region centres: when set, d_ij is the great-circle distance (km) between the
    /// centres of i and j for every pair of regions in the data, also the pairs without a
    /// row, and the column `distance` is not read but added (the data must not have it).
    /// Without coordinates every origin needs a row with its distance to every region.
    /// Default `nil`.
    public var coordinates: RegionCoordinates? = nil
    /// Population of the origin on each row, and of the destination (the same measure:
    /// each region must get one value from both).
    public var originPopulation: String
    public var destinationPopulation: String

    public init(flow: String, origin: String, destination: String, distance: String,
                originPopulation: String, destinationPopulation: String) {
        self.flow = flow
        self.origin = origin
        self.destination = destination
        self.distance = distance
        self.originPopulation = originPopulation
        self.destinationPopulation = destinationPopulation
    }
}

/// Radiation-model flows for the observed pairs, with and without the finite-size factor.
public struct RadiationFit: Sendable {
    public let model: RadiationModel
    /// Rows of the data (0-based) of the pairs predicted, and their observed flows.
    public let rows: [Int]
    public let regions: [String]
    public let originIndex: [Int32]
    public let destinationIndex: [Int32]
    public let observed: [Double]
    /// T_ij with the finite-size normalisation 1/(1 − m_i/M).
    public let predicted: [Double]
    /// T_ij as Simini et al. (2012), without it.
    public let predictedUncorrected: [Double]
    public let statistics: InteractionStatistics
    public let statisticsUncorrected: InteractionStatistics
    public let exclusions: [InteractionExclusion]
    public let rowsInData: Int
    /// The population of each region, M their sum.
    public let population: [Double]
}

extension RadiationModel {
    /// Predicts every observed inter-regional pair of `table`.
    ///
    /// - Throws: `InteractionError` for unknown columns, negative flows, a pair twice, a
    ///   region without a population or with two different ones, a population ≤ 0, a
    ///   region without coordinates, or (without coordinates) a distance from an origin to
    ///   some region missing from the data.
    public func fit(_ input: Table) throws(InteractionError) -> RadiationFit {
        var table = input
        if let coordinates { table = try coordinates.addingDistances(to: input, origin: origin, destination: destination, name: distance) }
        let data = try InteractionData(table, flow: flow, origin: origin, destination: destination, cost: distance,
                                       power: false, includeIntrazonal: false)
        let population = try populations(table, data)
        let distances: [Double]
        if let coordinates { distances = try coordinates.distanceMatrix(data.regions) } else { distances = try distanceMatrix(table, data) }
        let r = data.regions.count
        var outflow = [Double](repeating: 0, count: r)
        for k in data.flow.indices { outflow[Int(data.origin[k])] += data.flow[k] }
        let total = population.reduce(0, +)
        let probability = RadiationFlows.probabilities(population: population, distances: distances,
                                                       origins: Set(data.origin.map { Int($0) }))
        var plain = [Double](repeating: 0, count: data.flow.count), corrected = plain
        for k in data.flow.indices {
            let i = Int(data.origin[k]), j = Int(data.destination[k])
            plain[k] = outflow[i] * probability[i]![j]
            corrected[k] = plain[k] / (1 - population[i] / total)
        }
        return RadiationFit(model: self, rows: data.rows, regions: data.regions, originIndex: data.origin,
                            destinationIndex: data.destination, observed: data.flow, predicted: corrected,
                            predictedUncorrected: plain,
                            statistics: InteractionStatistics(observed: data.flow, fitted: corrected, parameters: 0),
                            statisticsUncorrected: InteractionStatistics(observed: data.flow, fitted: plain, parameters: 0),
                            exclusions: data.exclusions, rowsInData: table.rowCount, population: population)
    }

    /// One population per region from the origin and destination columns, checked to
    /// agree (to 1e-9 relative), be present for every region and be positive.
    func populations(_ table: Table, _ data: InteractionData) throws(InteractionError) -> [Double] {
        let o = try InteractionData.numbers(table, originPopulation, role: "origin population")
        let d = try InteractionData.numbers(table, destinationPopulation, role: "destination population")
        var pop = [Double](repeating: .nan, count: data.regions.count)
        var conflict: (String, Double, Double)? = nil
        func set(_ region: Int32, _ x: Double) {
            guard !x.isNaN else { return }
            let i = Int(region)
            if pop[i].isNaN { pop[i] = x } else if abs(pop[i] - x) > 1e-9 * max(abs(x), 1), conflict == nil { conflict = (data.regions[i], pop[i], x) }
        }
        for (k, row) in data.rows.enumerated() { set(data.origin[k], o[row]); set(data.destination[k], d[row]) }
        if let (name, a, b) = conflict {
            throw .invalidData("region \(name) has two populations (\(Column.format(a)) and \(Column.format(b))) in '\(originPopulation)'/'\(destinationPopulation)'; the radiation model needs one per region")
        }
        let missing = pop.indices.filter { pop[$0].isNaN }.map { data.regions[$0] }
        if !missing.isEmpty { throw .invalidData("no population in '\(originPopulation)' or '\(destinationPopulation)' for \(missing.count) region\(missing.count == 1 ? "" : "s") in the flows: \(InteractionError.nameList(missing))") }
        let bad = pop.indices.filter { !(pop[$0] > 0) || !pop[$0].isFinite }.map { data.regions[$0] }
        if !bad.isEmpty { throw .invalidData("populations must be positive and finite, but are not for \(InteractionError.nameList(bad))") }
        return pop
    }

    /// d_ik for every origin i and region k ≠ i, from the rows' distance column (rows with
    /// a missing flow still give their distance).
    func distanceMatrix(_ table: Table, _ data: InteractionData) throws(InteractionError) -> [Double] {
        let r = data.regions.count
        let c = try InteractionData.numbers(table, distance, role: "distance")
        let (oc, dc, _) = try InteractionData.regionCodes(table, origin: origin, destination: destination)
        var matrix = [Double](repeating: .nan, count: r * r)
        for row in 0..<table.rowCount where oc[row] >= 0 && dc[row] >= 0 && c[row].isFinite {
            matrix[Int(oc[row]) * r + Int(dc[row])] = c[row]
        }
        for i in Set(data.origin.map { Int($0) }).sorted() {
            for k in 0..<r where k != i && matrix[i * r + k].isNaN {
                throw .invalidData("the radiation model needs the distance from every origin to every region, but \(data.regions[i]) → \(data.regions[k]) has none")
            }
        }
        return matrix
    }
}
