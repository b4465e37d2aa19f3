import Foundation
import SteppeNumerics

extension ModelFrame {
    /// The same frame with only some design columns: a variant of the model on the same
    /// sample, for specification searches and extreme-bounds analyses.
    ///
    /// The sample does not change (rows were screened for every variable of the full
    /// formula), so variants are comparable; the intercept is kept when the frame has one.
    /// With an `AbsorptionCache` in the options, fits of the variants absorb each column once.
    ///
    /// - Parameter names: coefficient names (`coefficientNames`), in any order; the result
    ///   keeps the frame's order.
    /// - Throws: `ModelError.invalidOption` naming a column the frame does not have.
    public func selecting(columns names: [String]) throws(ModelError) -> ModelFrame {
        let known = Set(coefficientNames)
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw .invalidOption("the model has no column \(unknown); its columns are \(coefficientNames.joined(separator: ", "))")
        }
        let wanted = Set(names)
        return selecting(columnIndices: coefficientNames.indices.filter { wanted.contains(coefficientNames[$0]) })
    }

    /// The same frame with only the design columns of some terms (every dummy column of a
    /// categorical term), on the same sample; the intercept is kept when the frame has one.
    ///
    /// - Parameter labels: term labels as the formula writes them (`Term.label`:
    ///   `log(income)`, `region`, `x1:x2`), in any order.
    /// - Throws: `ModelError.invalidOption` naming a term the formula does not have.
    public func selecting(terms labels: [String]) throws(ModelError) -> ModelFrame {
        let known = formula.terms.map(\.label)
        let knownSet = Set(known)
        if let unknown = labels.first(where: { !knownSet.contains($0) }) {
            throw .invalidOption("the model has no term \(unknown); its terms are \(known.joined(separator: ", "))")
        }
        let wanted = Set(labels)
        let termIndices = Set(known.indices.filter { wanted.contains(known[$0]) })
        return selecting(columnIndices: specification.columns.indices.filter { termIndices.contains(specification.columns[$0].term) })
    }

    /// The frame with the columns at `indices` (and the intercept), the formula's terms
    /// reduced to those with a kept column.
    func selecting(columnIndices indices: [Int]) -> ModelFrame {
        let wanted = Set(indices)
        let keep = coefficientNames.indices.filter { j in
            wanted.contains(j) || (hasIntercept && coefficientNames[j] == "(Intercept)")
        }
        var spec = specification
        spec.columns = keep.map { specification.columns[$0] }
        let keptNames = keep.map { coefficientNames[$0] }
        let keptTermIndices = Set(keep.map { specification.columns[$0].term })
        let keptTerms = formula.terms.indices.filter { keptTermIndices.contains($0) }.map { formula.terms[$0] }
        let rhs = keptTerms.map(\.label)
        var text = formula.response.description + " ~ " + (hasIntercept || !formula.fixedEffects.isEmpty ? "" : "0 + ")
            + (rhs.isEmpty ? (hasIntercept ? "1" : "") : rhs.joined(separator: " + "))
        if !formula.fixedEffects.isEmpty {
            text += " | " + formula.fixedEffects.map { $0.joined(separator: "^") }.joined(separator: " + ")
        }
        let variant = Formula(response: formula.response, terms: keptTerms, hasIntercept: hasIntercept,
                              fixedEffects: formula.fixedEffects, text: text)
        return ModelFrame(formula: variant, response: response, design: design.columns(keep),
                          designLowParts: designLowParts?.columns(keep), coefficientNames: keptNames,
                          hasIntercept: hasIntercept, weights: weights, offset: offset, fixedEffects: fixedEffects,
                          clusters: clusters, sample: sample, report: report, specification: spec,
                          dataIdentity: dataIdentity)
    }

    /// The same frame with another outcome (one value per observation), e.g. an outcome
    /// with an effect removed to impose a null hypothesis. The frame gets a new
    /// `dataIdentity`: its outcome is other data, which an `AbsorptionCache` must not
    /// confuse with the original's.
    func replacingResponse(_ values: [Double]) -> ModelFrame {
        precondition(values.count == observations, "one outcome per observation")
        return ModelFrame(formula: formula, response: values, design: design, designLowParts: designLowParts,
                          coefficientNames: coefficientNames, hasIntercept: hasIntercept, weights: weights,
                          offset: offset, fixedEffects: fixedEffects, clusters: clusters, sample: sample,
                          report: report, specification: specification, dataIdentity: UUID())
    }
}
