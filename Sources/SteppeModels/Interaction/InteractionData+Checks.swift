import SteppeData

/// The checks that keep bad input from reaching an estimate: each throws one sentence
/// naming the rows (1-based) and the pairs or regions at fault.
extension InteractionData {
    /// Flows must be finite and not negative (the Poisson likelihood is for counts).
    func checkFlows() throws(InteractionError) {
        let bad = flow.indices.filter { flow[$0] < 0 || !flow[$0].isFinite }
        guard !bad.isEmpty else { return }
        throw .invalidData("flows must be finite and not negative: \(examples(bad) { "\(Column.format(flow[$0]))" })")
    }

    /// Some flow must be positive: with every flow zero the Poisson fit has nothing to
    /// explain and the radiation model no outflow to distribute, and every statistic
    /// (D² = 1 − D/D₀, SRMSE = RMSE/ȳ) would divide by zero.
    func checkTotal() throws(InteractionError) {
        guard !flow.contains(where: { $0 > 0 }) else { return }
        throw .invalidData((flow.count == 1 ? "the one flow" : "all \(flow.count) flows") + " between the regions \(flow.count == 1 ? "is" : "are") zero: there is nothing to fit")
    }

    /// With power cost, c^β enters as β·log(c), so every cost must be positive; a zero
    /// distance between two different regions is a data error (spint raises too). With
    /// exponential cost any finite cost is allowed.
    func checkCosts(power: Bool) throws(InteractionError) {
        let infinite = cost.indices.filter { !cost[$0].isFinite }
        if !infinite.isEmpty {
            throw .invalidData("costs must be finite: \(examples(infinite) { Column.format(cost[$0]) })")
        }
        guard power else { return }
        let bad = cost.indices.filter { cost[$0] <= 0 }
        guard !bad.isEmpty else { return }
        let offDiagonal = bad.filter { origin[$0] != destination[$0] }
        let which = offDiagonal.isEmpty ? "intrazonal" : "off the diagonal"
        throw .invalidData("power cost needs positive costs (it takes log(cost)), but \(bad.count) \(which) pair\(bad.count == 1 ? " has" : "s have") cost ≤ 0: \(examples(offDiagonal.isEmpty ? bad : offDiagonal) { Column.format(cost[$0]) }); use --cost-function exponential or fix the distances")
    }

    /// Each origin–destination pair at most once: a pair given twice is usually several
    /// years or groups stacked, which the models would treat as separate observations of one flow.
    func checkDuplicates() throws(InteractionError) {
        let r = regions.count
        var first = [Int: Int]()
        var seen = r * r <= 50_000_000 ? [Bool](repeating: false, count: r * r) : []
        for k in flow.indices {
            let key = Int(origin[k]) * r + Int(destination[k])
            if !seen.isEmpty {
                if !seen[key] { seen[key] = true; continue }
            } else if first[key] == nil { first[key] = k; continue }
            let earlier = first[key] ?? flow.indices.first { Int(origin[$0]) * r + Int(destination[$0]) == key }!
            throw .invalidData("the pair \(pairName(k)) appears more than once (rows \(rows[earlier] + 1) and \(rows[k] + 1)): keep one year or group (--year, or a filtered file), or sum the flows")
        }
    }

    /// "row 5 (Seoul → Busan: -3), row 9 (…) and 4 more" for kept-row positions `bad`.
    func examples(_ bad: [Int], value: (Int) -> String) -> String {
        let shown = bad.prefix(3).map { "row \(rows[$0] + 1) (\(pairName($0)): \(value($0)))" }.joined(separator: ", ")
        return shown + (bad.count > 3 ? " and \(bad.count - 3) more" : "")
    }

    /// The values of an attractiveness column on the kept rows, checked: every origin (or
    /// destination) has a value, and the value is positive, since it enters as log(x) as
    /// in spint.
    ///
    /// - Throws: `.unknownColumn`, or `.invalidData` naming the regions without a value
    ///   ("a region present in the flows but not in the attractiveness data") or with x ≤ 0.
    func attractiveness(_ table: Table, _ name: String, atOrigin: Bool) throws(InteractionError) -> [Double] {
        let role = atOrigin ? "origin" : "destination"
        let values = try Self.numbers(table, name, role: "\(role) variable")
        var missing = Set<Int32>(), nonPositive = Set<Int32>()
        let region = atOrigin ? origin : destination
        for (k, r) in rows.enumerated() {
            let x = values[r]
            if x.isNaN { missing.insert(region[k]) } else if !(x > 0) || !x.isFinite { nonPositive.insert(region[k]) }
        }
        func names(_ s: Set<Int32>) -> String { InteractionError.nameList(s.sorted().map { regions[Int($0)] }) }
        if !missing.isEmpty {
            throw .invalidData("\(role) variable '\(name)' has no value for \(missing.count) \(role)\(missing.count == 1 ? "" : "s") in the flows: \(names(missing))")
        }
        if !nonPositive.isEmpty {
            throw .invalidData("\(role) variable '\(name)' enters as log(\(name)) and must be positive and finite, but is not for \(names(nonPositive))")
        }
        return rows.map { values[$0] }
    }
}
