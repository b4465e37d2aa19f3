import SteppeNumerics

extension InfluenceMeasures {
    /// The measures with Cook's distance, DFFITS and DFBETAS from exact leave-one-out
    /// refits (see `SensitivityModel.influence`); an observation whose refit fails keeps NaN
    /// for those three and is listed with the reason.
    func exact(_ oneStep: [InfluenceResult.Observation],
               progress: ProgressHandler?) throws(ModelError) -> ([InfluenceResult.Observation], [InfluenceResult.Failure]) {
        let n = observations, k = design.slopes, K = Double(parameterCount)
        let model = self.model, design = self.design
        let refits = Replicates.run(count: n, seed: 0, progress: progress) { i, _ in
            LeaveOutRefit.run(model, design: design, leavingOut: [i])
        }
        let gram = try weightedGram()
        let beta = model.fit.coefficients.map(\.estimate)
        let within = design.withinLeverages
        var out = oneStep
        var failed: [InfluenceResult.Failure] = []
        for i in 0..<n {
            let o = oneStep[i]
            guard case .estimated(let b, _) = refits[i] else {
                if case .failed(let why) = refits[i] { failed.append(.init(row: o.row, reason: why)) }
                out[i] = .init(row: o.row, hat: o.hat, studentizedResidual: o.studentizedResidual,
                               externallyStudentizedResidual: o.externallyStudentizedResidual, cooksDistance: .nan,
                               dffits: .nan, dfbetas: [Double](repeating: .nan, count: k))
                continue
            }
            let change = (0..<k).map { beta[$0] - b[$0] }
            var quadratic = 0.0, eta = 0.0
            for r in 0..<k {
                eta += design.xTilde[i, r] * change[r]
                for c in 0..<k { quadratic += change[r] * gram[r, c] * change[c] }
            }
            let dfbetas = (0..<k).map { j in change[j] / (dispersion * design.bread[j, j]).squareRoot() }
            let h = within[i]
            out[i] = .init(row: o.row, hat: o.hat, studentizedResidual: o.studentizedResidual,
                           externallyStudentizedResidual: o.externallyStudentizedResidual,
                           cooksDistance: quadratic / (K * dispersion),
                           dffits: eta / (dispersion * h / design.weights[i]).squareRoot(), dfbetas: dfbetas)
        }
        return (out, failed)
    }

    /// X̃ᵀWX̃ (k × k).
    func weightedGram() throws(ModelError) -> Matrix {
        var a = design.xTilde
        for j in 0..<a.columns { for i in 0..<a.rows { a[i, j] *= design.weights[i].squareRoot() } }
        do { return try BLAS.gemm(a, a, transposeA: true) } catch { throw .numerical("\(error)") }
    }

    /// The result: thresholds 4/n, 2√(K/n), 2/√n and 2K/n, and the counts above them.
    func result(_ rows: [InfluenceResult.Observation], exact: Bool, failed: [InfluenceResult.Failure]) -> InfluenceResult {
        let n = Double(observations), K = Double(parameterCount)
        let thresholds = InfluenceResult.Thresholds(cooksDistance: 4 / n, dffits: 2 * (K / n).squareRoot(),
                                                    dfbetas: 2 / n.squareRoot(), hat: 2 * K / n)
        let counts = InfluenceResult.Counts(
            cooksDistance: rows.filter { $0.cooksDistance > thresholds.cooksDistance }.count,
            dffits: rows.filter { abs($0.dffits) > thresholds.dffits }.count,
            dfbetas: rows.filter { $0.dfbetas.contains { abs($0) > thresholds.dfbetas } }.count,
            hat: rows.filter { $0.hat > thresholds.hat }.count)
        var pearson = CompensatedSum()
        for p in residual { pearson.add(p * p) }
        return InfluenceResult(terms: model.fit.coefficients.map(\.term), observations: rows, thresholds: thresholds,
                               countsAbove: counts, parameterCount: parameterCount, exact: exact,
                               unitLeverage: hat.filter { $0 >= Self.unitLeverage }.count, failed: failed,
                               pearsonDispersion: design.family == nil ? nil : pearson.value / (n - K))
    }
}
