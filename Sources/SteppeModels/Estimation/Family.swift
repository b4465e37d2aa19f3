import Foundation
@_spi(SteppeInternal) import SteppeNumerics

/// The link g(μ) = η between the mean and the linear predictor.
public enum Link: String, Sendable, Codable, CaseIterable {
    /// η = log μ, μ = exp(η): multiplicative effects, the gravity model's link.
    case log
    /// η = μ.
    case identity

    func mean(_ eta: Double) -> Double {
        switch self {
        case .log: return exp(eta)
        case .identity: return eta
        }
    }
    func eta(_ mu: Double) -> Double {
        switch self {
        case .log: return Foundation.log(mu)
        case .identity: return mu
        }
    }
    /// dμ/dη at η (with μ given).
    func derivative(mu: Double) -> Double {
        switch self {
        case .log: return mu
        case .identity: return 1
        }
    }
}

/// A GLM family: the variance function, deviance and log-likelihood, and which outcomes are valid.
///
/// Formulas (prior weights wᵢ; θ for the negative binomial):
/// - Poisson: V(μ) = μ; d = 2w[y log(y/μ) − (y − μ)]; ℓ = w[y log μ − μ − log y!].
/// - Gaussian: V = 1; d = w(y − μ)²; ℓ from the normal density with σ² = D/n (maximum likelihood).
/// - Gamma: V = μ²; d = 2w[−log(y/μ) + (y − μ)/μ]; ℓ with shape 1/φ, φ = D/n as R's `logLik`.
/// - Negative binomial: V = μ + μ²/θ; d = 2w[y log(y/μ) − (y + θ) log((y + θ)/(μ + θ))]; ℓ as MASS::glm.nb.
public enum Family: Sendable, Equatable, Codable {
    case poisson
    case gaussian
    case gamma
    case negativeBinomial(theta: Double)

    /// The family's name as the CLI and JSON spell it.
    public var name: String {
        switch self {
        case .poisson: return "poisson"
        case .gaussian: return "gaussian"
        case .gamma: return "gamma"
        case .negativeBinomial: return "negbin"
        }
    }

    /// The default link: log for Poisson, Gamma and negative binomial (multiplicative
    /// models, as gravity equations are), identity for Gaussian (its canonical link).
    public var defaultLink: Link { self == .gaussian ? .identity : .log }

    /// Whether the dispersion φ is estimated (Gaussian, Gamma) or fixed at 1 (Poisson, negative binomial).
    public var estimatesDispersion: Bool {
        switch self {
        case .gaussian, .gamma: return true
        case .poisson, .negativeBinomial: return false
        }
    }

    func variance(_ mu: Double) -> Double {
        switch self {
        case .poisson: return mu
        case .gaussian: return 1
        case .gamma: return mu * mu
        case .negativeBinomial(let theta): return mu + mu * mu / theta
        }
    }

    /// The IRLS weight per unit of prior weight, (dμ/dη)²/V(μ), in a form that neither
    /// underflows nor overflows where the quotient itself is representable: with the log
    /// link, μ²/V(μ) is 1 for Gamma, μ for Poisson and μθ/(μ + θ) for the negative binomial,
    /// rather than μ·μ/V(μ), which is 0/0 for a Gamma mean below 1e-154 and ∞/∞ above 1e154.
    func workingWeight(mu: Double, link: Link) -> Double {
        guard link == .log else { return 1 / variance(mu) }
        switch self {
        case .poisson: return mu
        case .gaussian: return mu * mu
        case .gamma: return 1
        case .negativeBinomial(let theta): return mu / (1 + mu / theta)
        }
    }

    /// The Pearson residual (y − μ)/√V(μ), in a form that does not underflow where the
    /// residual itself is representable: (y − μ)/μ for Gamma, (y − μ)/√μ for Poisson and
    /// (y − μ)/(√μ·√(1 + μ/θ)) for the negative binomial, rather than dividing by √V, which is
    /// √0 for a Gamma mean below 1e-162 (Pearson χ² then read as 0, a "perfect fit"). Its
    /// square summed with the prior weights is R's `sum(residuals(fit, "pearson")^2)`.
    func pearsonResidual(_ y: Double, mu: Double) -> Double {
        switch self {
        case .gaussian: return y - mu
        case .poisson: return (y - mu) / mu.squareRoot()
        case .gamma: return (y - mu) / mu
        case .negativeBinomial(let theta): return (y - mu) / (mu.squareRoot() * (1 + mu / theta).squareRoot())
        }
    }

    /// Why outcome `y` is invalid for this family, or `nil`.
    func invalidOutcome(_ y: Double) -> String? {
        switch self {
        case .poisson, .negativeBinomial: return y < 0 ? "negative value \(y); \(name) models need outcomes ≥ 0" : nil
        case .gamma: return y <= 0 ? "value \(y); gamma models need outcomes > 0" : nil
        case .gaussian: return nil
        }
    }

    /// A starting mean: (y + ȳ)/2 for the log-link families (fixest's start; positive even
    /// where y = 0), y for identity. The floor for a log link (reached only by a negative
    /// outcome, or outcomes whose mean is below 2e-10) is relative, 1e-10·ȳ: an absolute
    /// one started outcomes of 1e-300 at 1e-10, 670 units of η away, farther than IRLS
    /// walks in its iteration limit.
    func startingMean(_ y: Double, mean: Double, link: Link) -> Double {
        link == .log ? max((y + mean) / 2, mean > 0 ? 1e-10 * mean : 1e-10) : y
    }

    func unitDeviance(_ y: Double, _ mu: Double) -> Double {
        switch self {
        case .poisson:
            return 2 * ((y > 0 ? y * log(y / mu) : 0) - (y - mu))
        case .gaussian:
            return (y - mu) * (y - mu)
        case .gamma:
            return 2 * (-log(y / mu) + (y - mu) / mu)
        case .negativeBinomial(let theta):
            // log((y + θ)/(μ + θ)) as log1p((y − μ)/(μ + θ)): the quotient is 1 + O(1/θ), and
            // at θ = 1e15 its rounding alone made the deviance 69.7 instead of Poisson's 71.6.
            return 2 * ((y > 0 ? y * log(y / mu) : 0) - (y + theta) * log1p((y - mu) / (mu + theta)))
        }
    }

    /// Σ wᵢ·d(yᵢ, μᵢ), summed in compensated blocks on all cores (`parallelBlockedSum`).
    func deviance(_ y: [Double], _ mu: [Double], weights: [Double]?) -> Double {
        let family = self
        if let weights {
            return parallelBlockedSum(count: y.count) { weights[$0] * family.unitDeviance(y[$0], mu[$0]) }
        }
        return parallelBlockedSum(count: y.count) { family.unitDeviance(y[$0], mu[$0]) }
    }

    /// The log-likelihood at μ. For Gaussian and Gamma the dispersion is its maximum-likelihood value (as R's `logLik`).
    func logLikelihood(_ y: [Double], _ mu: [Double], weights: [Double]?) -> Double {
        let n = y.count
        var s = CompensatedSum()
        switch self {
        case .poisson:
            return parallelBlockedSum(count: n) { i in
                (weights?[i] ?? 1) * ((y[i] > 0 ? y[i] * log(mu[i]) : 0) - mu[i] - SpecialLogGamma.logFactorial(y[i]))
            }
        case .gaussian:
            // R's logLik.lm: ½Σ log wᵢ − n/2·(log(2π·RSS/n) + 1).
            var logW = 0.0
            if let w = weights { logW = w.reduce(0) { $0 + log($1) } }
            return Self.gaussianLogLikelihood(deviance: deviance(y, mu, weights: weights), observations: Double(n), logWeights: logW)
        case .gamma:
            let dev = deviance(y, mu, weights: weights)
            let sw = weights.map { CompensatedSum.of($0) } ?? Double(n)
            let dispersion = dev / sw
            let shape = 1 / dispersion
            for i in 0..<n {
                let w = weights?[i] ?? 1
                // log density of Gamma(shape, scale = μφ)
                s.add(w * Self.gammaLogDensity(y[i], mu: mu[i], shape: shape))
            }
        case .negativeBinomial(let theta):
            for i in 0..<n {
                s.add((weights?[i] ?? 1) * Self.negativeBinomialLogDensity(y[i], mu: mu[i], theta: theta))
            }
        }
        return s.value
    }
}

extension Family {
    /// The Gaussian log-likelihood at its maximum-likelihood variance, from the deviance
    /// (RSS), n and Σ log wᵢ (R's logLik.lm): ½Σ log wᵢ − n/2·(log(2π·RSS/n) + 1).
    static func gaussianLogLikelihood(deviance: Double, observations n: Double, logWeights: Double) -> Double {
        0.5 * logWeights - 0.5 * n * (log(2 * Double.pi * deviance / n) + 1)
    }

    /// log f(y) of Gamma(shape, scale = μ/shape): shape·log(shape·y/μ) − shape·y/μ − log y − lnΓ(shape).
    static func gammaLogDensity(_ y: Double, mu: Double, shape: Double) -> Double {
        shape * log(shape * y / mu) - shape * y / mu - log(y) - SpecialLogGamma.of(shape)
    }

    /// log P(Y = y) for the negative binomial with mean μ and shape θ (MASS's form):
    /// lnΓ(θ + y) − lnΓ(θ) − ln y! + θ log(θ/(θ + μ)) + y log(μ/(θ + μ)).
    ///
    /// From θ = 1e5 on, where lnΓ(θ + y) − lnΓ(θ) is a difference of two numbers near θ log θ
    /// (at θ = 1e15 it lost every digit: ℓ was −301.7 where the Poisson limit is −103.8),
    /// Stirling's series for the difference, with every term of order 1 written in log1p:
    /// (θ − ½)·log1p(y/θ) + y·(log1p(y/θ) − log1p(μ/θ)) − y + y log μ − θ·log1p(μ/θ)
    /// − y/(12θ(θ + y)) − ln y!; the next term of the series is below 1/(360θ³) = 3e-18.
    /// As θ → ∞ this is Poisson's y log μ − μ − ln y!.
    static func negativeBinomialLogDensity(_ y: Double, mu m: Double, theta: Double) -> Double {
        let logFactorial = SpecialLogGamma.logFactorial(y)
        guard theta >= 1e5 else {
            return SpecialLogGamma.of(theta + y) - SpecialLogGamma.of(theta) - logFactorial
                + theta * log(theta / (theta + m)) + (y > 0 ? y * log(m / (theta + m)) : 0)
        }
        let ly = log1p(y / theta), lm = log1p(m / theta)
        let yTerms = y > 0 ? (theta - 0.5) * ly + y * (ly - lm) - y + y * log(m) - y / (12 * theta * (theta + y)) : 0
        return yTerms - theta * lm - logFactorial
    }
}

/// lnΓ for the likelihoods (glibc's `lgamma_r`, thread-safe).
enum SpecialLogGamma {
    static func of(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// ln(y!) = lnΓ(y + 1), from a table for the integers below `tableSize` (count data are
    /// mostly small integers, and `lgamma_r` costs about 15 ns a call: 1e6 outcomes made
    /// the Poisson log-likelihood 17 ms), `lgamma_r` otherwise. The table holds `of(k + 1)`,
    /// so the value is the same either way.
    static func logFactorial(_ y: Double) -> Double {
        if y >= 0 && y < Double(tableSize) {
            let k = Int(y)
            if Double(k) == y { return logFactorialTable[k] }
        }
        return of(y + 1)
    }

    static let tableSize = 4096
    static let logFactorialTable: [Double] = (0..<tableSize).map { of(Double($0) + 1) }
}
