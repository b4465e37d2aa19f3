/// `SampleTrimming` out of core: singletons and (for Poisson-type models) groups whose
/// outcomes are all zero, removed grouping by grouping until nothing changes, with the same
/// order of removals and the same counts as in memory. One pass per grouping per round,
/// with a bit per row of the design in memory (n/8 bytes); then one pass writes the rows
/// kept to a new design file, each grouping's levels renumbered in order of first
/// appearance among them (as `Grouping.restricted(to:)` does), so empty levels vanish.
enum OutOfCoreTrimming {
    static func trim(_ frame: OutOfCoreFrame, dropSingletons: Bool, dropZeroGroups: Bool, directory: String,
                     report: inout EstimationReport) throws(ModelError) -> OutOfCoreFrame {
        let design = frame.design
        let gCount = frame.fixedEffects.count
        guard gCount > 0, dropSingletons || dropZeroGroups else { return frame }
        var keep = [UInt64](repeating: ~0, count: (design.rows + 63) / 64)
        func kept(_ r: Int) -> Bool { keep[r >> 6] & (1 << UInt64(r & 63)) != 0 }
        func drop(_ r: Int) { keep[r >> 6] &= ~(1 << UInt64(r & 63)) }
        var singletons = 0, zeroGroups = 0, zeroNames: [String] = []
        var changed = true
        while changed {
            changed = false
            for g in 0..<gCount {
                let levels = frame.fixedEffects[g].levelCount
                var counts = [Int](repeating: 0, count: levels)
                var positive = [Bool](repeating: false, count: levels)
                try design.forEach { b, block throws(ModelError) in
                    let base = b * design.blockRows, codes = block.codes[g]
                    for i in 0..<block.count where kept(base + i) {
                        counts[Int(codes[i])] += 1
                        if block.y[i] != 0 { positive[Int(codes[i])] = true }
                    }
                }
                var removed = 0
                try design.forEach { b, block throws(ModelError) in
                    let base = b * design.blockRows, codes = block.codes[g]
                    for i in 0..<block.count where kept(base + i) {
                        let level = Int(codes[i])
                        if dropZeroGroups && !positive[level] {
                            drop(base + i); zeroGroups += 1; removed += 1
                            if !zeroNames.contains(frame.fixedEffects[g].name) { zeroNames.append(frame.fixedEffects[g].name) }
                        } else if dropSingletons && counts[level] == 1 {
                            drop(base + i); singletons += 1; removed += 1
                        }
                    }
                }
                if removed > 0 { changed = true }
            }
        }
        guard singletons + zeroGroups > 0 else { return frame }
        report.drop(.onlyZeroOutcomes, count: zeroGroups, variable: zeroNames.joined(separator: ", "))
        report.drop(.singleton, count: singletons)
        return try compacted(frame, keep: kept, directory: directory)
    }

    /// The frame with only the rows `keep` accepts, fixed-effect and cluster levels renumbered.
    static func compacted(_ frame: OutOfCoreFrame, keep: (Int) -> Bool, directory: String) throws(ModelError) -> OutOfCoreFrame {
        let old = frame.design
        let out = try DesignBlocks(directory: directory, columns: old.columns, groupings: old.groupings, clusters: old.clusterCount,
                                   weighted: old.weighted, offset: old.hasOffset, blockRows: old.blockRows)
        var feMaps = frame.fixedEffects.map { [Int32](repeating: -1, count: $0.levelCount) }
        var clusterMaps = frame.clusters.map { [Int32](repeating: -1, count: $0.levelCount) }
        var feLevels = frame.fixedEffects.map { _ in [String]() }
        var clusterLevels = frame.clusters.map { _ in [String]() }
        try old.forEach { b, block throws(ModelError) in
            var block = block
            let base = b * old.blockRows
            for i in 0..<block.count where keep(base + i) {
                for g in block.codes.indices {
                    let c = Int(block.codes[g][i])
                    if feMaps[g][c] < 0 { feMaps[g][c] = Int32(feLevels[g].count); feLevels[g].append(frame.fixedEffects[g].levels[c]) }
                    block.codes[g][i] = feMaps[g][c]
                }
                for k in block.clusters.indices {
                    let c = Int(block.clusters[k][i])
                    if clusterMaps[k][c] < 0 { clusterMaps[k][c] = Int32(clusterLevels[k].count); clusterLevels[k].append(frame.clusters[k].levels[c]) }
                    block.clusters[k][i] = clusterMaps[k][c]
                }
            }
            try out.append(block) { keep(base + $0) }
        }
        try out.finish()
        guard out.rows > 0 else {
            throw .noObservations(frame.report.droppedObservations.map(\.note).joined(separator: " "))
        }
        var next = frame
        next = OutOfCoreFrame(formula: frame.formula, coefficientNames: frame.coefficientNames, hasIntercept: frame.hasIntercept,
                              design: out,
                              fixedEffects: zip(frame.fixedEffects, feLevels).map { Grouping(name: $0.name, codes: [], levels: $1) },
                              clusters: zip(frame.clusters, clusterLevels).map { Grouping(name: $0.name, codes: [], levels: $1) },
                              report: frame.report, specification: frame.specification)
        return next
    }
}
