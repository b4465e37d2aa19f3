import Foundation
import SteppeNumerics

extension ExtremeBounds {
    /// The statistics of reported coefficient `v` over the regressions kept (ExtremeBounds'
    /// run.eba and eba.analysis, with μ = 0): its coefficients within the VIF limit (the
    /// intercept is never limited), their weighted mean, standard error and variance, shares,
    /// Leamer's bounds and both CDF(0)s. With no coefficient left every number is NaN.
    static func summarise(_ outcomes: [RegressionOutcome], variable v: Int, term: String, role: Role,
                          tau: Double, maximumVIF: Double?) -> Variable {
        var regressions = 0
        var used: [(beta: Double, se: Double, w: Double)] = []
        for o in outcomes {
            guard let e = o.estimates[v] else { continue }
            regressions += 1
            if let limit = maximumVIF, term != "(Intercept)", !(e.vif <= limit) { continue }
            used.append((e.beta, e.standardError, o.weight))
        }
        var sw = CompensatedSum(), swb = CompensatedSum(), sws = CompensatedSum(), swv = CompensatedSum(), swcdf = CompensatedSum()
        var negative = 0, positive = 0, significantNegative = 0, significantPositive = 0
        var low = Double.infinity, high = -Double.infinity
        for u in used {
            sw.add(u.w); swb.add(u.w * u.beta); sws.add(u.w * u.se); swv.add(u.w * u.se * u.se)
            swcdf.add(u.w * Normal.standard.cdf(-u.beta / u.se))
            let lower = u.beta - tau * u.se, upper = u.beta + tau * u.se
            low = min(low, lower); high = max(high, upper)
            if u.beta < 0 { negative += 1; if upper < 0 { significantNegative += 1 } }
            if u.beta > 0 { positive += 1; if lower > 0 { significantPositive += 1 } }
        }
        let n = Double(used.count)
        let mean = swb.value / sw.value, variance = swv.value / sw.value
        guard !used.isEmpty else {
            return Variable(term: term, role: role, regressions: regressions, coefficientsUsed: 0, weightedMean: .nan,
                            weightedStandardError: .nan, weightedVariance: .nan, shareNegative: .nan, sharePositive: .nan,
                            shareSignificantNegative: .nan, shareSignificantPositive: .nan, leamerLow: .nan,
                            leamerHigh: .nan, leamerRobust: nil, cdfNormalBelowZero: .nan, cdfGenericBelowZero: .nan)
        }
        return Variable(term: term, role: role, regressions: regressions, coefficientsUsed: used.count,
                        weightedMean: mean, weightedStandardError: sws.value / sw.value, weightedVariance: variance,
                        shareNegative: Double(negative) / n, sharePositive: Double(positive) / n,
                        shareSignificantNegative: Double(significantNegative) / n,
                        shareSignificantPositive: Double(significantPositive) / n,
                        leamerLow: low, leamerHigh: high, leamerRobust: !(low <= 0 && high >= 0),
                        cdfNormalBelowZero: Normal.standard.cdf(-mean / variance.squareRoot()),
                        cdfGenericBelowZero: swcdf.value / sw.value)
    }

    /// A regression's weight: 1; 1 − ℓ/ℓ₀; R²; adjusted R².
    /// - Throws: `ModelError.invalidOption` for R² weights of a GLM, or an ℓ₀ that is not negative.
    static func weight(_ fit: FitResult, frame: ModelFrame, weighting: Weighting) throws(ModelError) -> Double {
        switch weighting {
        case .equal:
            return 1
        case .r2, .adjustedR2:
            guard let r2 = weighting == .r2 ? fit.statistics.rSquared : fit.statistics.adjustedRSquared else {
                throw .invalidOption("--eba-weights \(weighting.rawValue) needs an OLS model (the R² of each regression); for GLMs and PPML use --eba-weights lri")
            }
            return r2
        case .lri:
            guard let ll = fit.statistics.logLikelihood else {
                throw .invalidOption("--eba-weights lri needs the log-likelihood of each regression; use --eba-weights equal")
            }
            let ll0 = fit.statistics.nullLogLikelihood ?? gaussianNullLogLikelihood(fit, frame)
            guard ll0 < 0, ll0.isFinite else {
                throw .invalidOption("--eba-weights lri needs a negative null log-likelihood, and it is \(ll0); use --eba-weights equal or r2")
            }
            return 1 - ll / ll0
        }
    }

    /// ℓ₀ of OLS: the Gaussian log-likelihood (R's logLik.lm) of the intercept-only fit of
    /// y − offset on the fit's sample, as ExtremeBounds' weights.lri refits `y ~ 1`.
    static func gaussianNullLogLikelihood(_ fit: FitResult, _ frame: ModelFrame) -> Double {
        let positions: [Int]
        if fit.sample == frame.sample {
            positions = Array(frame.sample.indices)
        } else {
            let index = Dictionary(uniqueKeysWithValues: frame.sample.enumerated().map { ($1, $0) })
            positions = fit.sample.map { index[$0]! }  // the fit's sample is a subset of the frame's
        }
        let w = frame.weights.map { w in positions.map { w[$0] } }
        let y = positions.indices.map { fit.response[$0] - (frame.offset?[positions[$0]] ?? 0) }
        var sw = CompensatedSum(), swy = CompensatedSum()
        for i in y.indices { let wi = w?[i] ?? 1; sw.add(wi); swy.add(wi * y[i]) }
        let mean = [Double](repeating: swy.value / sw.value, count: y.count)
        return Family.gaussian.logLikelihood(y, mean, weights: w)
    }
}

/// The Gram matrix X̃ᵀWX̃ of the full design, centred (or demeaned by the fixed effects),
/// from which every regression's variance inflation factors follow:
/// VIF_j = (x_j − x̄_j)ᵀW(x_j − x̄_j) · [(X̃_SᵀWX̃_S)⁻¹]_jj over the regression's
/// non-intercept columns S. The second factor is 1/RSS_j of the regression of x_j on the
/// other columns and an intercept (or the fixed effects, by Frisch–Waugh–Lovell), so this
/// is 1/(1 − R²_j) with the centred R², as ExtremeBounds' calculate.vif, and with fixed
/// effects the VIF that the same model with dummies gives. Observation weights, if any,
/// weight it (ExtremeBounds has none).
struct VIFGram: Sendable {
    let gram: [[Double]]
    /// (x_j − x̄_j)ᵀW(x_j − x̄_j), the centred sum of squares of each column.
    let centred: [Double]
    let intercept: Int?

    init(_ frame: ModelFrame, options: EstimationOptions) {
        let n = frame.observations, p = frame.design.columns, w = frame.weights
        let centredColumns: [[Double]] = (0..<p).map { j in
            let column = Array(frame.design.column(j))
            var sw = CompensatedSum(), swx = CompensatedSum()
            for i in 0..<n { let wi = w?[i] ?? 1; sw.add(wi); swx.add(wi * column[i]) }
            let mean = swx.value / sw.value
            return column.map { $0 - mean }
        }
        var x = centredColumns
        if !frame.fixedEffects.isEmpty {
            let absorber = FixedEffectAbsorber(groupings: frame.fixedEffects, weights: w)
            let demeaned = absorber.demean(columns: frame.design, starts: nil, tolerance: options.fixedEffectTolerance).0
            x = (0..<p).map { Array(demeaned.column($0)) }
        }
        var g = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for a in 0..<p {
            for b in a..<p {
                var s = CompensatedSum()
                for i in 0..<n { s.add((w?[i] ?? 1) * x[a][i] * x[b][i]) }
                g[a][b] = s.value
                g[b][a] = s.value
            }
        }
        gram = g
        centred = centredColumns.indices.map { j in
            var s = CompensatedSum()
            for i in 0..<n { s.add((w?[i] ?? 1) * centredColumns[j][i] * centredColumns[j][i]) }
            return s.value
        }
        intercept = frame.coefficientNames.firstIndex(of: "(Intercept)")
    }

    /// VIF of column `j` in the regression of `columns` (∞ when they are collinear).
    func vif(_ j: Int, among columns: [Int]) -> Double {
        let s = columns.filter { $0 != intercept }
        guard let position = s.firstIndex(of: j) else { return 1 }
        let sub = s.map { a in s.map { gram[a][$0] } }
        guard let m = try? Matrix(rows: sub), let inverse = try? CholeskyFactorization(m).inverse() else { return .infinity }
        return inverse[position, position] * centred[j]
    }
}
