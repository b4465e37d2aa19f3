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
                // Counts and whether any outcome is positive, per level, over every process.
                var local = [Double](repeating: 0, count: 2 * levels)
                try design.forEach { b, block throws(ModelError) in
                    let base = design.blockStarts[b], codes = block.codes[g]
                    for i in 0..<block.count where kept(base + i) {
                        local[Int(codes[i])] += 1
                        if block.y[i] != 0 { local[levels + Int(codes[i])] = 1 }
                    }
                }
                let totals = try frame.segments.sumExactly(local)
                var removed = [0.0, 0.0]
                try design.forEach { b, block throws(ModelError) in
                    let base = design.blockStarts[b], codes = block.codes[g]
                    for i in 0..<block.count where kept(base + i) {
                        let level = Int(codes[i])
                        if dropZeroGroups && totals[levels + level] == 0 {
                            drop(base + i); removed[0] += 1
                        } else if dropSingletons && totals[level] == 1 {
                            drop(base + i); removed[1] += 1
                        }
                    }
                }
                let all = try frame.segments.sumExactly(removed)
                zeroGroups += Int(all[0]); singletons += Int(all[1])
                if all[0] > 0 && !zeroNames.contains(frame.fixedEffects[g].name) { zeroNames.append(frame.fixedEffects[g].name) }
                if all[0] + all[1] > 0 { changed = true }
            }
        }
        guard singletons + zeroGroups > 0 else { return frame }
        report.drop(.onlyZeroOutcomes, count: zeroGroups, variable: zeroNames.joined(separator: ", "))
        report.drop(.singleton, count: singletons)
        var updated = frame
        updated.report = report
        return try compacted(updated, keep: kept, directory: directory)
    }

    /// The frame with only the rows `keep` accepts, fixed-effect and cluster levels renumbered
    /// in order of first appearance among them (over all processes).
    static func compacted(_ frame: OutOfCoreFrame, keep: (Int) -> Bool, directory: String) throws(ModelError) -> OutOfCoreFrame {
        let old = frame.design
        var feSeen = frame.fixedEffects.map { [Bool](repeating: false, count: $0.levelCount) }
        var clusterSeen = frame.clusters.map { [Bool](repeating: false, count: $0.levelCount) }
        var feOrder = frame.fixedEffects.map { _ in [Int32]() }, clusterOrder = frame.clusters.map { _ in [Int32]() }
        try old.forEach { b, block throws(ModelError) in
            let base = old.blockStarts[b]
            for i in 0..<block.count where keep(base + i) {
                for g in block.codes.indices where !feSeen[g][Int(block.codes[g][i])] {
                    feSeen[g][Int(block.codes[g][i])] = true; feOrder[g].append(block.codes[g][i])
                }
                for k in block.clusters.indices where !clusterSeen[k][Int(block.clusters[k][i])] {
                    clusterSeen[k][Int(block.clusters[k][i])] = true; clusterOrder[k].append(block.clusters[k][i])
                }
            }
        }
        let fe = try renumbered(frame.fixedEffects, order: feOrder, segments: frame.segments)
        let cl = try renumbered(frame.clusters, order: clusterOrder, segments: frame.segments)
        var out = try rewritten(frame, keep: keep, maps: OutOfCoreFrame.LevelMaps(fixedEffects: fe.map(\.map), clusters: cl.map(\.map)),
                                fixedEffects: fe.map(\.grouping), clusters: cl.map(\.grouping), directory: directory)
        out.observations = Int(try frame.segments.sumExactly([Double(out.design.rows)])[0])
        guard out.observations > 0 else {
            throw .noObservations(frame.report.droppedObservations.map(\.note).joined(separator: " "))
        }
        return out
    }

    /// Each grouping restricted to the levels in `order` (this process's, in order of first
    /// appearance; with several processes, theirs after it in rank order): the new grouping
    /// and the map old code → new code (−1 for a level gone).
    static func renumbered(_ groupings: [Grouping], order: [[Int32]], segments: RowSegments) throws(ModelError) -> [(grouping: Grouping, map: [Int32])] {
        var bytes: [UInt8] = []
        for o in order { RowSegments.append(o.map(Double.init), to: &bytes) }
        var lists = order.map { _ in [[Int32]]() }
        for message in try segments.exchange(bytes) {
            var at = 0
            for g in order.indices { lists[g].append(RowSegments.readDoubles(message, at: &at).map { Int32($0) }) }
        }
        return groupings.indices.map { g in
            let (kept, index) = RowSegments.united(lists[g])
            let map = (0..<groupings[g].levelCount).map { index[Int32($0)] ?? -1 }
            return (Grouping(name: groupings[g].name, codes: [], levels: kept.map { groupings[g].levels[Int($0)] }), map)
        }
    }

    /// The frame with only the rows `keep` accepts, its codes mapped by `maps`, segment by
    /// segment (so the blocks stay within their segments), with the groupings given. This
    /// process's work alone (no exchange): `observations` is the caller's to set.
    static func rewritten(_ frame: OutOfCoreFrame, keep: (Int) -> Bool, maps: OutOfCoreFrame.LevelMaps, fixedEffects: [Grouping],
                          clusters: [Grouping], directory: String) throws(ModelError) -> OutOfCoreFrame {
        let old = frame.design
        let out = try DesignBlocks(directory: directory, columns: old.columns, groupings: old.groupings, clusters: old.clusterCount,
                                   weighted: old.weighted, offset: old.hasOffset, blockRows: old.blockRows)
        for k in 0..<old.segmentCount {
            try out.beginSegment(k)
            try old.forEach(inSegment: k) { b, block throws(ModelError) in
                var block = block
                let base = old.blockStarts[b]
                for i in 0..<block.count where keep(base + i) {
                    for g in block.codes.indices { block.codes[g][i] = maps.fixedEffects[g][Int(block.codes[g][i])] }
                    for c in block.clusters.indices { block.clusters[c][i] = maps.clusters[c][Int(block.clusters[c][i])] }
                }
                try out.append(block) { keep(base + $0) }
            }
        }
        try out.finish(segments: old.segmentCount)
        return OutOfCoreFrame(formula: frame.formula, coefficientNames: frame.coefficientNames, hasIntercept: frame.hasIntercept,
                              design: out, fixedEffects: fixedEffects, clusters: clusters, report: frame.report,
                              specification: frame.specification, segments: frame.segments, observations: frame.observations)
    }
}
