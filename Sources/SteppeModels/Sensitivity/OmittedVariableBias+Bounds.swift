import Foundation
import SteppeNumerics

extension OmittedVariableBias {
    /// The bounds of every benchmark × (k_d, k_y), in that order (sensemakr's ovb_bounds).
    ///
    /// A benchmark's R²_{Y∼X_j|D,X} is its (group) partial R² in the outcome regression;
    /// R²_{D∼X_j|X} is its partial R² in the treatment regression D ∼ X (the other columns,
    /// the same fixed effects, weights and sample, no offset), as sensemakr's
    /// ovb_partial_r2_bound (lm(d ~ XX + 0), or feols.fit with the fixed effects). The
    /// adjusted t tests H₀: β = h₀, h₀ = β̂(1 − q) (β̂(1 + q) when not `reduce`), the value the
    /// robustness value is about, as sensemakr() passes h0 to ovb_bounds (0 for q = 1).
    static func benchmarkBounds(_ model: SensitivityModel, outcome: FitResult, treatment column: Int, estimate: Double,
                                standardError se: Double, options: Options, iid: EstimationOptions,
                                warnings: inout [String]) throws(ModelError) -> [Bound] {
        guard !options.benchmarks.isEmpty else { return [] }
        let frame = model.frame
        let treatmentFit = try model.refit(treatmentFrame(frame, treatment: column), options: iid)
        let df = Double(outcome.statistics.residualDegreesOfFreedom)
        guard let t = try? StudentT(degreesOfFreedom: df) else { throw .numerical("no t distribution with \(df) degrees of freedom") }
        let tCritical = t.quantile(1 - options.alpha / 2)
        let kyValues = options.ky ?? options.kd
        let h0 = estimate * (options.reduce ? 1 - options.q : 1 + options.q)
        var out: [Bound] = []
        for benchmark in options.benchmarks {
            let columns = try SensitivityTerms.columns(of: benchmark, in: frame, role: "the benchmark")
            let names = columns.map { frame.coefficientNames[$0] }
            guard !columns.contains(column) else {
                throw .invalidOption("the benchmark \(benchmark) is the treatment; benchmarks are other covariates")
            }
            let r2yxj = try partialR2(of: names, in: outcome, benchmark: benchmark)
            let r2dxj = try partialR2(of: names, in: treatmentFit, benchmark: benchmark)
            for (kd, ky) in zip(options.kd, kyValues) {
                let b = try bound(r2dxj: r2dxj, r2yxj: r2yxj, kd: kd, ky: ky, benchmark: benchmark)
                if b.capped {
                    warnings.append("The confounder \(number(kd))/\(number(ky)) × \(benchmark) would explain more than all of the outcome's residual variance; R²_Y~Z|D,X was set to 1.")
                }
                let adjusted = adjustedEstimate(estimate: estimate, standardError: se, degreesOfFreedom: df,
                                                r2dzx: b.r2dzx, r2yzdx: b.r2yzdx, reduce: options.reduce)
                let adjustedSE = adjustedStandardError(standardError: se, degreesOfFreedom: df, r2dzx: b.r2dzx, r2yzdx: b.r2yzdx)
                out.append(Bound(benchmark: benchmark, kd: kd, ky: ky, r2dzx: b.r2dzx, r2yzdx: b.r2yzdx,
                                 adjustedEstimate: adjusted, adjustedStandardError: adjustedSE,
                                 adjustedT: (adjusted - h0) / adjustedSE,
                                 adjustedConfidenceLow: adjusted - tCritical * adjustedSE,
                                 adjustedConfidenceHigh: adjusted + tCritical * adjustedSE))
            }
        }
        return out
    }

    /// The (group) partial R² of the columns `names` in `fit`, on its residual degrees of freedom.
    static func partialR2(of names: [String], in fit: FitResult, benchmark: String) throws(ModelError) -> Double {
        let indices = names.compactMap { n in fit.coefficients.firstIndex { $0.term == n } }
        guard !indices.isEmpty else {
            throw .invalidOption("the benchmark \(benchmark) was dropped from the fit (collinear or absorbed by the fixed effects); choose another")
        }
        let beta = indices.map { fit.coefficients[$0].estimate }
        let v = indices.map { i in indices.map { fit.covariance[i][$0] } }
        return try groupPartialR2(estimates: beta, covariance: v, degreesOfFreedom: Double(fit.statistics.residualDegreesOfFreedom))
    }

    /// The frame of the treatment regression: the treatment's column as the outcome, the
    /// other columns as the design; fixed effects, weights, clusters and sample unchanged;
    /// no offset (the offset belongs to the outcome). A new data identity, so that no
    /// `AbsorptionCache` takes its outcome for the model's.
    static func treatmentFrame(_ frame: ModelFrame, treatment j: Int) -> ModelFrame {
        let keep = frame.coefficientNames.indices.filter { $0 != j }
        var spec = frame.specification
        spec.columns = keep.map { spec.columns[$0] }
        let names = keep.map { frame.coefficientNames[$0] }
        let rhs = names.filter { $0 != "(Intercept)" }
        var text = frame.coefficientNames[j] + " ~ " + (rhs.isEmpty ? "1" : rhs.joined(separator: " + "))
        if !frame.formula.fixedEffects.isEmpty {
            text += " | " + frame.formula.fixedEffects.map { $0.joined(separator: "^") }.joined(separator: " + ")
        }
        let formula = Formula(response: frame.formula.response, terms: frame.formula.terms, hasIntercept: frame.hasIntercept,
                              fixedEffects: frame.formula.fixedEffects, text: text)
        return ModelFrame(formula: formula, response: Array(frame.design.column(j)), design: frame.design.columns(keep),
                          designLowParts: frame.designLowParts?.columns(keep), coefficientNames: names,
                          hasIntercept: frame.hasIntercept, weights: frame.weights, offset: nil,
                          fixedEffects: frame.fixedEffects, clusters: frame.clusters, sample: frame.sample,
                          report: frame.report, specification: spec, dataIdentity: UUID())
    }

    /// The adjusted estimate on `points` × `points` values of R²_{D∼Z|X} and R²_{Y∼Z|D,X},
    /// each from 0 to sensemakr's limit min(max(0.4, 1.2 × the largest bound), 1 − 10⁻¹²)
    /// (ovb_contour_plot's lim and lim.y), evenly spaced with both ends included.
    static func contour(estimate: Double, standardError se: Double, degreesOfFreedom df: Double, bounds: [Bound],
                        points: Int, reduce: Bool) -> Contour {
        func axis(_ values: [Double]) -> [Double] {
            let limit = min(max(0.4, 1.2 * (values.max() ?? 0)), 1 - 1e-12)
            return (0..<points).map { limit * Double($0) / Double(points - 1) }
        }
        let x = axis(bounds.map(\.r2dzx)), y = axis(bounds.map(\.r2yzdx))
        let z = x.map { dx in
            y.map { yz in
                adjustedEstimate(estimate: estimate, standardError: se, degreesOfFreedom: df, r2dzx: dx, r2yzdx: yz, reduce: reduce)
            }
        }
        return Contour(r2dzx: x, r2yzdx: y, adjustedEstimate: z)
    }

    /// A multiplier as sensemakr's labels print it: 1, 2, 1.5.
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
