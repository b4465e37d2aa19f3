/// Observations left out of an estimation, how many, and why.
public struct DroppedObservations: Sendable, Codable, Equatable {
    /// Why observations leave the sample.
    public enum Reason: String, Sendable, Codable, CaseIterable {
        /// A variable the model uses is missing (empty or NA in the data).
        case missing
        /// A variable evaluates to NaN or ±infinity (for example the log of 0).
        case nonFinite = "non-finite"
        /// The observation's weight is 0.
        case zeroWeight = "zero weight"
        /// The only observation of a fixed-effect group: its fixed effect fits it
        /// perfectly and it carries no information on the other coefficients.
        case singleton
        /// The outcome is 0 in every observation of a fixed-effect group, so the group's
        /// fixed effect would go to −∞ (Poisson-type models).
        case onlyZeroOutcomes = "fixed-effect group with only zero outcomes"
        /// Separated: the fitted mean goes to 0 as some coefficients go to ±∞ (Poisson-type
        /// models; Correia, Guimarães & Zylkin 2019).
        case separated
    }
    /// Why.
    public let reason: Reason
    /// How many observations.
    public let count: Int
    /// The variable concerned, when the reason is about one (`log(dist)`, `origin`).
    public let variable: String?

    public init(reason: Reason, count: Int, variable: String? = nil) {
        self.reason = reason
        self.count = count
        self.variable = variable
    }

    /// A sentence for the notes under a regression table.
    public var note: String {
        let obs = count == 1 ? "1 observation" : "\(count) observations"
        switch reason {
        case .missing: return "\(obs) removed: missing \(variable ?? "values")."
        case .nonFinite: return "\(obs) removed: \(variable ?? "a variable") is not finite (NaN or infinite)."
        case .zeroWeight: return "\(obs) removed: zero weight."
        case .singleton: return "\(obs) removed: singleton\(count == 1 ? "" : "s") of a fixed effect\(variable.map { " (\($0))" } ?? "")."
        case .onlyZeroOutcomes: return "\(obs) removed: \(variable.map { "\($0) " } ?? "")fixed-effect groups whose outcomes are all zero."
        case .separated: return "\(obs) removed: separated (their fitted values would be exactly zero)."
        }
    }
}

/// A term left out of the model, and why.
public struct DroppedTerm: Sendable, Codable, Equatable {
    public enum Reason: String, Sendable, Codable {
        /// A linear combination of earlier terms (the later one is dropped, as R's lm does).
        case collinear
        /// Constant within the fixed-effect groups, so the fixed effects absorb it.
        case absorbedByFixedEffects = "absorbed by fixed effects"
    }
    /// The coefficient name.
    public let term: String
    /// Why.
    public let reason: Reason

    public init(term: String, reason: Reason) {
        self.term = term
        self.reason = reason
    }

    public var note: String { "\(term) dropped: \(reason == .collinear ? "collinear with other terms" : "absorbed by the fixed effects")." }
}

/// What happened during an estimation: every change to the sample and the model,
/// and how the iterations ended. Nothing about the sample or model changes silently.
public struct EstimationReport: Sendable, Codable, Equatable {
    /// Rows of the data the model was given.
    public var rowsInData: Int
    /// Observations dropped, by reason, in the order the steps ran.
    public var droppedObservations: [DroppedObservations] = []
    /// Terms dropped, in the order of the formula.
    public var droppedTerms: [DroppedTerm] = []
    /// Whether the estimation converged (always true for a direct solve).
    public var converged: Bool = true
    /// Iterations of the outer loop (IRLS); 0 for a direct solve.
    public var iterations: Int = 0
    /// The convergence criterion reached, |ΔD|/(0.1 + |D|) for IRLS.
    public var criterion: Double? = nil
    /// The criterion that had to be met.
    public var tolerance: Double? = nil
    /// Warnings a user should read (non-convergence, fixed-effect absorption that stopped early, …).
    public var warnings: [String] = []

    public init(rowsInData: Int) { self.rowsInData = rowsInData }

    /// Total observations dropped.
    public var observationsDropped: Int { droppedObservations.reduce(0) { $0 + $1.count } }

    mutating func drop(_ reason: DroppedObservations.Reason, count: Int, variable: String? = nil) {
        guard count > 0 else { return }
        droppedObservations.append(DroppedObservations(reason: reason, count: count, variable: variable))
    }
}
