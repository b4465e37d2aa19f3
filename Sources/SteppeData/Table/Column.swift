/// One named column of a `Table`.
///
/// Numbers are a contiguous `[Double]`, with NaN marking a missing value (a CSV cell
/// that is empty or `NA`). Text is stored as integer codes into a list of levels
/// (−1 marks a missing value), so a column of region names costs 4 bytes a row and
/// grouping by it needs no string comparisons. Booleans (`true`/`false` in any case)
/// are numbers 1 and 0 with their own kind, so a formula can use them as regressors.
public struct Column: Sendable, Equatable {
    /// The kind of values a column holds.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case numeric, boolean, text
    }

    /// The values of a column.
    public enum Values: Sendable, Equatable {
        /// Numbers; NaN is missing.
        case numeric([Double])
        /// 1 for true, 0 for false, NaN for missing.
        case boolean([Double])
        /// Codes into `levels`, in order of first appearance; −1 is missing.
        case text(codes: [Int32], levels: [String])
    }

    /// The column's name, from the header row.
    public let name: String
    /// The values.
    public let values: Values

    /// A column with the given name and values.
    public init(name: String, values: Values) {
        self.name = name
        self.values = values
    }

    /// A numeric column.
    public static func numeric(_ name: String, _ values: [Double]) -> Column {
        Column(name: name, values: .numeric(values))
    }

    /// A text column from strings; `nil` is missing. Levels are numbered in order of first appearance.
    public static func text(_ name: String, _ values: [String?]) -> Column {
        var index: [String: Int32] = [:]
        var levels: [String] = []
        var codes = [Int32](repeating: -1, count: values.count)
        for (i, v) in values.enumerated() {
            guard let v else { continue }
            if let c = index[v] { codes[i] = c } else {
                let c = Int32(levels.count)
                index[v] = c
                levels.append(v)
                codes[i] = c
            }
        }
        return Column(name: name, values: .text(codes: codes, levels: levels))
    }

    /// The number of rows.
    public var count: Int {
        switch values {
        case .numeric(let v), .boolean(let v): return v.count
        case .text(let codes, _): return codes.count
        }
    }

    /// The kind of the values.
    public var kind: Kind {
        switch values {
        case .numeric: return .numeric
        case .boolean: return .boolean
        case .text: return .text
        }
    }

    /// The values as numbers (booleans as 0/1), or `nil` for a text column.
    public var numbers: [Double]? {
        switch values {
        case .numeric(let v), .boolean(let v): return v
        case .text: return nil
        }
    }

    /// Whether row `i` is missing.
    public func isMissing(_ i: Int) -> Bool {
        switch values {
        case .numeric(let v), .boolean(let v): return v[i].isNaN
        case .text(let codes, _): return codes[i] < 0
        }
    }

    /// Row `i` as display text: numbers in shortest round-trip form, "NA" for missing.
    public func text(at i: Int) -> String {
        switch values {
        case .numeric(let v):
            return v[i].isNaN ? "NA" : Column.format(v[i])
        case .boolean(let v):
            return v[i].isNaN ? "NA" : (v[i] != 0 ? "true" : "false")
        case .text(let codes, let levels):
            return codes[i] < 0 ? "NA" : levels[Int(codes[i])]
        }
    }

    /// Shortest round-trip decimal text for a number, with integers written without ".0".
    public static func format(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Column {
        switch values {
        case .numeric(let v): return Column(name: name, values: .numeric(indices.map { v[$0] }))
        case .boolean(let v): return Column(name: name, values: .boolean(indices.map { v[$0] }))
        case .text(let codes, let levels): return Column(name: name, values: .text(codes: indices.map { codes[$0] }, levels: levels))
        }
    }

    /// The same values under another name.
    public func renamed(_ newName: String) -> Column { Column(name: newName, values: values) }
}
