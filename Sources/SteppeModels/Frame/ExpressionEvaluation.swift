import Foundation
import SteppeData
import SteppeNumerics

/// A column of values with optional low-order parts: value i is `high[i] + low[i]`.
///
/// Formula arithmetic (+ − × ÷ and integer powers) is carried out in double-double,
/// so that `I(x^10)` keeps the digits that rounding each power to double would lose
/// (the difference between 7.7 and 14 correct digits on NIST's Filip). Functions
/// (log, exp, …) are evaluated in double and contribute no low part.
struct ExtendedColumn {
    var high: [Double]
    var low: [Double]?

    var count: Int { high.count }

    /// Value i as a double-double (`DoubleDouble(_:_:)` renormalises the pair).
    func value(_ i: Int) -> DoubleDouble { DoubleDouble(high[i], low?[i] ?? 0) }
}

/// Why an expression cannot be evaluated on a table.
enum EvaluationError: Error {
    case unknownColumn(String, available: [String])
    case textColumn(String)
    case unknownFunction(String)
}

extension Expression {
    /// Evaluates the expression on every row of `table`; missing inputs give NaN.
    func evaluate(on table: Table) throws(EvaluationError) -> ExtendedColumn {
        let n = table.rowCount
        switch self {
        case .number(let v):
            return ExtendedColumn(high: [Double](repeating: v, count: n), low: nil)
        case .column(let name):
            guard let column = table[name] else { throw .unknownColumn(name, available: table.columnNames) }
            guard let numbers = column.numbers else { throw .textColumn(name) }
            return ExtendedColumn(high: numbers, low: nil)
        case .negate(let e):
            var v = try e.evaluate(on: table)
            for i in 0..<n { v.high[i] = -v.high[i] }
            if let low = v.low { v.low = low.map { -$0 } }
            return v
        case .call(let f, let e):
            let v = try e.evaluate(on: table)
            if f == "I" { return v }
            let g: (Double) -> Double
            switch f {
            case "log": g = { log($0) }
            case "log1p": g = { log1p($0) }
            case "exp": g = { exp($0) }
            case "sqrt": g = { $0.squareRoot() }
            case "abs": g = { abs($0) }
            default: throw .unknownFunction(f)
            }
            // Evaluate at the double-double value rounded to double.
            return ExtendedColumn(high: (0..<n).map { g(v.value($0).doubleValue) }, low: nil)
        case .binary(let op, let a, let b):
            let x = try a.evaluate(on: table)
            if op == .power, case .number(let k) = b, k == k.rounded(), abs(k) <= 64 {
                return Self.integerPower(x, Int(k))
            }
            let y = try b.evaluate(on: table)
            if op == .power {
                return ExtendedColumn(high: (0..<n).map { pow(x.value($0).doubleValue, y.value($0).doubleValue) }, low: nil)
            }
            var high = [Double](repeating: 0, count: n)
            var low = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let u = x.value(i), v = y.value(i)
                let r: DoubleDouble
                switch op {
                case .add: r = u + v
                case .subtract: r = u - v
                case .multiply: r = u * v
                case .divide: r = u / v
                case .power: r = u   // handled above
                }
                high[i] = r.high
                low[i] = r.high.isFinite ? r.low : 0
            }
            return ExtendedColumn(high: high, low: low)
        }
    }

    /// x^k for an integer k, by repeated double-double multiplication.
    private static func integerPower(_ x: ExtendedColumn, _ k: Int) -> ExtendedColumn {
        let n = x.count
        var high = [Double](repeating: 0, count: n)
        var low = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let base = x.value(i)
            var r = DoubleDouble(1)
            for _ in 0..<abs(k) { r = r * base }
            if k < 0 { r = DoubleDouble(1) / r }
            high[i] = r.high
            low[i] = r.high.isFinite ? r.low : 0
        }
        return ExtendedColumn(high: high, low: low)
    }
}
