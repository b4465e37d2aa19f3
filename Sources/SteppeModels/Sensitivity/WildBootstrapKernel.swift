import Foundation
import SteppeNumerics

/// The per-term matrices of the fast wild bootstrap (see `WildBootstrap` for the algebra),
/// for one- and two-way clustering (`WildClusterStructure`), stacked into one matrix M of
/// 2 + 2T rows by G_b bootcluster columns (column-major), T = Σ over the variance's terms of
/// their cluster counts:
/// - row 0: c_g = aᵀS_g(δ=0) (the numerator's weights), row 1: c₁_g = aᵀH_g a/A_tt;
/// - rows 2…: J₀ of every term (term D's G_D rows: J₀[h, g] = C₀[h, g] − L_hᵀŜ_g − F_û[h, g],
///   C₀[h, g] = Σ_{cells ⊂ h ∩ g} aᵀS_c), then J₁ in the same order
///   (J₁[h, g] = (C₁[h, g] − L_hᵀH_g a − F_ξ[h, g])/A_tt, C₁ = Σ aᵀH_c a).
/// Replicate b's weights v give U = M·v, and N = n0 + δn1 with n0 = U₀, n1 = U₁ and
/// D = Σ_D w_D‖J₀v + δJ₁v‖² with w_D the term's signed factor (`rowWeights`). All
/// replicates of a block are one BLAS dgemm, M (2 + 2T × G_b) times the block's weights
/// (G_b × 512): O(T·G_b) per replicate, nothing of size n.
struct WildTermKernel: Sendable {
    let bootCount: Int
    /// ĉ of every bootcluster (row 0 of M) and, per term, the cluster sums of ĉ.
    let c: [Double]
    /// The observed variance of β̂_t: Σ_D w_D Σ_{h∈D} ĉ_h² (CRV1 one-way; CGM two-way).
    let variance: Double
    /// M, (2 + 2T) × G_b column-major.
    let stacked: Matrix
    /// w_D for each of the T stacked rows of J₀ (the same for J₁).
    let rowWeights: [Double]

    init(_ design: BootstrapClusterDesign, structure: WildClusterStructure, term m: Int) throws(ModelError) {
        let C = design.clusterCount, k = design.k, G = structure.boot.levelCount
        let a = design.breadColumn(m), att = design.bread[m, m]
        guard att > 0, att.isFinite else { throw .numerical("the bread's diagonal for the tested term is not positive") }
        let cell = Self.cellSums(design, a: a)
        // Per bootcluster: Ŝ_g and H_g a (k each), ĉ_g and d_g.
        var sg = [Double](repeating: 0, count: G * k), hga = sg
        var cg = [Double](repeating: 0, count: G), dg = cg
        for q in 0..<C {
            let g = structure.cellBoot[q]
            for j in 0..<k { sg[g * k + j] += design.scoreSums[q * k + j]; hga[g * k + j] += cell.ha[q * k + j] }
            cg[g] += cell.chat[q]; dg[g] += cell.d[q]
        }
        let fe = design.absorber == nil ? nil : try Self.fixedEffectTerms(design, structure: structure, a: a)
        let T = structure.stackedCount, R = 2 + 2 * T
        var M = Matrix(rows: R, columns: G)
        for g in 0..<G { M[0, g] = cg[g]; M[1, g] = dg[g] / att }
        var weights: [Double] = []
        var variance = 0.0, offset = 0
        for term in structure.terms {
            let block = Self.termBlock(design, term, cell: cell, cellBoot: structure.cellBoot, boots: G, sg: sg, hga: hga)
            for h in 0..<term.count {
                for g in 0..<G {
                    var j0 = block.c0[h + g * term.count] - block.ls[h + g * term.count]
                    var j1 = block.c1[h + g * term.count] - block.lha[h + g * term.count]
                    if let fe { j0 -= Self.sum(fe.u, term, h, g, C); j1 -= Self.sum(fe.x, term, h, g, C) }
                    M[2 + offset + h, g] = j0
                    M[2 + T + offset + h, g] = j1 / att
                }
            }
            variance += term.weight * block.chat.reduce(0) { $0 + $1 * $1 }
            weights += [Double](repeating: term.weight, count: term.count)
            offset += term.count
        }
        bootCount = G
        c = cg
        self.variance = variance
        stacked = M
        rowWeights = weights
    }

    /// Σ over the cells of cluster h of term D of F[cell, g] (F cells × G_b, column-major).
    @inline(__always)
    static func sum(_ f: [Double], _ term: WildClusterStructure.Term, _ h: Int, _ g: Int, _ cells: Int) -> Double {
        var s = 0.0
        for q in 0..<cells where term.cellCluster[q] == h { s += f[q + g * cells] }
        return s
    }

    /// Per cell: H_c a (k each), ĉ_c = aᵀS_c and d_c = aᵀH_c a.
    static func cellSums(_ design: BootstrapClusterDesign, a: [Double]) -> (ha: [Double], chat: [Double], d: [Double]) {
        let C = design.clusterCount, k = design.k
        var ha = [Double](repeating: 0, count: C * k)
        for q in 0..<C { for j in 0..<k { for l in 0..<k { ha[q * k + j] += design.grams[q * k * k + j * k + l] * a[l] } } }
        let chat = design.projectedScores(a)
        let d = (0..<C).map { q in (0..<k).reduce(0.0) { $0 + a[$1] * ha[q * k + $1] } }
        return (ha, chat, d)
    }

    /// One term's G_D × G_b blocks (column-major): C₀, C₁, L_hᵀŜ_g, L_hᵀH_g a, and its
    /// clusters' ĉ_h, with L_h = A·H_h a.
    static func termBlock(_ design: BootstrapClusterDesign, _ term: WildClusterStructure.Term,
                          cell: (ha: [Double], chat: [Double], d: [Double]), cellBoot: [Int], boots G: Int,
                          sg: [Double], hga: [Double]) -> (c0: [Double], c1: [Double], ls: [Double], lha: [Double], chat: [Double]) {
        let H = term.count, k = design.k
        var c0 = [Double](repeating: 0, count: H * G), c1 = c0
        var hha = [Double](repeating: 0, count: H * k), chat = [Double](repeating: 0, count: H)
        for q in 0..<design.clusterCount {
            let h = term.cellCluster[q], g = cellBoot[q]
            c0[h + g * H] += cell.chat[q]
            c1[h + g * H] += cell.d[q]
            chat[h] += cell.chat[q]
            for j in 0..<k { hha[h * k + j] += cell.ha[q * k + j] }
        }
        var lh = [Double](repeating: 0, count: H * k)
        for h in 0..<H { for j in 0..<k { for l in 0..<k { lh[h * k + j] += design.bread[j, l] * hha[h * k + l] } } }
        var ls = [Double](repeating: 0, count: H * G), lha = ls
        for g in 0..<G {
            for h in 0..<H {
                var s = 0.0, x = 0.0
                for j in 0..<k { s += lh[h * k + j] * sg[g * k + j]; x += lh[h * k + j] * hga[g * k + j] }
                ls[h + g * H] = s
                lha[h + g * H] = x
            }
        }
        return (c0, c1, ls, lha, chat)
    }

    /// F_û[c, g] = Σ_{i∈g} wᵢP(ξ⊙1_c)ᵢûᵢ and F_ξ[c, g] = Σ_{i∈g} wᵢP(ξ⊙1_c)ᵢξᵢ for every cell c
    /// and bootcluster g (cells × G_b, column-major), ξ = X̃a: the part of the bootstrap
    /// residuals that fixed effects not nested in the bootclusters absorb
    /// (P v = v − (v demeaned), P the W-weighted projection on the dummies, self-adjoint, so
    /// F[h, g] = Σ_{i∈h} wᵢξᵢP(ũ⊙1_g)ᵢ sums over h's cells). One absorption per cell, 16
    /// cells' vectors together, before the replicates.
    static func fixedEffectTerms(_ design: BootstrapClusterDesign, structure: WildClusterStructure,
                                 a: [Double]) throws(ModelError) -> (u: [Double], x: [Double]) {
        guard let absorber = design.absorber else { return ([], []) }
        let n = design.n, C = design.clusterCount
        let xi: [Double]
        do { xi = try BLAS.gemv(design.xTilde, a) } catch { throw .numerical("\(error)") }
        var fu = [Double](repeating: 0, count: C * structure.boot.levelCount), fx = fu
        let codes = design.codes, boot = structure.boot.codes, w = design.weights, u = design.residual
        var start = 0
        while start < C {
            let block = Array(start..<min(C, start + 16))
            var m = Matrix(rows: n, columns: block.count)
            for (col, h) in block.enumerated() { for i in 0..<n where Int(codes[i]) == h { m[i, col] = xi[i] } }
            let residual = try BootstrapClusterDesign.demeaned(m, absorber)
            for (col, h) in block.enumerated() {
                for i in 0..<n {
                    let p = m[i, col] - residual[i, col], g = Int(boot[i])
                    fu[h + g * C] += w[i] * p * u[i]
                    fx[h + g * C] += w[i] * p * xi[i]
                }
            }
            start += 16
        }
        return (fu, fx)
    }
}

extension WildTermKernel {
    /// n0, n1, q0, q1, q2 of every replicate (WCU: the δ parts 0; `BootstrapDistribution`
    /// with factor 1, the factors being in `rowWeights`). Blocks of `blockSize` replicates
    /// (fixed by the replicate count alone) run on all cores (`serial`: on the calling
    /// thread, for tests); each block is one dgemm U = M·V and a pass over U's columns in a
    /// fixed order, so a replicate's numbers do not depend on the thread that computed it.
    func distribution(_ draws: WildWeightDraws, imposeNull: Bool, blockSize: Int = 512,
                      serial: Bool = false) -> BootstrapDistribution {
        let G = bootCount, T = rowWeights.count
        // WCU needs rows 0 and 2..<2 + T only: M without the J₁ rows.
        let m = imposeNull ? stacked : leadingRows(2 + T)
        let R = m.rows, weights = rowWeights
        let parts = draws.blocks(size: blockSize, serial: serial) { range, v in
            var out = BootstrapDistribution(count: range.count, factor: 1)
            let vb = try! Matrix(rows: G, columns: range.count, columnMajor: Array(v))
            var u = Matrix(rows: R, columns: range.count)
            try! BLAS.gemm(m, vb, into: &u)
            u.withUnsafeBufferPointer { pu in
                weights.withUnsafeBufferPointer { w in
                    for col in 0..<range.count {
                        let column = pu.baseAddress! + col * R
                        let u0 = column + 2, u1 = column + 2 + T
                        var q0 = 0.0, q1 = 0.0, q2 = 0.0
                        for r in 0..<T { q0 += w[r] * u0[r] * u0[r] }
                        out.n0[col] = column[0]
                        out.q0[col] = q0
                        guard imposeNull else { continue }
                        for r in 0..<T { let x = w[r] * u0[r]; q1 += x * u1[r]; q2 += w[r] * u1[r] * u1[r] }
                        out.n1[col] = column[1]; out.q1[col] = q1; out.q2[col] = q2
                    }
                }
            }
            return out
        }
        var all = BootstrapDistribution(count: 0, factor: 1)
        all.reserve(draws.replicates)
        for p in parts { all.append(p) }
        return all
    }

    /// The first `count` rows of M.
    func leadingRows(_ count: Int) -> Matrix {
        var out = Matrix(rows: count, columns: stacked.columns)
        for g in 0..<stacked.columns { for r in 0..<count { out[r, g] = stacked[r, g] } }
        return out
    }
}
