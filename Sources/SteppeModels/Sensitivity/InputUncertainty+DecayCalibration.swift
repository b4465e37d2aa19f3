import Foundation
import SteppeData

/// The distance decay β of `FlowsFromMargins`, estimated on the bundled observed
/// origin–destination matrices of Korea (17 provinces, 2012–2020), the Netherlands (40
/// COROP regions, 2012–2020) and Italy (5 NUTS1 areas, 1970–2000, summed over age groups),
/// so that the Monte Carlo through `steppe flows` draws β from what real matrices show
/// instead of from an assumption.
///
/// Model: the doubly constrained gravity model that IPF fits, as a Poisson pseudo-maximum
/// likelihood regression with origin-by-year and destination-by-year fixed effects,
/// E[T_ijt] = exp(a_it + b_jt − β·log d_ij) (power decay) or exp(a_it + b_jt − β·d_ij/100 km)
/// (exponential), on the pairs i ≠ j (the flows model has no moves within a region). The
/// three countries are fitted in one PPML with a slope and fixed effects per country
/// (origin^year within each country): its likelihood separates, so each β is that
/// country's own fit, and the one `FitResult` is what the JSON reports as the model.
/// Standard errors: heteroskedasticity-robust (HC1, fixest's small-sample factor).
///
/// Reference: pyfixest 0.60 `fepois` of each country alone and of the stacked model, and
/// statsmodels' Poisson GLM with dummies for Korea and Italy
/// (Tests/SteppeModelsTests/Fixtures/inputs/decay_make_reference.py). Power decay:
/// Korea 0.887 (s.e. 0.024), the Netherlands 1.696 (0.010), Italy −0.351 (0.086): Italy's
/// five macro-areas, whose largest flows are the long moves from the South to the
/// North-West, show no decay at all at that scale.
///
/// Distances: Korea's `dist_centroid_km`, the Netherlands' `distance_km`, and for Italy
/// great-circle distances between the areas' centres, each the population-weighted mean
/// position of its regions' capitals (2001 census populations; `italyRegions`), since the
/// Italian data carry no distances.
public struct DecayCalibration: Sendable {
    /// One country's estimate.
    public struct Country: Sendable {
        public let dataset: String
        public let beta: Double
        public let standardError: Double
        /// Origin–destination–year rows used.
        public let observations: Int
    }

    public let decay: FlowsFromMargins.Decay
    /// Korea, the Netherlands, Italy, in that order.
    public let countries: [Country]
    /// The stacked PPML fit (one coefficient per country, −β).
    public let fit: FitResult

    /// The smallest and largest of the estimates: the range the Monte Carlo draws β in.
    public var low: Double { countries.map(\.beta).min()! }
    public var high: Double { countries.map(\.beta).max()! }
    /// The median of the estimates: the central β (the mode of a triangular draw).
    public var central: Double { countries.map(\.beta).sorted()[countries.count / 2] }
    /// The largest of the standard errors: the sampling error added to each drawn β
    /// (the most uncertain calibration, so that the sampling part is not understated).
    public var samplingStandardError: Double { countries.map(\.standardError).max()! }

    /// The bundled matrices, in the order of `countries`.
    public static let datasets = ["korea-interregional", "netherlands-corop", "italy-areas"]

    /// Fits the calibration on the bundled datasets.
    /// - Throws: `ModelError` when a dataset cannot be read or the fit fails.
    public static func bundled(decay: FlowsFromMargins.Decay = .power) throws(ModelError) -> DecayCalibration {
        let registry: DatasetRegistry
        do { registry = try DatasetRegistry.bundled() } catch { throw .invalidOption("the bundled datasets: \(error)") }
        var parts: [Part] = []
        for name in datasets {
            let table: Table
            do { table = try registry.table(name) } catch { throw .invalidOption("dataset \(name): \(error)") }
            parts.append(try part(name, table))
        }
        return try fit(parts, decay: decay)
    }

    /// The origin–destination rows of one dataset, i ≠ j, with their distances.
    struct Part {
        var dataset: String
        var origin: [String] = [], destination: [String] = [], year: [Double] = [], flow: [Double] = [], km: [Double] = []
        /// The regressor's name in the stacked fit, e.g. `x_korea`.
        var term: String { "x_" + dataset.split(separator: "-")[0] }
    }

    static func part(_ name: String, _ table: Table) throws(ModelError) -> Part {
        do {
            let o = try table.column("origin"), d = try table.column("destination")
            let years = try table.column("year").numbers!, flows = try table.column("flow").numbers!
            if name == "italy-areas" { return try italy(o, d, years, flows) }
            let km = try table.column(name == "korea-interregional" ? "dist_centroid_km" : "distance_km").numbers!
            var p = Part(dataset: name)
            for r in 0..<table.rowCount where o.text(at: r) != d.text(at: r) {
                p.origin.append(o.text(at: r)); p.destination.append(d.text(at: r))
                p.year.append(years[r]); p.flow.append(flows[r]); p.km.append(km[r])
            }
            return p
        } catch let e as ModelError { throw e } catch { throw .invalidOption("dataset \(name): \(error)") }
    }

    /// Italy's flows summed over age groups, with distances between the area centres.
    static func italy(_ o: Column, _ d: Column, _ years: [Double], _ flows: [Double]) throws(ModelError) -> Part {
        var sums: [String: Double] = [:], keys: [(String, String, Double)] = []
        for r in flows.indices where o.text(at: r) != d.text(at: r) {
            let key = "\(o.text(at: r))\u{1F}\(d.text(at: r))\u{1F}\(years[r])"
            if sums[key] == nil { keys.append((o.text(at: r), d.text(at: r), years[r])) }
            sums[key, default: 0] += flows[r]
        }
        let centres = italyAreaCentres
        var p = Part(dataset: "italy-areas")
        for (a, b, y) in keys {
            guard let ca = centres[a], let cb = centres[b] else { throw .invalidOption("italy-areas: no centre for area '\(a)' or '\(b)'") }
            p.origin.append(a); p.destination.append(b); p.year.append(y); p.flow.append(sums["\(a)\u{1F}\(b)\u{1F}\(y)"]!)
            p.km.append(GreatCircle.distanceKm(latitude1: ca.lat, longitude1: ca.lon, latitude2: cb.lat, longitude2: cb.lon))
        }
        return p
    }

    /// The stacked PPML: one slope per country, fixed effects origin^year and
    /// destination^year with the regions prefixed by their dataset.
    static func fit(_ parts: [Part], decay: FlowsFromMargins.Decay) throws(ModelError) -> DecayCalibration {
        var origin: [String] = [], destination: [String] = [], year: [Double] = [], flow: [Double] = []
        var slopes = parts.map { _ in [Double]() }
        for (k, p) in parts.enumerated() {
            origin += p.origin.map { p.dataset + "/" + $0 }; destination += p.destination.map { p.dataset + "/" + $0 }
            year += p.year; flow += p.flow
            for m in parts.indices { slopes[m] += m == k ? p.km.map { decay == .power ? log($0) : $0 / 100 } : Array(repeating: 0, count: p.km.count) }
        }
        let table: Table
        do {
            table = try Table(columns: [.text("origin", origin), .text("destination", destination), .numeric("year", year), .numeric("flow", flow)]
                              + zip(parts, slopes).map { .numeric($0.term, $1) })
        } catch { throw ModelError.from(error) }
        let formula = "flow ~ " + parts.map(\.term).joined(separator: " + ") + " | origin^year + destination^year"
        let fit = try Estimator.fit(table, formula: formula, model: .ppml, options: EstimationOptions(covariance: .heteroskedastic(.hc1)))
        guard fit.report.converged else { throw .invalidOption("the decay calibration (PPML on \(datasets.joined(separator: ", "))) did not converge") }
        var countries: [Country] = []
        for p in parts {
            guard let c = fit.coefficient(p.term), c.estimate.isFinite else { throw .invalidOption("the decay calibration could not estimate β for \(p.dataset)") }
            countries.append(Country(dataset: p.dataset, beta: -c.estimate, standardError: c.standardError, observations: p.flow.count))
        }
        return DecayCalibration(decay: decay, countries: countries, fit: fit)
    }
}
