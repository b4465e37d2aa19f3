import Foundation
import SteppeData
import SteppeNumerics
@testable import SteppeModels
import Testing

/// Out-of-core fits shared among K processes, played by K threads of one process joined by
/// an in-memory allgather: every process must return the one-process fit to the bit (the
/// sums are folded in segment order whatever K), and an error on one process must stop
/// every process with the same message as the one-process fit's.
@Suite("Out-of-core fits on several processes")
struct OutOfCoreCollectiveTests {
    /// `size` processes' allgather through shared memory: each call waits for every rank's.
    final class Group: @unchecked Sendable {
        let size: Int
        private let condition = NSCondition()
        private var slots: [[UInt8]?]
        private var arrived = 0
        private var generation = 0
        private var result: [[UInt8]] = []

        init(size: Int) {
            self.size = size
            slots = Array(repeating: nil, count: size)
        }

        func allGather(rank: Int, _ bytes: [UInt8]) -> [[UInt8]] {
            condition.lock()
            defer { condition.unlock() }
            let mine = generation
            slots[rank] = bytes
            arrived += 1
            if arrived == size {
                result = slots.map { $0! }
                slots = Array(repeating: nil, count: size)
                arrived = 0
                generation += 1
                condition.broadcast()
            } else {
                while generation == mine { condition.wait() }
            }
            return result
        }
    }

    struct Member: OutOfCoreCollective {
        let group: Group
        let rank: Int
        var size: Int { group.size }
        func allGather(_ bytes: [UInt8]) throws(ModelError) -> [[UInt8]] { group.allGather(rank: rank, bytes) }
    }

    enum Outcome {
        case success(FitResult)
        case failure(String)
        func get() throws -> FitResult {
            switch self {
            case .success(let fit): return fit
            case .failure(let why): throw ModelError.invalidOption(why)
            }
        }
    }

    /// The fit of every one of `k` processes (threads), or its error's message.
    static func shared(_ k: Int, _ fit: @escaping @Sendable (any OutOfCoreCollective) throws -> FitResult) -> [Outcome] {
        let group = Group(size: k)
        final class Results: @unchecked Sendable { var values: [Outcome?]; init(_ k: Int) { values = Array(repeating: nil, count: k) } }
        let results = Results(k), done = DispatchGroup()
        for rank in 0..<k {
            done.enter()
            let thread = Thread {
                let outcome: Outcome
                do { outcome = .success(try fit(Member(group: group, rank: rank))) } catch let error as ModelError { outcome = .failure(error.description) } catch { outcome = .failure("\(error)") }
                results.values[rank] = outcome
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        done.wait()
        return results.values.map { $0! }
    }

    static func fit(_ table: Table, _ formula: String, _ model: ModelKind, _ options: EstimationOptions,
                    collective: (any OutOfCoreCollective)?, segmentRows: Int = 1_000) throws -> FitResult {
        try OutOfCoreFit.fit(table, formula: formula, model: model, options: options, chunkRows: 700, scratchDirectory: nil,
                             blockRows: 300, segmentRows: segmentRows, collective: collective)
    }

    /// `table` with numeric column `name` changed by `body`.
    static func replacing(_ table: Table, _ name: String, _ body: (inout [Double]) -> Void) throws -> Table {
        try Table(columns: table.columns.map { column -> Column in
            guard column.name == name, case .numeric(var values) = column.values else { return column }
            body(&values)
            return .numeric(name, values)
        })
    }

    /// Everything a fit reports, as bits where it is a number.
    static func fingerprint(_ fit: FitResult) -> [String] {
        var out = fit.coefficients.map { "\($0.term) \($0.estimate.bitPattern) \($0.standardError.bitPattern) \($0.pValue.bitPattern)" }
        out += fit.covariance.flatMap { $0.map { "\($0.bitPattern)" } }
        let s = fit.statistics
        out += [s.deviance, s.nullDeviance, s.logLikelihood, s.nullLogLikelihood, s.rSquared, s.withinRSquared, s.squaredCorrelation,
                s.aic, s.dispersion].map { "\($0?.bitPattern ?? 0)" }
        out += ["n \(s.observations) K \(s.parameterCount) clusters \(fit.clusterCounts) it \(fit.report.iterations)"]
        out += fit.report.droppedObservations.map { "\($0.reason) \($0.count) \($0.variable ?? "")" }
        out += fit.report.droppedTerms.map { "\($0)" } + fit.report.warnings
        out += fit.fixedEffects.map { "\($0.name) \($0.levels) \($0.values.map(\.bitPattern))" }
        return out
    }

    @Test("K = 1, 2, 3, 4 processes: the one-process fit to the bit, for OLS, Poisson, PPML, Gaussian and Gamma with 0–3 fixed effects")
    func sameBits() throws {
        let table = try OutOfCoreData.table(rows: 9_000)
        let cases = OutOfCoreFitTests.syntheticCases
        for (formula, model, options) in cases {
            let alone = Self.fingerprint(try Self.fit(table, formula, model, options, collective: nil))
            for k in 1...4 {
                for (rank, outcome) in Self.shared(k, { try Self.fit(table, formula, model, options, collective: $0) }).enumerated() {
                    switch outcome {
                    case .success(let fit): #expect(Self.fingerprint(fit) == alone, "\(formula), K = \(k), rank \(rank)")
                    case .failure(let why): Issue.record("\(formula), K = \(k), rank \(rank): \(why)")
                    }
                }
            }
        }
    }

    @Test("Separation found by K = 2 and 3 processes as by one: in memory on a small sample, by the rectifier out of core on a large one")
    func separation() throws {
        let small = try SeparationTests.load("07")
        let large = try SeparationTests.twoWayProblem(planted: [17, 4_242, 29_999])
        var keepSingletons = EstimationOptions()
        keepSingletons.dropSingletons = false
        let options = keepSingletons
        for (table, formula, segmentRows) in [(small.table, small.formula, 5), (large, "y ~ x + dummy | o + d", 4_000)] {
            let alone = try Self.fit(table, formula, .ppml, options, collective: nil, segmentRows: segmentRows)
            #expect(alone.report.droppedObservations.contains { $0.reason == .separated }, "\(formula)")
            for k in [2, 3] {
                for outcome in Self.shared(k, { try Self.fit(table, formula, .ppml, options, collective: $0, segmentRows: segmentRows) }) {
                    #expect((try? outcome.get()).map(Self.fingerprint) == Self.fingerprint(alone), "\(formula), K = \(k)")
                }
            }
        }
    }

    @Test("A process with no rows, and one whose rows are all dropped, take part all the same")
    func emptyProcesses() throws {
        // 2,500 rows in segments of 1,000: three segments for four processes, so process 0 has none.
        let table = try OutOfCoreData.table(rows: 2_500)
        let formula = "flow ~ x1 + x2 | origin + destination"
        let alone = Self.fingerprint(try Self.fit(table, formula, .ppml, EstimationOptions(), collective: nil))
        for outcome in Self.shared(4, { try Self.fit(table, formula, .ppml, EstimationOptions(), collective: $0) }) {
            #expect((try? outcome.get()).map(Self.fingerprint) == alone)
        }
        // Every row of the last segment missing x1: process 2 of 3 keeps none.
        let holed = try Self.replacing(table, "x1") { for i in 2_000..<2_500 { $0[i] = .nan } }
        let expected = Self.fingerprint(try Self.fit(holed, formula, .ppml, EstimationOptions(), collective: nil))
        for outcome in Self.shared(3, { try Self.fit(holed, formula, .ppml, EstimationOptions(), collective: $0) }) {
            #expect((try? outcome.get()).map(Self.fingerprint) == expected)
        }
    }

    @Test("An error in one process's rows stops every process with the one-process fit's message")
    func errorsReachEveryProcess() throws {
        let table = try OutOfCoreData.table(rows: 4_000)
        let bad = try Self.replacing(table, "flow") { $0[3_500] = -1 }
        let formula = "flow ~ x1 + x2 | origin + destination"
        let message = OutOfCoreFitTests.message { try Self.fit(bad, formula, .ppml, EstimationOptions(), collective: nil) }
        #expect(message?.contains("row 3501") == true, "\(message ?? "no error")")
        for k in [2, 3, 4] {
            for outcome in Self.shared(k, { try Self.fit(bad, formula, .ppml, EstimationOptions(), collective: $0) }) {
                guard case .failure(let why) = outcome else { Issue.record("K = \(k): no error"); continue }
                #expect(why == message, "K = \(k): \(why)")
            }
        }
        // An error every process meets: an unknown column.
        for outcome in Self.shared(3, { try Self.fit(table, "flow ~ nothing | origin", .ppml, EstimationOptions(), collective: $0) }) {
            guard case .failure(let why) = outcome else { Issue.record("no error"); continue }
            #expect(why.contains("nothing"), "\(why)")
        }
    }
}
