/// What `SensitivityModel.influence` found: per observation of the estimation sample its
/// leverage, studentized residuals, Cook's distance, DFFITS and DFBETAS, with the usual
/// thresholds and how many observations exceed them.
///
/// The fields mirror the JSON results of `steppe sensitivity influence` (camelCase keys of
/// the same names; `row` is 1-based there).
public struct InfluenceResult: Sendable, Equatable {
    /// The measures of one observation. A measure that cannot be computed (leverage 1, or a
    /// failed exact refit) is NaN.
    public struct Observation: Sendable, Equatable {
        /// The observation's row in the data (0-based).
        public let row: Int
        /// hᵢ, the diagonal of the (weighted) hat matrix of the full model.
        public let hat: Double
        /// The internally studentized residual (Pearson residual for GLMs).
        public let studentizedResidual: Double
        /// The externally studentized residual (deleted residual; likelihood residual for GLMs).
        public let externallyStudentizedResidual: Double
        public let cooksDistance: Double
        public let dffits: Double
        /// (β̂ − β̂₍₋ᵢ₎) over each term's standard error, in the order of `InfluenceResult.terms`.
        public let dfbetas: [Double]
    }

    /// The cut-offs conventionally used to flag observations (Belsley, Kuh & Welsch 1980;
    /// Bollen & Jackman 1985), n observations and K parameters.
    public struct Thresholds: Sendable, Equatable {
        /// 4/n.
        public let cooksDistance: Double
        /// 2√(K/n), for |DFFITS|.
        public let dffits: Double
        /// 2/√n, for |DFBETAS|.
        public let dfbetas: Double
        /// 2K/n.
        public let hat: Double
    }

    /// How many observations exceed each threshold (DFBETAS: in any term).
    public struct Counts: Sendable, Equatable {
        public let cooksDistance: Int
        public let dffits: Int
        public let dfbetas: Int
        public let hat: Int
    }

    /// An observation whose exact leave-one-out refit failed.
    public struct Failure: Sendable, Equatable {
        /// Its row in the data (0-based).
        public let row: Int
        public let reason: String
    }

    /// The terms of `Observation.dfbetas` (every coefficient of the fit).
    public let terms: [String]
    /// Every observation of the estimation sample, in sample order.
    public let observations: [Observation]
    public let thresholds: Thresholds
    public let countsAbove: Counts
    /// K: the parameters counted in Cook's distance and the thresholds (slopes plus the
    /// fixed-effect levels).
    public let parameterCount: Int
    /// Whether Cook's distance, DFFITS and DFBETAS come from exact leave-one-out refits
    /// (GLMs with `exact`) rather than the one-step approximation; for OLS the closed forms
    /// are exact either way.
    public let exact: Bool
    /// Observations with leverage 1 (to rounding), whose measures are NaN: the model fits
    /// them exactly whatever their outcome.
    public let unitLeverage: Int
    /// Exact refits that failed, with the reason.
    public let failed: [Failure]
    /// Σpᵢ²/(n − K), the Pearson estimate of the dispersion, for GLMs (`nil` for OLS). For
    /// Poisson models, whose φ is 1, a value far above 1 means the residuals and Cook's
    /// distances are inflated by overdispersion (by about its square root and itself).
    public let pearsonDispersion: Double?

    /// The `count` observations with the largest Cook's distance (NaN last), largest first.
    public func mostInfluential(_ count: Int) -> [Observation] {
        let ranked = observations.enumerated().sorted { a, b in
            let x = a.element.cooksDistance, y = b.element.cooksDistance
            if x.isNaN != y.isNaN { return !x.isNaN }
            return x != y && !x.isNaN ? x > y : a.offset < b.offset
        }
        return ranked.prefix(max(count, 0)).map(\.element)
    }
}
