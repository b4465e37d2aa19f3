import Foundation
import SteppeData
import SteppeModels
import SteppeNumerics
import Testing

/// The Monte Carlo over input intervals against closed forms: for OLS with the outcome
/// multiplied row by row by f ~ U(a, b), β̂_d = (XᵀX)⁻¹Xᵀ(y∘f) has the exact variance
/// (XᵀX)⁻¹ Xᵀ diag(yᵢ²)X (XᵀX)⁻¹ · (b − a)²/12 (the sampling part grows too, as the noise
/// enters the residuals); with a zero-width interval, β* is normal
/// around β̂ with the fit's standard error.
@Suite("Sensitivity: input intervals by Monte Carlo")
struct InputUncertaintyTests {
    static func data() throws -> Table {
        var g = SeededRandom(seed: 77)
        let x = (0..<200).map { _ in g.nextNormal() }
        let y = x.map { 2 + 0.5 * $0 + 0.3 * g.nextNormal() }
        return try Table(columns: [.numeric("x", x), .numeric("y", y)])
    }

    /// The exact standard deviation of the slope under y∘f, f ~ U(a, b) per row.
    static func exactSlopeStdDev(_ table: Table, a: Double, b: Double) throws -> Double {
        let x = try table.column("x").numbers!, y = try table.column("y").numbers!
        let n = Double(x.count), sx = x.reduce(0, +), sxx = x.reduce(0) { $0 + $1 * $1 }
        // (XᵀX)⁻¹ for X = [1, x]; the slope row is (−sx, n)/det.
        let det = n * sxx - sx * sx
        let row = x.map { (-sx + n * $0) / det }              // slope = Σ rowᵢ · yᵢfᵢ
        let variance = zip(row, y).reduce(0) { $0 + $1.0 * $1.0 * $1.1 * $1.1 } * (b - a) * (b - a) / 12
        return variance.squareRoot()
    }

    @Test("the spread from the inputs matches the closed form; the sampling part is the fit's")
    func closedForm() throws {
        let table = try Self.data()
        let r = try InputUncertainty.run(table, formula: "y ~ x", model: .ols, options: EstimationOptions(covariance: .iid),
                                         intervals: [InputInterval(parsing: "y*=0.8:1.2")], draws: 2000, seed: 3)
        let slope = try #require(r.terms.first { $0.term == "x" })
        let exact = try Self.exactSlopeStdDev(table, a: 0.8, b: 1.2)
        #expect(abs(slope.inputStdDev / exact - 1) < 0.05, "\(slope.inputStdDev) vs exact \(exact)")
        let total = slope.inputStdDev * slope.inputStdDev + slope.samplingStdDev * slope.samplingStdDev
        #expect(abs(slope.shareFromInputs - slope.inputStdDev * slope.inputStdDev / total) < 1e-12)
        #expect(r.failed.isEmpty && r.draws == 2000)
    }

    @Test("a zero-width interval leaves only sampling error: β̂ ± 1.96 s.e.")
    func zeroWidth() throws {
        let table = try Self.data()
        let r = try InputUncertainty.run(table, formula: "y ~ x", model: .ols, options: EstimationOptions(covariance: .iid),
                                         intervals: [InputInterval(parsing: "y*=1:1")], draws: 2000, seed: 5)
        let fit = try Estimator.fit(table, formula: "y ~ x", model: .ols, options: EstimationOptions(covariance: .iid))
        let b = try #require(fit.coefficient("x")), slope = try #require(r.terms.first { $0.term == "x" })
        #expect(slope.shareFromInputs == 0 && slope.inputStdDev == 0)
        #expect(abs(slope.median - b.estimate) < 0.05 * b.standardError)
        #expect(abs((slope.q975 - b.estimate) / (1.959964 * b.standardError) - 1) < 0.06)
        #expect(abs((b.estimate - slope.q025) / (1.959964 * b.standardError) - 1) < 0.06)
    }

    @Test("the same seed gives the same bits; intervals carried by the data are found")
    func seededAndCarried() throws {
        let table = try Self.data()
        let y = try table.column("y").numbers!
        let withBounds = try table.adding(.numeric("y_low", y.map { $0 - 0.1 })).adding(.numeric("y_high", y.map { $0 + 0.1 }))
        let carried = InputInterval.carried(by: withBounds, for: ["x", "y"])
        #expect(carried.map(\.column) == ["y"])
        func run(_ seed: UInt64) throws -> [Double] {
            try InputUncertainty.run(withBounds, formula: "y ~ x", model: .ols, options: EstimationOptions(), intervals: carried,
                                     draws: 50, distribution: .triangular, seed: seed).terms.flatMap { [$0.median, $0.q025, $0.q975] }
        }
        #expect(try run(9) == run(9))
        #expect(try run(9) != run(10))
    }

    @Test("bad intervals and too few draws are one-line errors")
    func badInput() throws {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return "\(error)" }
        }
        #expect(message { _ = try InputInterval(parsing: "y=3:1") } == "--interval 'y=3:1': the low end 3.0 is above the high end 1.0")
        #expect(message { _ = try InputInterval(parsing: "y~1:2") }.contains("is not COLUMN=LOW:HIGH"))
        let table = try Self.data()
        #expect(message { _ = try InputUncertainty.run(table, formula: "y ~ x", model: .ols, options: EstimationOptions(),
                                                       intervals: [InputInterval(parsing: "z*=0.9:1.1")], draws: 10, seed: 1) }
                .contains("no column named 'z'"))
        #expect(message { _ = try InputUncertainty.run(table, formula: "y ~ x", model: .ols, options: EstimationOptions(),
                                                       intervals: [InputInterval(parsing: "y*=0.9:1.1")], draws: 1, seed: 1) }
                == "--draws must be at least 2, got 1")
    }
}
