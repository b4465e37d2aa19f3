import SteppeNumerics

extension SensitivityModel {
    /// The leave-one-cluster-out jackknife: the model refitted once without each cluster,
    /// the CRV3 standard errors, and how much each cluster moves each coefficient.
    ///
    /// For each of the G clusters g of the estimation sample the model is refitted on the
    /// other clusters' rows, with the same estimator and options (iid standard errors, which
    /// the refit does not use; singletons and separated observations that the removal creates
    /// are trimmed, and counted per cluster), giving β̂₍₋g₎. Refits run on all cores through
    /// `Replicates.run`, whose results come back in cluster order, so the numbers do not
    /// depend on the number of threads.
    ///
    /// - CRV3 (MacKinnon, Nielsen & Webb 2023, "Leverage, influence, and the jackknife in
    ///   clustered regression models"): V₃ = (G − 1)/G · Σ_g (β̂₍₋g₎ − β̂)(β̂₍₋g₎ − β̂)ᵀ,
    ///   centred at the full-sample β̂ as summclust's CRV3 and pyfixest's `{"CRV3": g}` centre
    ///   it (not at the mean of the β̂₍₋g₎, which is summclust's CRV3J). Matches summclust's
    ///   CRV3 for OLS, and pyfixest's CRV3 for feols and fepois times (G − 1)/G when pyfixest
    ///   is run with `ssc(k_adj=False, G_adj=False)` (pyfixest multiplies the same sum by its
    ///   CRV1 factor, G/(G − 1)·(n − 1)/(n − K) by default), to 1e-10 relative in the tests.
    ///   When any refit fails, V₃ is not computed (`nil`): a jackknife without some of its
    ///   replicates has no known scaling, and dropping the clusters that fail (often the
    ///   most influential ones) would understate it. The other clusters' estimates are kept.
    /// - Leverage of cluster g (summclust's): L_g = tr(X̃_g B X̃_gᵀ W_g) = Σ_{i∈g} wᵢx̃ᵢᵀBx̃ᵢ
    ///   with B = (X̃ᵀWX̃)⁻¹ on the design after absorbing the fixed effects (`InfluenceDesign`;
    ///   for GLMs W holds the IRLS weights at convergence, so the leverage is that of the
    ///   last weighted least-squares step). The L_g add up to k. Partial leverage of term j
    ///   (summclust's): Σ_{i∈g} wᵢx̃⊥ᵢⱼ² / Σᵢ wᵢx̃⊥ᵢⱼ², x̃⊥ⱼ the residual of column j on the
    ///   others, computed as (X̃B)ᵢⱼ/Bⱼⱼ. summclust adds fixed effects as dummies unless the
    ///   cluster is the only one; the two agree without fixed effects and when the cluster is
    ///   the fixed effect (checked against a numpy port of summclust to 1e-10).
    ///
    /// - Parameters:
    ///   - cluster: the columns whose groups (interacted when several) are left out one at a
    ///     time. Default: the covariance's first cluster variable, else the first fixed
    ///     effect, else every observation on its own (leave-one-observation-out).
    ///   - terms: the terms to report. Default: every coefficient.
    ///   - top: how many of the most influential clusters to list per term. Default 5.
    ///   - progress: called as refits finish.
    /// - Throws: `ModelError.invalidOption` for an unknown term or cluster column, fewer than
    ///   two clusters, or a negative `top`; `ModelError.numerical` when the design at the
    ///   solution cannot be rebuilt.
    public func jackknife(cluster: [String]? = nil, terms: [String]? = nil, top: Int = 5,
                          progress: ProgressHandler? = nil) throws(ModelError) -> JackknifeResult {
        guard top >= 0 else { throw .invalidOption("the number of most influential clusters must be 0 or more, got \(top)") }
        var termIndices: [Int] = []
        for term in terms ?? fit.coefficients.map(\.term) { termIndices.append(try coefficientIndex(term)) }
        let design = try InfluenceDesign(self)
        let (name, groups) = try jackknifeGroups(cluster, design: design)
        guard groups.levelCount >= 2 else {
            throw .invalidOption("the jackknife needs at least two clusters, and \(name) has \(groups.levelCount) in the estimation sample; leave out a variable with more groups")
        }
        let members = groups.groupPositions
        let refits = Replicates.run(count: groups.levelCount, seed: 0, progress: progress) { g, _ in
            LeaveOutRefit.run(self, design: design, leavingOut: members[g])
        }
        return JackknifeAssembly(model: self, design: design, groups: groups, members: members, refits: refits)
            .result(name: name, termIndices: termIndices, top: top)
    }

    /// The groups to leave out, on the fit's sample, and their name.
    func jackknifeGroups(_ columns: [String]?, design: InfluenceDesign) throws(ModelError) -> (String, Grouping) {
        var chosen = columns
        if chosen == nil, case .cluster(let names)? = options.covariance, let first = names.first {
            chosen = first.split(separator: "^").map(String.init)
        }
        if chosen == nil, let fe = frame.fixedEffects.first { chosen = fe.name.split(separator: "^").map(String.init) }
        guard let chosen else {
            let levels = design.frame.sample.map { "row \($0 + 1)" }
            return ("observation", Grouping(name: "observation", codes: (0..<design.observations).map { Int32($0) }, levels: levels))
        }
        guard !chosen.isEmpty else { throw .invalidOption("name a column to leave out one group at a time") }
        for column in chosen where table[column] == nil {
            throw .invalidOption("the cluster variable '\(column)' is not a column of the data; its columns are \(table.columnNames.joined(separator: ", "))")
        }
        let all = try grouping(chosen)
        return (chosen.joined(separator: "^"), all.restricted(to: design.positions))
    }
}

extension Grouping {
    /// The positions of each group's observations, group by group.
    var groupPositions: [[Int]] {
        var out = [[Int]](repeating: [], count: levelCount)
        for (i, c) in codes.enumerated() { out[Int(c)].append(i) }
        return out
    }
}

/// Turns the refits into a `JackknifeResult`: CRV3, leave-one-out estimates, leverages.
struct JackknifeAssembly {
    let model: SensitivityModel
    let design: InfluenceDesign
    let groups: Grouping
    let members: [[Int]]
    let refits: [LeaveOutRefit]

    var beta: [Double] { model.fit.coefficients.map(\.estimate) }

    func result(name: String, termIndices: [Int], top: Int) -> JackknifeResult {
        let estimates: [[Double]?] = refits.map { if case .estimated(let b, _) = $0 { return b } else { return nil } }
        let failed: [JackknifeResult.Failure] = refits.enumerated().compactMap { g, r in
            if case .failed(let why) = r { return .init(cluster: groups.levels[g], reason: why) }
            return nil
        }
        let covariance = failed.isEmpty ? crv3(estimates.compactMap { $0 }) : nil
        let partial = partialLeverages()
        let terms = termIndices.map { j in
            term(j, estimates: estimates, partial: partial[j], covariance: covariance, top: top)
        }
        let leverages = clusterLeverages()
        return JackknifeResult(terms: terms, leverage: .init(leverages.map(\.leverage)),
                               clusterLeverage: leverages, clusterVariable: name, clusters: groups.levelCount,
                               failed: failed, crv3Covariance: covariance)
    }

    /// V₃ = (G − 1)/G · Σ_g (β̂₍₋g₎ − β̂)(β̂₍₋g₎ − β̂)ᵀ over every coefficient.
    func crv3(_ jack: [[Double]]) -> [[Double]] {
        let k = beta.count, g = Double(jack.count)
        var v = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for b in jack {
            let d = (0..<k).map { b[$0] - beta[$0] }
            for r in 0..<k { for c in 0..<k { v[r][c] += d[r] * d[c] } }
        }
        return v.map { row in row.map { $0 * (g - 1) / g } }
    }

    /// One term: its estimate, the fit's and the CRV3 standard errors, the leave-one-out
    /// estimates and the clusters that move it most.
    func term(_ j: Int, estimates: [[Double]?], partial: [Double], covariance: [[Double]]?, top: Int) -> JackknifeResult.Term {
        let c = model.fit.coefficients[j]
        var loo: [JackknifeResult.LeaveOneOut] = []
        var moves: [(g: Int, change: Double)] = []
        for (g, b) in estimates.enumerated() {
            guard let b else { continue }
            loo.append(.init(cluster: groups.levels[g], estimate: b[j], partialLeverage: partial[g]))
            moves.append((g, b[j] - c.estimate))
        }
        // Largest |change| first; ties keep cluster order.
        let ranked = moves.enumerated().sorted { a, b in
            abs(a.element.change) != abs(b.element.change) ? abs(a.element.change) > abs(b.element.change) : a.offset < b.offset
        }.prefix(top).map(\.element)
        let influential = ranked.map { m in
            JackknifeResult.Influential(cluster: groups.levels[m.g], estimate: c.estimate + m.change, change: m.change)
        }
        return .init(term: c.term, estimate: c.estimate, stdError: c.standardError,
                     crv3StdError: covariance.map { $0[j][j].squareRoot() }, leaveOneOut: loo,
                     mostInfluential: influential, partialLeverage: .init(partial))
    }

    /// Each cluster's size, leverage Σ_{i∈g} hᵢ, and the refit's observations when it trimmed more.
    func clusterLeverages() -> [JackknifeResult.ClusterLeverage] {
        let h = design.withinLeverages
        let n = design.observations
        return members.enumerated().map { g, rows in
            var s = CompensatedSum()
            for i in rows { s.add(h[i]) }
            var extra: Int? = nil
            if case .estimated(_, let used) = refits[g], used < n - rows.count { extra = used }
            return .init(cluster: groups.levels[g], observations: rows.count, leverage: s.value, refitObservations: extra)
        }
    }

    /// Partial leverages [term][cluster]: Σ_{i∈g} wᵢ(X̃B)ᵢⱼ² / Bⱼⱼ.
    func partialLeverages() -> [[Double]] {
        (0..<design.slopes).map { j in
            let bjj = design.bread[j, j]
            return members.map { rows in
                var s = CompensatedSum()
                for i in rows { s.add(design.weights[i] * design.xBread[i, j] * design.xBread[i, j]) }
                return s.value / bjj
            }
        }
    }
}
