import Foundation
import SteppeData
@testable import SteppeModels
import SteppeNumerics
import Testing

/// Separation out of core: the certificate, then the rectifier iterations, must drop the rows
/// ppmlhdfe's test sets mark as separated and give R's fit on the rest, as in memory.
@Suite("Separation out of core (ppmlhdfe's test sets)")
struct OutOfCoreSeparationTests {
    @Test("The separated rows dropped and R's fit on the rest, out of core", arguments: SeparationTests.names)
    func separationSet(_ name: String) throws {
        let c = try SeparationTests.load(name)
        var options = EstimationOptions()
        options.dropSingletons = false
        options.covariance = .iid
        options.smallSampleCorrection = .statsmodels
        let memory = try Estimator.fit(c.table, formula: c.formula, model: .ppml, options: options)
        let fit = try OutOfCoreFitTests.outOfCore(c.table, c.formula, .ppml, options: options, chunkRows: 7, blockRows: 5)
        let separated = fit.report.droppedObservations.filter { $0.reason == .separated }.map(\.count).reduce(0, +)
        let zeroGroups = fit.report.droppedObservations.filter { $0.reason == .onlyZeroOutcomes }.map(\.count).reduce(0, +)
        #expect(separated + zeroGroups == c.separated.count, "\(name): \(fit.report.droppedObservations)")
        #expect(fit.report.droppedObservations == memory.report.droppedObservations, "\(name)")
        #expect(fit.statistics.observations == c.reference["observations"] as! Int, "\(name)")
        #expect(fit.report.converged, "\(name)")
        Self.expectClose(fit, memory, name)
        let deviance = c.reference["deviance"] as! Double
        #expect(abs(fit.statistics.deviance! - deviance) <= 1e-7 * max(1, deviance), "\(name) deviance \(fit.statistics.deviance!) vs \(deviance)")
        #expect(!fit.report.warnings.contains { $0.contains("ReLU") }, "\(name): \(fit.report.warnings)")
    }

    /// The in-memory fit's coefficients, standard errors and deviance to 1e-8 of max(1, |value|)
    /// (these sets have slopes and deviances of 0 to rounding, which a relative test cannot compare).
    static func expectClose(_ a: FitResult, _ b: FitResult, _ label: String) {
        func close(_ x: Double, _ y: Double) -> Bool { (x.isNaN && y.isNaN) || abs(x - y) <= 1e-8 * max(1, abs(y)) }
        #expect(a.coefficients.map(\.term) == b.coefficients.map(\.term), "\(label)")
        for (x, y) in zip(a.coefficients, b.coefficients) {
            #expect(close(x.estimate, y.estimate) && close(x.standardError, y.standardError), "\(label) \(x.term): \(x.estimate) (\(x.standardError)) vs \(y.estimate) (\(y.standardError))")
        }
        #expect(a.report.droppedTerms == b.report.droppedTerms, "\(label)")
        #expect(close(a.statistics.deviance ?? .nan, b.statistics.deviance ?? .nan), "\(label)")
        #expect(a.statistics.parameterCount == b.statistics.parameterCount, "\(label)")
    }

    @Test("The certificate, and the rectifier when it cannot certify: a large two-way problem with and without planted separation")
    func twoWay() throws {
        let planted = [17, 4_242, 29_999]
        for (rows, formula) in [([Int](), "y ~ x | o + d"), (planted, "y ~ x + dummy | o + d"), ([], "y ~ x + o"), (planted, "y ~ x + dummy")] {
            let table = try SeparationTests.twoWayProblem(planted: rows)
            let memory = try Estimator.fit(table, formula: formula, model: .ppml)
            let fit = try OutOfCoreFitTests.outOfCore(table, formula, .ppml, chunkRows: 7_000, blockRows: 4_000)
            #expect(fit.report.droppedObservations.contains { $0.reason == .separated && $0.count == planted.count } == !rows.isEmpty,
                    "\(formula): \(fit.report.droppedObservations)")
            #expect(fit.report.droppedTerms.map(\.term) == memory.report.droppedTerms.map(\.term), "\(formula)")
            OutOfCoreFitTests.expectAgree(fit, memory, tolerance: 1e-9, formula)
        }
    }
}
