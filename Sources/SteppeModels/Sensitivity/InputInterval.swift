import Foundation
import SteppeData
import SteppeNumerics

/// A loose input figure as an interval, drawn anew in every Monte Carlo draw of
/// `InputUncertainty`.
///
/// Three spellings (`--interval`):
/// - `COLUMN=LOW:HIGH`: each row's value is drawn in [LOW, HIGH] (a figure known only as
///   "between LOW and HIGH").
/// - `COLUMN*=LOW:HIGH`: each row's value is multiplied by a factor drawn in [LOW, HIGH]
///   (a relative uncertainty, e.g. `*=0.9:1.1` for ±10%).
/// - from the data: when the table has `COLUMN_low` and `COLUMN_high` (as the bundled
///   datasets store the documents' loose figures), each row is drawn in its own
///   [low, high]; rows without both keep their value.
/// Draws are independent across rows and draws; missing values stay missing.
public struct InputInterval: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case range(low: Double, high: Double)
        case factor(low: Double, high: Double)
        case columns(low: String, high: String)
    }

    public let column: String
    public let kind: Kind

    public init(column: String, kind: Kind) {
        self.column = column
        self.kind = kind
    }

    /// Parses `COLUMN=LOW:HIGH` or `COLUMN*=LOW:HIGH`.
    /// - Throws: `ModelError.invalidOption` for other text, non-finite bounds or LOW > HIGH.
    public init(parsing text: String) throws(ModelError) {
        let isFactor = text.contains("*=")
        let parts = text.components(separatedBy: isFactor ? "*=" : "=")
        let bounds = parts.count == 2 ? parts[1].split(separator: ":").map { Double($0.trimmingWhitespace) } : []
        guard parts.count == 2, !parts[0].trimmingWhitespace.isEmpty, bounds.count == 2,
              let low = bounds[0], let high = bounds[1], low.isFinite, high.isFinite else {
            throw .invalidOption("--interval '\(text)' is not COLUMN=LOW:HIGH or COLUMN*=LOW:HIGH with finite numbers")
        }
        guard low <= high else { throw .invalidOption("--interval '\(text)': the low end \(low) is above the high end \(high)") }
        let column = parts[0].trimmingWhitespace
        self.init(column: column, kind: isFactor ? .factor(low: low, high: high) : .range(low: low, high: high))
    }

    /// The intervals the table itself carries for `columns`: `X_low` and `X_high` beside `X`.
    public static func carried(by table: Table, for columns: Set<String>) -> [InputInterval] {
        columns.sorted().compactMap { name in
            guard table[name + "_low"]?.numbers != nil, table[name + "_high"]?.numbers != nil else { return nil }
            return InputInterval(column: name, kind: .columns(low: name + "_low", high: name + "_high"))
        }
    }

    public var description: String {
        switch kind {
        case let .range(low, high): return "\(column) in [\(low), \(high)]"
        case let .factor(low, high): return "\(column) × [\(low), \(high)]"
        case let .columns(low, high): return "\(column) in [\(low), \(high)] by row"
        }
    }

    /// `table` with this column drawn once (each row independently).
    /// - Throws: `ModelError` when the column is missing or not numeric, or a log-uniform
    ///   draw meets a bound ≤ 0.
    func draw(into table: Table, distribution: DrawDistribution, random: inout SeededRandom) throws(ModelError) -> Table {
        let values = try Self.numbers(table, column)
        var lows: [Double]? = nil, highs: [Double]? = nil
        if case let .columns(low, high) = kind { lows = try Self.numbers(table, low); highs = try Self.numbers(table, high) }
        var out = values
        for i in values.indices where !values[i].isNaN {
            switch kind {
            case let .range(low, high):
                out[i] = try distribution.draw(low, high, mode: min(max(values[i], low), high), &random)
            case let .factor(low, high):
                out[i] = values[i] * (try distribution.draw(low, high, mode: min(max(1, low), high), &random))
            case .columns:
                let l = lows![i], h = highs![i]
                guard l.isFinite, h.isFinite, l <= h else { continue }
                out[i] = try distribution.draw(l, h, mode: min(max(values[i], l), h), &random)
            }
        }
        do { return try Table(columns: table.columns.map { $0.name == column ? .numeric(column, out) : $0 }) } catch { throw ModelError.from(error) }
    }

    static func numbers(_ table: Table, _ name: String) throws(ModelError) -> [Double] {
        let c: Column
        do { c = try table.column(name) } catch { throw .invalidOption("--interval: \(error)") }
        guard let v = c.numbers else { throw .invalidOption("--interval: column '\(name)' is not numeric") }
        return v
    }
}

/// How a value is drawn within its interval [a, b].
public enum DrawDistribution: String, Sendable, Hashable, CaseIterable {
    /// a + U·(b − a).
    case uniform
    /// Triangular on [a, b] with its mode at the reported value (or 1 for a factor),
    /// clamped into the interval: figures near the one reported are likelier.
    case triangular
    /// exp(U(log a, log b)): every order of magnitude alike, for figures such as "twenty to
    /// a hundred times"; needs a > 0.
    case loguniform

    func draw(_ a: Double, _ b: Double, mode c: Double, _ random: inout SeededRandom) throws(ModelError) -> Double {
        guard b > a else { return a }
        let u = random.nextUniform()
        switch self {
        case .uniform:
            return a + u * (b - a)
        case .triangular:
            // Inverse CDF: F(c) = (c − a)/(b − a).
            let f = (c - a) / (b - a)
            return u < f ? a + ((b - a) * (c - a) * u).squareRoot() : b - ((b - a) * (b - c) * (1 - u)).squareRoot()
        case .loguniform:
            guard a > 0 else { throw .invalidOption("--draw loguniform needs intervals above 0, got [\(a), \(b)]") }
            return exp(log(a) + u * (log(b) - log(a)))
        }
    }
}
