import Foundation
import SteppeNumerics

/// The negative binomial GLM with θ estimated, by alternation as MASS::glm.nb does: a
/// Poisson fit to start; then θ by maximum likelihood given μ (Newton's method on the
/// profile score), IRLS for the coefficients given θ, until θ and the log-likelihood settle.
///
/// Without overdispersion θ̂ is infinite: the likelihood rises as θ → ∞ towards the Poisson
/// model's (MASS::glm.nb then stops at its iteration limit with a finite θ, as large as the
/// limit allows, and warns "iteration limit reached"). Its score at large θ is
/// Σw[y − (y − μ)²]/(2θ²) + O(θ⁻³), so θ̂ = ∞ exactly when Σw(y − μ)² ≤ Σwy at the Poisson
/// fit, checked first; θ is also held below `thetaCeiling` in the alternation. Either way
/// the fit is the negative binomial at the ceiling, where μ/θ < 1e-8 for every observation
/// (the Poisson fit to that order), and the report says so with the numbers compared.
enum NegativeBinomialFit {
    static func fit(_ frame: ModelFrame, link: Link, options: EstimationOptions,
                    report: inout EstimationReport) throws(ModelError) -> (GLMFit.IRLSState, Double) {
        var state = try GLMFit.irls(frame, family: .poisson, link: link, options: options, start: nil)
        let y = frame.response, w = frame.weights
        let ceiling = thetaCeiling(state.mu)
        let (squares, total) = dispersionSums(y: y, mu: state.mu, weights: w)
        if squares <= total {
            state = try GLMFit.irls(frame, family: .negativeBinomial(theta: ceiling), link: link, options: options,
                                    start: (state.mu, state.regression))
            report.warnings.append(infiniteThetaWarning(ceiling, why: "Σ(y − μ)² = \(short(squares)) is not above Σy = \(short(total)) at the Poisson fit"))
            return (state, ceiling)
        }
        // Moment start: θ₀ = n / Σ(y/μ − 1)².
        var s = 0.0
        for i in 0..<y.count { let r = y[i] / state.mu[i] - 1; s += (w?[i] ?? 1) * r * r }
        var theta = try thetaMaximumLikelihood(y: y, mu: state.mu, weights: w, start: s > 0 ? Double(y.count) / s : 1, ceiling: ceiling)
        var logLikelihood = Family.negativeBinomial(theta: theta).logLikelihood(y, state.mu, weights: w)
        var alternations = 0
        var settled = false
        while alternations < 50 && theta < ceiling {
            alternations += 1
            state = try GLMFit.irls(frame, family: .negativeBinomial(theta: theta), link: link, options: options,
                                    start: (state.mu, state.regression))
            let newTheta = try thetaMaximumLikelihood(y: y, mu: state.mu, weights: w, start: theta, ceiling: ceiling)
            let newLogLikelihood = Family.negativeBinomial(theta: newTheta).logLikelihood(y, state.mu, weights: w)
            let done = abs(newTheta - theta) <= 1e-10 * newTheta && abs(newLogLikelihood - logLikelihood) <= 1e-12 * abs(newLogLikelihood)
            theta = newTheta
            logLikelihood = newLogLikelihood
            if done { settled = true; break }
        }
        // Coefficients at the final θ.
        state = try GLMFit.irls(frame, family: .negativeBinomial(theta: theta), link: link, options: options,
                                start: (state.mu, state.regression))
        if theta >= ceiling {
            report.warnings.append(infiniteThetaWarning(ceiling, why: "Newton's method on θ's score ran past it"))
        } else if !settled {
            report.warnings.append("The negative binomial θ did not settle in 50 alternations; θ = \(theta).")
        }
        return (state, theta)
    }

    /// The largest θ estimated: 1e8·max(1, max μ), so that μ/θ ≤ 1e-8 for every observation.
    static func thetaCeiling(_ mu: [Double]) -> Double {
        1e8 * max(1, mu.max() ?? 1)
    }

    /// Σw(y − μ)² and Σwy, in compensated sums: θ̂ = ∞ when the first is not above the second.
    static func dispersionSums(y: [Double], mu: [Double], weights: [Double]?) -> (squares: Double, total: Double) {
        var squares = CompensatedSum(), total = CompensatedSum()
        for i in 0..<y.count {
            let w = weights?[i] ?? 1, r = y[i] - mu[i]
            squares.add(w * r * r)
            total.add(w * y[i])
        }
        return (squares.value, total.value)
    }

    /// The report's warning for θ̂ = ∞, with the evidence `why`.
    static func infiniteThetaWarning(_ ceiling: Double, why: String) -> String {
        "θ̂ is infinite (no overdispersion: \(why)); the negative binomial likelihood rises towards the Poisson model's as θ → ∞. "
            + "Reported at θ = \(short(ceiling)), where μ/θ < 1e-8 for every observation: these are the Poisson estimates to that order; fit poisson instead."
    }

    static func short(_ x: Double) -> String { String(format: "%.6g", x) }

    /// θ maximising the negative binomial log-likelihood at fixed μ (MASS::theta.ml's
    /// Newton iteration, run to 1e-12), at most `ceiling` (returned when a step passes it).
    static func thetaMaximumLikelihood(y: [Double], mu: [Double], weights: [Double]?, start: Double,
                                       ceiling: Double = .infinity) throws(ModelError) -> Double {
        var theta = min(max(start, 1e-6), ceiling)
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
            if theta + step >= ceiling { return ceiling }
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
