import Foundation
import SteppeNumerics
import Testing

/// Accuracy of `LeastSquares` on the 11 NIST StRD linear regressions, as LRE (digits correct).
///
/// Bars from the Foundation issue: LRE ≥ 9 on every dataset except Filip ≥ 7 and
/// Wampler4/5 ≥ 6.5. Steppe's own bar is the stretch goal, ≥ 12 everywhere, which
/// the double-double refinement reaches. Run `swift test --filter NIST` to see the table.
@Suite("NIST StRD linear regression accuracy")
struct NISTAccuracyTests {
    struct Row {
        let name: String
        let estimates: Double, standardErrors: Double, residualSD: Double, rSquared: Double
        let rank: Int, steps: Int, covarianceSteps: Int, condition: Double
        var minimum: Double { min(estimates, standardErrors, residualSD, rSquared) }
    }

    static func measure(_ name: String, options: LeastSquares.Options = .init(), lowParts useLow: Bool = true) throws -> Row {
        let fixture = try NISTFixture.load(name)
        let (x, low) = try fixture.design()
        let y = fixture.y
        let solution = try LeastSquares.solve(x, y, designLowParts: useLow ? low : nil, options: options)
        let c = fixture.certified
        let est = zip(solution.coefficients, c.estimates).map { logRelativeError($0, NISTFixture.number($1)) }.min()!
        let se = zip(solution.standardErrors, c.standardErrors).map { logRelativeError($0, NISTFixture.number($1)) }.min()!
        let sd = logRelativeError(solution.residualStandardDeviation, NISTFixture.number(c.residualStandardDeviation))
        // R² = 1 − SSR/SST, centered with an intercept and uncentered without (NIST's definitions).
        var sst = CompensatedSum()
        let mean = fixture.intercept ? CompensatedSum.of(y) / Double(y.count) : 0
        // The mean's rounding is harmless: Σ(y − ȳ)² is stationary in ȳ.
        for v in y { let d = DoubleDouble.twoSum(v, -mean); sst.total = sst.total + d * d }
        let r2 = 1 - solution.residualSumOfSquares / sst.value
        let r2lre = logRelativeError(r2, NISTFixture.number(c.rSquared))
        return Row(name: name, estimates: est, standardErrors: se, residualSD: sd, rSquared: r2lre,
                   rank: solution.rank, steps: solution.refinementSteps,
                   covarianceSteps: solution.covarianceRefinementSteps, condition: 1 / solution.reciprocalCondition)
    }

    static func table(_ rows: [Row], title: String) -> String {
        var lines = [title,
                     "dataset    estimates  std.err  resid.SD  R²     rank  refine  cov.refine  cond(equilibrated)"]
        for r in rows {
            lines.append(r.name.padding(toLength: 10, withPad: " ", startingAt: 0)
                         + String(format: " %9.2f %8.2f %9.2f %6.2f %5d %7d %11d  %.2e",
                                  r.estimates, r.standardErrors, r.residualSD, r.rSquared,
                                  r.rank, r.steps, r.covarianceSteps, r.condition))
        }
        return lines.joined(separator: "\n")
    }

    @Test("Default solver: ≥ 12 digits on every certified value of every dataset")
    func defaultSolverMeetsStretchGoal() throws {
        let rows = try NISTFixture.names.map { try Self.measure($0) }
        print(Self.table(rows, title: "NIST StRD LRE (digits correct, cap 15), LeastSquares defaults:"))
        for row in rows {
            let bar: Double = switch row.name {
            case "Filip": 7
            case "Wampler4", "Wampler5": 6.5
            default: 9
            }
            #expect(row.minimum >= bar, "\(row.name): LRE \(row.minimum) below the required \(bar)")
            #expect(row.minimum >= 12, "\(row.name): LRE \(row.minimum) below Steppe's bar of 12")
            #expect(row.rank == (try NISTFixture.load(row.name)).certified.estimates.count, "\(row.name) lost rank")
        }
    }

    @Test("Without refinement the solver is plain double QR, and Filip's design rounding shows")
    func withoutRefinementIsWorse() throws {
        let plain = try NISTFixture.names.map { try Self.measure($0, options: .init(refinement: .never)) }
        print(Self.table(plain, title: "NIST StRD LRE without refinement (double QR, equilibrated columns):"))
        let filip = plain.first { $0.name == "Filip" }!
        // The refinement is what earns the digits: unrefined Filip stays near dgels's 8.
        #expect(filip.estimates < 10)
        #expect(filip.rank == 11, "equilibration keeps Filip full rank")
        // Refining against a design rounded to double cannot beat the rounding: 7.7 digits on Filip.
        let rounded = try Self.measure("Filip", options: .init(refinement: .always), lowParts: false)
        #expect(rounded.estimates > 7 && rounded.estimates < 9)
    }
}
