import ArgumentParser
import SteppeModels
import SteppeReport

/// `steppe sensitivity jackknife`: the model refitted without each cluster in turn.
struct JackknifeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jackknife",
        abstract: "Leave one cluster out at a time: CRV3 errors, what each moves.",
        discussion: """
        Refits the model once without each cluster (on all cores) and reports, per term, \
        the estimate, the fit's standard error, the CRV3 jackknife standard error \
        (MacKinnon, Nielsen & Webb 2023; summclust's CRV3), the range of the \
        leave-one-out estimates and the clusters that move it most; then, per \
        cluster, its size, its leverage (summclust's) and the estimates without it.

        The cluster is --cluster, else the --vcov cluster variable, else the first \
        fixed effect, else each observation (leave-one-observation-out). The \
        default analysis leaves out one region at a time.

        Examples:
          steppe sensitivity jackknife
          steppe sensitivity jackknife --term crude_birth_rate --format json
          steppe sensitivity jackknife my.csv -m ppml \\
            -f "flow ~ log(dist) | origin + destination" --cluster origin
          steppe sensitivity jackknife my.csv -f "y ~ x" --cluster "region^year"
        """
    )

    @OptionGroup var options: SensitivityOptions

    @Option(help: "Column whose groups are left out one at a time; a^b for combinations.")
    var cluster: String?

    @Option(help: "Report only this term (repeatable). Default: every term.")
    var term: [String] = []

    @Option(help: "Clusters listed per term as the most influential.")
    var top: Int = 5

    @Option(help: "Also write each term's leave-one-out estimates by cluster (a sorted dot plot) to this SVG file.")
    var plot: String?

    func run() throws {
        try PlotOutput.validate(plot)
        guard top >= 0 else { throw CommandFailure("--top must be 0 or more, got \(top)") }
        let setup = try SensitivitySetup(options)
        var columns = cluster.map { $0.split(separator: "^", omittingEmptySubsequences: false).map(String.init) }
        if columns == nil && options.modelOptions.formula.isEmpty { columns = [DefaultAnalysis.idColumn] }
        if let columns, columns.contains(where: \.isEmpty) {
            throw CommandFailure("--cluster \(cluster ?? ""): name a column, or columns joined by ^ (e.g. region^year)")
        }
        let bar = ProgressBar("jackknife")
        let result: JackknifeResult
        do {
            result = try setup.model.jackknife(cluster: columns, terms: term.isEmpty ? nil : term, top: top, progress: bar.handler)
        } catch {
            bar.finish()
            throw CommandFailure(error)
        }
        bar.finish()
        let tables = JackknifeTables(result: result, fit: setup.model.fit, top: top).make()
        try setup.write(method: "jackknife", results: result.jsonValue, tables: tables,
                        figures: [HTMLReport.Figure(SensitivityPlots.jackknife(result, fit: setup.model.fit))], options.outputOptions)
        if let plot { try PlotOutput.write(SensitivityPlots.jackknife(result, fit: setup.model.fit), to: plot) }
    }
}

/// The two tables of `steppe sensitivity jackknife`: one row per term, one row per cluster.
struct JackknifeTables {
    let result: JackknifeResult
    let fit: FitResult
    let top: Int
    /// Clusters beyond which the per-cluster table shows only the highest leverages.
    static let clusterRowLimit = 60

    var clusterWord: String { result.clusterVariable == "observation" ? "observation" : result.clusterVariable }

    func make() -> [ReportTable] { [terms(), clusters()] }

    /// Per term: estimate, the fit's and the CRV3 standard errors, the leave-one-out range,
    /// the most influential cluster and its change.
    func terms() -> ReportTable {
        var table = ReportTable(title: "Jackknife leaving out one \(clusterWord) at a time (\(result.clusters) refits)",
                                columns: ["term", "estimate", "s.e.", "CRV3 s.e.", "min", "max", "most influential", "change"])
        for t in result.terms {
            let estimates = t.leaveOneOut.map(\.estimate)
            let first = t.mostInfluential.first
            let figures: [Double] = [t.estimate, t.stdError, t.crv3StdError ?? .nan, estimates.min() ?? .nan, estimates.max() ?? .nan]
            var row: [ReportTable.Cell] = [.text(t.term)]
            row += figures.map { ReportTable.number($0) }
            if let first { row += [.text(first.cluster), ReportTable.number(first.change)] } else { row += [.empty, .empty] }
            table.rows.append(row)
        }
        table.notes = termNotes()
        return table
    }

    func termNotes() -> [String] {
        var notes = ["Each \(clusterWord) left out in turn and the model refitted: \(result.clusters - result.failed.count) of \(result.clusters) refits estimated every term. min and max: the range of the leave-one-out estimates; change: the most influential \(clusterWord)'s leave-one-out estimate minus the full-sample one."]
        notes.append("s.e.: the fit's (\(fit.covarianceType.label)). CRV3 s.e.: √((G−1)/G·Σ_g(β̂₍₋g₎ − β̂)²) with G = \(result.clusters), centred at the full-sample estimate, as summclust's CRV3 and pyfixest's {\"CRV3\": …} (which multiplies the same sum by its CRV1 factor instead of (G−1)/G); MacKinnon, Nielsen & Webb (2023).")
        if !result.failed.isEmpty {
            let list = result.failed.map { "\($0.cluster) (\($0.reason))" }.joined(separator: "; ")
            notes.append("\(result.failed.count) refit\(result.failed.count == 1 ? "" : "s") failed: \(list). CRV3 is not computed (NA): a jackknife that misses some of its clusters has no known scale.")
        }
        return notes
    }

    /// Per cluster: its rows, its leverage and the estimates without it (every cluster up to
    /// `clusterRowLimit`, else the highest leverages).
    func clusters() -> ReportTable {
        let shown = result.terms
        var table = ReportTable(title: "Estimates without each \(clusterWord)",
                                columns: [clusterWord, "rows", "leverage"] + shown.map(\.term))
        var estimates: [String: [Double]] = [:]
        for (j, t) in shown.enumerated() {
            for e in t.leaveOneOut { estimates[e.cluster, default: [Double](repeating: .nan, count: shown.count)][j] = e.estimate }
        }
        var rows = result.clusterLeverage
        let limited = rows.count > Self.clusterRowLimit
        if limited { rows = Array(rows.sorted { $0.leverage > $1.leverage }.prefix(max(top, 10))) }
        for c in rows {
            let values = estimates[c.cluster] ?? [Double](repeating: .nan, count: shown.count)
            let cells: [ReportTable.Cell] = zip(values, shown).map { b, t in
                guard b.isFinite else { return ReportTable.number(b) }
                let flipped = (b < 0) != (t.estimate < 0)
                return ReportTable.Cell.number(b, display: ReportNumber.format(b) + (flipped ? "†" : ""))
            }
            table.rows.append([.text(c.cluster), ReportTable.Cell.number(Double(c.observations), display: String(c.observations)),
                               ReportTable.number(c.leverage)] + cells)
        }
        table.notes = clusterNotes(limited: limited, shown: rows.count)
        return table
    }

    func clusterNotes(limited: Bool, shown: Int) -> [String] {
        let l = result.leverage
        let design = fit.fixedEffects.isEmpty ? "X̃ = X" : "X̃ the design after absorbing the fixed effects"
        let weights = fit.model == .ols ? "" : ", W the IRLS weights at convergence"
        var notes = ["leverage: tr(X̃_g(X̃ᵀWX̃)⁻¹X̃_gᵀW_g), \(design)\(weights) (summclust's cluster leverage; they add up to \(fit.coefficients.count), the number of coefficients): min \(ReportNumber.format(l.min)), median \(ReportNumber.format(l.median)), mean \(ReportNumber.format(l.mean)), max \(ReportNumber.format(l.max))."]
        notes.append("†: the sign differs from the full-sample estimate. NA: the refit without this \(clusterWord) failed.")
        if limited { notes.append("Showing the \(shown) of \(result.clusters) \(clusterWord)s with the highest leverage; --format json lists all.") }
        let trimmed = result.clusterLeverage.filter { $0.refitObservations != nil }
        if !trimmed.isEmpty {
            let list = trimmed.map { "\($0.cluster) (\($0.refitObservations!) rows used)" }.joined(separator: ", ")
            notes.append("Refits that also dropped singletons or separated rows created by the removal: \(list).")
        }
        return notes
    }
}

extension JackknifeResult {
    /// The `results` object of the JSON envelope: clusterVariable, clusters, terms, leverage, failed.
    var jsonValue: JSONValue {
        .object([
            ("clusterVariable", .string(clusterVariable)),
            ("clusters", .number(Double(clusters))),
            ("terms", .array(terms.map { $0.jsonValue(failed: failed.count, clusters: clusters) })),
            ("leverage", .object(Self.summary(leverage) + [("byCluster", .array(clusterLeverage.map(\.jsonValue)))])),
            ("failed", .array(failed.map { .object([("cluster", .string($0.cluster)), ("reason", .string($0.reason))]) })),
        ])
    }

    static func summary(_ s: Summary) -> [(String, JSONValue)] {
        [("min", .number(s.min)), ("max", .number(s.max)), ("median", .number(s.median)), ("mean", .number(s.mean))]
    }
}

extension JackknifeResult.Term {
    func jsonValue(failed: Int, clusters: Int) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("term", .string(term)), ("estimate", .number(estimate)), ("stdError", .number(stdError)),
            ("crv3StdError", crv3StdError.map { .number($0) } ?? .null),
            ("leaveOneOut", .array(leaveOneOut.map {
                .object([("cluster", .string($0.cluster)), ("estimate", .number($0.estimate)), ("partialLeverage", .number($0.partialLeverage))])
            })),
            ("mostInfluential", .array(mostInfluential.map {
                .object([("cluster", .string($0.cluster)), ("estimate", .number($0.estimate)), ("change", .number($0.change))])
            })),
            ("partialLeverage", .object(JackknifeResult.summary(partialLeverage))),
        ]
        var reasons: [(String, JSONValue)] = []
        if crv3StdError == nil { reasons.append(("crv3StdError", .string("not computed: \(failed) of \(clusters) refits failed (see failed)"))) }
        if !stdError.isFinite { reasons.append(("stdError", .string("the fit's standard error is not finite"))) }
        if !reasons.isEmpty { fields.append(("nullReasons", .object(reasons))) }
        return .object(fields)
    }
}

extension JackknifeResult.ClusterLeverage {
    var jsonValue: JSONValue {
        var fields: [(String, JSONValue)] = [("cluster", .string(cluster)), ("observations", .number(Double(observations))),
                                             ("leverage", .number(leverage))]
        if let refitObservations { fields.append(("refitObservations", .number(Double(refitObservations)))) }
        return .object(fields)
    }
}
