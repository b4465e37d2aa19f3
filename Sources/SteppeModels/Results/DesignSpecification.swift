/// How the columns of a design were built from a formula, kept with a fit so that the
/// same columns can be rebuilt on new data for prediction.
struct DesignSpecification: Sendable, Codable {
    struct Column: Sendable, Codable {
        /// Index into `terms`, or −1 for the intercept.
        var term: Int
        /// For each categorical variable of the term, the level this column indicates.
        var levels: [String: String]
        var name: String
    }
    /// The (resolved) terms, as formula text of each factor.
    var terms: [[FactorSpecification]]
    var columns: [Column]
    /// Levels seen in estimation, per categorical variable.
    var categoricalLevels: [String: [String]]
    var offset: String?
}

/// One factor of a term, in a form that survives encoding.
enum FactorSpecification: Sendable, Codable, Hashable {
    /// A numeric expression, as formula text.
    case numeric(String)
    /// A categorical variable.
    case categorical(String)
}
