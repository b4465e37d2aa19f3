/// A column of region labels as a `Table` stores text (SteppeData's
/// `Column.Values.text`): one code per row into `levels`, −1 for a missing cell, which is
/// the region "NA" as `Column.text(at:)` shows it.
///
/// Migration matrices are built from codes rather than from one String per row: on a
/// 1,000 × 1,000 table, hashing 2 × 10⁶ region names (the origin and destination of every
/// row, and again for the distances) took a quarter of `steppe indices`; with codes each
/// distinct level is looked up once.
public struct RegionLabels: Sendable, Equatable {
    /// Per row, the index of its label in `levels`; −1 for a missing label.
    public var codes: [Int32]
    /// The distinct labels.
    public var levels: [String]

    public init(codes: [Int32], levels: [String]) {
        precondition(codes.allSatisfy { $0 >= -1 && $0 < levels.count }, "a code outside the levels")
        self.codes = codes
        self.levels = levels
    }

    /// Labels from names, numbered in order of first appearance.
    public init(_ names: [String]) {
        var index: [String: Int32] = [:], levels: [String] = []
        codes = names.map { name in
            if let c = index[name] { return c }
            index[name] = Int32(levels.count)
            levels.append(name)
            return Int32(levels.count - 1)
        }
        self.levels = levels
    }

    /// The rows at `rows`, in that order (the same levels).
    public func rows(_ rows: [Int]) -> RegionLabels { RegionLabels(unchecked: rows.map { codes[$0] }, levels: levels) }

    private init(unchecked codes: [Int32], levels: [String]) { self.codes = codes; self.levels = levels }

    /// The label of `code`.
    func name(_ code: Int32) -> String { code < 0 ? "NA" : levels[Int(code)] }

    /// For each code + 1 (slot 0: missing), the index in `regions` of its label, or −1.
    func positions(in regions: [String: Int]) -> [Int] {
        [regions["NA"] ?? -1] + levels.map { regions[$0] ?? -1 }
    }
}
