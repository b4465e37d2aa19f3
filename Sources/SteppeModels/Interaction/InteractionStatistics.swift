import Foundation
import SteppeNumerics

/// The goodness of fit of a spatial interaction model's flows ŷ to the observed y, as
/// PySAL's spint reports it (spglm's GLMResults and spint/utils.py), plus
/// scikit-mobility's common part of commuters. The same numbers for gravity and radiation
/// models, so that they can be compared on one matrix.
///
/// n pairs, K parameters (spint's k: the columns of its design, intercept and dummies
/// included), μ₀ = ȳ the intercept-only Poisson fit:
/// - deviance D = 2Σ[y·log(y/ŷ) − (y − ŷ)] (y log y = 0 at y = 0), null deviance D₀ at μ₀.
///   spint (spglm) leaves out −2Σ(y − ŷ), which is 0 for every model with an intercept or
///   fixed effects; it is kept here so that a model without (spint's BaseGravity with
///   constant=False) and the radiation model get the Poisson deviance;
/// - D² = 1 − D/D₀, adjusted D² = 1 − (n − 1)/(n − max(K, 1))·(1 − D²) (spint's, whose
///   models all have K ≥ 1; the parameter-free radiation model keeps its D²);
/// - ℓ = Σ[y·log ŷ − ŷ − log Γ(y + 1)], ℓ₀ at μ₀; pseudo-R² = 1 − ℓ/ℓ₀ (McFadden),
///   adjusted 1 − (ℓ − K)/ℓ₀; AIC = −2ℓ + 2K;
/// - SSI (Sørensen similarity index, spint's `sorensen`) = (1/n)·Σ 2·min(y, ŷ)/(y + ŷ),
///   a pair with y = ŷ = 0 counting 1 (spint: 0/0);
/// - SRMSE = √(Σ(y − ŷ)²/n) / (Σy/n);
/// - CPC (common part of commuters, Lenormand et al. 2012; scikit-mobility's
///   `common_part_of_commuters`) = 2·Σmin(y, ŷ)/(Σy + Σŷ). (spint's own `CPC` multiplies
///   by n and misspells a name, so it does not run; scikit-mobility's is the one matched.)
///
/// Quasi-Poisson has no likelihood: ℓ, ℓ₀, the pseudo-R²s and AIC are `nil` there, as
/// spint reports NaN. Matched: spint 1.0.7 on the Austria data of its tests, to 1e-6 (spint
/// stops its IRLS a little short of the maximum; scikit-mobility's CPC to 1e-12).
public struct InteractionStatistics: Sendable, Codable, Equatable {
    public let observations: Int
    public let parameterCount: Int
    public let deviance: Double
    public let nullDeviance: Double
    public let d2: Double
    public let adjustedD2: Double
    public let logLikelihood: Double?
    public let nullLogLikelihood: Double?
    public let pseudoRSquared: Double?
    public let adjustedPseudoRSquared: Double?
    public let aic: Double?
    public let ssi: Double
    public let srmse: Double
    public let cpc: Double
    /// Pearson χ²/(n − K) = Σ(y − ŷ)²/ŷ/(n − K): the quasi-Poisson dispersion (1 under the Poisson model).
    public let pearsonDispersion: Double

    /// The statistics of fitted flows `fitted` against `observed` with `parameters` parameters;
    /// `likelihood: false` for quasi-Poisson.
    public init(observed y: [Double], fitted mu: [Double], parameters k: Int, likelihood: Bool = true) {
        precondition(y.count == mu.count && !y.isEmpty, "observed and fitted flows must pair up")  // programmer error
        let n = y.count, nd = Double(n)
        var total = CompensatedSum()
        for v in y { total.add(v) }
        let mean = total.value / nd
        var dev = CompensatedSum(), dev0 = CompensatedSum(), ll = CompensatedSum(), ll0 = CompensatedSum()
        var ssi = CompensatedSum(), sq = CompensatedSum(), common = CompensatedSum(), fittedTotal = CompensatedSum()
        var pearson = CompensatedSum()
        for i in 0..<n {
            let yi = y[i], mi = mu[i]
            dev.add(Self.unitDeviance(yi, mi)); dev0.add(Self.unitDeviance(yi, mean))
            let lf = SpecialLogGamma.logFactorial(yi)
            ll.add((yi > 0 ? yi * log(mi) : 0) - mi - lf); ll0.add((yi > 0 ? yi * log(mean) : 0) - mean - lf)
            let low = min(yi, mi), sum = yi + mi
            ssi.add(sum > 0 ? 2 * low / sum : 1)
            sq.add((yi - mi) * (yi - mi)); common.add(low); fittedTotal.add(mi)
            pearson.add(mi > 0 ? (yi - mi) * (yi - mi) / mi : 0)
        }
        observations = n; parameterCount = k
        deviance = dev.value; nullDeviance = dev0.value
        d2 = 1 - dev.value / dev0.value
        // K is at least 1 here: a parameter-free model (radiation) is not better than its D² says.
        adjustedD2 = 1 - (nd - 1) / (nd - Double(max(k, 1))) * (1 - d2)
        logLikelihood = likelihood ? ll.value : nil
        nullLogLikelihood = likelihood ? ll0.value : nil
        pseudoRSquared = likelihood ? 1 - ll.value / ll0.value : nil
        adjustedPseudoRSquared = likelihood ? 1 - (ll.value - Double(k)) / ll0.value : nil
        aic = likelihood ? -2 * ll.value + 2 * Double(k) : nil
        self.ssi = ssi.value / nd
        srmse = (sq.value / nd).squareRoot() / mean
        cpc = 2 * common.value / (total.value + fittedTotal.value)
        pearsonDispersion = n > k ? pearson.value / Double(n - k) : .nan
    }

    /// 2[y·log(y/μ) − (y − μ)], the Poisson unit deviance.
    static func unitDeviance(_ y: Double, _ mu: Double) -> Double {
        2 * ((y > 0 ? y * log(y / mu) : 0) - (y - mu))
    }
}
