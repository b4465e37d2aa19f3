import SteppeData

/// Rows left out of a spatial interaction or radiation model before the fit, and why.
///
/// The Poisson fit reports its own removals (singletons, all-zero groups, separation) in
/// `FitResult.report`; these are the ones before it, so that every row of the data is
/// accounted for.
public struct InteractionExclusion: Sendable, Codable, Equatable {
    public enum Reason: String, Sendable, Codable, CaseIterable {
        /// The origin or destination cell is empty.
        case missingRegion = "missing origin or destination"
        /// The flow is empty or NA.
        case missingFlow = "missing flow"
        /// The cost (distance) is empty or NA.
        case missingCost = "missing cost"
        /// Origin and destination are the same region. Spatial interaction models describe
        /// flows between regions (spint's tests and Dennett 2012 leave these out), and the
        /// radiation model has no intrazonal term; `includeIntrazonal` keeps them in the gravity fit.
        case intrazonal = "intrazonal (origin = destination)"
    }
    public let reason: Reason
    public let count: Int

    public init(reason: Reason, count: Int) {
        self.reason = reason
        self.count = count
    }

    /// A sentence for the notes under a table.
    public var note: String { "\(count) row\(count == 1 ? "" : "s") removed: \(reason.rawValue)." }
}

/// The origin–destination pairs of a flow table, checked and indexed once: what the
/// gravity and radiation models share.
///
/// Regions are the union of the origin and destination labels, origins first in order of
/// appearance. Rows with an empty region, flow or cost are excluded and counted; so are
/// intrazonal rows unless kept. Then the checks of `InteractionData+Checks` run on what
/// is kept, and throw rather than let a bad value reach an estimate.
struct InteractionData: Sendable {
    /// The region labels; `origin` and `destination` index into them.
    let regions: [String]
    /// The rows of the table kept, in table order.
    let rows: [Int]
    let origin: [Int32]
    let destination: [Int32]
    let flow: [Double]
    let cost: [Double]
    let exclusions: [InteractionExclusion]
    let rowsInData: Int

    /// Reads and indexes the four columns of `table`.
    ///
    /// - Throws: `InteractionError.unknownColumn`, or `.invalidData` for a text flow or
    ///   cost column, negative or infinite flows, flows that are all zero, a pair given twice, and (with `power`)
    ///   a cost that is not positive.
    init(_ table: Table, flow: String, origin: String, destination: String, cost: String,
         power: Bool, includeIntrazonal: Bool) throws(InteractionError) {
        let y = try Self.numbers(table, flow, role: "flow")
        let c = try Self.numbers(table, cost, role: "cost")
        let (oc, dc, regions) = try Self.regionCodes(table, origin: origin, destination: destination)
        var rows: [Int] = [], o: [Int32] = [], d: [Int32] = [], fy: [Double] = [], fc: [Double] = []
        rows.reserveCapacity(table.rowCount); o.reserveCapacity(table.rowCount); d.reserveCapacity(table.rowCount)
        fy.reserveCapacity(table.rowCount); fc.reserveCapacity(table.rowCount)
        var counts = [InteractionExclusion.Reason: Int]()
        for r in 0..<table.rowCount {
            let reason: InteractionExclusion.Reason?
            if oc[r] < 0 || dc[r] < 0 { reason = .missingRegion }
            else if y[r].isNaN { reason = .missingFlow }
            else if c[r].isNaN { reason = .missingCost }
            else if oc[r] == dc[r] && !includeIntrazonal { reason = .intrazonal }
            else { reason = nil }
            if let reason { counts[reason, default: 0] += 1; continue }
            rows.append(r); o.append(oc[r]); d.append(dc[r]); fy.append(y[r]); fc.append(c[r])
        }
        self.regions = regions
        self.rows = rows
        self.origin = o
        self.destination = d
        self.flow = fy
        self.cost = fc
        self.rowsInData = table.rowCount
        self.exclusions = InteractionExclusion.Reason.allCases.compactMap { r in counts[r].map { InteractionExclusion(reason: r, count: $0) } }
        guard !rows.isEmpty else {
            throw .invalidData("no origin–destination pairs left: " + (exclusions.map(\.note).joined(separator: " ").nilIfEmpty ?? "the data have no rows"))
        }
        try checkFlows()
        try checkTotal()
        try checkCosts(power: power)
        try checkDuplicates()
    }

    /// "Seoul → Busan".
    func pairName(_ k: Int) -> String { regions[Int(origin[k])] + " → " + regions[Int(destination[k])] }

    /// A numeric column by name.
    static func numbers(_ table: Table, _ name: String, role: String) throws(InteractionError) -> [Double] {
        guard let column = table[name] else { throw .unknownColumn(name, role: role, available: table.columnNames) }
        guard let v = column.numbers else { throw .invalidData("the \(role) column '\(name)' is text; it must hold numbers") }
        return v
    }

    /// Region indices of each row's origin and destination (−1 where missing) into the
    /// union of their labels.
    static func regionCodes(_ table: Table, origin: String, destination: String) throws(InteractionError) -> ([Int32], [Int32], [String]) {
        guard let oColumn = table[origin] else { throw .unknownColumn(origin, role: "origin", available: table.columnNames) }
        guard let dColumn = table[destination] else { throw .unknownColumn(destination, role: "destination", available: table.columnNames) }
        var regions: [String] = [], index: [String: Int32] = [:]
        func codes(_ column: Column) -> [Int32] {
            let (raw, levels) = labelled(column)
            let map = levels.map { label -> Int32 in
                if let k = index[label] { return k }
                let k = Int32(regions.count)
                regions.append(label); index[label] = k
                return k
            }
            return raw.map { $0 < 0 ? -1 : map[Int($0)] }
        }
        let o = codes(oColumn), d = codes(dColumn)
        return (o, d, regions)
    }

    /// A column as codes into labels: a text column's own, numbers by their distinct values.
    static func labelled(_ column: Column) -> ([Int32], [String]) {
        switch column.values {
        case .text(let codes, let levels): return (codes, levels)
        case .numeric(let v), .boolean(let v):
            var levels: [String] = [], seen: [Double: Int32] = [:]
            let codes = (0..<v.count).map { i -> Int32 in
                guard !v[i].isNaN else { return -1 }
                if let k = seen[v[i]] { return k }
                let k = Int32(levels.count)
                seen[v[i]] = k; levels.append(column.text(at: i))
                return k
            }
            return (codes, levels)
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
