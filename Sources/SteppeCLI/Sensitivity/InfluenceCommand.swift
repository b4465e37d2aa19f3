import ArgumentParser
import SteppeData
import SteppeModels
import SteppeReport

/// `steppe sensitivity influence`: leverage, residuals, Cook's distance, DFFITS, DFBETAS.
struct InfluenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "influence",
        abstract: "Influential observations: hat values, Cook's distance, DFBETAS.",
        discussion: """
        Computes for every observation its hat value, internally and externally \
        studentized residuals, Cook's distance, DFFITS and DFBETAS per term: for OLS \
        as statsmodels' OLSInfluence, for GLMs as its GLMInfluence (one-step \
        approximations, as R's influence.measures), or from exact leave-one-out refits \
        with --exact. The table lists the --top rows by Cook's distance; \
        --format json has every row. Models may have one fixed effect.

        Examples:
          steppe sensitivity influence
          steppe sensitivity influence --exact --top 5
          steppe sensitivity influence my.csv -f "y ~ x1 + x2" --id name
          steppe sensitivity influence --format json -o influence.json
        """
    )

    @OptionGroup var options: SensitivityOptions

    @Flag(help: "GLMs: exact leave-one-out refits instead of the one-step approximation.")
    var exact = false

    @Option(help: "Rows listed in the table, by Cook's distance.")
    var top: Int = 10

    @Option(help: "Columns that label a row (comma-separated); missing ones are skipped.")
    var id: String = "region,year"

    func run() throws {
        guard top >= 0 else { throw CommandFailure("--top must be 0 or more, got \(top)") }
        let setup = try SensitivitySetup(options)
        let bar = ProgressBar("influence")
        let result: InfluenceResult
        do {
            result = try setup.model.influence(exact: exact, progress: bar.handler)
        } catch {
            bar.finish()
            throw CommandFailure(error)
        }
        bar.finish()
        let ids = id.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.compactMap { setup.model.table[$0] }
        let tables = InfluenceTables(result: result, fit: setup.model.fit, ids: ids, top: top, exactAsked: exact).make()
        try setup.write(method: "influence", results: result.jsonValue, tables: tables, options.outputOptions)
    }
}

/// The tables of `steppe sensitivity influence`: the top rows, and the thresholds.
struct InfluenceTables {
    let result: InfluenceResult
    let fit: FitResult
    let ids: [Column]
    let top: Int
    let exactAsked: Bool

    func make() -> [ReportTable] { [observations(), thresholds()] }

    func label(_ row: Int) -> String {
        ids.isEmpty ? "row \(row + 1)" : ids.map { $0.text(at: row) }.joined(separator: " ")
    }

    func observations() -> ReportTable {
        let chosen = result.mostInfluential(top)
        var table = ReportTable(title: "The \(chosen.count) most influential of \(result.observations.count) observations, by Cook's distance",
                                columns: [ids.isEmpty ? "row" : ids.map(\.name).joined(separator: " "), "hat", "stud. res.",
                                          "ext. stud.", "Cook's D", "DFFITS", "max |DFBETAS|", "term"])
        for o in chosen {
            let largest = o.dfbetas.indices.filter { o.dfbetas[$0].isFinite }.max { abs(o.dfbetas[$0]) < abs(o.dfbetas[$1]) }
            let figures: [Double] = [o.hat, o.studentizedResidual, o.externallyStudentizedResidual, o.cooksDistance, o.dffits]
            var row: [ReportTable.Cell] = [.text(label(o.row))]
            row += figures.map { ReportTable.number($0) }
            if let largest { row += [ReportTable.number(abs(o.dfbetas[largest])), .text(result.terms[largest])] } else { row += [.empty, .empty] }
            table.rows.append(row)
        }
        table.notes = notes()
        return table
    }

    func notes() -> [String] {
        let glm = fit.model != .ols
        var notes = [glm
            ? "Hat values of the last IRLS step (√W·X, W the IRLS weights at convergence); residuals are Pearson residuals studentized by √(φ(1 − h)) (statsmodels' GLMInfluence), the external one R's rstudent.glm."
            : "Hat values of the (weighted) design; residuals studentized with s (internal) and with s₍ᵢ₎ of the fit without the row (external), as statsmodels' OLSInfluence."]
        if glm && result.exact {
            notes.append("Cook's D, DFFITS and DFBETAS from \(result.observations.count) exact refits, each without one row.")
        } else if glm {
            notes.append("Cook's D, DFFITS and DFBETAS are one-step approximations of leaving the row out (statsmodels' GLMInfluence, R's influence.measures); --exact refits instead.")
        } else {
            notes.append("Cook's D, DFFITS and DFBETAS of OLS are exact closed forms\(exactAsked ? "; --exact runs no refit" : "").")
        }
        if let fe = fit.fixedEffects.first {
            notes.append("The hat values include the fixed effect \(fe.name): h = within leverage + w/Σ_group w, exactly those of the model with its dummies.")
        }
        notes.append("DFBETAS: (β̂ − β̂₍₋ᵢ₎)/s.e., model-based s.e.; max |DFBETAS| shows the term it is largest for.")
        if let phi = result.pearsonDispersion, fit.statistics.dispersion == 1, phi > 2 {
            notes.append("Pearson χ²/(n − K) = \(ReportNumber.format(phi, digits: 1)) against the Poisson variance's 1: overdispersion inflates the residuals (by about its square root) and Cook's D (by about itself); rank rows by them rather than reading the thresholds literally.")
        }
        if result.unitLeverage > 0 {
            notes.append("\(result.unitLeverage) observations have leverage 1 (the model fits them exactly): their measures are NA.")
        }
        if !result.failed.isEmpty {
            let list = result.failed.prefix(5).map { "\(label($0.row)) (\($0.reason))" }.joined(separator: "; ")
            notes.append("\(result.failed.count) exact refits failed, their measures NA: \(list)\(result.failed.count > 5 ? "; …" : "").")
        }
        return notes
    }

    func thresholds() -> ReportTable {
        let t = result.thresholds, c = result.countsAbove
        var table = ReportTable(title: "Observations above the usual thresholds (n = \(result.observations.count), K = \(result.parameterCount))",
                                columns: ["measure", "rule", "threshold", "observations above"])
        let rows: [(String, String, Double, Int)] = [
            ("Cook's D", "4/n", t.cooksDistance, c.cooksDistance), ("|DFFITS|", "2√(K/n)", t.dffits, c.dffits),
            ("|DFBETAS|, any term", "2/√n", t.dfbetas, c.dfbetas), ("hat", "2K/n", t.hat, c.hat),
        ]
        for (name, rule, value, count) in rows {
            table.rows.append([.text(name), .text(rule), ReportTable.number(value), ReportTable.Cell.number(Double(count), display: String(count))])
        }
        table.notes = ["Thresholds of Belsley, Kuh & Welsch (1980) and Bollen & Jackman (1985); they flag rows to look at, not rows to drop."]
        return table
    }
}

extension InfluenceResult {
    /// The `results` object: observations (every row of the sample), thresholds,
    /// countsAbove, parameterCount, exact, unitLeverage, failed.
    var jsonValue: JSONValue {
        let failedRows = Set(failed.map(\.row))
        let t = thresholds, c = countsAbove
        return .object([
            ("observations", .array(observations.map { $0.jsonValue(terms: terms, failed: failedRows.contains($0.row)) })),
            ("thresholds", .object([("cooksDistance", .number(t.cooksDistance)), ("dffits", .number(t.dffits)),
                                    ("dfbetas", .number(t.dfbetas)), ("hat", .number(t.hat))])),
            ("countsAbove", .object([("cooksDistance", .number(Double(c.cooksDistance))), ("dffits", .number(Double(c.dffits))),
                                     ("dfbetas", .number(Double(c.dfbetas))), ("hat", .number(Double(c.hat)))])),
            ("parameterCount", .number(Double(parameterCount))),
            ("exact", .bool(exact)),
            ("unitLeverage", .number(Double(unitLeverage))),
            ("pearsonDispersion", pearsonDispersion.map { .number($0) } ?? .null),
            ("failed", .array(failed.map { .object([("row", .number(Double($0.row + 1))), ("reason", .string($0.reason))]) })),
        ])
    }
}

extension InfluenceResult.Observation {
    func jsonValue(terms: [String], failed: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("row", .number(Double(row + 1))), ("hat", .number(hat)), ("studentizedResidual", .number(studentizedResidual)),
            ("externallyStudentizedResidual", .number(externallyStudentizedResidual)), ("cooksDistance", .number(cooksDistance)),
            ("dffits", .number(dffits)), ("dfbetas", .object(zip(terms, dfbetas).map { ($0, .number($1)) })),
        ]
        let why = failed ? "its exact leave-one-out refit failed (see failed)" : "leverage 1: the model fits this observation exactly"
        let keys = [("studentizedResidual", studentizedResidual), ("externallyStudentizedResidual", externallyStudentizedResidual),
                    ("cooksDistance", cooksDistance), ("dffits", dffits)].filter { !$0.1.isFinite }.map(\.0)
        let reasons = keys + (dfbetas.contains { !$0.isFinite } ? ["dfbetas"] : [])
        if !reasons.isEmpty { fields.append(("nullReasons", .object(reasons.map { ($0, .string(why)) }))) }
        return .object(fields)
    }
}
