// A demonstration of SteppeNumerics from outside the Steppe package: Longley's
// (1967) employment regression, the classic test of least-squares accuracy, solved
// with `LeastSquares` and given t tests with `StudentT`.
import Foundation
import SteppeNumerics

// Longley's data as NIST StRD prints it: y = total employment; GNP deflator, GNP,
// unemployed, armed forces, population over 14, year.
let longley: [[Double]] = [
    [60323, 83.0, 234289, 2356, 1590, 107608, 1947], [61122, 88.5, 259426, 2325, 1456, 108632, 1948],
    [60171, 88.2, 258054, 3682, 1616, 109773, 1949], [61187, 89.5, 284599, 3351, 1650, 110929, 1950],
    [63221, 96.2, 328975, 2099, 3099, 112075, 1951], [63639, 98.1, 346999, 1932, 3594, 113270, 1952],
    [64989, 99.0, 365385, 1870, 3547, 115094, 1953], [63761, 100.0, 363112, 3578, 3350, 116219, 1954],
    [66019, 101.2, 397469, 2904, 3048, 117388, 1955], [67857, 104.6, 419180, 2822, 2857, 118734, 1956],
    [68169, 108.4, 442769, 2936, 2798, 120445, 1957], [66513, 110.8, 444546, 4681, 2637, 121950, 1958],
    [68655, 112.6, 482704, 3813, 2552, 123366, 1959], [69564, 114.2, 502601, 3931, 2514, 125368, 1960],
    [69331, 115.7, 518173, 4806, 2572, 127852, 1961], [70551, 116.9, 554894, 4007, 2827, 130081, 1962],
]
let names = ["(Intercept)", "GNP deflator", "GNP", "Unemployed", "Armed forces", "Population", "Year"]
// NIST's certified estimates, to show the digits that agree.
let certified = [-3482258.63459582, 15.0618722713733, -0.358191792925910E-01, -2.02022980381683,
                 -1.03322686717359, -0.511041056535807E-01, 1829.15146461355]

do {
    let y = longley.map { $0[0] }
    let x = try Matrix(rows: longley.map { [1] + $0.dropFirst() })
    let fit = try LeastSquares.solve(x, y)
    let t = try StudentT(degreesOfFreedom: Double(fit.residualDegreesOfFreedom))
    print("Longley (1967): total employment on six predictors, n = \(fit.observations), rank = \(fit.rank)")
    print("term            estimate            std. error     t value   Pr(>|t|)  digits vs NIST")
    for (j, name) in names.enumerated() {
        let b = fit.coefficients[j], se = fit.standardErrors[j]
        let tValue = b / se
        let p = 2 * t.survival(abs(tValue))
        let digits = min(15, -log10(abs(b - certified[j]) / abs(certified[j])))
        let label = name.padding(toLength: 14, withPad: " ", startingAt: 0)
        print(label + String(format: " %18.10e %18.10e %9.3f %10.3g %8.1f", b, se, tValue, p, digits))
    }
    print(String(format: "residual standard deviation %.12g on %d degrees of freedom", fit.residualStandardDeviation, fit.residualDegreesOfFreedom))
    print(String(format: "condition number of the equilibrated design ≈ %.3g; refinement steps %d", 1 / fit.reciprocalCondition, fit.refinementSteps))
    print("BLAS: OpenBLAS kernels \(BLASRuntime.coreName), \(BLASRuntime.threadCount) thread(s)")
} catch {
    FileHandle.standardError.write(Data("numerics-demo: \(error)\n".utf8))
    exit(1)
}
