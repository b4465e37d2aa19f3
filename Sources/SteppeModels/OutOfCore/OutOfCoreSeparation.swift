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
        let design = frame.design, p = design.columns, segments = frame.segments
        let counts = frame.fixedEffects.map(\.levelCount), levels = counts.reduce(0, +)
        var squares = [Double](repeating: 0, count: p)
        var positive = 0
        var seen = [Bool](repeating: false, count: levels)
        try segments.fold({ k throws(ModelError) -> [Double] in
            var part = [Double](repeating: 0, count: p + 1 + levels)
            try design.forEach(inSegment: k) { _, block throws(ModelError) in
                for j in 0..<p { for v in block.x[j] { part[j] += v * v } }
                for i in 0..<block.count where block.y[i] > 0 {
                    part[p] += 1
                    var base = p + 1
                    for g in counts.indices { part[base + Int(block.codes[g][i])] = 1; base += counts[g] }
                }
            }
            return part
        }, into: { part in
            for j in 0..<p { squares[j] += part[j] }
            positive += Int(part[p])
            for l in 0..<levels where part[p + 1 + l] != 0 { seen[l] = true }
        })
        if positive == frame.observations { return true }
        guard positive > 0 else { return false }
        if seen.contains(false) { return false }
        var random = SeededRandom(seed: 0x5E9A_4A71)
        var gamma = [Double](repeating: 0, count: p)
        for j in 0..<p {
            let rms = (squares[j] / Double(frame.observations)).squareRoot()
            guard rms > 0 else { continue }
            gamma[j] = random.nextNormal() / rms
        }
        let alpha = frame.fixedEffects.map { g in (0..<g.levelCount).map { _ in random.nextNormal() } }
        let target = LinearPredictor(startWeight: 0, beta: gamma, alpha: alpha)
        func withoutOffset(_ block: DesignBlock) -> DesignBlock { var b = block; b.offset = nil; return b }
        let scale = try largest(segments, design) { block in target.evaluate(withoutOffset(block), start: { _ in 0 }).map(abs) }
        guard scale > 0 else { return false }
        var regression = OutOfCoreRegression(levelCounts: frame.fixedEffects.map(\.levelCount), columns: p)
        let fit = try regression.solve(segments, design: design, tolerance: 1e-13, cells: cells) { b throws(ModelError) in
            let block = try design.read(b)
            let r = target.evaluate(withoutOffset(block), start: { _ in 0 })
            return AbsorberBlock(count: block.count, weights: block.y.map { $0 > 0 ? 1 : 0 }, vectors: block.x + [r], codes: block.codes)
        }
        if regression.demeaningFailed { return false }
        let prediction = LinearPredictor(startWeight: 0, beta: fit.beta, alpha: fit.fitAlpha)
        let worst = try largest(segments, design) { block in
            let plain = withoutOffset(block)
            let r = target.evaluate(plain, start: { _ in 0 }), z = prediction.evaluate(plain, start: { _ in 0 })
            return (0..<block.count).map { block.y[$0] == 0 ? abs(z[$0] - r[$0]) : 0 }
        }
        return worst <= 1e-9 * scale
    }

    /// The largest value `values` gives on any row of any process.
    static func largest(_ segments: RowSegments, _ design: DesignBlocks, _ values: (DesignBlock) -> [Double]) throws(ModelError) -> Double {
        var top = 0.0
        try design.forEach { _, block throws(ModelError) in for v in values(block) { top = max(top, v) } }
        return try segments.maximum([top])[0]
    }
}
