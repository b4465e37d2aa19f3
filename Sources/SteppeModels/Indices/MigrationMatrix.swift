/// A square origin–destination matrix of migrant counts between `regions`, row-major
/// (`flows[i * n + j]` is the flow from region i to region j), its diagonal set to zero.
///
/// Moves within a region are not migrations between regions: like migest (whose
/// `index_*` functions set `diag(m) <- 0`), the diagonal of a long table is dropped, and
/// an origin–destination pair the table does not list is a zero flow.
public struct MigrationMatrix: Sendable, Equatable {
    /// Region names in order of first appearance in the data (origins and destinations).
    public let regions: [String]
    /// Flows, row-major, n × n, zero on the diagonal.
    public let flows: [Double]

    /// The number of regions.
    public var count: Int { regions.count }

    /// A matrix from row-major `flows` (diagonal ignored).
    ///
    /// - Throws: `MigrationIndexError` for fewer than two regions, negative or non-finite
    ///   flows, or a zero total.
    public init(regions: [String], flows: [Double]) throws(MigrationIndexError) {
        let n = regions.count
        precondition(flows.count == n * n, "flows must be n × n")
        var f = flows
        for i in 0..<n { f[i * n + i] = 0 }
        try Self.check(f, rows: nil)
        guard n >= 2 else { throw .tooFewRegions(n) }
        guard f.reduce(0, +) > 0 else { throw .zeroTotalFlow }
        self.regions = regions
        self.flows = f
    }

    /// A matrix from a long table: one row per pair. `rows` are the numbers used in
    /// errors (default: 1-based positions).
    ///
    /// - Throws: `MigrationIndexError` for negative or missing flows (naming the rows),
    ///   a pair given twice, fewer than two regions or a zero total flow.
    public init(origins: [String], destinations: [String], flows: [Double], rows: [Int]? = nil) throws(MigrationIndexError) {
        precondition(origins.count == destinations.count && origins.count == flows.count)
        try self.init(origins: RegionLabels(origins), destinations: RegionLabels(destinations), flows: flows, rows: rows)
    }

    /// A matrix from a long table whose origin and destination columns are codes (a text
    /// column of a `Table`), the same as from their names: regions in order of first
    /// appearance among the origins, then the destinations. Each level is hashed once,
    /// not each row.
    ///
    /// - Throws: as `init(origins:destinations:flows:rows:)`.
    public init(origins: RegionLabels, destinations: RegionLabels, flows: [Double], rows: [Int]? = nil) throws(MigrationIndexError) {
        precondition(origins.codes.count == destinations.codes.count && origins.codes.count == flows.count)
        func rowNumber(_ k: Int) -> Int { rows?[k] ?? k + 1 }
        try Self.check(flows, rows: rows)
        var index: [String: Int] = [:], names: [String] = []
        let from = Self.number(origins, &index, &names), to = Self.number(destinations, &index, &names)
        let n = names.count
        guard n >= 2 else { throw .tooFewRegions(n) }
        var f = [Double](repeating: 0, count: n * n)
        var seen = [UInt64](repeating: 0, count: (n * n + 63) / 64)   // one bit a cell
        func cell(_ k: Int) -> Int { from[Int(origins.codes[k]) + 1] * n + to[Int(destinations.codes[k]) + 1] }
        for k in 0..<flows.count {
            let c = cell(k), bit = UInt64(1) << UInt64(c & 63)
            if seen[c >> 6] & bit != 0 {
                let first = (0..<k).first { cell($0) == c }!
                throw .duplicatePair(origin: names[c / n], destination: names[c % n], rows: [rowNumber(first), rowNumber(k)])
            }
            seen[c >> 6] |= bit
            if c / n != c % n { f[c] = flows[k] }
        }
        guard f.reduce(0, +) > 0 else { throw .zeroTotalFlow }
        self.regions = names
        self.flows = f
    }

    /// Numbers the labels' regions not yet in `index` in order of first appearance; returns
    /// the region of each code + 1 (slot 0: missing, "NA"), −1 for codes no row uses.
    private static func number(_ labels: RegionLabels, _ index: inout [String: Int], _ names: inout [String]) -> [Int] {
        var region = [Int](repeating: -1, count: labels.levels.count + 1)
        for c in labels.codes where region[Int(c) + 1] < 0 {
            let name = labels.name(c)
            if let r = index[name] { region[Int(c) + 1] = r; continue }
            index[name] = names.count
            region[Int(c) + 1] = names.count
            names.append(name)
        }
        return region
    }

    /// Each region's position, by name.
    var positions: [String: Int] {
        var index: [String: Int] = [:]
        for (k, r) in regions.enumerated() { index[r] = k }
        return index
    }

    /// Missing and negative flows, named by `rows[k]` (default: k + 1).
    static func check(_ flows: [Double], rows: [Int]?) throws(MigrationIndexError) {
        var missing: [Int] = [], negative: [Int] = []
        for (k, x) in flows.enumerated() {
            if !x.isFinite { missing.append(rows?[k] ?? k + 1) } else if x < 0 { negative.append(rows?[k] ?? k + 1) }
        }
        if !missing.isEmpty { throw .missingFlows(rows: Array(missing.prefix(5)), count: missing.count) }
        if !negative.isEmpty { throw .negativeFlows(rows: Array(negative.prefix(5)), count: negative.count) }
    }

    /// Row sums (out-migration O_i) and column sums (in-migration D_j), and the total M.
    public var margins: (out: [Double], in: [Double], total: Double) {
        let n = count
        var out = [Double](repeating: 0, count: n), inn = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for j in 0..<n { let x = flows[i * n + j]; s += x; inn[j] += x }
            out[i] = s
        }
        return (out, inn, out.reduce(0, +))
    }

    /// Populations in region order from `byRegion`; regions absent from the flows are ignored (as migest's index_impact filters them).
    ///
    /// - Throws: `missingPopulations` naming the regions without one, `badPopulations` for values that are not positive and finite.
    public func populations(_ byRegion: [String: Double]) throws(MigrationIndexError) -> [Double] {
        let missing = regions.filter { byRegion[$0] == nil }
        if !missing.isEmpty { throw .missingPopulations(missing) }
        let p = regions.map { byRegion[$0]! }
        let bad = zip(regions, p).filter { !($0.1 > 0 && $0.1.isFinite) }.map(\.0)
        if !bad.isEmpty { throw .badPopulations(bad) }
        return p
    }
}
