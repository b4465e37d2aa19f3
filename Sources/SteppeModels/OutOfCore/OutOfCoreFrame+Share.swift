import Foundation

extension OutOfCoreFrame {
    /// A level of a grouping as one process coded it: its key (the columns' values) and label.
    /// Hashable as a whole: a key's label is made from the key, so it is the same on every process.
    struct Level: Codable, Hashable {
        var key: [UInt64]
        var label: String
    }

    /// What one process learnt from its rows in the first pass, and after `agreed`, what
    /// all processes agree on.
    struct Share: Codable {
        var report: EstimationReport
        /// The design's columns, from the first chunk with observations (nil: none had any).
        var names: [String]?
        var hasIntercept: Bool
        var specification: DesignSpecification?
        var columns: Int
        /// The source rows of that chunk, for the message when processes disagree.
        var firstRows: [Int]
        /// The levels of each fixed effect and each cluster variable, in order of first appearance.
        var levels: [[Level]]
        var clusterLevels: [[Level]]
        /// This process's codes → the agreed codes (set by `agreed`).
        var localMaps: LevelMaps? = nil

        enum CodingKeys: String, CodingKey {
            case report, names, hasIntercept, specification, columns, firstRows, levels, clusterLevels
        }

        static func levels(_ coder: LevelCoder) -> [Level] { zip(coder.keys, coder.labels).map { Level(key: $0, label: $1) } }
    }

    /// New codes for old, per fixed effect and per cluster variable.
    struct LevelMaps {
        var fixedEffects: [[Int32]]
        var clusters: [[Int32]]

        var isIdentity: Bool {
            (fixedEffects + clusters).allSatisfy { map in map.indices.allSatisfy { map[$0] == Int32($0) } }
        }
    }

    /// The shares of all processes made one: drop counts and warnings merged in rank order
    /// (so in row order, as one process would see them), the design's columns of the first
    /// process with observations (another's that differ is an error, as between chunks), and
    /// each grouping's levels in order of first appearance over all rows, with the map from
    /// this process's codes to those.
    static func agreed(_ local: Share, segments: RowSegments) throws(ModelError) -> Share {
        let encoded: [UInt8]
        do { encoded = Array(try JSONEncoder().encode(local)) } catch { throw .invalidOption("cannot encode the levels for the other processes: \(error)") }
        let all: [Share]
        do { all = try segments.exchange(encoded).map { try JSONDecoder().decode(Share.self, from: Data($0)) } } catch let e as ModelError {
            throw e
        } catch { throw .invalidOption("cannot decode the levels of another process: \(error)") }
        var out = all[0]
        for other in all.dropFirst() { merge(other.report, into: &out.report) }
        if let lead = all.first(where: { $0.names != nil }) {
            out.names = lead.names
            out.hasIntercept = lead.hasIntercept
            out.specification = lead.specification
            out.columns = lead.columns
            if let other = all.first(where: { $0.names != nil && $0.names != lead.names }), let names = other.names {
                throw .invalidOption("the design columns differ between chunks of the data (\((lead.names ?? []).joined(separator: ", ")) against \(names.joined(separator: ", ")) in rows \(other.firstRows[0] + 1)–\(other.firstRows[1])): a categorical term whose levels are not in every chunk cannot be fitted out of core; absorb it as a fixed effect (after |) or fit in memory")
            }
        }
        let fe = (0..<local.levels.count).map { g in unite(all.map { $0.levels[g] }, rank: segments.rank) }
        let cl = (0..<local.clusterLevels.count).map { c in unite(all.map { $0.clusterLevels[c] }, rank: segments.rank) }
        out.levels = fe.map(\.levels)
        out.clusterLevels = cl.map(\.levels)
        out.localMaps = LevelMaps(fixedEffects: fe.map(\.map), clusters: cl.map(\.map))
        return out
    }

    /// The levels of all processes in order of first appearance (rank by rank, each in its
    /// own order of first appearance), and the map from process `rank`'s codes to them.
    static func unite(_ lists: [[Level]], rank: Int) -> (levels: [Level], map: [Int32]) {
        let (levels, index) = RowSegments.united(lists)
        return (levels, lists[rank].map { index[$0]! })
    }
}
