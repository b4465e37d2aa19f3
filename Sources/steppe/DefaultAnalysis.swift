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
    static let idColumn = "region"
}
