import SteppeModels
import SteppeReport

/// The tables and JSON of `steppe indices`: one column (or JSON result) per year.
enum IndicesReport {
    /// What each key is, for the table's row labels.
    static let labels: [String: String] = [
        "cmp": "crude migration probability, %", "courgeauK": "Courgeau's k",
        "effectiveness": "migration effectiveness index", "anmr": "aggregate net migration rate, %",
        "preference": "index of preference", "velocity": "index of velocity",
        "connectivity": "share of pairs with flows", "inequalityEqual": "inequality vs equal flows",
        "inequalitySim": "inequality vs independence fit", "giniTotal": "Gini of all flows",
        "giniOrigStd": "origin Gini, standardized", "giniDestStd": "destination Gini, standardized",
        "mwgOrig": "migration-weighted Gini, origins", "mwgDest": "migration-weighted Gini, destinations",
        "mwgMean": "migration-weighted Gini, mean", "cv": "coefficient of variation",
        "acv": "aggregated coefficient of variation", "mean": "mean distance of a move",
        "median": "median distance of a move", "decay": "distance decay (Poisson, log distance)",
    ]

    /// The table of every index by year. `estimated`: why the flows are estimates (the
    /// title then says so, and a note warns what that means), nil for observed flows.
    static func table(_ results: [(year: Double?, set: MigrationIndexSet)], label: String, sourceNotes: [String],
                      estimated: String? = nil) -> ReportTable {
        let columns = ["index", "key"] + results.map { $0.year.map { String(Int($0)) } ?? "value" }
        let subject = estimated == nil ? "Migration indices" : "Migration indices of an ESTIMATED matrix, not observed flows"
        var table = ReportTable(title: "\(subject) (migest's index_intensity, index_impact, index_connectivity, index_distance; Bell et al. 2002): \(label)",
                                columns: columns)
        guard let first = results.first?.set else { return table }
        for group in first.groups {
            table.rules.insert(table.rows.count)
            for v in group.values {
                let cells = results.map { r -> ReportTable.Cell in
                    guard let x = r.set.groups.first(where: { $0.name == group.name })?.values.first(where: { $0.key == v.key })?.value else {
                        return .text("—")
                    }
                    return ReportTable.number(x, digits: 4)
                }
                table.rows.append([.text(labels[v.key] ?? v.key), .text(v.key)] + cells)
            }
        }
        var notes: [String] = []
        if let estimated {
            notes.append("ESTIMATED flows (\(estimated)): the indices describe the estimate's assumptions (margins, prior, distance decay) as much as the data; a distance decay computed here returns the β that went in.")
        }
        for r in results {
            let y = r.year.map { "\(Int($0)): " } ?? ""
            for g in r.set.groups { for v in g.values where v.value == nil { notes.append("\(y)\(v.key) undefined: \(v.reason ?? "").") } }
        }
        let sizes = results.map { "\($0.set.regions) regions, \(ReportNumber.grouped($0.set.totalFlow)) migrants" }
        notes.append("Flows between distinct regions only (the diagonal is dropped); " + (Set(sizes).count == 1 ? sizes[0] : sizes.joined(separator: "; ")) + ".")
        notes.append("Each index as R migest 2.0.5 computes it (formulas: SteppeModels/Indices); decay and the independence fit are Poisson GLMs on round(flow).")
        table.notes = notes + sourceNotes
        return table
    }

    /// `results`: one object per year with `estimated` (the flows are estimates, not
    /// observed) and the four groups keyed as in migest (camelCase); a group with an
    /// undefined index has it null and says why in its `nullReasons` (key → reason).
    static func json(_ results: [(year: Double?, set: MigrationIndexSet)], estimated: Bool = false) -> JSONValue {
        .array(results.map { r in
            var fields: [(String, JSONValue)] = [("year", r.year.map { .number($0) } ?? .null), ("estimated", .bool(estimated)),
                                                 ("regions", .number(Double(r.set.regions))), ("totalFlow", .number(r.set.totalFlow))]
            for g in r.set.groups {
                var values: [(String, JSONValue)] = g.values.map { ($0.key, $0.value.map { .number($0) } ?? .null) }
                let reasons: [(String, JSONValue)] = g.values.compactMap { v in v.reason.map { (v.key, .string($0)) } }
                if !reasons.isEmpty { values.append(("nullReasons", .object(reasons))) }
                fields.append((g.name, .object(values)))
            }
            return .object(fields)
        })
    }
}
