import SteppeData

/// A spatial interaction model of Wilson's (1967) family, fitted by Poisson maximum
/// likelihood as PySAL's spint fits it (Fotheringham & O'Kelly 1989):
///
///     unconstrained:            T_ij = exp(k) · O_i^μ · D_j^α · f(c_ij)
///     production-constrained:   T_ij = A_i · D_j^α · f(c_ij)        (Σ_j T̂_ij = O_i)
///     attraction-constrained:   T_ij = B_j · O_i^μ · f(c_ij)        (Σ_i T̂_ij = D_j)
///     doubly constrained:       T_ij = A_i · B_j · f(c_ij)          (both margins)
///
/// with f(c) = c^β (power) or exp(β·c) (exponential), O_i and D_j the origin and
/// destination attractiveness variables given raw and entered as log(x) (spint's
/// `o_vars`, `d_vars`), and the balancing factors A_i, B_j the origin and destination
/// fixed effects of a Poisson regression: the fit is `Estimator.fit` with model `.ppml`
/// and `| origin`, `| destination` or `| origin + destination`, so that the constraints
/// cost nothing beyond the engine's fixed-effect absorption (a 1,000 × 1,000 doubly
/// constrained model is one PPML fit with two 1,000-level fixed effects).
///
/// Defaults: power cost, doubly constrained, an intercept in the unconstrained model,
/// intrazonal pairs left out, model-based standard errors and statsmodels' small-sample
/// factors (so that every standard error is spint's or statsmodels'). Matched: spint
/// 1.0.7's tests on the Austria 9 × 9 data (estimates, standard errors, fitted flows and
/// fit statistics), and spint and statsmodels on the models those tests do not pin.
public struct SpatialInteractionModel: Sendable {
    /// Which margins the model reproduces.
    public enum Constraint: String, Sendable, Codable, CaseIterable {
        case none, production, attraction, doubly
        /// "doubly constrained", "unconstrained".
        public var label: String { self == .none ? "unconstrained" : rawValue + "-constrained" }
    }
    /// How cost enters: c^β, or exp(β·c).
    public enum CostFunction: String, Sendable, Codable, CaseIterable {
        case power, exponential
    }

    public var flow: String
    public var origin: String
    public var destination: String
    public var cost: String
    /// Region centres: when set, the cost is the great-circle distance (km) between the
    /// origin's and the destination's centres, added to the data as the column `cost`
    /// (which the data must not have), for data without a distance column. Default `nil`.
    public var coordinates: RegionCoordinates? = nil
    public var costFunction: CostFunction = .power
    public var constraint: Constraint = .doubly
    /// Origin attractiveness columns (unconstrained and attraction-constrained models).
    public var originVariables: [String] = []
    /// Destination attractiveness columns (unconstrained and production-constrained models).
    public var destinationVariables: [String] = []
    /// The intercept of the unconstrained model; `false` is spint's `BaseGravity(constant=False)`.
    /// The constrained models' intercept is in their fixed effects.
    public var intercept = true
    /// Keep pairs with origin = destination. Default `false`.
    public var includeIntrazonal = false
    public var covariance: InteractionCovariance = .modelBased
    /// Default `.statsmodels`: the factors of the reference (spint fits by spglm/statsmodels).
    public var smallSampleCorrection: SmallSampleCorrection = .statsmodels
    public var confidenceLevel = 0.95
    /// The engine's IRLS tolerance (|ΔD|/(0.1 + |D|)). Default 1e-10, tighter than the
    /// engine's 1e-8, so that estimates agree with spint to 1e-8.
    public var tolerance = 1e-10

    public init(flow: String, origin: String, destination: String, cost: String) {
        self.flow = flow
        self.origin = origin
        self.destination = destination
        self.cost = cost
    }

    /// The PPML formula of the model, e.g. `flow ~ log(pop_d) + log(dist) | origin`.
    public var formula: String {
        var terms = originVariables.map { "log(\(Self.quoted($0)))" } + destinationVariables.map { "log(\(Self.quoted($0)))" }
        terms.append(costFunction == .power ? "log(\(Self.quoted(cost)))" : Self.quoted(cost))
        let fixed: [String]
        switch constraint {
        case .none: fixed = []
        case .production: fixed = [origin]
        case .attraction: fixed = [destination]
        case .doubly: fixed = [origin, destination]
        }
        if constraint == .none && !intercept { terms.insert("0", at: 0) }
        var text = Self.quoted(flow) + " ~ " + terms.joined(separator: " + ")
        if !fixed.isEmpty { text += " | " + fixed.map(Self.quoted).joined(separator: " + ") }
        return text
    }

    /// The name of the cost coefficient in the fit: `log(dist)` or `dist`.
    public var costTerm: String { costFunction == .power ? "log(\(cost))" : cost }

    /// A column name as the formula parser reads it: backquoted unless a plain identifier.
    static func quoted(_ name: String) -> String {
        let plain = name.first.map { $0.isLetter || $0 == "_" } == true && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        return plain ? name : "`\(name)`"
    }

    /// The attractiveness variables the constraint allows: the fixed effects of a
    /// constrained side absorb any variable of that side, so giving one is an error.
    func checkOptions() throws(InteractionError) {
        if (constraint == .production || constraint == .doubly) && !originVariables.isEmpty {
            throw .invalidOption("origin variables (\(originVariables.joined(separator: ", "))) cannot enter a \(constraint.label) model: its origin balancing factors absorb them; drop them or use --constraint none or attraction")
        }
        if (constraint == .attraction || constraint == .doubly) && !destinationVariables.isEmpty {
            throw .invalidOption("destination variables (\(destinationVariables.joined(separator: ", "))) cannot enter a \(constraint.label) model: its destination balancing factors absorb them; drop them or use --constraint none or production")
        }
        guard confidenceLevel > 0 && confidenceLevel < 1 else {
            throw .invalidOption("the confidence level must be between 0 and 1, got \(confidenceLevel)")
        }
    }
}
