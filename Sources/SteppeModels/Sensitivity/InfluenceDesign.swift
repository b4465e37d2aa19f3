import SteppeNumerics

/// The design of a fit at its solution, rebuilt for leverage and influence measures:
/// the estimation sample, the working weights, the design after absorbing the fixed
/// effects, and the bread B = (X̃ᵀWX̃)⁻¹.
///
/// W holds the prior weights for OLS (1 without weights) and, for GLMs, the IRLS weights at
/// convergence, wᵢ = priorᵢ·(dμ/dη)²/V(μ̂ᵢ) (μ̂ᵢ for Poisson with the log link), so that
/// every leverage of a GLM is that of the weighted least-squares problem IRLS ended with
/// (as R's `hatvalues(glm)`, statsmodels' `GLMResults.get_hat_matrix_diag` and summclust's
/// leverage on √W·X). X̃ is X demeaned by the fixed effects with the weights W (the
/// within transformation of the fit's last step), restricted to the fit's estimable
/// columns; without fixed effects X̃ = X.
struct InfluenceDesign: Sendable {
    /// The model frame restricted to the fit's estimation sample (after singletons and
    /// separated observations were trimmed), in the fit's order.
    let frame: ModelFrame
    /// Positions of the fit's sample in `SensitivityModel.frame`.
    let positions: [Int]
    /// The design columns of `fit.coefficients`, in their order.
    let columns: [Int]
    /// wᵢ, on the sample.
    let weights: [Double]
    /// X̃ (n × k).
    let xTilde: Matrix
    /// B = (X̃ᵀWX̃)⁻¹ (k × k).
    let bread: Matrix
    /// X̃·B (n × k): row i is B x̃ᵢ, the direction of the one-step change of β.
    let xBread: Matrix
    /// The family and link of a GLM (`nil` for OLS).
    let family: Family?
    let link: Link?

    /// Observations n and coefficients k.
    var observations: Int { xTilde.rows }
    var slopes: Int { xTilde.columns }

    /// hᵢ = wᵢ·x̃ᵢᵀBx̃ᵢ, the leverage of the within (slope) part of observation i.
    var withinLeverages: [Double] {
        var h = [Double](repeating: 0, count: observations)
        for j in 0..<slopes { for i in 0..<observations { h[i] += xBread[i, j] * xTilde[i, j] } }
        for i in 0..<observations { h[i] *= weights[i] }
        return h
    }

    /// Builds the design of `model.fit`.
    /// - Throws: `ModelError.numerical` when the design at the solution is rank deficient or
    ///   the absorption does not converge.
    init(_ model: SensitivityModel) throws(ModelError) {
        let fit = model.fit
        positions = try model.fitSamplePositions()
        frame = model.frame.restricted(to: positions, report: model.frame.report)
        let names = model.frame.coefficientNames
        columns = fit.coefficients.compactMap { c in names.firstIndex(of: c.term) }
        if model.model == .ols {
            (family, link) = (nil, nil)
        } else {
            let base = model.model.family ?? .poisson
            let f: Family = model.model == .negbin ? .negativeBinomial(theta: fit.statistics.theta ?? 1) : base
            (family, link) = (f, fit.link ?? base.defaultLink)
        }
        weights = Self.workingWeights(frame: frame, mu: fit.fittedValues, family: family, link: link)
        xTilde = try Self.demeaned(frame.design.columns(columns), frame: frame, weights: weights,
                                   tolerance: model.options.fixedEffectTolerance)
        bread = try Self.bread(xTilde, weights: weights)
        do { xBread = try BLAS.gemm(xTilde, bread) } catch { throw .numerical("\(error)") }
    }

    /// wᵢ: the prior weights (OLS), or priorᵢ·(dμ/dη)²/V(μᵢ) (GLMs, `Family.workingWeight`: the
    /// IRLS weight of the fit itself, finite for means near 0 or 1e300).
    static func workingWeights(frame: ModelFrame, mu: [Double], family: Family?, link: Link?) -> [Double] {
        let n = frame.observations
        guard let family, let link else { return frame.weights ?? [Double](repeating: 1, count: n) }
        return (0..<n).map { i in (frame.weights?[i] ?? 1) * family.workingWeight(mu: mu[i], link: link) }
    }

    /// X demeaned by the frame's fixed effects with weights w (X itself without them).
    static func demeaned(_ x: Matrix, frame: ModelFrame, weights: [Double], tolerance: Double) throws(ModelError) -> Matrix {
        guard !frame.fixedEffects.isEmpty else { return x }
        var absorber = FixedEffectAbsorber(groupings: frame.fixedEffects, weights: weights)
        absorber.tolerance = tolerance
        let (xt, _, converged, sweeps) = absorber.demean(columns: x)
        guard converged else {
            throw .numerical("absorbing the fixed effects at the solution stopped after \(sweeps) sweeps without reaching its tolerance \(tolerance)")
        }
        return xt
    }

    /// (X̃ᵀWX̃)⁻¹ by the least-squares factorization the fits use (pivoted QR or normal equations).
    static func bread(_ xt: Matrix, weights: [Double]) throws(ModelError) -> Matrix {
        var options = LeastSquares.Options()
        options.computeCovariance = true
        options.refinement = .never
        let solution: LeastSquaresSolution
        do {
            solution = try LeastSquares.solve(xt, [Double](repeating: 0, count: xt.rows), weights: weights, options: options)
        } catch {
            throw .numerical("\(error)")
        }
        guard solution.estimableColumns.count == xt.columns, let b = solution.unscaledCovariance else {
            throw .numerical("the design at the solution is rank deficient (\(solution.rank) of \(xt.columns) columns estimable)")
        }
        return b
    }
}
