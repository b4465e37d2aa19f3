import SteppeNumerics

/// The standard errors of a spatial interaction model.
///
/// - `modelBased` (default, spint's): V = (XᵀWX)⁻¹, the Poisson information, z tests.
/// - `quasiPoisson`: V = φ·(XᵀWX)⁻¹ with φ = Pearson χ²/(n − K), z tests: spint's
///   `Quasi=True` (spglm's QuasiPoisson family, statsmodels' `scale='X2'`). Flows are
///   far more dispersed than Poisson counts (φ is in the hundreds on migration
///   matrices), so the model-based errors are too small by √φ.
/// - `heteroskedastic(variant)`: the sandwich B(Σsᵢsᵢᵀ)B; HC1 times n/(n − K) (statsmodels'
///   GLM `cov_type='HC1'`; HC0 is its `'HC0'`).
/// - `cluster(columns)`: clustered by one or more columns, G/(G − 1)·(n − 1)/(n − K) per
///   dimension (statsmodels' `cov_type='cluster'`).
///
/// K counts every parameter: the intercept and the origin and destination dummies that
/// the fixed effects stand for, as in spint's design.
public enum InteractionCovariance: Sendable, Hashable, CustomStringConvertible {
    case modelBased
    case quasiPoisson
    case heteroskedastic(CovarianceType.HCVariant)
    case cluster([String])

    /// The engine's covariance: quasi-Poisson is the model-based one, rescaled afterwards.
    var engineType: CovarianceType {
        switch self {
        case .modelBased, .quasiPoisson: return .iid
        case .heteroskedastic(let v): return .heteroskedastic(v)
        case .cluster(let names): return .cluster(names)
        }
    }

    /// `--vcov` spelling: iid, quasi, hc0…hc3, cluster:A.
    public var description: String {
        switch self {
        case .modelBased: return "iid"
        case .quasiPoisson: return "quasi"
        default: return engineType.description
        }
    }

    /// Words for a table note.
    public var explanation: String {
        switch self {
        case .modelBased: return "model-based (Poisson information, as spint)"
        case .quasiPoisson: return "quasi-Poisson (model-based × √φ, φ = Pearson χ²/(n − K), as spint's Quasi=True)"
        default: return engineType.explanation
        }
    }
}

/// Quasi-Poisson standard errors from a Poisson fit: same estimates, V scaled by φ.
enum QuasiPoisson {
    /// `fit` with V·φ, standard errors ·√φ, z statistics, normal p-values and intervals,
    /// and `statistics.dispersion` = φ.
    static func rescale(_ fit: FitResult, dispersion phi: Double) -> FitResult {
        let normal = Normal.standard
        let q = normal.survivalQuantile((1 - fit.confidenceLevel) / 2)
        let root = phi.squareRoot()
        let coefficients = fit.coefficients.map { c -> Coefficient in
            let se = c.standardError * root
            let z = c.estimate / se
            return Coefficient(term: c.term, estimate: c.estimate, standardError: se, statistic: z,
                               pValue: se > 0 ? 2 * normal.survival(abs(z)) : .nan,
                               confidenceLow: c.estimate - q * se, confidenceHigh: c.estimate + q * se)
        }
        var statistics = fit.statistics
        statistics.dispersion = phi
        return FitResult(model: fit.model, formula: fit.formula, responseName: fit.responseName, link: fit.link,
                         coefficients: coefficients, covariance: fit.covariance.map { $0.map { $0 * phi } },
                         covarianceType: fit.covarianceType, smallSampleCorrection: fit.smallSampleCorrection,
                         degreesOfFreedom: nil, confidenceLevel: fit.confidenceLevel, clusterCounts: fit.clusterCounts,
                         statistics: statistics, report: fit.report, fixedEffects: fit.fixedEffects, sample: fit.sample,
                         response: fit.response, fittedValues: fit.fittedValues, linearPredictor: fit.linearPredictor,
                         design: fit.design)
    }
}
