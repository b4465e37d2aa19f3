import SteppeData

/// Observations divided into groups: the codes behind a fixed effect or a cluster variable.
///
/// `codes[i]` ∈ 0..<`levelCount` is observation i's group. Levels are numbered in
/// order of first appearance, which keeps the construction one pass over the data
/// (a dictionary lookup per row) and makes estimated fixed effects come out in data order.
public struct Grouping: Sendable, Equatable {
    /// The grouping's name: a column, or columns joined by `^` for an interaction.
    public let name: String
    /// Group of each observation, 0..<levelCount.
    public let codes: [Int32]
    /// The label of each group (for an interaction, the labels joined by `_`).
    public let levels: [String]

    /// The number of groups.
    public var levelCount: Int { levels.count }

    public init(name: String, codes: [Int32], levels: [String]) {
        self.name = name
        self.codes = codes
        self.levels = levels
    }

    /// Groups from one or more table columns (interacted when several), or `nil` at rows where any is missing.
    ///
    /// - Returns: the grouping over all rows, with code −1 where a column is missing.
    static func build(from table: Table, columns names: [String]) throws(TableError) -> Grouping {
        let columns = try names.map { n throws(TableError) in try table.column(n) }
        let n = table.rowCount
        var codes = [Int32](repeating: -1, count: n)
        var levels: [String] = []
        if columns.count == 1, case .text(let textCodes, let textLevels) = columns[0].values {
            // Recode text codes to first-appearance order in one pass.
            var map = [Int32](repeating: -1, count: textLevels.count)
            for i in 0..<n {
                let c = textCodes[i]
                if c < 0 { continue }
                if map[Int(c)] < 0 { map[Int(c)] = Int32(levels.count); levels.append(textLevels[Int(c)]) }
                codes[i] = map[Int(c)]
            }
            return Grouping(name: names[0], codes: codes, levels: levels)
        }
        var index: [[UInt64]: Int32] = [:]
        var key = [UInt64](repeating: 0, count: columns.count)
        rows: for i in 0..<n {
            for (k, column) in columns.enumerated() {
                if column.isMissing(i) { continue rows }
                switch column.values {
                case .numeric(let v), .boolean(let v): key[k] = (v[i] == 0 ? 0 : v[i]).bitPattern   // −0 and 0 are one level
                case .text(let c, _): key[k] = UInt64(c[i])
                }
            }
            if let code = index[key] {
                codes[i] = code
            } else {
                let code = Int32(levels.count)
                index[key] = code
                levels.append(columns.map { $0.text(at: i) }.joined(separator: "_"))
                codes[i] = code
            }
        }
        return Grouping(name: names.joined(separator: "^"), codes: codes, levels: levels)
    }

    /// The grouping restricted to `rows` (positions into `codes`), with empty groups removed
    /// and the rest renumbered in order of first appearance.
    public func restricted(to rows: [Int]) -> Grouping {
        var map = [Int32](repeating: -1, count: levels.count)
        var newLevels: [String] = []
        var newCodes = [Int32](repeating: 0, count: rows.count)
        for (k, i) in rows.enumerated() {
            let c = Int(codes[i])
            if map[c] < 0 { map[c] = Int32(newLevels.count); newLevels.append(levels[c]) }
            newCodes[k] = map[c]
        }
        return Grouping(name: name, codes: newCodes, levels: newLevels)
    }

    /// The number of observations in each group.
    public var groupSizes: [Int] {
        var sizes = [Int](repeating: 0, count: levelCount)
        for c in codes { sizes[Int(c)] += 1 }
        return sizes
    }

    /// Whether every group of this grouping lies within one group of `other` (this is nested in `other`).
    public func isNested(in other: Grouping) -> Bool {
        var parent = [Int32](repeating: -1, count: levelCount)
        for (c, o) in zip(codes, other.codes) {
            let p = parent[Int(c)]
            if p < 0 { parent[Int(c)] = o } else if p != o { return false }
        }
        return true
    }
}
