import SteppeNumerics

/// `SeparationDetector.certifiesNoSeparation` out of core: whether no observation of a
/// Poisson-type model can be separated, by the same random test (the same seed, the same
/// draws in the same order, the same 1e-9 criterion): a random r = Xγ + Dα fitted on the
/// y > 0 rows alone (here: weight 1 there, 0 elsewhere, which every level seen on a y > 0
/// row makes the same fit), then predicted on the y = 0 rows. Four passes and one
/// out-of-core regression at a demeaning tolerance of 1e-13.
///
/// When the test does not certify, separation is possible but not proven; the rectifier
/// iterations that would decide it are not run out of core, and the fit's report says so.
enum OutOfCoreSeparation {
    static func certifiesNoSeparation(_ frame: OutOfCoreFrame, cells: OutOfCoreCells?) throws(ModelError) -> Bool {
        let design = frame.design, p = design.columns
        var squares = [Double](repeating: 0, count: p)
        var positive = 0
        var seen = frame.fixedEffects.map { [Bool](repeating: false, count: $0.levelCount) }
        try design.forEach { _, block throws(ModelError) in
            for j in 0..<p { for v in block.x[j] { squares[j] += v * v } }
            for i in 0..<block.count where block.y[i] > 0 {
                positive += 1
                for g in seen.indices { seen[g][Int(block.codes[g][i])] = true }
            }
        }
        if positive == design.rows { return true }
        guard positive > 0 else { return false }
        if seen.contains(where: { $0.contains(false) }) { return false }
        var random = SeededRandom(seed: 0x5E9A_4A71)
        var gamma = [Double](repeating: 0, count: p)
        for j in 0..<p {
            let rms = (squares[j] / Double(design.rows)).squareRoot()
            guard rms > 0 else { continue }
            gamma[j] = random.nextNormal() / rms
        }
        let alpha = frame.fixedEffects.map { g in (0..<g.levelCount).map { _ in random.nextNormal() } }
        let target = LinearPredictor(startWeight: 0, beta: gamma, alpha: alpha)
        func withoutOffset(_ block: DesignBlock) -> DesignBlock { var b = block; b.offset = nil; return b }
        var scale = 0.0
        try design.forEach { _, block throws(ModelError) in
            for v in target.evaluate(withoutOffset(block), start: { _ in 0 }) { scale = max(scale, abs(v)) }
        }
        guard scale > 0 else { return false }
        var regression = OutOfCoreRegression(levelCounts: frame.fixedEffects.map(\.levelCount), columns: p)
        let fit = try regression.solve(blocks: design.blockCount, tolerance: 1e-13, cells: cells) { b throws(ModelError) in
            let block = try design.read(b)
            let r = target.evaluate(withoutOffset(block), start: { _ in 0 })
            return AbsorberBlock(count: block.count, weights: block.y.map { $0 > 0 ? 1 : 0 }, vectors: block.x + [r], codes: block.codes)
        }
        if regression.demeaningFailed { return false }
        let prediction = LinearPredictor(startWeight: 0, beta: fit.beta, alpha: fit.fitAlpha)
        var worst = 0.0
        try design.forEach { _, block throws(ModelError) in
            let plain = withoutOffset(block)
            let r = target.evaluate(plain, start: { _ in 0 }), z = prediction.evaluate(plain, start: { _ in 0 })
            for i in 0..<block.count where block.y[i] == 0 { worst = max(worst, abs(z[i] - r[i])) }
        }
        return worst <= 1e-9 * scale
    }
}
