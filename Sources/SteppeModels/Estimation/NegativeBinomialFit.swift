import Foundation
import SteppeNumerics

/// The negative binomial GLM with θ estimated, by alternation as MASS::glm.nb does: a
/// Poisson fit to start; then θ by maximum likelihood given μ (Newton's method on the
/// profile score), IRLS for the coefficients given θ, until θ and the log-likelihood settle.
enum NegativeBinomialFit {
    static func fit(_ frame: ModelFrame, link: Link, options: EstimationOptions,
                    report: inout EstimationReport) throws(ModelError) -> (GLMFit.IRLSState, Double) {
        var state = try GLMFit.irls(frame, family: .poisson, link: link, options: options, start: nil)
        let y = frame.response, w = frame.weights
        // Moment start: θ₀ = n / Σ(y/μ − 1)².
        var s = 0.0
        for i in 0..<y.count { let r = y[i] / state.mu[i] - 1; s += (w?[i] ?? 1) * r * r }
        var theta = try thetaMaximumLikelihood(y: y, mu: state.mu, weights: w, start: s > 0 ? Double(y.count) / s : 1)
        var logLikelihood = Family.negativeBinomial(theta: theta).logLikelihood(y, state.mu, weights: w)
        var alternations = 0
        var settled = false
        while alternations < 50 {
            alternations += 1
            state = try GLMFit.irls(frame, family: .negativeBinomial(theta: theta), link: link, options: options,
                                    start: (state.mu, state.regression))
            let newTheta = try thetaMaximumLikelihood(y: y, mu: state.mu, weights: w, start: theta)
            let newLogLikelihood = Family.negativeBinomial(theta: newTheta).logLikelihood(y, state.mu, weights: w)
            let done = abs(newTheta - theta) <= 1e-10 * newTheta && abs(newLogLikelihood - logLikelihood) <= 1e-12 * abs(newLogLikelihood)
            theta = newTheta
            logLikelihood = newLogLikelihood
            if done { settled = true; break }
        }
        // Coefficients at the final θ.
        state = try GLMFit.irls(frame, family: .negativeBinomial(theta: theta), link: link, options: options,
                                start: (state.mu, state.regression))
        if !settled {
            report.warnings.append("The negative binomial θ did not settle in 50 alternations; θ = \(theta).")
        }
        return (state, theta)
    }

    /// θ maximising the negative binomial log-likelihood at fixed μ (MASS::theta.ml's Newton iteration, run to 1e-12).
    static func thetaMaximumLikelihood(y: [Double], mu: [Double], weights: [Double]?, start: Double) throws(ModelError) -> Double {
        var theta = max(start, 1e-6)
        for _ in 0..<100 {
            var score = 0.0, information = 0.0
            for i in 0..<y.count {
                let w = weights?[i] ?? 1
                let t = theta, yi = y[i], m = mu[i]
                score += w * (Gamma.digamma(t + yi) - Gamma.digamma(t) + log(t) + 1 - log(t + m) - (yi + t) / (m + t))
                information += w * (-Gamma.trigamma(t + yi) + Gamma.trigamma(t) - 1 / t + 2 / (m + t) - (yi + t) / ((m + t) * (m + t)))
            }
            guard information.isFinite, information != 0 else { break }
            var step = score / information
            if theta + step <= 0 { step = -theta / 2 }
            theta += step
            if !theta.isFinite { throw .numerical("θ of the negative binomial diverged: the data may not be overdispersed (use poisson)") }
            if abs(step) <= 1e-12 * theta { break }
        }
        return theta
    }
}

/// ψ and ψ′ for the negative binomial score.
enum Gamma {
    /// ψ(x), x > 0: recurrence up to x ≥ 10, then the asymptotic series (error below 1e-15).
    static func digamma(_ x: Double) -> Double {
        var x = x, shift = 0.0
        while x < 10 { shift -= 1 / x; x += 1 }
        let z = 1 / (x * x)
        let series = z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132)))))
        return shift + log(x) - 0.5 / x - series
    }

    /// ψ′(x), x > 0: recurrence up to x ≥ 10, then the asymptotic series.
    static func trigamma(_ x: Double) -> Double {
        var x = x, shift = 0.0
        while x < 10 { shift += 1 / (x * x); x += 1 }
        let z = 1 / (x * x)
        let series = 1 / x + z / 2 + z / x * (1.0 / 6 - z * (1.0 / 30 - z * (1.0 / 42 - z * (1.0 / 30))))
        return shift + series
    }
}
