import Foundation
import SteppeNumerics

extension ExtremeBounds {
    /// A reported coefficient: its design column and role.
    struct ReportedColumn: Sendable {
        let index: Int
        let role: Role
    }

    /// One reported coefficient of one regression.
    struct Estimate: Sendable {
        let beta: Double
        let standardError: Double
        /// Its variance inflation factor (`nan` when no VIF limit was asked for).
        let vif: Double
    }

    /// What one regression contributes: its weight and the reported coefficients it holds,
    /// by position in `Plan.reported`.
    struct RegressionOutcome: Sendable {
        let omitted: Bool
        let weight: Double
        let estimates: [Int: Estimate]
    }

    /// A term resolved to its design columns.
    struct ResolvedTerm: Sendable {
        let term: String
        let columns: [Int]
    }

    /// The regressions to run: terms in their roles, the combinations, the reported columns.
    struct Plan: Sendable {
        let focusTerms: [String]
        let freeTerms: [String]
        let doubtfulTerms: [String]
        let k: [Int]
        let reported: [ReportedColumn]
        /// The design columns of each regression, in the frame's order.
        let regressions: [[Int]]
        /// All combinations, and how many were drawn from them (`nil`: all are run).
        let combinations: Int
        let drawn: Int?

        /// Resolves the roles (ExtremeBounds' rules: focus terms join the doubtful set;
        /// unnamed terms of the formula are doubtful when no doubtful set is given, free otherwise).
        init(_ model: SensitivityModel, _ options: Options) throws(ModelError) {
            let frame = model.frame
            let focus = try Self.resolve(options.focus, frame, role: "focus term")
            guard !focus.isEmpty else { throw .invalidOption("eba needs at least one focus term (--focus), a term of the model") }
            var free = try Self.resolve(options.free, frame, role: "free term")
            if let clash = focus.first(where: { f in free.contains { Set($0.columns) == Set(f.columns) } }) {
                throw .invalidOption("\(clash.term) cannot be both focus and free: free terms are in every regression")
            }
            let modelTerms = try Self.resolve(frame.formula.terms.map(\.label), frame, role: "term")
            var doubtful: [ResolvedTerm]
            if let given = options.doubtful {
                doubtful = try Self.resolve(given, frame, role: "doubtful term")
                let named = focus + free + doubtful
                free += modelTerms.filter { t in !named.contains { Set($0.columns) == Set(t.columns) } }
            } else {
                let named = focus + free
                doubtful = modelTerms.filter { t in !named.contains { Set($0.columns) == Set(t.columns) } }
            }
            let pool = doubtful + focus.filter { f in !doubtful.contains { Set($0.columns) == Set(f.columns) } }
            let isFocus = pool.map { p in focus.contains { Set($0.columns) == Set(p.columns) } }
            let k = try Self.validatedK(options.k, poolSize: pool.count)
            let exclusive = try options.exclusive.map { set throws(ModelError) in try Self.poolIndices(set, pool, frame) }
            let intercept = frame.coefficientNames.firstIndex(of: "(Intercept)").map { [$0] } ?? []
            let freeColumns = intercept + free.flatMap(\.columns)
            self.focusTerms = focus.map(\.term)
            self.freeTerms = free.map(\.term)
            self.doubtfulTerms = pool.map(\.term)
            self.k = k
            self.reported = Self.unique(freeColumns).map { ReportedColumn(index: $0, role: .free) }
                + Self.unique(focus.flatMap(\.columns)).map { ReportedColumn(index: $0, role: .focus) }
            let all = try Self.combinations(pool: pool, isFocus: isFocus, k: k, exclusive: exclusive)
            let chosen = try Self.drawn(all.count, options.draws, seed: options.seed)
            self.combinations = all.count
            self.drawn = chosen.count < all.count ? chosen.count : nil
            self.regressions = chosen.map { Set(freeColumns + all[$0].flatMap { pool[$0].columns }).sorted() }
        }

        /// Indices of the combinations to run: all, or `draws` of them drawn without
        /// replacement (a partial Fisher–Yates shuffle of stream 0 of `seed`), in their order.
        /// - Throws: `ModelError.invalidOption` for fewer than 2 draws.
        static func drawn(_ count: Int, _ draws: Int?, seed: UInt64) throws(ModelError) -> [Int] {
            guard let draws else { return Array(0..<count) }
            guard draws >= 2 else { throw .invalidOption("--draws must be at least 2, got \(draws)") }
            guard draws < count else { return Array(0..<count) }
            var random = SeededRandom(seed: seed).stream(0)
            var indices = Array(0..<count)
            for i in 0..<draws { indices.swapAt(i, i + random.nextInt(below: count - i)) }
            return indices.prefix(draws).sorted()
        }

        /// The formula text of regression `r`, for messages.
        func formula(_ r: Int, _ frame: ModelFrame) -> String {
            let names = regressions[r].map { frame.coefficientNames[$0] }.filter { $0 != "(Intercept)" }
            return frame.formula.response.description + " ~ " + (names.isEmpty ? "1" : names.joined(separator: " + "))
        }

        /// Fits regression `r` and extracts what the summaries need.
        func estimate(_ r: Int, model: SensitivityModel, options: EstimationOptions, gram: VIFGram?,
                      weighting: Weighting) throws(ModelError) -> RegressionOutcome {
            let frame = model.frame
            let columns = regressions[r]
            let names = columns.map { frame.coefficientNames[$0] }
            let fit = try model.refit(try frame.selecting(columns: names), options: options)
            guard fit.report.droppedTerms.isEmpty, fit.coefficients.count == names.count else {
                return RegressionOutcome(omitted: true, weight: .nan, estimates: [:])
            }
            let weight = try ExtremeBounds.weight(fit, frame: frame, weighting: weighting)
            let present = Set(columns)
            var estimates: [Int: Estimate] = [:]
            for (v, column) in reported.enumerated() where present.contains(column.index) {
                guard let c = fit.coefficient(frame.coefficientNames[column.index]) else { continue }
                estimates[v] = Estimate(beta: c.estimate, standardError: c.standardError,
                                        vif: gram?.vif(column.index, among: columns) ?? .nan)
            }
            return RegressionOutcome(omitted: false, weight: weight, estimates: estimates)
        }

        static func resolve(_ terms: [String], _ frame: ModelFrame, role: String) throws(ModelError) -> [ResolvedTerm] {
            var out: [ResolvedTerm] = []
            for term in terms {
                let columns = try SensitivityTerms.columns(of: term, in: frame, role: "the \(role)")
                if !out.contains(where: { Set($0.columns) == Set(columns) }) { out.append(ResolvedTerm(term: term, columns: columns)) }
            }
            return out
        }

        static func unique(_ columns: [Int]) -> [Int] {
            var seen = Set<Int>()
            return columns.filter { seen.insert($0).inserted }
        }

        /// k sorted and unique, each 0 ≤ k ≤ (doubtful terms, focus included) − 1.
        static func validatedK(_ k: [Int], poolSize: Int) throws(ModelError) -> [Int] {
            let values = Array(Set(k)).sorted()
            guard let first = values.first, first >= 0 else {
                throw .invalidOption("--k must be whole numbers 0 or more, e.g. 0:3")
            }
            guard values.last! <= poolSize - 1 else {
                throw .invalidOption("--k \(values.last!) is too high: with \(poolSize) doubtful term\(poolSize == 1 ? "" : "s") (focus included) at most \(poolSize - 1) can join a focus term; use --k 0:\(poolSize - 1)")
            }
            return values
        }

        /// The positions in `pool` of an exclusive set's terms.
        static func poolIndices(_ set: [String], _ pool: [ResolvedTerm], _ frame: ModelFrame) throws(ModelError) -> [Int] {
            try resolve(set, frame, role: "exclusive term").map { t throws(ModelError) in
                guard let i = pool.firstIndex(where: { Set($0.columns) == Set(t.columns) }) else {
                    throw .invalidOption("the exclusive term \(t.term) is not doubtful: exclusive sets are made of doubtful or focus terms (\(pool.map(\.term).joined(separator: ", ")))")
                }
                return i
            }
        }
    }
}
