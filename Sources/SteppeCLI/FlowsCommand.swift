import ArgumentParser
import Foundation
import SteppeData
import SteppeModels
import SteppeReport

struct Flows: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate origin–destination flows from arrivals, departures and distances.",
        discussion: """
        Fits a doubly constrained gravity model by iterative proportional fitting (as R migest's ipf2): flows T_ij = a_i b_j d_ij^(-β) between regions, scaled so that each region's flows out sum to its departures and its flows in to its arrivals. The result is an estimate that depends on β; the second table shows how the chosen flows move across the --sweep values of β.

        Default: Kazakhstan's internal-migration margins (kazakhstan-migration) for --year, with great-circle distances between the region centres, and the south-to-north flows the documents describe.

        Your own margins: --margins FILE, a CSV with columns for the region, departures, arrivals, latitude and longitude (names set by the --*-column options).

        Examples:
          steppe flows
          steppe flows --decay 1.5 --top 10
          steppe flows --from Zhambyl --to "Almaty city,Astana city" --sweep 0.5,1,2
          steppe flows --margins regions.csv --top 0 --format csv -o flows.csv
          steppe flows --method cm --prior flows2022.csv
          steppe flows --margins net.csv --net-column net --prior flows2022.csv
          steppe flows --calibrated --plot map.svg   (also map-sweep.svg: the β sweep)

        With --prior, --method cm or --net-column, the flows are fitted to the margins around the prior (R migest's ipf2, cm2, net_matrix_ipf, net_matrix_entropy) and the β sweep is not shown.
        """
    )

    @Option(help: "Year of the Kazakhstan margins (2022 or 2023; 2024 is monthly only).")
    var year: Int = 2023

    @Option(help: "Distance-decay parameter β.")
    var decay: Double = 1.0

    @Option(name: .customLong("decay-function"), help: "power: d^(-β); exponential: exp(-β d / 100 km).")
    var decayFunction: FlowsFromMargins.Decay = .power

    @Option(help: "Values of β for the sensitivity table (comma-separated).")
    var sweep: String = "0.5,1,1.5,2,3"

    @Option(help: "Rows of the flow table: the largest flows; 0 for every pair.")
    var top: Int = 15

    @Option(help: "Origins for the sensitivity table (comma-separated). Default: Zhambyl, Turkistan, Shymkent city (Kazakhstan) or the largest flows.")
    var from: String?

    @Option(help: "Destinations for the sensitivity table (comma-separated). Default: Almaty city, Astana city, East Kazakhstan, Akmola.")
    var to: String?

    @Option(help: "A CSV of margins and coordinates instead of the Kazakhstan data.")
    var margins: String?
    @Option(name: .customLong("region-column")) var regionColumn: String = "region"
    @Option(name: .customLong("departures-column")) var departuresColumn: String = "departures"
    @Option(name: .customLong("arrivals-column")) var arrivalsColumn: String = "arrivals"
    @Option(name: .customLong("lat-column")) var latColumn: String = "lat"
    @Option(name: .customLong("lon-column")) var lonColumn: String = "lon"

    @Option(help: "ipf (migest's ipf2; with --net-column net_matrix_ipf), cm (conditional maximisation, migest's cm2, with the balancing factors) or entropy (the closest matrix to the prior in KL divergence; with --net-column net_matrix_entropy).")
    var method: Method = .ipf
    @Option(help: "A long CSV origin,destination,flow: the prior pattern (another year, another country) instead of the distance decay; no coordinates needed.")
    var prior: String?
    @Option(name: .customLong("net-column"), help: "Estimate from net migration alone: the --margins column with each region's net (arrivals − departures); needs --prior.")
    var netColumn: String?
    @Flag(help: "Scale the arrivals to the departures' total when they differ (otherwise an error says by how much).")
    var rescale = false
    @Flag(help: "β from PPML gravity fits on the bundled Korean, Dutch and Italian matrices: their median for the estimate, all three (and their range) for the sweep.")
    var calibrated = false
    @Option(help: ArgumentHelp("Also draw the table's flows as a map of the region centres to this SVG file, and the β sweep as lines to the same name with -sweep (map.svg, map-sweep.svg).", valueName: "file.svg"))
    var plot: String?

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        try validatePlot()
        if usesMarginFitting { return try runMarginFitting() }
        guard top >= 0 else { throw CommandFailure("--top must be 0 or more, got \(top)") }
        var betas = try sweep.split(separator: ",").map { s throws(CommandFailure) -> Double in
            guard let v = Double(s.trimmingCharacters(in: .whitespaces)), v.isFinite else { throw CommandFailure("--sweep: '\(s)' is not a number") }
            return v
        }
        var decay = self.decay
        var calibrationNotes: [String] = []
        if calibrated {
            let c: DecayCalibration
            do { c = try DecayCalibration.bundled(decay: decayFunction) } catch { throw CommandFailure(error) }
            decay = c.central
            betas = c.countries.map(\.beta).sorted()
            calibrationNotes = ["β calibrated by PPML, flow ~ log(distance) | origin^year + destination^year, on observed matrices: "
                + c.countries.map { "\($0.dataset) \(ReportNumber.fixed($0.beta, 3)) (s.e. \(ReportNumber.fixed($0.standardError, 3)))" }.joined(separator: ", ")
                + "; the estimate uses their median, the sweep all three. Intervals for every flow from these β and the margins: steppe sensitivity inputs --through flows."]
        }
        let input = try margins.map { path throws(CommandFailure) in try Self.readMargins(path, self) } ?? Self.kazakhstanMargins(year: year)
        let n = input.regions.count
        let distances = GreatCircle.distanceMatrix(latitudes: input.lat, longitudes: input.lon)
        var model: FlowsFromMargins
        do { model = try FlowsFromMargins(regions: input.regions, departures: input.departures, arrivals: input.arrivals, distances: distances) } catch { throw CommandFailure(error) }
        model.decay = decayFunction
        let main: FlowsFromMargins.Estimate, swept: [FlowsFromMargins.Estimate]
        do { main = try model.estimate(beta: decay); swept = try model.sweep(betas) } catch { throw CommandFailure(error) }

        // Table 1: the flows at β.
        var pairs: [(Int, Int)] = []
        for i in 0..<n { for j in 0..<n where i != j { pairs.append((i, j)) } }
        pairs.sort { main.flows[$0.0][$0.1] > main.flows[$1.0][$1.1] }
        let shown = top == 0 ? pairs : Array(pairs.prefix(top))
        var flowTable = ReportTable(title: "ESTIMATED flows (not observed): doubly constrained gravity, \(decayLabel(decay)), \(input.label)",
                                    columns: ["origin", "destination", "distance km", "estimated flow", "share of origin's departures %"])
        for (i, j) in shown {
            flowTable.rows.append([.text(input.regions[i]), .text(input.regions[j]), ReportTable.number(distances[i][j], digits: 1),
                                   ReportTable.number(main.flows[i][j], digits: 0),
                                   ReportTable.number(input.departures[i] > 0 ? 100 * main.flows[i][j] / input.departures[i] : .nan, digits: 2)])
        }
        var notes = [top == 0 ? "All \(pairs.count) pairs." : "The \(shown.count) largest of \(pairs.count) estimated flows (--top 0 for all)."]
        notes.append("IPF " + (main.converged ? "converged" : "did NOT converge") + " in \(main.iterations) iterations (largest margin error \(ReportNumber.scientific(main.marginError, 2)) of the total).")
        if abs(main.arrivalsScale - 1) > 1e-12 {
            notes.append("Arrivals and departures do not balance: arrivals scaled by \(ReportNumber.fixed(main.arrivalsScale, 6)) to the departures' total.")
        }
        notes.append("Mean distance of a move: \(ReportNumber.fixed(main.meanDistanceKm, 0)) km. Distances are great-circle distances between region centres.")
        notes += calibrationNotes + input.notes
        flowTable.notes = notes

        // Table 2: sensitivity of chosen pairs to β.
        let focus = try focusPairs(input, main, pairs)
        var sens = ReportTable(title: "How the estimates depend on the distance decay β (\(decayFunction == .power ? "d^-β" : "exp(-β d/100)"))",
                               columns: ["origin → destination"] + swept.map { "β=" + trimmed($0.beta) })
        for (i, j) in focus {
            sens.rows.append([.text(input.regions[i] + " → " + input.regions[j])] + swept.map { ReportTable.number($0.flows[i][j], digits: 0) })
        }
        sens.rules.insert(sens.rows.count)
        sens.rows.append([.text("mean move distance, km")] + swept.map { ReportTable.number($0.meanDistanceKm, digits: 0) })
        sens.rows.append([.text("IPF iterations")] + swept.map { .number(Double($0.iterations), display: String($0.iterations) + ($0.converged ? "" : " (not converged)")) })
        sens.notes = [calibrated ? "Every column reproduces the same margins; the columns are the β of the Korean, Dutch and Italian matrices (--calibrated)."
                      : "Every column reproduces the same margins; only the assumed distance decay differs. β is an assumption here; on an observed matrix a gravity fit estimates it (steppe fit korea-interregional -f \"flow ~ log(dist_centroid_km) | origin^year + destination^year\" -m ppml), and --calibrated uses three such fits."]
        let data: JSONValue = .object([("name", .string(input.label)), ("regions", .number(Double(n)))])
        let figures = htmlFigures(input: input, main: main, swept: swept, shown: shown, pairs: pairs.count, focus: focus, beta: decay)
        try OutputDestination.write(try Tables.render([flowTable, sens], outputOptions, command: "flows", json: [("data", data)], sources: htmlSources,
                                                      figures: figures), to: outputOptions.output)
        if let plot { try writePlots(plot, input: input, main: main, swept: swept, shown: shown, pairs: pairs.count, focus: focus, beta: decay) }
    }

    func decayLabel(_ b: Double) -> String { decayFunction == .power ? "d^-\(trimmed(b))" : "exp(-\(trimmed(b)) d/100 km)" }
    func trimmed(_ x: Double) -> String {
        if x == x.rounded() { return String(Int(x)) }
        return (x * 1000).rounded() == x * 1000 ? "\(x)" : ReportNumber.fixed(x, 3)
    }

    func focusPairs(_ input: Margins, _ e: FlowsFromMargins.Estimate, _ sorted: [(Int, Int)]) throws(CommandFailure) -> [(Int, Int)] {
        func indices(_ list: String?, _ fallback: [String]) throws(CommandFailure) -> [Int]? {
            let names = list.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? fallback
            if names.isEmpty { return nil }
            var out: [Int] = []
            for name in names {
                guard let k = input.regions.firstIndex(of: name) else {
                    if list == nil { return nil }
                    throw CommandFailure("no region named '\(name)' (regions: \(input.regions.joined(separator: ", ")))")
                }
                out.append(k)
            }
            return out
        }
        let isKazakhstan = margins == nil
        let origins = try indices(from, isKazakhstan ? ["Zhambyl", "Turkistan", "Shymkent city"] : [])
        let destinations = try indices(to, isKazakhstan ? ["Almaty city", "Astana city", "East Kazakhstan", "Akmola"] : [])
        if let origins, let destinations {
            return origins.flatMap { i in destinations.filter { $0 != i }.map { (i, $0) } }
        }
        if let origins { return origins.flatMap { i in sorted.filter { $0.0 == i }.prefix(3) } }
        if let destinations { return destinations.flatMap { j in sorted.filter { $0.1 == j }.prefix(3) } }
        return Array(sorted.prefix(8))
    }

    struct Margins {
        var regions: [String] = [], departures: [Double] = [], arrivals: [Double] = [], lat: [Double] = [], lon: [Double] = []
        /// Net migration (arrivals − departures) by region, when only that is known.
        var net: [Double]? = nil
        var label = ""
        var notes: [String] = []
    }

    /// Kazakhstan's margins for `year`, with centres from kazakhstan-oblasts.
    static func kazakhstanMargins(year: Int) throws(CommandFailure) -> Margins {
        do {
            let registry = try DatasetRegistry.bundled()
            let migration = try registry.table("kazakhstan-migration"), oblasts = try registry.table("kazakhstan-oblasts")
            let years = try migration.column("year").numbers!, months = try migration.column("month").numbers!
            let kato = try migration.column("kato2"), name = try migration.column("region")
            let dep = try migration.column("departures").numbers!, arr = try migration.column("arrivals").numbers!
            var centre: [String: (Double, Double)] = [:]
            let ok = try oblasts.column("kato2"), lat = try oblasts.column("centre_lat").numbers!, lon = try oblasts.column("centre_lon").numbers!
            for i in 0..<oblasts.rowCount { centre[ok.text(at: i)] = (lat[i], lon[i]) }
            var m = Margins()
            for i in 0..<migration.rowCount where Int(years[i]) == year && months[i].isNaN {
                guard let c = centre[kato.text(at: i)] else { continue }
                m.regions.append(name.text(at: i)); m.departures.append(dep[i]); m.arrivals.append(arr[i]); m.lat.append(c.0); m.lon.append(c.1)
            }
            guard !m.regions.isEmpty else {
                throw CommandFailure("no annual internal-migration margins for \(year) (available: 2022, 2023)")
            }
            m.label = "Kazakhstan regions \(year)"
            m.notes = ["Margins: internal-migration arrivals and departures by region, \(year) (kazakhstan-migration); they probably include moves within a region, so the estimates are upper bounds for moves between regions.",
                       "No official region-to-region matrix for Kazakhstan is published openly; these numbers come from the margins and the distance assumption alone."]
            let manifest = try registry.manifest("kazakhstan-migration")
            for s in manifest.sources { m.notes.append("Source: " + s.summary + ".") }
            return m
        } catch let e as CommandFailure { throw e } catch { throw CommandFailure(error) }
    }

    static func readMargins(_ path: String, _ c: Flows) throws(CommandFailure) -> Margins {
        let t = try InputFiles.readCSV(path)
        func numbers(_ name: String) throws(CommandFailure) -> [Double] {
            do {
                guard let v = try t.column(name).numbers else { throw CommandFailure("\(path): column '\(name)' is not numeric") }
                return v
            } catch let e as CommandFailure { throw e } catch { throw CommandFailure("\(path): \(error)") }
        }
        var m = Margins()
        let region: Column
        do { region = try t.column(c.regionColumn) } catch { throw CommandFailure("\(path): \(error)") }
        m.regions = (0..<t.rowCount).map { region.text(at: $0) }
        m.departures = try numbers(c.departuresColumn); m.arrivals = try numbers(c.arrivalsColumn)
        m.lat = try numbers(c.latColumn); m.lon = try numbers(c.lonColumn)
        guard Set(m.regions).count == m.regions.count else { throw CommandFailure("\(path): a region appears twice in '\(c.regionColumn)'") }
        for i in 0..<t.rowCount where m.lat[i].isNaN || m.lon[i].isNaN || m.departures[i].isNaN || m.arrivals[i].isNaN {
            throw CommandFailure("\(path): row \(i + 2) (\(m.regions[i])) has a missing value")
        }
        m.label = path
        m.notes = ["Margins and coordinates: \(path)."]
        return m
    }
}
