/// Which covariance matrix of the coefficients to report: a value passed into the fit.
///
/// Formulas, with bread B = (X̃ᵀWX̃)⁻¹ over the estimable columns (X̃ after absorbing
/// fixed effects), scores sᵢ = x̃ᵢ·wᵢ·rᵢ (rᵢ the working residual: yᵢ − ŷᵢ for OLS,
/// (yᵢ − μᵢ)/(dμ/dη) for a GLM) and c the small-sample factor of `SmallSampleCorrection`:
/// - `iid`: V = c·σ̂²·B, σ̂² = Σwᵢrᵢ²/(n − 1) for OLS (so that fixest's c = (n−1)/(n−K)
///   gives the classical RSS/(n−K)); the dispersion φ for GLMs (1 for Poisson and
///   negative binomial, Pearson χ²/(n − K) for Gaussian and Gamma).
/// - `heteroskedastic(.hc0)`: V = B(Σ sᵢsᵢᵀ)B (White). `.hc1`: times n/(n − K).
///   `.hc2`, `.hc3`: each sᵢ divided by √(1 − hᵢ) or (1 − hᵢ), hᵢ = wᵢx̃ᵢᵀBx̃ᵢ the leverage
///   (MacKinnon–White); not with fixed effects, whose leverages the within
///   transformation does not give.
/// - `cluster([A])`: V = c·B(Σ_g S_g S_gᵀ)B with S_g the sum of the scores in cluster g.
///   `cluster([A, B])`: Cameron–Gelbach–Miller, V = V_A + V_B − V_{A∩B}; when the sum is
///   not positive semi-definite its negative eigenvalues are set to zero (their eigenvalue
///   fix), and the report says so.
public enum CovarianceType: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Heteroskedasticity-consistent variants.
    public enum HCVariant: String, Sendable, Hashable, Codable, CaseIterable { case hc0, hc1, hc2, hc3 }

    case iid
    case heteroskedastic(HCVariant)
    case cluster([String])

    /// fixest's "hetero": HC1.
    public static let hetero = CovarianceType.heteroskedastic(.hc1)

    /// The spelling of `--vcov`: iid, hc0…hc3, cluster:A,B.
    public var description: String {
        switch self {
        case .iid: return "iid"
        case .heteroskedastic(let v): return v.rawValue
        case .cluster(let names): return "cluster:" + names.joined(separator: ",")
        }
    }

    /// The short label of a regression table's "Standard errors" row: IID, HC1, by A & B.
    public var label: String {
        switch self {
        case .iid: return "IID"
        case .heteroskedastic(let v): return v.rawValue.uppercased()
        case .cluster(let names): return "by " + names.joined(separator: " & ")
        }
    }

    /// Words for a table note.
    public var explanation: String {
        switch self {
        case .iid: return "IID"
        case .heteroskedastic(let v): return "heteroskedasticity-robust (\(v.rawValue.uppercased()))"
        case .cluster(let names): return "clustered by " + names.joined(separator: " and ")
        }
    }
}

/// Which software's small-sample factors to apply, so that standard errors can be matched.
///
/// n observations, K parameters, G clusters (G_min the smallest count for multi-way):
/// - `fixest` (default; fixest's `ssc()` defaults, which pyfixest copies): iid (n−1)/(n−K)
///   with σ̂² on n − 1 (so RSS/(n−K)); HC1 n/(n−K); cluster G_min/(G_min−1)·(n−1)/(n−K)
///   with K counting the fixed-effect levels not nested in a cluster variable
///   ("nested"), minus one per fixed effect beyond the first; t tests on n − K, or
///   G_min − 1 when clustered. Poisson and negative binomial get the same factors.
/// - `stata` (regress/reghdfe; ppmlhdfe and poisson for likelihood models): linear
///   models as fixest; likelihood models n/(n−1) for robust and G/(G−1) for clustered,
///   no (n−1)/(n−K); z tests.
/// - `statsmodels` (and R's lm/glm with sandwich): iid RSS/(n−K) or the GLM dispersion
///   with no further factor; HC0–HC3 as defined; clustered G/(G−1)·(n−1)/(n−K) for each
///   term of a multi-way sum with its own G (sandwich::vcovCL, type HC1).
/// - `none`: the raw sandwich; iid with σ̂² = RSS/n.
public enum SmallSampleCorrection: String, Sendable, Codable, CaseIterable {
    case fixest, stata, statsmodels, none
}
