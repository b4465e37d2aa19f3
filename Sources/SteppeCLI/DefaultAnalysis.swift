import SteppeModels

/// What `steppe fit` and `steppe predict` run when given no data or formula.
///
/// Departures by region (internal migration, 2022–2023) as PPML with log population as
/// the exposure, against the push factors the documents name that the real data can
/// measure: income per capita (poverty), the crude birth rate (the "high birth-rate"),
/// unemployment (the "lack of jobs"), and distance to the nearest main destination
/// (Almaty or Astana). Model (1) uses every factor, which limits it to 2022 (the only
/// unemployment year) and to the 14 regions with comparable income; model (2) drops
/// unemployment and pools both years with a year dummy. Robust (HC1) standard errors:
/// Poisson variances are wrong for migration counts, the coefficients are not.
enum DefaultAnalysis {
    static let dataset = "kazakhstan-push-factors"
    static let formulas = [
        "departures ~ log(income_2020_kzt_month) + crude_birth_rate + unemployment_rate_pct + log(dist_main_km)",
        "departures ~ log(income_2020_kzt_month) + crude_birth_rate + log(dist_main_km) + C(year)",
    ]
    static let model = ModelKind.ppml
    static let offset = "log(population)"
    static let vcov = "hetero"
    static let title = "Push factors of internal migration in Kazakhstan: departures by region, PPML with population exposure"

    /// The default scenario of `steppe predict`: income raised 20% in the southern regions
    /// the documents name (Zhambyl, and South Kazakhstan, now Turkistan and Shymkent).
    static let scenarioChange = "income_2020_kzt_month*=1.2"
    static let scenarioRegions = ["Zhambyl", "Turkistan", "Shymkent city"]
    /// The choices of `steppe sensitivity curve` on the default analysis: PPML or log-linear
    /// OLS (the zeros question), with or without unemployment (which limits the sample to
    /// 2022), and with or without the two cities that receive most movers.
    static let curveDimensions = ["model=ppml|ols-log", "controls=|unemployment_rate_pct",
                                  "sample=all|drop:region=Almaty city,Astana city"]

    /// `steppe sensitivity inputs` on the default analysis without --interval: income
    /// ±10% and departures ±5% per region, an illustration the notes call assumed.
    static let inputIntervals = [InputInterval(column: "income_2020_kzt_month", kind: .factor(low: 0.9, high: 1.1)),
                                 InputInterval(column: "departures", kind: .factor(low: 0.95, high: 1.05))]

    /// The column that names a region: what `--regions` matches (`--match`'s default).
    static let idColumn = "region"

    /// When no formula was given, fills `options` with the default analysis (`formulas`,
    /// and the model, offset and covariance unless the user chose them) and returns true.
    ///
    /// - Throws: when data other than the default dataset was named without a formula.
    static func fillIn(_ options: inout ModelOptions, data: String?, formulas: [String] = DefaultAnalysis.formulas) throws(CommandFailure) -> Bool {
        guard options.formula.isEmpty else { return false }
        guard data == nil || data == dataset else {
            throw CommandFailure("give a model formula with --formula (e.g. --formula \"flow ~ log(dist) | origin + destination\")")
        }
        options.formula = formulas
        if options.model.isEmpty { options.model = [model] }
        if options.offset == nil { options.offset = offset }
        if options.vcov == nil { options.vcov = vcov }
        return true
    }
}
