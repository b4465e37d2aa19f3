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

    /// The outcome of a step, besides η and μ themselves (which `step` writes in place):
    /// whether every μ is admissible (finite, and > 0 with the log link), the deviance when
    /// it is (NaN otherwise), and max|η − η_previous| and max|η| for the convergence test.
    struct Step {
        var admissible: Bool
        var deviance: Double
        var etaChange: Double
        var etaSize: Double
    }

    /// The step to η = offset + fit: `eta` holds the fit on entry and η on return, `mu` is
    /// overwritten with μ = g⁻¹(η) (both n long). Written in place, so that an IRLS
    /// iteration allocates no n-vectors for its step: on 1e7 rows the two arrays of a new
    /// η and μ beside the old were 160 MB of the fit's peak.
    static func step(eta: inout [Double], mu: inout [Double], offset: [Double]?, previousEta: [Double], y: [Double],
                     prior: [Double]?, family: Family, link: Link) -> Step {
        let n = eta.count
        precondition(mu.count == n, "μ and η have one element per observation")
        let parts = eta.withUnsafeMutableBufferPointer { pe in
            mu.withUnsafeMutableBufferPointer { pm in
                let es = SharedBuffer(pe.baseAddress!), ms = SharedBuffer(pm.baseAddress!)
                return Parallel.chunks(n) { rows -> (ok: Bool, deviance: Double, change: Double, size: Double) in
                    var ok = true, change = 0.0, size = 0.0
                    for i in rows {
                        let e = (offset?[i] ?? 0) + es[i]
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
        return Step(admissible: admissible, deviance: admissible ? total.value : .nan,
                    etaChange: parts.map(\.change).max() ?? 0, etaSize: parts.map(\.size).max() ?? 0)
    }
}
