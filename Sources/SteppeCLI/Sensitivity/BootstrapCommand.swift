import ArgumentParser
import SteppeModels
import SteppeReport

extension BootstrapType: ExpressibleByArgument {}
extension BootstrapWeights: ExpressibleByArgument {}

/// `steppe sensitivity bootstrap`: wild cluster, score, pairs or cluster bootstrap tests
/// and intervals for the coefficients.
struct BootstrapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Bootstrap p-values and intervals: wild, score, pairs, cluster.",
        discussion: """
        wild: the wild cluster bootstrap of OLS (with fixed effects), by the fast \
        algorithm of boottest and fwildclusterboot (Roodman et al. 2019): the null \
        imposed (WCR) unless --no-impose-null (WCU), t from CRV1 standard errors \
        (two-way, --cluster a+b: the Cameron-Gelbach-Miller variance, weights drawn \
        by --bootcluster, default the dimension with fewer clusters), symmetric \
        p-value, interval by inverting the test. score: the score bootstrap \
        of GLMs such as PPML (Kline & Santos 2012; boottest's boottype(score)), no \
        refit per replicate. pairs and cluster: rows or whole clusters resampled and \
        refitted; bootstrap standard error and percentile interval.

        Default type: wild for OLS, score otherwise. Default reps: 9999 (wild, score) \
        or 999; with Rademacher weights and 2^G <= reps all 2^G sign vectors are \
        used (exact). Clusters: --cluster, else the --vcov cluster variable, else \
        the first fixed effect; the default analysis clusters by region.

        Examples:
          steppe sensitivity bootstrap
          steppe sensitivity bootstrap --term crude_birth_rate --wild-weights webb
          steppe sensitivity bootstrap my.csv -f "y ~ x1 + x2 | firm" \\
            --cluster state --null 0.5 --term x1
          steppe sensitivity bootstrap my.csv -f "y ~ x1 + x2 | firm" \\
            --cluster state+year --bootcluster min --term x1
          steppe sensitivity bootstrap my.csv -m ppml --type pairs --reps 499 \\
            -f "flow ~ log(dist) | origin + destination" --format json
        """
    )

    @OptionGroup var options: SensitivityOptions

    @Option(help: "wild, score, pairs or cluster. Default: wild for OLS, else score.")
    var type: BootstrapType?

    @Option(help: "Replicates B (at least 99). Default 9999 (wild, score), else 999.")
    var reps: Int?

    @Option(help: "Cluster column (a^b: combinations); two-way: a+b or --cluster a --cluster b (wild). Default: the --vcov cluster(s), else the first fixed effect.")
    var cluster: [String] = []

    @Option(help: "Two-way wild bootstrap: where weights are drawn: min (fewer clusters), max (intersection) or a column. Default min.")
    var bootcluster: String?

    @Option(help: "Test only this term (repeatable). Default: every term.")
    var term: [String] = []

    @Option(name: .customLong("null"), help: "The coefficient's value under the null. Default 0.")
    var nullValue: Double = 0

    // --weights is the observation weights of every model command (ModelOptions).
    @Option(name: .customLong("wild-weights"),
            help: "Wild weights: rademacher, webb, mammen or normal. Default rademacher.")
    var weights: BootstrapWeights?

    @Flag(name: .customLong("no-impose-null"), help: "Bootstrap the unrestricted fit (WCU) instead of WCR.")
    var noImposeNull = false

    @Flag(name: .customLong("no-ci"), help: "Skip the intervals (each score bound takes ~25 refits).")
    var noIntervals = false

    @Option(help: "Also write histograms of each term's bootstrap t* with the observed t to this SVG file (wild and score).")
    var plot: String?

    func run() throws {
        try PlotOutput.validate(plot)
        let library = try bootstrapOptions()
        if plot != nil, let type, !type.isWild {
            throw CommandFailure("--plot draws the t* of the wild and score bootstraps; --type \(type.rawValue) keeps no statistic per replicate")
        }
        let setup = try SensitivitySetup(options)
        let bar = ProgressBar("bootstrap")
        let result: BootstrapResult
        do { result = try setup.model.bootstrap(library, progress: bar.handler) } catch {
            bar.finish()
            throw CommandFailure(error)
        }
        bar.finish()
        let json: JSONValue
        do { json = try JSONValueEncoder().encode(result) } catch { throw CommandFailure("could not encode the results: \(error)") }
        let tables = BootstrapTables(result: result, fit: setup.model.fit).make()
        try setup.write(method: "bootstrap", results: json, tables: tables, options.outputOptions)
        if let plot {
            let statistics: [[Double]]
            do { statistics = try setup.model.bootstrapReplicateStatistics(library) } catch { throw CommandFailure(error) }
            try PlotOutput.write(SensitivityPlots.bootstrap(result, statistics: statistics, fit: setup.model.fit), to: plot)
        }
    }

    /// The library's options from the flags; flags that do not apply to the type are errors.
    func bootstrapOptions() throws(CommandFailure) -> BootstrapOptions {
        if let type, !type.isWild {
            if weights != nil { throw CommandFailure("--wild-weights applies to the wild and score bootstrap, not --type \(type.rawValue)") }
            if noImposeNull { throw CommandFailure("--no-impose-null applies to the wild and score bootstrap, not --type \(type.rawValue)") }
        }
        if type == .pairs && !cluster.isEmpty {
            throw CommandFailure("--type pairs resamples rows and takes no --cluster; use --type cluster to resample clusters")
        }
        var dimensions = try Self.clusterDimensions(cluster)
        if dimensions == nil && options.modelOptions.formula.isEmpty && options.data == nil && type != .pairs {
            dimensions = [[DefaultAnalysis.idColumn]]
        }
        return BootstrapOptions(type: type, replicates: reps, terms: term.isEmpty ? nil : term,
                                nullValue: nullValue, weights: weights ?? .rademacher, imposeNull: !noImposeNull,
                                seed: options.seed, intervals: !noIntervals, clusters: dimensions,
                                bootcluster: try Self.bootclusterChoice(bootcluster))
    }

    /// `--cluster` values as clustering dimensions: each value is one dimension or several
    /// joined by + (two-way: `a+b`, or `--cluster a --cluster b`), each dimension a column or
    /// columns joined by ^ (their combinations). `nil` when none is given.
    static func clusterDimensions(_ values: [String]) throws(CommandFailure) -> [[String]]? {
        guard !values.isEmpty else { return nil }
        var out: [[String]] = []
        for value in values {
            for part in value.split(separator: "+", omittingEmptySubsequences: false) {
                let columns = part.split(separator: "^", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace }
                guard !columns.contains(where: \.isEmpty) else {
                    throw CommandFailure("--cluster \(value): name a column, or columns joined by ^ (e.g. region^year), or two dimensions joined by + (e.g. region+year)")
                }
                out.append(columns)
            }
        }
        return out
    }

    /// `--bootcluster`: min (default), max, or a column (columns joined by ^).
    static func bootclusterChoice(_ value: String?) throws(CommandFailure) -> BootclusterChoice {
        switch value?.trimmingWhitespace {
        case nil, "min"?: return .fewest
        case "max"?: return .intersection
        case let column?:
            let columns = column.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
            guard !columns.contains(where: \.isEmpty) else {
                throw CommandFailure("--bootcluster \(column): use min, max, or a column (columns joined by ^)")
            }
            return .columns(columns)
        }
    }
}

/// The tables of `steppe sensitivity bootstrap`: one per term, with the method's notes.
struct BootstrapTables {
    let result: BootstrapResult
    let fit: FitResult

    func make() -> [ReportTable] {
        var tables = result.terms.map(table)
        if !tables.isEmpty { tables[tables.count - 1].notes += notes() }
        return tables
    }

    var typeName: String {
        switch result.type {
        case .wild: return "Wild cluster bootstrap"
        case .score: return "Score bootstrap"
        case .pairs: return "Pairs bootstrap"
        case .cluster: return "Cluster bootstrap"
        }
    }

    func table(_ t: BootstrapTermResult) -> ReportTable {
        let level = ReportNumber.format(100 * result.confidenceLevel, digits: 0)
        var rows: [[ReportTable.Cell]] = [
            [.text("estimate"), ReportTable.number(t.estimate)],
            [.text(statisticLabel(t)), ReportTable.number(t.tStatistic)],
            [.text("p-value"), ReportTable.number(t.pValue)],
            [.text("\(level)% interval, low"), ReportTable.number(t.confidenceLow)],
            [.text("\(level)% interval, high"), ReportTable.number(t.confidenceHigh)],
            [.text("replicates"), integer(t.replicates)],
            [.text("failed"), integer(t.failed)],
        ]
        if !t.type.isWild { rows.insert([.text("bootstrap s.e."), ReportTable.number(t.standardError)], at: 1) }
        let null = t.nullValue == t.nullValue.rounded() && abs(t.nullValue) < 1e15 ? String(Int64(t.nullValue)) : "\(t.nullValue)"
        var table = ReportTable(title: "\(typeName): \(t.term) (H0: \(t.term) = \(null))",
                                columns: ["", "value"], rows: rows)
        if !t.failures.isEmpty {
            table.notes.append("Failed replicates (left out): " + t.failures.map { "\($0.count) \($0.reason)" }.joined(separator: "; ") + ".")
        }
        for key in t.nullReasons.keys.sorted() where key != "stdError" { table.notes.append("NA \(key): \(t.nullReasons[key]!).") }
        return table
    }

    /// What the t row holds: CRV1 t (wild, unrestricted score), the score statistic at the
    /// null (null-imposed score), or t with the bootstrap standard error (pairs, cluster).
    func statisticLabel(_ t: BootstrapTermResult) -> String {
        switch t.type {
        case .wild: return "t (CRV1)"
        case .score: return t.imposedNull ? "score statistic" : "t (CRV1)"
        case .pairs, .cluster: return "t (bootstrap s.e.)"
        }
    }

    func integer(_ n: Int) -> ReportTable.Cell { .number(Double(n), display: String(n)) }

    func notes() -> [String] {
        var notes: [String] = []
        let draws = result.enumerated
            ? "all \(result.replicates) = 2^\(result.clusters ?? 0) Rademacher sign vectors (full enumeration: exact, independent of the seed)"
            : "\(result.replicates) replicates, seed \(result.seed)"
        if let weights = result.weights, let g = result.clusters {
            let null = result.terms.first?.imposedNull ?? true ? "null imposed (WCR)" : "unrestricted (WCU)"
            let by: String
            if let counts = result.clusterCounts, counts.count == 2 {
                by = "two-way by \(result.clusterVariable ?? "") (\(counts[0]) and \(counts[1]) clusters; Cameron–Gelbach–Miller variance), weights by \(result.bootcluster ?? "") (\(g) bootclusters)"
            } else {
                by = "by \(result.clusterVariable ?? "") (\(g) clusters)"
            }
            notes.append("\(typeName) \(by), \(weights.rawValue) weights, \(null): \(draws).")
            notes.append("p-value: the share of replicates with |t*| ≥ |t| (two-sided, symmetric). Interval: \(result.terms.first?.intervalMethod == "testInversion" ? "the nulls not rejected at 1 − level, by inverting the test" : "β̂ ± se·|t*| at 1 − level (percentile-t)").")
        } else {
            let by = result.clusterVariable.map { " by \($0) (\(result.clusters ?? 0) clusters)" } ?? " of rows"
            notes.append("\(typeName)\(by): \(draws); each resample refitted. s.e.: the replicates' standard deviation; t = (β̂ − null)/s.e. with a normal p-value; interval: percentiles of the replicates.")
        }
        let failed = result.terms.map(\.failed).reduce(0, +)
        notes.append(failed == 0 ? "No replicate failed." : "\(failed) replicate results failed and were left out (see each term).")
        notes.append("Reference: \(result.reference).")
        notes.append("Model: \(fit.formula) (\(fit.model.rawValue), \(fit.statistics.observations) observations).")
        return notes
    }
}
