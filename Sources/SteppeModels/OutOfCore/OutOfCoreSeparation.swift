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

/// `SeparationDetector.detect` out of core: on a small sample, the in-memory detector;
/// on a large one, `detectByWeighting` out of core: the rectifier ("ReLU") iterations of
/// Correia, Guimarães & Zylkin (2021), as ppmlhdfe runs them, when the certificate could not
/// rule separation out. Each iteration fits u = 1(y = 0) (then max(ẑ, 0) on the y = 0 rows)
/// on X and the fixed effects with weight 10⁸ on the y > 0 rows (one out-of-core regression
/// at a demeaning tolerance of 1e-13, warm-started from the last), then two passes: the
/// stopping tests on the fitted ẑ (every ẑ ≥ 0 on the y = 0 rows, or no residual there below
/// −1e-10), then u updated on its scratch file or the separated rows marked. The same
/// tolerances (ẑ within (−0.1·1e-5, 1e-5) counts as 0) and iteration limit (1,000).
struct OutOfCoreRectifier {
    let frame: OutOfCoreFrame
    let cells: OutOfCoreCells?
    let directory: String
    var tolerance = 1e-5
    var maximumIterations = 1000

    /// The separated rows of this process (a bit per row of its design), how many there are
    /// over all processes, and whether the iterations converged.
    struct Found {
        var separated: [UInt64]
        var count: Int
        var converged: Bool
        func isSeparated(_ row: Int) -> Bool { separated[row >> 6] & (1 << UInt64(row & 63)) != 0 }
    }

    /// The separated rows: on a small sample (the in-memory detector's exact bound: m =
    /// p + ΣK_g ≤ 1,500 and n·m ≤ 4·10⁶, so at most 32 MB), the sample gathered into memory
    /// and `SeparationDetector.detect` run on it, so that the rows dropped are those of the
    /// in-memory fit; on a larger one, the rectifier iterations out of core.
    func detect() throws(ModelError) -> Found {
        let m = frame.design.columns + frame.fixedEffects.reduce(0) { $0 + $1.levelCount }
        if m <= 1500 && frame.observations * m <= 4_000_000 { return try detectInMemory() }
        return try iterate()
    }

    /// `SeparationDetector.detect` on the whole sample, gathered from every process in rank order.
    func detectInMemory() throws(ModelError) -> Found {
        let design = frame.design, p = design.columns, g = design.groupings
        var local: [Double] = []
        try design.forEach { _, block throws(ModelError) in
            for i in 0..<block.count {
                local.append(block.y[i])
                for j in 0..<p { local.append(block.x[j][i]) }
                for h in 0..<g { local.append(Double(block.codes[h][i])) }
            }
        }
        // Every process's rows, in rank order; this process's first row among them.
        var bytes: [UInt8] = []
        RowSegments.append(local, to: &bytes)
        var rows: [Double] = []
        var first = 0
        for (r, message) in try frame.segments.exchange(bytes).enumerated() {
            var at = 0
            let part = RowSegments.readDoubles(message, at: &at)
            if r < frame.segments.rank { first += part.count / (1 + p + g) }
            rows += part
        }
        let width = 1 + p + g, n = rows.count / width
        var x = Matrix(rows: n, columns: p)
        for i in 0..<n { for j in 0..<p { x[i, j] = rows[i * width + 1 + j] } }
        let groupings = frame.fixedEffects.enumerated().map { h, grouping in
            Grouping(name: grouping.name, codes: (0..<n).map { Int32(rows[$0 * width + 1 + p + h]) }, levels: grouping.levels)
        }
        let result = try SeparationDetector.detect(y: (0..<n).map { rows[$0 * width] }, x: x, groupings: groupings)
        var found = Found(separated: [UInt64](repeating: 0, count: (design.rows + 63) / 64), count: 0, converged: result.converged)
        for r in 0..<design.rows where result.separated[first + r] {
            found.separated[r >> 6] |= 1 << UInt64(r & 63)
        }
        found.count = result.separated.filter { $0 }.count
        return found
    }

    /// The rectifier iterations out of core.
    func iterate() throws(ModelError) -> Found {
        let design = frame.design, segments = frame.segments
        let none = Found(separated: [UInt64](repeating: 0, count: (design.rows + 63) / 64), count: 0, converged: true)
        let u = try RowScratch<Double>(directory: directory, vectors: 1, blocksOf: design)
        var zeros = 0.0
        try design.forEach { b, block throws(ModelError) in
            try u.write(b, [block.y.map { $0 > 0 ? 0 : 1 }])
            zeros += Double(block.y.filter { $0 == 0 }.count)
        }
        if try segments.sumExactly([zeros])[0] == 0 { return none }
        var regression = OutOfCoreRegression(levelCounts: frame.fixedEffects.map(\.levelCount), columns: design.columns)
        for _ in 1...maximumIterations {
            let s = try regression.solve(segments, design: design, tolerance: 1e-13, cells: cells) { b throws(ModelError) in
                let block = try design.read(b)
                return AbsorberBlock(count: block.count, weights: block.y.map { $0 > 0 ? 1e8 : 1 }, vectors: block.x + [try u.read(b, count: block.count)[0]],
                                     codes: block.codes)
            }
            let fit = LinearPredictor(startWeight: 0, beta: s.beta, alpha: s.fitAlpha)
            // Pass 1: are the fitted values on the y = 0 rows all ≥ 0, are their residuals all ≥ −1e-10?
            var local = [1.0, 1.0]
            try design.forEach { b, block throws(ModelError) in
                let (z, residual) = try fitted(fit, block: block, b: b, u: u)
                for i in 0..<block.count where block.y[i] == 0 {
                    if z[i] < 0 { local[0] = 0 }
                    if residual[i] < -1e-10 { local[1] = 0 }
                }
            }
            let tests = try segments.combine(local) { t, p in for k in t.indices { t[k] = min(t[k], p[k]) } }
            if tests[0] == 1 || tests[1] == 1 {
                return try marked(fit, u: u, residualsOnly: tests[0] != 1)
            }
            // Pass 2: u ← max(ẑ, 0) on the y = 0 rows.
            try design.forEach { b, block throws(ModelError) in
                let (z, _) = try fitted(fit, block: block, b: b, u: u)
                try u.write(b, [(0..<block.count).map { block.y[$0] == 0 ? max(z[$0], 0) : 0 }])
            }
        }
        var failed = none
        failed.converged = false
        return failed
    }

    /// ẑ on a block (0 on its y > 0 rows, values within the tolerance of 0 made 0) and u − ẑ.
    private func fitted(_ fit: LinearPredictor, block: DesignBlock, b: Int, u: RowScratch<Double>) throws(ModelError) -> ([Double], [Double]) {
        var plain = block
        plain.offset = nil
        var z = fit.evaluate(plain, start: { _ in 0 })
        let target = try u.read(b, count: block.count)[0]
        let residual = zip(target, z).map { $0 - $1 }
        for i in 0..<block.count {
            if block.y[i] > 0 { z[i] = 0 } else if z[i] > -0.1 * tolerance && z[i] < tolerance { z[i] = 0 }
        }
        return (z, residual)
    }

    /// The rows with ẑ > 0 among the y = 0 rows (when stopping on the residuals, ẑ taken as 0
    /// where the residual exceeds the tolerance), marked; their count over all processes.
    private func marked(_ fit: LinearPredictor, u: RowScratch<Double>, residualsOnly: Bool) throws(ModelError) -> Found {
        let design = frame.design
        var found = Found(separated: [UInt64](repeating: 0, count: (design.rows + 63) / 64), count: 0, converged: true)
        var count = 0.0
        try design.forEach { b, block throws(ModelError) in
            let (z, residual) = try fitted(fit, block: block, b: b, u: u)
            let base = design.blockStarts[b]
            for i in 0..<block.count where block.y[i] == 0 && z[i] > 0 && !(residualsOnly && residual[i] > tolerance) {
                found.separated[(base + i) >> 6] |= 1 << UInt64((base + i) & 63)
                count += 1
            }
        }
        found.count = Int(try frame.segments.sumExactly([count])[0])
        return found
    }
}
