import SteppeData

extension MigrationMatrix {
    /// Distances between the matrix's regions from a list of pairs, as an n × n row-major
    /// array (the diagonal is 0 and unused).
    ///
    /// A pair listed only one way is used both ways (distances are symmetric); pairs that
    /// name regions outside the flows are ignored. Every pair of distinct regions needs a
    /// distance, because the decay fit (migest's index_distance: a Poisson GLM on every
    /// off-diagonal pair, zero flows included) uses them all.
    ///
    /// - Throws: `missingDistances` naming the first pairs without one; `badDistances`
    ///   for distances that are zero, negative or not finite.
    public func distances(origins: [String], destinations: [String], distances: [Double]) throws(MigrationIndexError) -> [Double] {
        try self.distances(origins: RegionLabels(origins), destinations: RegionLabels(destinations), distances: distances)
    }

    /// Distances from a list of pairs whose origin and destination columns are codes (a
    /// text column of a `Table`), the same as from their names; each level is looked up
    /// once, not each row.
    ///
    /// - Throws: as `distances(origins:destinations:distances:)`.
    public func distances(origins: RegionLabels, destinations: RegionLabels, distances: [Double]) throws(MigrationIndexError) -> [Double] {
        precondition(origins.codes.count == distances.count && destinations.codes.count == distances.count)
        let n = count, index = positions
        let from = origins.positions(in: index), to = destinations.positions(in: index)
        var d = [Double](repeating: .nan, count: n * n)
        var given = [Bool](repeating: false, count: n * n)
        for k in 0..<distances.count {
            let i = from[Int(origins.codes[k]) + 1], j = to[Int(destinations.codes[k]) + 1]
            guard i >= 0, j >= 0, i != j else { continue }
            d[i * n + j] = distances[k]
            given[i * n + j] = true
            if !given[j * n + i] { d[j * n + i] = distances[k] }
        }
        for i in 0..<n { d[i * n + i] = 0 }
        return try checked(d)
    }

    /// Great-circle distances (km) between region centres, for regions named in `latitude` and `longitude`.
    ///
    /// - Throws: `missingDistances` naming regions without coordinates.
    public func distances(latitude: [String: Double], longitude: [String: Double]) throws(MigrationIndexError) -> [Double] {
        let missing = regions.filter { latitude[$0] == nil || longitude[$0] == nil }
        if !missing.isEmpty {
            throw .missingDistances(pairs: Array(missing.prefix(5)).map { "every pair with \($0) (no coordinates)" }, count: missing.count)
        }
        let n = count
        var d = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n where i != j {
            d[i * n + j] = GreatCircle.distanceKm(latitude1: latitude[regions[i]]!, longitude1: longitude[regions[i]]!,
                                                  latitude2: latitude[regions[j]]!, longitude2: longitude[regions[j]]!)
        } }
        return try checked(d)
    }

    /// Checks an n × n distance array: every off-diagonal entry present, positive and finite.
    public func validated(_ d: [Double]) throws(MigrationIndexError) -> [Double] { try checked(d) }

    /// `validated`, taking the array (no copy when the caller's is its only reference).
    func checked(_ d: consuming [Double]) throws(MigrationIndexError) -> [Double] {
        let n = count
        precondition(d.count == n * n)
        var missing: [String] = [], bad: [String] = []
        var missingCount = 0, badCount = 0
        for i in 0..<n { for j in 0..<n where i != j {
            let x = d[i * n + j]
            if x.isNaN {
                missingCount += 1
                if missing.count < 5 { missing.append("\(regions[i]) → \(regions[j])") }
            } else if !(x > 0 && x.isFinite) {
                badCount += 1
                if bad.count < 5 { bad.append("\(regions[i]) → \(regions[j]) (\(x))") }
            }
        } }
        if missingCount > 0 { throw .missingDistances(pairs: missing, count: missingCount) }
        if badCount > 0 { throw .badDistances(pairs: bad, count: badCount) }
        for i in 0..<n { d[i * n + i] = 0 }
        return d
    }
}
