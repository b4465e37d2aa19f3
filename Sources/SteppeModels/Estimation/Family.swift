import Foundation
import SteppeNumerics

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

    /// Why outcome `y` is invalid for this family, or `nil`.
    func invalidOutcome(_ y: Double) -> String? {
        switch self {
        case .poisson, .negativeBinomial: return y < 0 ? "negative value \(y); \(name) models need outcomes ≥ 0" : nil
        case .gamma: return y <= 0 ? "value \(y); gamma models need outcomes > 0" : nil
        case .gaussian: return nil
        }
    }

    /// A starting mean: (y + ȳ)/2 for the log-link families (fixest's start; positive even where y = 0), y for identity.
    func startingMean(_ y: Double, mean: Double, link: Link) -> Double {
        link == .log ? max((y + mean) / 2, 1e-10) : y
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
            return 2 * ((y > 0 ? y * log(y / mu) : 0) - (y + theta) * log((y + theta) / (mu + theta)))
        }
    }

    /// Σ wᵢ·d(yᵢ, μᵢ), summed in compensated blocks (`blockedSum`).
    func deviance(_ y: [Double], _ mu: [Double], weights: [Double]?) -> Double {
        y.withUnsafeBufferPointer { py in
            mu.withUnsafeBufferPointer { pm in
                if let weights {
                    return weights.withUnsafeBufferPointer { pw in blockedSum(count: py.count) { pw[$0] * unitDeviance(py[$0], pm[$0]) } }
                }
                return blockedSum(count: py.count) { unitDeviance(py[$0], pm[$0]) }
            }
        }
    }

    /// The log-likelihood at μ. For Gaussian and Gamma the dispersion is its maximum-likelihood value (as R's `logLik`).
    func logLikelihood(_ y: [Double], _ mu: [Double], weights: [Double]?) -> Double {
        let n = y.count
        var s = CompensatedSum()
        switch self {
        case .poisson:
            return blockedSum(count: n) { i in
                (weights?[i] ?? 1) * ((y[i] > 0 ? y[i] * log(mu[i]) : 0) - mu[i] - SpecialLogGamma.logFactorial(y[i]))
            }
        case .gaussian:
            // R's logLik.lm: ½Σ log wᵢ − n/2·(log(2π·RSS/n) + 1).
            let dev = deviance(y, mu, weights: weights)
            var logW = 0.0
            if let w = weights { logW = w.reduce(0) { $0 + log($1) } }
            return 0.5 * logW - 0.5 * Double(n) * (log(2 * Double.pi * dev / Double(n)) + 1)
        case .gamma:
            let dev = deviance(y, mu, weights: weights)
            let sw = weights.map { CompensatedSum.of($0) } ?? Double(n)
            let dispersion = dev / sw
            let shape = 1 / dispersion
            for i in 0..<n {
                let w = weights?[i] ?? 1
                // log density of Gamma(shape, scale = μφ)
                s.add(w * (shape * log(shape * y[i] / mu[i]) - shape * y[i] / mu[i] - log(y[i]) - SpecialLogGamma.of(shape)))
            }
        case .negativeBinomial(let theta):
            for i in 0..<n {
                let w = weights?[i] ?? 1
                let yi = y[i], m = mu[i]
                s.add(w * (SpecialLogGamma.of(theta + yi) - SpecialLogGamma.of(theta) - SpecialLogGamma.logFactorial(yi)
                           + theta * log(theta / (theta + m)) + (yi > 0 ? yi * log(m / (theta + m)) : 0)))
            }
        }
        return s.value
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
