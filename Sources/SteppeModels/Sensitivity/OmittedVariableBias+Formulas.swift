import Foundation
import SteppeNumerics

/// The closed forms of Cinelli & Hazlett (2020), "Making sense of sensitivity: extending
/// omitted variable bias", JRSS-B 82(1), as sensemakr (R 0.1.6) and PySensemakr (0.0.8)
/// compute them. Every function takes the statistics of the treatment's coefficient in the
/// outcome regression: estimate β̂, classical standard error se, residual degrees of
/// freedom df = n − K. They are exact transcriptions; the tests check them against
/// PySensemakr's numbers on the Darfur data to 1e-10.
extension OmittedVariableBias {
    /// Partial R² of a coefficient with the outcome: R²_{Y∼D|X} = t²/(t² + df).
    public static func partialR2(t: Double, degreesOfFreedom df: Double) -> Double { t * t / (t * t + df) }

    /// Partial Cohen's f²: f² = t²/df.
    public static func partialF2(t: Double, degreesOfFreedom df: Double) -> Double { t * t / df }

    /// Partial R² of a group of p coefficients (sensemakr's group_partial_r2): with the Wald
    /// statistic F = β̂ᵀV⁻¹β̂/p of the classical covariance V, R² = F·p/(F·p + df). For one
    /// coefficient this is t²/(t² + df).
    /// - Throws: `ModelError.numerical` when V is not positive definite.
    static func groupPartialR2(estimates: [Double], covariance: [[Double]], degreesOfFreedom df: Double) throws(ModelError) -> Double {
        let p = estimates.count
        if p == 1 { return partialR2(t: estimates[0] / covariance[0][0].squareRoot(), degreesOfFreedom: df) }
        let solved: [Double]
        do {
            solved = try CholeskyFactorization(try Matrix(rows: covariance)).solve(estimates)
        } catch {
            throw .numerical("the covariance of the benchmark's coefficients is not positive definite (\(error))")
        }
        let wald = zip(estimates, solved).reduce(0) { $0 + $1.0 * $1.1 }
        return wald / (wald + df)
    }

    /// The robustness value RV_{q,α}: the partial R² that a confounder must have with both
    /// the treatment and the outcome to bring the estimate's reduction by 100·q% within the
    /// reach of a t test at level α (α = 1: of the point estimate, RV_q).
    ///
    /// f_q = q·|t|/√df, f* = |t_{α/2, df−1}|/√(df − 1) (0 when α = 1), f = f_q − f*:
    /// RV = 0 when f ≤ 0; RV = (f_q² − f*²)/(1 + f_q²) (the extreme value) when f_q > 1/f*;
    /// otherwise RV = ½(√(f⁴ + 4f²) − f²), computed as 2/(1 + √(1 + 4/f²)) (sensemakr's
    /// stable form).
    public static func robustnessValue(t: Double, degreesOfFreedom df: Double, q: Double, alpha: Double) -> Double {
        let fq = q * abs(t / df.squareRoot())
        var fCritical = 0.0
        if alpha < 1, let dist = try? StudentT(degreesOfFreedom: df - 1) {
            fCritical = abs(dist.quantile(alpha / 2)) / (df - 1).squareRoot()
        }
        let f = fq - fCritical
        guard f > 0 else { return 0 }
        if fCritical > 0 && fq > 1 / fCritical { return (fq * fq - fCritical * fCritical) / (1 + fq * fq) }
        return 2 / (1 + (1 + 4 / (f * f)).squareRoot())
    }

    /// Bounds on a confounder Z k_d times as strong as a benchmark X_j in explaining the
    /// treatment and k_y times as strong in explaining the outcome (sensemakr's
    /// ovb_partial_r2_bound), from R²_{D∼X_j|X_−j} (`r2dxj`, of the treatment regression) and
    /// R²_{Y∼X_j|D,X_−j} (`r2yxj`, of the outcome regression):
    ///
    /// R²_{D∼Z|X} = k_d·r2dxj/(1 − r2dxj),
    /// η = k_d·r2dxj²/((1 − k_d·r2dxj)(1 − r2dxj)),
    /// R²_{Y∼Z|D,X} = ((√k_y + √η)/√(1 − η))²·r2yxj/(1 − r2yxj), capped at 1.
    ///
    /// - Returns: (r2dzx, r2yzdx, capped) — `capped` when R²_{Y∼Z|D,X} exceeded 1.
    /// - Throws: `ModelError.invalidOption` when R²_{D∼Z|X} ≥ 1 or η ≥ 1: no confounder that
    ///   strong can exist.
    static func bound(r2dxj: Double, r2yxj: Double, kd: Double, ky: Double, benchmark: String) throws(ModelError) -> (r2dzx: Double, r2yzdx: Double, capped: Bool) {
        let r2dzx = kd * r2dxj / (1 - r2dxj)
        let eta = kd * r2dxj * r2dxj / ((1 - kd * r2dxj) * (1 - r2dxj))
        guard r2dzx < 1, eta < 1, 1 - kd * r2dxj > 0 else {
            throw .invalidOption("--kd \(number(kd)) is impossible for benchmark \(benchmark): a confounder \(number(kd)) times as strong would explain all of the treatment's residual variance (R²_D~Z|X = \(String(format: "%.4g", r2dzx))); use a smaller --kd")
        }
        let r2yzdx = pow((ky.squareRoot() + eta.squareRoot()) / (1 - eta).squareRoot(), 2) * r2yxj / (1 - r2yxj)
        return r2yzdx > 1 ? (r2dzx, 1, true) : (r2dzx, r2yzdx, false)
    }

    /// The bias of the estimate that a confounder with partial R²s (r2dzx, r2yzdx) implies:
    /// |bias| = se·√(r2yzdx·r2dzx/(1 − r2dzx))·√df.
    public static func bias(standardError se: Double, degreesOfFreedom df: Double, r2dzx: Double, r2yzdx: Double) -> Double {
        se * (r2yzdx * r2dzx / (1 - r2dzx)).squareRoot() * df.squareRoot()
    }

    /// sensemakr's adjusted_estimate: sign(β̂)·(|β̂| − |bias|) when `reduce` (the confounder
    /// moves the estimate toward zero, the default), sign(β̂)·(|β̂| + |bias|) otherwise.
    public static func adjustedEstimate(estimate: Double, standardError se: Double, degreesOfFreedom df: Double,
                                        r2dzx: Double, r2yzdx: Double, reduce: Bool) -> Double {
        let b = bias(standardError: se, degreesOfFreedom: df, r2dzx: r2dzx, r2yzdx: r2yzdx)
        let sign: Double = estimate < 0 ? -1 : (estimate > 0 ? 1 : 0)
        return sign * (abs(estimate) + (reduce ? -b : b))
    }

    /// sensemakr's adjusted_se: se·√((1 − r2yzdx)/(1 − r2dzx))·√(df/(df − 1)).
    public static func adjustedStandardError(standardError se: Double, degreesOfFreedom df: Double, r2dzx: Double, r2yzdx: Double) -> Double {
        ((1 - r2yzdx) / (1 - r2dzx)).squareRoot() * se * (df / (df - 1)).squareRoot()
    }
}
