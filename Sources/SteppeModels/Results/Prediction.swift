import Foundation
import SteppeData

/// Whether predictions are on the scale of the outcome (μ̂) or of the linear predictor (η̂).
public enum PredictionScale: String, Sendable, Codable, CaseIterable {
    case response, link
}

extension FitResult {
    /// Predictions for the rows of `table`, as fixest's `predict` makes them: the design is
    /// rebuilt from the formula, the estimated coefficients applied, and the estimated fixed
    /// effects added by level.
    ///
    /// A row gets NaN (never a guess) when a variable it needs is missing, when a categorical
    /// level or a fixed-effect level was not seen in estimation, or when the offset is missing.
    /// Terms dropped as collinear contribute nothing, as in the fit.
    /// - Throws: `ModelError` when the table lacks a column the model uses.
    public func predict(_ table: Table, scale: PredictionScale = .response) throws(ModelError) -> [Double] {
        let n = table.rowCount
        var eta = [Double](repeating: 0, count: n)
        let estimates = Dictionary(uniqueKeysWithValues: coefficients.map { ($0.term, $0.estimate) })

        // Numeric factors, evaluated once each.
        var numeric: [String: [Double]] = [:]
        for term in design.terms {
            for factor in term {
                guard case .numeric(let text) = factor, numeric[text] == nil else { continue }
                let expression: Expression
                do { expression = try Expression(parsing: text) } catch { throw .formula(error) }
                do { numeric[text] = try expression.evaluate(on: table).high } catch { throw ModelError.from(error) }
            }
        }
        // Categorical variables: each row's level text, NaN-marking rows with an unseen level.
        var levelText: [String: [String?]] = [:]
        for (variable, known) in design.categoricalLevels {
            let column: Column
            do { column = try table.column(variable) } catch { throw ModelError.from(error) }
            let set = Set(known)
            levelText[variable] = (0..<n).map { column.isMissing($0) ? nil : (set.contains(column.text(at: $0)) ? column.text(at: $0) : nil) }
        }
        for i in 0..<n {
            var unseen = false
            for (_, levels) in levelText where levels[i] == nil { unseen = true }
            if unseen { eta[i] = .nan }
        }
        for column in design.columns {
            guard let b = estimates[column.name] else { continue }
            if column.term < 0 {
                for i in 0..<n { eta[i] += b }
                continue
            }
            let term = design.terms[column.term]
            for i in 0..<n where !eta[i].isNaN {
                var value = 1.0
                for factor in term {
                    switch factor {
                    case .numeric(let text): value *= numeric[text]![i]
                    case .categorical(let variable): if levelText[variable]![i] != column.levels[variable] { value = 0 }
                    }
                    if value == 0 { break }
                }
                eta[i] += b * value
            }
        }
        // Fixed effects by level label.
        for fe in fixedEffects {
            let names = fe.name.split(separator: "^").map(String.init)
            let columns: [Column]
            do { columns = try names.map { n throws(TableError) in try table.column(n) } } catch { throw ModelError.from(error) }
            let index = Dictionary(uniqueKeysWithValues: zip(fe.levels, fe.values))
            for i in 0..<n where !eta[i].isNaN {
                if columns.contains(where: { $0.isMissing(i) }) { eta[i] = .nan; continue }
                let label = columns.map { $0.text(at: i) }.joined(separator: "_")
                if let v = index[label] { eta[i] += v } else { eta[i] = .nan }
            }
        }
        if let offsetText = design.offset {
            let expression: Expression
            do { expression = try Expression(parsing: offsetText) } catch { throw .formula(error) }
            let o: [Double]
            do { o = try expression.evaluate(on: table).high } catch { throw ModelError.from(error) }
            for i in 0..<n { eta[i] += o[i] }
        }
        guard scale == .response, let link else { return eta }
        return eta.map { $0.isNaN ? .nan : link.mean($0) }
    }
}
