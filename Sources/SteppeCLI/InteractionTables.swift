import SteppeModels
import SteppeReport

/// The tables of `steppe interaction`: the gravity model's coefficients, the fit
/// statistics of every model side by side, and the largest flows with each model's fit.
enum InteractionTables {
    static func make(gravity: InteractionFit?, radiation: RadiationFit?, top: Int, label: String, notes: [String]) -> [ReportTable] {
        var tables: [ReportTable] = []
        if let gravity { tables.append(coefficients(gravity, label: label, notes: notes)) }
        tables.append(statistics(gravity, radiation, notes: gravity == nil ? notes : []))
        if top > 0 { tables.append(largestFlows(gravity, radiation, top: top)) }
        return tables
    }

    /// "doubly-constrained, power cost".
    static func name(_ m: SpatialInteractionModel) -> String {
        m.constraint.label + ", " + (m.costFunction == .power ? "power cost" : "exponential cost")
    }

    static func coefficients(_ g: InteractionFit, label: String, notes extra: [String]) -> ReportTable {
        var t = ReportTable(title: "Spatial interaction model (\(name(g.model))), Poisson ML: \(label)",
                            columns: ["term", "estimate", "std. error", "z", "p-value", "\(Int((g.fit.confidenceLevel * 100).rounded()))% low", "high"])
        for c in g.fit.coefficients {
            t.rows.append([.text(c.term), ReportTable.number(c.estimate, digits: 6), ReportTable.number(c.standardError, digits: 6),
                           ReportTable.number(c.statistic, digits: 2), ReportTable.number(c.pValue, digits: 4),
                           ReportTable.number(c.confidenceLow, digits: 6), ReportTable.number(c.confidenceHigh, digits: 6)])
        }
        var notes = ["PPML fit: \(g.fit.formula)" + (g.fit.fixedEffects.isEmpty ? "." : "; balancing factors as fixed effects: " + g.fit.fixedEffects.map { "\($0.name) (\($0.levels.count) levels)" }.joined(separator: ", ") + ".")]
        notes.append("\(g.fit.statistics.observations) pairs of \(g.rowsInData) rows; K = \(g.statistics.parameterCount) parameters (intercept and balancing factors counted as spint's dummies).")
        notes += g.exclusions.map(\.note) + g.fit.report.droppedObservations.map(\.note) + g.fit.report.droppedTerms.map(\.note)
        notes.append("Standard errors: \(g.model.covariance.explanation); z tests. Pearson dispersion φ = \(ReportNumber.format(g.statistics.pearsonDispersion, digits: 2))" + (g.model.covariance == .modelBased && g.statistics.pearsonDispersion > 2 ? " (flows are overdispersed: --vcov quasi or hetero)." : "."))
        let r = g.fit.report
        notes.append("IRLS " + (r.converged ? "converged" : "did NOT converge") + " in \(r.iterations) iterations.")
        notes += r.warnings + extra
        t.notes = notes
        return t
    }

    static func statistics(_ g: InteractionFit?, _ r: RadiationFit?, notes extra: [String]) -> ReportTable {
        var columns: [(String, InteractionStatistics)] = []
        if let g { columns.append(("gravity: " + name(g.model), g.statistics)) }
        if let r { columns += [("radiation (finite-size)", r.statistics), ("radiation (Simini 2012)", r.statisticsUncorrected)] }
        var t = ReportTable(title: columns.count > 1 ? "Gravity vs radiation on the same matrix: fit statistics" : "Fit statistics",
                            columns: ["statistic"] + columns.map(\.0))
        let rows: [(String, (InteractionStatistics) -> Double?, Int)] = [
            ("pairs", { Double($0.observations) }, 0), ("parameters K", { Double($0.parameterCount) }, 0),
            ("deviance", \.deviance, 1), ("D²", \.d2, 4), ("adjusted D²", \.adjustedD2, 4),
            ("log-likelihood", \.logLikelihood, 1), ("pseudo-R² (McFadden)", \.pseudoRSquared, 4),
            ("adjusted pseudo-R²", \.adjustedPseudoRSquared, 4), ("AIC", \.aic, 1),
            ("SSI (Sørensen)", \.ssi, 4), ("SRMSE", \.srmse, 4), ("CPC (common part of commuters)", \.cpc, 4),
            ("Pearson χ²/(n − K)", \.pearsonDispersion, 2),
        ]
        for (label, value, digits) in rows {
            t.rows.append([.text(label)] + columns.map { c in value(c.1).map { ReportTable.number($0, digits: digits) } ?? .empty })
        }
        var notes = ["As spint: D² = 1 − D/D₀ (D₀ of the intercept-only model), adjusted 1 − (n − 1)/(n − K)·(1 − D²), K at least 1 (the radiation model has no parameter); SSI the mean of 2·min(y, ŷ)/(y + ŷ); SRMSE = RMSE/ȳ; CPC = 2Σmin(y, ŷ)/(Σy + Σŷ) (scikit-mobility). Higher SSI and CPC, lower SRMSE and AIC fit better."]
        if let g, g.model.covariance == .quasiPoisson { notes.append("Quasi-Poisson has no likelihood: log-likelihood, pseudo-R² and AIC are left empty (spint reports them as not a number).") }
        if r != nil { notes.append("Radiation: no parameters (K = 0); T_i the observed outflows, m and n the populations, s_ij the population closer to i than j; the finite-size version divides by 1 − m_i/M (Masucci et al. 2013), so each origin's predicted flows sum to its outflow.") }
        if let g, let r, g.fit.statistics.observations != r.observed.count {
            notes.append("The models are scored on different pairs: \(g.fit.statistics.observations) (gravity) and \(r.observed.count) (radiation; intrazonal pairs and the fit's own removals differ).")
        }
        if let r { notes += r.exclusions.map { "Radiation: " + $0.note } }
        t.notes = notes + extra
        return t
    }

    static func largestFlows(_ g: InteractionFit?, _ r: RadiationFit?, top: Int) -> ReportTable {
        var columns = ["origin", "destination", "observed"]
        if g != nil { columns.append("gravity") }
        if r != nil { columns.append("radiation") }
        var t = ReportTable(title: "The \(top) largest observed flows and the models' estimates", columns: columns)
        let gravityAt = Dictionary(uniqueKeysWithValues: (g?.rows ?? []).enumerated().map { ($1, $0) })
        let radiationAt = Dictionary(uniqueKeysWithValues: (r?.rows ?? []).enumerated().map { ($1, $0) })
        let allRows = Array(Set(gravityAt.keys).union(radiationAt.keys))
        func observed(_ row: Int) -> Double { gravityAt[row].map { g!.observed[$0] } ?? r!.observed[radiationAt[row]!] }
        for row in allRows.sorted(by: { (observed($0), $1) > (observed($1), $0) }).prefix(top) {
            let (regions, o, d) = g.flatMap { g in gravityAt[row].map { (g.regions, g.originIndex[$0], g.destinationIndex[$0]) } }
                ?? (r!.regions, r!.originIndex[radiationAt[row]!], r!.destinationIndex[radiationAt[row]!])
            var cells: [ReportTable.Cell] = [.text(regions[Int(o)]), .text(regions[Int(d)]), ReportTable.number(observed(row), digits: 0)]
            if let g { cells.append(gravityAt[row].map { ReportTable.number(g.fitted[$0], digits: 0) } ?? .empty) }
            if let r { cells.append(radiationAt[row].map { ReportTable.number(r.predicted[$0], digits: 0) } ?? .empty) }
            t.rows.append(cells)
        }
        t.notes = ["Radiation column: the finite-size version. --top 0 for none, --top N for more."]
        return t
    }
}
