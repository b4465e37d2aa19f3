import SteppeData

/// One edit of a numeric column for a counterfactual scenario: `COLUMN*=FACTOR`,
/// `COLUMN+=AMOUNT` or `COLUMN=VALUE`, applied to chosen rows.
///
/// A scenario changes the data, never the fitted model: predictions under it apply the
/// estimated coefficients (and fixed effects) to the edited rows (`FitResult.predict`).
public struct ScenarioChange: Sendable, Hashable, CustomStringConvertible {
    /// How the value changes.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        /// x ← x · value (`*=`).
        case multiply = "*="
        /// x ← x + value (`+=`).
        case add = "+="
        /// x ← value (`=`).
        case set = "="
    }

    /// The column edited; it must be numeric.
    public let column: String
    public let operation: Operation
    /// A finite number.
    public let value: Double

    public init(column: String, operation: Operation, value: Double) {
        self.column = column
        self.operation = operation
        self.value = value
    }

    /// Parses `COLUMN*=FACTOR`, `COLUMN+=AMOUNT` or `COLUMN=VALUE` (spaces around either
    /// side are ignored).
    /// - Throws: `ModelError.invalidOption` when the text is none of these with a finite number.
    public init(parsing text: String) throws(ModelError) {
        for op in [Operation.multiply, .add, .set] {
            guard let r = text.range(of: op.rawValue) else { continue }
            let name = text[..<r.lowerBound].trimmingWhitespace
            guard !name.isEmpty, let v = Double(text[r.upperBound...].trimmingWhitespace), v.isFinite else { break }
            self.init(column: name, operation: op, value: v)
            return
        }
        throw .invalidOption("'\(text)' is not COLUMN*=FACTOR, COLUMN+=AMOUNT or COLUMN=VALUE with a finite number")
    }

    /// `COLUMN*=FACTOR` as it would be typed (integers without a decimal point).
    public var description: String {
        column + operation.rawValue + (value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)")
    }

    /// `table` with the change applied to the rows where `rows[i]` is true.
    /// - Throws: `ModelError` when the column is missing or not numeric.
    public func apply(to table: Table, rows: [Bool]) throws(ModelError) -> Table {
        let edited: Column
        do { edited = try table.column(column) } catch { throw ModelError.from(error) }
        guard case .numeric(var v) = edited.values else {
            throw .invalidOption("the change '\(description)' needs a numeric column; '\(column)' holds text")
        }
        for i in 0..<v.count where rows[i] {
            switch operation {
            case .multiply: v[i] *= value
            case .add: v[i] += value
            case .set: v[i] = value
            }
        }
        do { return try Table(columns: table.columns.map { $0.name == column ? .numeric(column, v) : $0 }) } catch { throw ModelError.from(error) }
    }
}
