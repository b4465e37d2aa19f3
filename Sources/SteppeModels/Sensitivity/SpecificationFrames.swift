import SteppeData
@_spi(SteppeInternal) import SteppeNumerics

/// The model frames of a specification curve, shared between specifications.
///
/// Specifications with the same outcome scale and fixed effects differ only in their
/// controls and their sample, so one frame of the union formula (`lhs ~ base terms + every
/// control | fixed effects`) holds all of them: each specification's frame is the union
/// frame's columns of its terms (`ModelFrame.selecting(terms:)`) on the rows of its sample.
/// That builds the outcome, the fixed-effect groupings and each variable once per key
/// instead of once per specification, and lets an `AbsorptionCache` demean each OLS column
/// once.
///
/// Sharing is exact only when the union frame screens out no row that a specification's
/// own frame would keep, i.e. when no control is missing where the base variables are not.
/// That is checked: when the union frame dropped rows for missing or non-finite values, the
/// frame of the base formula alone is built and the two samples compared; if they differ
/// (or the union frame cannot be built), the key's specifications build their own frames,
/// exactly as `steppe fit` would.
struct SpecificationFrames: Sendable {
    /// A specification's frame, the options to fit it with, and the table row of each of
    /// its observations.
    struct Prepared: Sendable {
        let frame: ModelFrame
        let options: EstimationOptions
        let tableRows: [Int]
    }

    private let table: Table
    private let options: EstimationOptions
    /// The union frame of each key, or `nil` where specifications build their own.
    private let shared: [String: (frame: ModelFrame, options: EstimationOptions)]

    /// Number of keys whose specifications share one frame, and of all keys.
    var sharedKeys: Int { shared.count }

    init(table: Table, options: EstimationOptions, plans: [SpecificationPlan]) {
        self.table = table
        self.options = options
        var byKey: [String: [SpecificationPlan]] = [:]
        var order: [String] = []
        for plan in plans {
            if byKey[plan.frameKey] == nil { order.append(plan.frameKey) }
            byKey[plan.frameKey, default: []].append(plan)
        }
        let groups = order.map { byKey[$0]! }
        let built = Parallel.map(groups.count) { k in Self.unionFrame(table, options: options, plans: groups[k]) }
        var shared: [String: (frame: ModelFrame, options: EstimationOptions)] = [:]
        for (key, frame) in zip(order, built) { if let frame { shared[key] = frame } }
        self.shared = shared
    }

    /// The frame of `plan`: from its key's union frame when shared, else built from the table.
    /// - Throws: `ModelError` as building the frame does (unknown column, no rows left).
    func prepare(_ plan: SpecificationPlan) throws(ModelError) -> Prepared {
        let rows = try plan.sample.map { rule throws(ModelError) in try rule.rows(of: table) }
        if let (union, unionOptions) = shared[plan.frameKey] {
            var labels: [String] = []
            if !plan.rhs.isEmpty {
                do { labels = try Formula(parsing: plan.response + " ~ " + plan.rhs.joined(separator: " + ")).terms.map(\.label) } catch { throw .formula(error) }
            }
            var frame = try union.selecting(terms: labels)
            if let rows {
                let keep = Set(rows)
                let positions = frame.sample.indices.filter { keep.contains(frame.sample[$0]) }
                guard !positions.isEmpty else { throw .noObservations("the sample rule \(plan.label) keeps no row of the estimation sample") }
                frame = frame.restricted(to: positions, report: frame.report)
            }
            return Prepared(frame: frame, options: unionOptions, tableRows: frame.sample)
        }
        let data = rows.map { table.rows($0) } ?? table
        let (frame, frameOptions) = try Estimator.prepare(data, formula: plan.formulaText, options: options)
        return Prepared(frame: frame, options: frameOptions, tableRows: rows.map { r in frame.sample.map { r[$0] } } ?? frame.sample)
    }

    /// The union frame of one key's plans, or `nil` when sharing would change a sample.
    static func unionFrame(_ table: Table, options: EstimationOptions,
                           plans: [SpecificationPlan]) -> (frame: ModelFrame, options: EstimationOptions)? {
        guard let first = plans.first else { return nil }
        var rhs: [String] = []
        for plan in plans { for term in plan.rhs where !rhs.contains(term) { rhs.append(term) } }
        let lhs = first.scale.lhs(first.response)
        let unionText = SpecificationPlan.formula(lhs: lhs, rhs: rhs, fixedEffects: first.fixedEffects, intercept: first.intercept)
        guard let (union, unionOptions) = try? Estimator.prepare(table, formula: unionText, options: options) else { return nil }
        let screened = union.report.droppedObservations.contains { $0.reason == .missing || $0.reason == .nonFinite }
        if screened {
            let baseTerms = rhs.filter { term in plans.allSatisfy { $0.rhs.contains(term) } }
            let baseText = SpecificationPlan.formula(lhs: lhs, rhs: baseTerms, fixedEffects: first.fixedEffects, intercept: first.intercept)
            guard let (base, _) = try? Estimator.prepare(table, formula: baseText, options: options),
                  base.sample == union.sample else { return nil }
        }
        return (union, unionOptions)
    }
}
