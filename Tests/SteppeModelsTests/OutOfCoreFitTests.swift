import Foundation
import SteppeData
import SteppeNumerics
@testable import SteppeModels
import Testing

/// Out-of-core fits (`OutOfCoreFit`) against pyfixest's figures and the in-memory fits of
/// the same models, and their invariance to the chunking of the source.
@Suite("Out-of-core fits")
struct OutOfCoreFitTests {
    /// A fit out of core with small blocks (so that there are many), reading `chunkRows` at a time.
    static func outOfCore(_ table: Table, _ formula: String, _ model: ModelKind, options: EstimationOptions = EstimationOptions(),
                          chunkRows: Int = 4_000, blockRows: Int = 3_000) throws -> FitResult {
        try OutOfCoreFit.fit(table, formula: formula, model: model, options: options, chunkRows: chunkRows,
                             scratchDirectory: nil, blockRows: blockRows)
    }

    static func options(_ vcov: CovarianceType?) -> EstimationOptions {
        var o = EstimationOptions()
        o.covariance = vcov
        return o
    }

    /// Coefficients, SEs and the main statistics of two fits agree to `tolerance` relative.
    static func expectAgree(_ a: FitResult, _ b: FitResult, tolerance: Double, _ label: String) {
        #expect(a.coefficients.map(\.term) == b.coefficients.map(\.term), "\(label): terms")
        for (x, y) in zip(a.coefficients, b.coefficients) {
            #expect(relativeDifference(x.estimate, y.estimate) < tolerance, "\(label) \(x.term): \(x.estimate) vs \(y.estimate)")
            #expect(relativeDifference(x.standardError, y.standardError) < tolerance,
                    "\(label) \(x.term) SE: \(x.standardError) vs \(y.standardError)")
        }
        #expect(a.statistics.observations == b.statistics.observations, "\(label): n")
        #expect(a.statistics.parameterCount == b.statistics.parameterCount, "\(label): K")
        #expect(a.report.droppedObservations == b.report.droppedObservations, "\(label): drops")
        #expect(a.report.droppedTerms == b.report.droppedTerms, "\(label): dropped terms")
        #expect(a.clusterCounts == b.clusterCounts, "\(label): clusters")
        let keys: [(KeyPath<FitStatistics, Double?>, String)] = [
            (\.rSquared, "r2"), (\.adjustedRSquared, "adj r2"), (\.withinRSquared, "within r2"), (\.deviance, "deviance"),
            (\.nullDeviance, "null deviance"), (\.logLikelihood, "loglik"), (\.nullLogLikelihood, "null loglik"),
            (\.pseudoRSquared, "pseudo r2"), (\.squaredCorrelation, "cor2"), (\.aic, "aic"), (\.bic, "bic"),
            (\.dispersion, "dispersion"), (\.residualStandardError, "sigma"),
        ]
        for (key, name) in keys {
            guard let x = a.statistics[keyPath: key], let y = b.statistics[keyPath: key] else {
                #expect((a.statistics[keyPath: key] == nil) == (b.statistics[keyPath: key] == nil), "\(label): \(name) presence")
                continue
            }
            #expect(relativeDifference(x, y) < tolerance * 10, "\(label) \(name): \(x) vs \(y)")
        }
    }

    static func trade() throws -> Table {
        try Fixtures.table("gravity/trade.csv", options: CSVOptions(columnKinds: ["product": .text, "year": .text]))
    }

    @Test("OLS with four fixed effects on fixest's trade data: pyfixest's figures and the in-memory fit")
    func tradeOLS() throws {
        let table = try Self.trade()
        let formula = "log(euros) ~ log(dist_km) | origin + destination + product + year"
        for (key, vcov) in [("iid", CovarianceType.iid), ("hetero", .hetero), ("cluster_origin", .cluster(["origin"]))] {
            let fit = try Self.outOfCore(table, formula, .ols, options: Self.options(vcov))
            let reference = try FixestReferenceTests.reference("trade_ols_" + key)
            let b = try #require(fit.coefficient("log(dist_km)"))
            let coefficients = reference["coefficients"] as! [String: Double], ses = reference["standardErrors"] as! [String: Double]
            #expect(relativeDifference(b.estimate, coefficients["np.log(dist_km)"]!) < 1e-8)
            #expect(relativeDifference(b.standardError, ses["np.log(dist_km)"]!) < 1e-7)
            #expect(fit.statistics.observations == reference["nobs"] as! Int)
            let memory = try Estimator.fit(table, formula: formula, model: .ols, options: Self.options(vcov))
            Self.expectAgree(fit, memory, tolerance: 1e-10, "trade OLS \(key)")
        }
    }

    @Test("PPML with four fixed effects on fixest's trade data: pyfixest's figures and the in-memory fit")
    func tradePPML() throws {
        let table = try Self.trade()
        let formula = "euros ~ log(dist_km) | origin + destination + product + year"
        for (key, vcov) in [("iid", CovarianceType.iid), ("hetero", .hetero)] {
            let fit = try Self.outOfCore(table, formula, .ppml, options: Self.options(vcov))
            let reference = try FixestReferenceTests.reference("trade_ppml_" + key)
            let b = try #require(fit.coefficient("log(dist_km)"))
            let coefficients = reference["coefficients"] as! [String: Double], ses = reference["standardErrors"] as! [String: Double]
            #expect(relativeDifference(b.estimate, coefficients["np.log(dist_km)"]!) < 1e-8)
            #expect(relativeDifference(b.standardError, ses["np.log(dist_km)"]!) < 1e-6)
            let memory = try Estimator.fit(table, formula: formula, model: .ppml, options: Self.options(vcov))
            Self.expectAgree(fit, memory, tolerance: 1e-10, "trade PPML \(key)")
            #expect(fit.report.iterations == memory.report.iterations)
        }
    }
}

/// Synthetic flows for out-of-core tests: origins, destinations and years, two regressors
/// (one with missing values), counts from a Poisson model, a weight, an exposure, and
/// planted special cases: singleton origins, an origin whose flows are all 0, a regressor
/// absorbed by the origin effects and one collinear with the others.
enum OutOfCoreData {
    static func table(rows n: Int, origins: Int = 40, destinations: Int = 30, seed: UInt64 = 7) throws -> Table {
        var random = SeededRandom(seed: seed)
        var origin: [String?] = [], destination: [String?] = [], year: [Double] = []
        var x1: [Double] = [], x2: [Double] = [], flow: [Double] = [], weight: [Double] = [], exposure: [Double] = []
        var originSize: [Double] = [], twice: [Double] = [], positive: [Double] = []
        let alpha = (0..<(origins + 3)).map { _ in random.nextNormal() }
        let gamma = (0..<destinations).map { _ in 0.5 * random.nextNormal() }
        for i in 0..<n {
            // The last three origins: two singletons (rows 0 and 1), one with only zero flows (rows 2–5).
            let o = i < 2 ? origins + i : (i < 6 ? origins + 2 : random.nextInt(below: origins))
            let d = random.nextInt(below: destinations)
            let a = random.nextNormal(), b = random.nextUniform()
            let t = Double(2000 + random.nextInt(below: 3))
            let e = 0.5 + random.nextUniform()
            let mu = e * exp(0.3 * a - 0.4 * b + alpha[o] + gamma[d] + 0.1 * (t - 2000))
            var count = 0.0
            if o != origins + 2 {
                // Poisson by inversion.
                var p = exp(-mu), cdf = p, u = random.nextUniform()
                while u > cdf && count < 10_000 { count += 1; p *= mu / count; cdf += p }
                u = 0
            }
            origin.append("o\(o)"); destination.append("d\(d)"); year.append(t)
            x1.append(i % 97 == 13 ? .nan : a)
            x2.append(b)
            flow.append(count)
            weight.append(0.5 + random.nextUniform())
            exposure.append(e)
            originSize.append(Double(o % 7))
            twice.append(2 * a - b)
            positive.append(count + 1 + random.nextUniform())
        }
        return try Table(columns: [
            .text("origin", origin), .text("destination", destination), .numeric("year", year),
            .numeric("x1", x1), .numeric("x2", x2), .numeric("flow", flow), .numeric("w", weight),
            .numeric("exposure", exposure), .numeric("origin_size", originSize), .numeric("combo", twice),
            .numeric("amount", positive),
        ])
    }
}

extension OutOfCoreFitTests {
    /// Models of every kind on `OutOfCoreData.table`: 0–3 fixed effects, weights, an offset,
    /// clustered, HC and iid errors.
    static var syntheticCases: [(String, ModelKind, EstimationOptions)] {
        var weighted = EstimationOptions()
        weighted.weights = "w"
        var offset = EstimationOptions()
        offset.offset = "log(exposure)"
        offset.covariance = .cluster(["destination"])
        var hc = EstimationOptions()
        hc.covariance = .heteroskedastic(.hc0)
        return [
            ("flow ~ x1 + x2 | origin + destination", .ppml, EstimationOptions()),
            ("flow ~ x1 + x2 + origin_size | origin + destination + year", .ppml, weighted),
            ("flow ~ x1 + x2 | origin^year + destination", .poisson, offset),
            ("flow ~ x1 + x2 + combo", .poisson, hc),
            ("log(amount) ~ x1 + x2 + combo | origin", .ols, weighted),
            ("log(amount) ~ x1 + x2 | origin + destination + year", .ols, offset),
            ("log(amount) ~ x1 + x2", .ols, Self.options(.heteroskedastic(.hc3))),
            ("amount ~ x1 + x2 | origin + destination", .gaussian, Self.options(.iid)),
            ("amount ~ x1 + x2 | destination", .gamma, Self.options(.hetero)),
        ]
    }

    @Test("Poisson, OLS, Gaussian and Gamma with 0–3 fixed effects, weights, an offset and every kind of drop: as in memory to 1e-10")
    func syntheticModels() throws {
        let table = try OutOfCoreData.table(rows: 9_000)
        let cases = Self.syntheticCases
        var reasons = Set<DroppedObservations.Reason>(), termReasons = Set<DroppedTerm.Reason>()
        for (formula, model, options) in cases {
            let memory = try Estimator.fit(table, formula: formula, model: model, options: options)
            reasons.formUnion(memory.report.droppedObservations.map(\.reason))
            termReasons.formUnion(memory.report.droppedTerms.map(\.reason))
            let fit = try Self.outOfCore(table, formula, model, options: options, chunkRows: 2_500, blockRows: 1_000)
            Self.expectAgree(fit, memory, tolerance: 1e-10, "\(model.rawValue) \(formula)")
            #expect(fit.report.iterations == memory.report.iterations, "\(formula): iterations \(fit.report.iterations) vs \(memory.report.iterations)")
            #expect(zip(fit.fixedEffects, memory.fixedEffects).allSatisfy { $0.levels == $1.levels && $0.name == $1.name })
        }
        // The data plant every drop the trimming handles and both kinds of dropped term.
        #expect(reasons.isSuperset(of: [.missing, .singleton, .onlyZeroOutcomes]), "\(reasons)")
        #expect(termReasons == [.collinear, .absorbedByFixedEffects], "\(termReasons)")
    }

    @Test("The same bits for any chunk size, and for one block or many of the same size")
    func chunkInvariance() throws {
        let table = try OutOfCoreData.table(rows: 7_000)
        for (formula, model) in [("flow ~ x1 + x2 | origin + destination", ModelKind.ppml), ("log(amount) ~ x1 + x2 | origin + year", .ols)] {
            let fits = try [1, 333, 2_048, 7_000, 1 << 20].map { try Self.outOfCore(table, formula, model, chunkRows: $0, blockRows: 1_000) }
            for fit in fits.dropFirst() {
                #expect(fit.coefficients.map(\.estimate.bitPattern) == fits[0].coefficients.map(\.estimate.bitPattern), "\(formula)")
                #expect(fit.coefficients.map(\.standardError.bitPattern) == fits[0].coefficients.map(\.standardError.bitPattern))
                #expect(fit.statistics.deviance?.bitPattern == fits[0].statistics.deviance?.bitPattern)
            }
        }
    }
}

/// A table that reports a change after `limit` checks, as a store whose file is rewritten
/// while a fit reads it.
struct ChangingTable: ChunkedTable {
    let table: Table
    let limit: Int
    let checks = Counter()

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
    }

    var rowCount: Int { table.rowCount }
    var columnNames: [String] { table.columnNames }
    func rows(_ range: Range<Int>, columns names: [String]) throws(ChunkedTableError) -> Table {
        try table.rows(range, columns: names)
    }
    func checkUnchanged() throws(ChunkedTableError) {
        if checks.next() > limit { throw ChunkedTableError("data.h5 changed while it was being read (size 100 → 120 bytes)") }
    }
}

extension OutOfCoreFitTests {
    /// The fit's error message, or nil when it succeeds.
    static func message(_ body: () throws -> FitResult) -> String? {
        do { _ = try body(); return nil } catch let error as ModelError { return error.description } catch { return "\(error)" }
    }

    @Test("A source that changes while it is read stops the fit with its message")
    func changingSource() throws {
        let table = try OutOfCoreData.table(rows: 3_000)
        for limit in [0, 1, 2] {
            let source = ChangingTable(table: table, limit: limit)
            let why = Self.message { () throws in
                try OutOfCoreFit.fit(source, formula: "flow ~ x1 | origin", model: .ppml, options: EstimationOptions(),
                                     chunkRows: 1_000, scratchDirectory: nil, blockRows: 500)
            }
            #expect(why?.contains("data.h5 changed while it was being read") == true, "\(limit): \(why ?? "no error")")
        }
    }

    @Test("Categorical regressors: as in memory when every chunk has every level, else an error that says what to do")
    func categoricalTerms() throws {
        let table = try OutOfCoreData.table(rows: 4_000)
        let formula = "flow ~ x1 + destination | origin"
        let memory = try Estimator.fit(table, formula: formula, model: .ppml)
        let whole = try Self.outOfCore(table, formula, .ppml, chunkRows: 4_000, blockRows: 1_000)
        Self.expectAgree(whole, memory, tolerance: 1e-10, "one chunk")
        let why = Self.message { () throws in try Self.outOfCore(table, formula, .ppml, chunkRows: 7, blockRows: 1_000) }
        #expect(why?.contains("cannot be fitted out of core; absorb it as a fixed effect") == true, "\(why ?? "no error")")
    }

    @Test("Refusals and bad data: the negative binomial, multi-way clusters, HC3 with fixed effects, no rows, invalid outcomes")
    func refusals() throws {
        let table = try OutOfCoreData.table(rows: 2_000)
        func refused(_ formula: String, _ model: ModelKind, _ options: EstimationOptions = EstimationOptions()) -> String {
            Self.message { () throws in try Self.outOfCore(table, formula, model, options: options) } ?? "no error"
        }
        #expect(refused("flow ~ x1 | origin", .negbin).contains("negative binomial is not fitted out of core"))
        #expect(refused("flow ~ x1 | origin", .ppml, Self.options(.cluster(["origin", "destination"]))).contains("cluster by one variable"))
        let hc3 = refused("flow ~ x1 | origin", .ppml, Self.options(.heteroskedastic(.hc3)))
        let memoryHC3 = Self.message { () throws in try Estimator.fit(table, formula: "flow ~ x1 | origin", model: .ppml, options: Self.options(.heteroskedastic(.hc3))) }
        #expect(hc3 == memoryHC3)
        let missing = try Table(columns: [.numeric("y", [1, 2, .nan]), .numeric("x", [.nan, .nan, 3])])
        let none = Self.message { () throws in try Self.outOfCore(missing, "y ~ x", .ols, chunkRows: 1) }
        let noneInMemory = Self.message { () throws in try Estimator.fit(missing, formula: "y ~ x", model: .ols) }
        #expect(none != nil && none == noneInMemory, "\(none ?? "no error") vs \(noneInMemory ?? "no error")")
        let negative = try Table(columns: [.numeric("y", [1, 2, 3, -1, 2]), .numeric("x", [1, 2, 3, 4, 5])])
        let outOfCore = Self.message { () throws in try Self.outOfCore(negative, "y ~ x", .poisson, chunkRows: 2) }
        let inMemory = Self.message { () throws in try Estimator.fit(negative, formula: "y ~ x", model: .poisson) }
        #expect(outOfCore != nil && outOfCore == inMemory, "\(outOfCore ?? "nil") vs \(inMemory ?? "nil")")
        let noScratch = Self.message { () throws in
            try OutOfCoreFit.fit(table, formula: "flow ~ x1 | origin", model: .ppml, scratchDirectory: "/nonexistent/steppe")
        }
        #expect(noScratch == "cannot create a scratch file in /nonexistent/steppe: No such file or directory", "\(noScratch ?? "nil")")
        // A negative weight is named by its row in the data, not in its chunk.
        let badWeight = try Table(columns: [.numeric("y", [1, 2, 3, 4, 5]), .numeric("x", [1, 2, 3, 5, 4]), .numeric("w", [1, 1, 1, 1, -2])])
        var weighted = EstimationOptions()
        weighted.weights = "w"
        let chunked = Self.message { () throws in try Self.outOfCore(badWeight, "y ~ x", .ols, options: weighted, chunkRows: 2) }
        let whole = Self.message { () throws in try Estimator.fit(badWeight, formula: "y ~ x", model: .ols, options: weighted) }
        #expect(chunked != nil && chunked == whole && whole?.contains("row 5") == true, "\(chunked ?? "nil") vs \(whole ?? "nil")")
    }
}
