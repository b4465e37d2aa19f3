import Foundation
import SteppeData

/// The first pass of an out-of-core fit: the source read chunk by chunk, each chunk turned
/// into a `ModelFrame` (the same screening of missing and non-finite rows, the same design
/// columns as an in-memory fit), and its sample appended to a `DesignBlocks` scratch file,
/// with fixed-effect and cluster levels coded to dense integers across chunks (in order of
/// first appearance over the whole sample, as `Grouping` numbers them in memory).
///
/// Memory: one chunk's frame, and a dictionary of the levels seen. The design columns must
/// mean the same in every chunk: numeric terms always do; a categorical term's dummies do
/// when every chunk has the same levels, and a chunk whose columns differ is an error.
struct OutOfCoreFrame {
    let formula: Formula
    let coefficientNames: [String]
    let hasIntercept: Bool
    let design: DesignBlocks
    /// The fixed effects and clusters: names and level labels (no codes; those are in `design`).
    var fixedEffects: [Grouping]
    var clusters: [Grouping]
    var report: EstimationReport
    /// The DesignSpecification of the first chunk's frame (the same for all).
    let specification: DesignSpecification
    /// The segments of the rows and this process's share of them.
    let segments: RowSegments
    /// Rows of the estimation sample over all processes (`design.rows` is this process's).
    var observations: Int

    /// Levels of one grouping coded across chunks.
    struct LevelCoder {
        var index: [[UInt64]: Int32] = [:]
        var labels: [String] = []
        /// Each level's key: its columns' values (bit patterns; a text column's source code).
        var keys: [[UInt64]] = []
        /// For a single text column: store code → dense code.
        var textMap: [Int32] = []

        mutating func code(_ columns: [Column], row i: Int) -> Int32 {
            if columns.count == 1, case .text(let codes, let levels) = columns[0].values {
                let c = Int(codes[i])
                if textMap.count < levels.count { textMap += [Int32](repeating: -1, count: levels.count - textMap.count) }
                if textMap[c] < 0 { textMap[c] = Int32(labels.count); labels.append(levels[c]); keys.append([UInt64(UInt32(bitPattern: codes[i]))]) }
                return textMap[c]
            }
            let key = columns.map { col -> UInt64 in
                switch col.values {
                case .numeric(let v), .boolean(let v): return (v[i] == 0 ? 0 : v[i]).bitPattern
                case .text(let c, _): return UInt64(UInt32(bitPattern: c[i]))
                }
            }
            if let c = index[key] { return c }
            let c = Int32(labels.count)
            index[key] = c
            keys.append(key)
            labels.append(columns.map { $0.text(at: i) }.joined(separator: "_"))
            return c
        }
    }

    /// Reads this process's segments of `source` (`segments`: all of it for one process) in
    /// chunks of `chunkRows` rows into a design file in `directory`; with `family`, every
    /// outcome must be valid for it (`GLMFit.checkOutcomes`). With several processes, the
    /// levels, the drop counts and the design's columns are then agreed among them (`agreed`).
    static func build(source: any ChunkedTable, formula: Formula, weights: String?, offset: String?, clusters: [String],
                      chunkRows: Int, directory: String, family: Family? = nil, segments: RowSegments,
                      blockRows: Int = DesignBlocks.defaultBlockRows) throws(ModelError) -> OutOfCoreFrame {
        guard chunkRows > 0 else { throw .invalidOption("--chunk-rows must be positive, not \(chunkRows)") }
        let clusterSpecs = clusters.map { $0.split(separator: "^").map(String.init) }
        var needed = formula.columnsUsed
        for c in clusterSpecs { needed.formUnion(c) }
        let names = source.columnNames.filter { needed.contains($0) || expressionMentions(weights, $0) || expressionMentions(offset, $0) }
        var feCoders = [LevelCoder](repeating: LevelCoder(), count: formula.fixedEffects.count)
        var clusterCoders = [LevelCoder](repeating: LevelCoder(), count: clusterSpecs.count)
        var report = EstimationReport(rowsInData: source.rowCount)
        var first: ModelFrame? = nil
        var firstRows = 0..<0
        var blocks: DesignBlocks? = nil
        let local = segments.localSourceRows
        var start = local.lowerBound
        while start < local.upperBound {
            let range = start..<min(local.upperBound, start + chunkRows)
            start = range.upperBound
            let table: Table
            do {
                try source.checkUnchanged()
                table = try source.rows(range, columns: names)
            } catch { throw .invalidOption(error.message) }
            let frame: ModelFrame
            do {
                frame = try ModelFrame(table: table, formula: formula, weights: weights, offset: offset, clusters: clusters,
                                       firstRow: range.lowerBound)
            } catch .noObservations {
                merge(try screenedReport(table, range: range, formula: formula, weights: weights, offset: offset, clusters: clusters), into: &report)
                continue
            }
            merge(frame.report, into: &report)
            if let family {
                for (k, y) in frame.response.enumerated() {
                    if let why = family.invalidOutcome(y) {
                        throw .invalidOutcome("row \(range.lowerBound + frame.sample[k] + 1) of the data has \(why)")
                    }
                }
            }
            if let first {
                guard frame.coefficientNames == first.coefficientNames else {
                    throw .invalidOption("the design columns differ between chunks of the data (\(first.coefficientNames.joined(separator: ", ")) against \(frame.coefficientNames.joined(separator: ", ")) in rows \(range.lowerBound + 1)–\(range.upperBound)): a categorical term whose levels are not in every chunk cannot be fitted out of core; absorb it as a fixed effect (after |) or fit in memory")
                }
            } else {
                first = frame
                firstRows = range
                blocks = try DesignBlocks(directory: directory, columns: frame.design.columns, groupings: formula.fixedEffects.count,
                                          clusters: clusterSpecs.count, weighted: weights != nil, offset: offset != nil,
                                          blockRows: blockRows)
            }
            try append(frame, table: table, firstRow: range.lowerBound, formula: formula, clusterSpecs: clusterSpecs, to: blocks!,
                       segments: segments, feCoders: &feCoders, clusterCoders: &clusterCoders)
        }
        do { try source.checkUnchanged() } catch { throw .invalidOption(error.message) }
        let share = Share(report: report, names: first?.coefficientNames, hasIntercept: first?.hasIntercept ?? false,
                          specification: first?.specification, columns: first?.design.columns ?? 0,
                          firstRows: [firstRows.lowerBound, firstRows.upperBound],
                          levels: feCoders.map(Share.levels), clusterLevels: clusterCoders.map(Share.levels))
        let layout = Layout(formula: formula, clusterSpecs: clusterSpecs, weighted: weights != nil, offset: offset != nil,
                            directory: directory, blockRows: blockRows)
        return try assembled(share, blocks: blocks, layout: layout, segments: segments) { drops in
            canonicalOrder(drops, formula: formula, table: try? source.rows(0..<0, columns: names), weights: weights, offset: offset,
                           clusters: clusterSpecs)
        }
    }

    /// What the design file of a frame is made of.
    struct Layout {
        let formula: Formula
        let clusterSpecs: [[String]]
        let weighted: Bool
        let offset: Bool
        let directory: String
        let blockRows: Int
    }

    /// The frame of the first pass's `share` and design (none when this process had no
    /// observations): the shares agreed among processes, the drops in canonical order
    /// (`order`), the design's codes made the agreed ones.
    private static func assembled(_ local: Share, blocks: DesignBlocks?, layout: Layout, segments: RowSegments,
                                  order: ([DroppedObservations]) -> [DroppedObservations]) throws(ModelError) -> OutOfCoreFrame {
        let share = segments.isShared ? try agreed(local, segments: segments) : local
        var report = share.report
        report.droppedObservations = order(report.droppedObservations)
        guard let names = share.names, let specification = share.specification else {
            let why = report.droppedObservations.map(\.note).joined(separator: " ")
            throw .noObservations(why.isEmpty ? "the data has no rows" : why)
        }
        let design: DesignBlocks
        if let blocks { design = blocks } else {
            design = try DesignBlocks(directory: layout.directory, columns: share.columns, groupings: layout.formula.fixedEffects.count,
                                      clusters: layout.clusterSpecs.count, weighted: layout.weighted, offset: layout.offset,
                                      blockRows: layout.blockRows)
        }
        try design.finish(segments: segments.count)
        let fe = zip(layout.formula.fixedEffects, share.levels).map { Grouping(name: $0.joined(separator: "^"), codes: [], levels: $1.map(\.label)) }
        let cl = zip(layout.clusterSpecs, share.clusterLevels).map { Grouping(name: $0.joined(separator: "^"), codes: [], levels: $1.map(\.label)) }
        var frame = OutOfCoreFrame(formula: layout.formula, coefficientNames: names, hasIntercept: share.hasIntercept, design: design,
                                   fixedEffects: fe, clusters: cl, report: report, specification: specification, segments: segments,
                                   observations: Int(try segments.sumExactly([Double(design.rows)])[0]))
        // With several processes, this one's codes become the agreed ones (`agreed` sets the maps).
        if let maps = share.localMaps, !maps.isIdentity {
            frame = try OutOfCoreTrimming.rewritten(frame, keep: { _ in true }, maps: maps, fixedEffects: fe, clusters: cl,
                                                    directory: layout.directory)
        }
        return frame
    }

    /// Appends a chunk's sample, with its levels coded across chunks.
    private static func append(_ frame: ModelFrame, table: Table, firstRow: Int, formula: Formula, clusterSpecs: [[String]],
                               to blocks: DesignBlocks, segments: RowSegments,
                               feCoders: inout [LevelCoder], clusterCoders: inout [LevelCoder]) throws(ModelError) {
        func columns(_ spec: [String]) throws(ModelError) -> [Column] {
            try spec.map { n throws(ModelError) in
                do throws(TableError) { return try table.column(n) } catch { throw .table(error) }
            }
        }
        let feColumns = try formula.fixedEffects.map { s throws(ModelError) in try columns(s) }
        let clusterColumns = try clusterSpecs.map { s throws(ModelError) in try columns(s) }
        let x = frame.design
        for (k, row) in frame.sample.enumerated() {
            try blocks.beginSegment(segments.localSegment(ofSourceRow: firstRow + row))
            var fe = [Int32](), cl = [Int32]()
            for g in feColumns.indices { fe.append(feCoders[g].code(feColumns[g], row: row)) }
            for c in clusterColumns.indices { cl.append(clusterCoders[c].code(clusterColumns[c], row: row)) }
            try blocks.append(y: frame.response[k], weight: frame.weights?[k], offset: frame.offset?[k],
                              x: { x[k, $0] }, codes: { fe[$0] }, clusters: { cl[$0] })
        }
    }

    /// The drops of a chunk in which no row is left (ModelFrame then throws without them).
    private static func screenedReport(_ table: Table, range: Range<Int>, formula: Formula, weights: String?, offset: String?,
                                       clusters: [String]) throws(ModelError) -> EstimationReport {
        var screen = ModelFrame.RowScreen(table: table, firstRow: range.lowerBound)
        _ = try screen.variable(formula.response, label: formula.response.description)
        _ = try screen.factors(of: ModelFrame.resolvedTerms(formula.terms, in: table))
        if let weights { _ = try screen.weights(weights) }
        if let offset { _ = try screen.offset(offset) }
        for spec in formula.fixedEffects { _ = try screen.grouping(spec) }
        for name in clusters { _ = try screen.grouping(name.split(separator: "^").map(String.init)) }
        return screen.report
    }

    /// Adds a chunk's drop counts to the fit's, one entry per reason and variable.
    static func merge(_ chunk: EstimationReport, into report: inout EstimationReport) {
        for d in chunk.droppedObservations {
            if let k = report.droppedObservations.firstIndex(where: { $0.reason == d.reason && $0.variable == d.variable }) {
                let old = report.droppedObservations[k]
                report.droppedObservations[k] = DroppedObservations(reason: old.reason, count: old.count + d.count, variable: old.variable)
            } else {
                report.droppedObservations.append(d)
            }
        }
        for w in chunk.warnings where !report.warnings.contains(w) { report.warnings.append(w) }
    }

    /// The drops in the order a screen of the whole table lists them (`ModelFrame.RowScreen`:
    /// the outcome, the terms' parts, the weights, the offset, the fixed effects, the
    /// clusters; missing before non-finite), whatever the chunks they were first seen in.
    static func canonicalOrder(_ drops: [DroppedObservations], formula: Formula, table: Table?, weights: String?, offset: String?,
                               clusters: [[String]]) -> [DroppedObservations] {
        var labels = [formula.response.description]
        let terms = table.map { ModelFrame.resolvedTerms(formula.terms, in: $0) } ?? formula.terms
        for term in terms {
            for factor in term.factors {
                switch factor {
                case .numeric(let e): labels.append(e.description)
                case .categorical(let name): labels.append(name)
                }
            }
        }
        let weightsLabel = weights.flatMap { try? Expression(parsing: $0) }.map { "weights \($0)" }
        if let weightsLabel { labels.append(weightsLabel) }
        if let e = offset.flatMap({ try? Expression(parsing: $0) }) { labels.append("offset \(e)") }
        labels += formula.fixedEffects.map { $0.joined(separator: "^") } + clusters.map { $0.joined(separator: "^") }
        func rank(_ d: DroppedObservations) -> (Double, Int) {
            let reasons: [DroppedObservations.Reason] = [.missing, .nonFinite, .zeroWeight]
            let reason = reasons.firstIndex(of: d.reason) ?? reasons.count
            if d.reason == .zeroWeight, let w = weightsLabel, let k = labels.firstIndex(of: w) { return (Double(k) + 0.5, reason) }
            guard let v = d.variable, let k = labels.firstIndex(of: v) else { return (Double(labels.count), reason) }
            return (Double(k), reason)
        }
        return drops.enumerated().sorted { a, b in
            let (ra, rb) = (rank(a.element), rank(b.element))
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }

    /// Whether an expression's text mentions a column name (weights and offsets are expressions).
    private static func expressionMentions(_ expression: String?, _ name: String) -> Bool {
        guard let expression else { return false }
        return expression.contains(name)
    }
}
