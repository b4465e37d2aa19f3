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
        let keep = coefficientNames.indices.filter { j in
            wanted.contains(coefficientNames[j]) || (hasIntercept && coefficientNames[j] == "(Intercept)")
        }
        var spec = specification
        spec.columns = keep.map { specification.columns[$0] }
        let keptNames = keep.map { coefficientNames[$0] }
        let rhs = keptNames.filter { $0 != "(Intercept)" }
        var text = formula.response.description + " ~ " + (hasIntercept || !formula.fixedEffects.isEmpty ? "" : "0 + ")
            + (rhs.isEmpty ? (hasIntercept ? "1" : "") : rhs.joined(separator: " + "))
        if !formula.fixedEffects.isEmpty {
            text += " | " + formula.fixedEffects.map { $0.joined(separator: "^") }.joined(separator: " + ")
        }
        let keptTerms = formula.terms.filter { t in keptNames.contains(t.label) }
        let variant = Formula(response: formula.response, terms: keptTerms, hasIntercept: hasIntercept,
                              fixedEffects: formula.fixedEffects, text: text)
        return ModelFrame(formula: variant, response: response, design: design.columns(keep),
                          designLowParts: designLowParts?.columns(keep), coefficientNames: keptNames,
                          hasIntercept: hasIntercept, weights: weights, offset: offset, fixedEffects: fixedEffects,
                          clusters: clusters, sample: sample, report: report, specification: spec,
                          dataIdentity: dataIdentity)
    }
}
