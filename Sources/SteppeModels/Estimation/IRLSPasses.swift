@_spi(SteppeInternal) import SteppeNumerics

/// The elementwise passes of an IRLS iteration, each one pass over the rows in chunks
/// of `Parallel.chunkLength` on all cores. The chunks depend only on n, so results do
/// not depend on the number of cores; the deviance is summed in compensated blocks
/// within a chunk (`blockedSum`) and the chunk totals in double-double.
///
/// On a million rows the exponential and logarithm dominate these passes (about 5 ns
/// each); two cores halve them.
enum IRLSPasses {
    /// Working weights wᵢ = priorᵢ·(dμ/dη)²/V(μᵢ) and outcomes zᵢ = ηᵢ − offsetᵢ + (yᵢ − μᵢ)/(dμ/dη),
    /// and whether every weight is finite and ≥ 0.
    static func working(y: [Double], mu: [Double], eta: [Double], offset: [Double]?, prior: [Double]?,
                        family: Family, link: Link) -> (w: [Double], z: [Double], valid: Bool) {
        let n = y.count
        var w = [Double](repeating: 0, count: n), z = w
        let valid = w.withUnsafeMutableBufferPointer { pw in
            z.withUnsafeMutableBufferPointer { pz in
                let ws = SharedBuffer(pw.baseAddress!), zs = SharedBuffer(pz.baseAddress!)
                return Parallel.chunks(n) { rows in
                    var ok = true
                    for i in rows {
                        let m = mu[i]
                        let d = link.derivative(mu: m)
                        let wi = (prior?[i] ?? 1) * family.workingWeight(mu: m, link: link)
                        ws[i] = wi
                        zs[i] = eta[i] - (offset?[i] ?? 0) + (y[i] - m) / d
                        if !(wi.isFinite && wi >= 0) { ok = false }
                    }
                    return ok
                }.allSatisfy { $0 }
            }
        }
        return (w, z, valid)
    }

    /// The outcome of a step: η = offset + fit, μ = g⁻¹(η), whether every μ is admissible
    /// (finite, and > 0 with the log link), the deviance when it is (NaN otherwise), and
    /// max|η − η_previous| and max|η| for the convergence test.
    struct Step {
        var eta: [Double]
        var mu: [Double]
        var admissible: Bool
        var deviance: Double
        var etaChange: Double
        var etaSize: Double
    }

    static func step(fitted: [Double], offset: [Double]?, previousEta: [Double], y: [Double], prior: [Double]?,
                     family: Family, link: Link) -> Step {
        let n = fitted.count
        var eta = [Double](repeating: 0, count: n), mu = eta
        let parts = eta.withUnsafeMutableBufferPointer { pe in
            mu.withUnsafeMutableBufferPointer { pm in
                let es = SharedBuffer(pe.baseAddress!), ms = SharedBuffer(pm.baseAddress!)
                return Parallel.chunks(n) { rows -> (ok: Bool, deviance: Double, change: Double, size: Double) in
                    var ok = true, change = 0.0, size = 0.0
                    for i in rows {
                        let e = (offset?[i] ?? 0) + fitted[i]
                        let m = link.mean(e)
                        es[i] = e
                        ms[i] = m
                        if !m.isFinite || (link == .log && m <= 0) { ok = false }
                        change = max(change, abs(e - previousEta[i]))
                        size = max(size, abs(e))
                    }
                    guard ok else { return (false, .nan, change, size) }
                    let start = rows.lowerBound
                    let deviance = blockedSum(count: rows.count) { k in
                        (prior?[start + k] ?? 1) * family.unitDeviance(y[start + k], ms[start + k])
                    }
                    return (true, deviance, change, size)
                }
            }
        }
        var total = CompensatedSum()
        for p in parts { total.add(p.deviance) }
        let admissible = parts.allSatisfy(\.ok)
        return Step(eta: eta, mu: mu, admissible: admissible, deviance: admissible ? total.value : .nan,
                    etaChange: parts.map(\.change).max() ?? 0, etaSize: parts.map(\.size).max() ?? 0)
    }
}
