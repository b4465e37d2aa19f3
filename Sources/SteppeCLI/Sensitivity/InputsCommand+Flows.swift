import ArgumentParser
import Foundation
import SteppeData
import SteppeModels
import SteppeReport

/// `steppe sensitivity inputs --through flows`: the options `steppe flows` takes, and the run.
struct InputsFlowsOptions: ParsableArguments {
    @Option(help: "Year of the Kazakhstan margins (2022 or 2023). Default 2023.")
    var year: Int?
    @Option(name: .customLong("decay-function"), help: "power: d^(-β); exponential: exp(-β d / 100 km). Default power.")
    var decayFunction: FlowsFromMargins.Decay?
    @Option(name: .customLong("decay-range"), help: "LOW:HIGH: draw β here instead of the calibrated range (no sampling error added).")
    var decayRange: String?
    @Option(help: "Rows of the table of flows: the largest by median; 0 for every pair. Default 15.")
    var top: Int?
    @Option(help: "Origins of the sums followed (comma-separated). Default: the south of Kazakhstan.")
    var from: String?
    @Option(help: "Destinations of the sums followed (comma-separated). Default: the north of Kazakhstan.")
    var to: String?
    @Option(help: "A CSV of margins and coordinates instead of the Kazakhstan data.")
    var margins: String?
    @Option(name: .customLong("region-column")) var regionColumn: String?
    @Option(name: .customLong("departures-column")) var departuresColumn: String?
    @Option(name: .customLong("arrivals-column")) var arrivalsColumn: String?
    @Option(name: .customLong("lat-column")) var latColumn: String?
    @Option(name: .customLong("lon-column")) var lonColumn: String?

    /// The south and north of Kazakhstan as the documents describe them (south: the former
    /// South Kazakhstan, now Turkistan and Shymkent city, Zhambyl, Kyzylorda, Almaty oblast).
    static let south = ["Turkistan", "Shymkent city", "Zhambyl", "Kyzylorda", "Almaty oblast"]
    static let north = ["Astana city", "Akmola", "North Kazakhstan", "Kostanay", "Pavlodar", "Karaganda"]

    func requireUnused() throws(CommandFailure) {
        let given: [(String, Bool)] = [("--year", year != nil), ("--decay-function", decayFunction != nil), ("--decay-range", decayRange != nil),
                                       ("--top", top != nil), ("--from", from != nil), ("--to", to != nil), ("--margins", margins != nil),
                                       ("--region-column", regionColumn != nil), ("--departures-column", departuresColumn != nil),
                                       ("--arrivals-column", arrivalsColumn != nil), ("--lat-column", latColumn != nil), ("--lon-column", lonColumn != nil)]
        if let (flag, _) = given.first(where: \.1) { throw CommandFailure("\(flag) applies to --through flows") }
    }

    /// The margins as `steppe flows` reads them, as a table (with any `X_low`/`X_high` columns of a CSV).
    func inputs() throws(CommandFailure) -> (InputUncertainty.FlowInputs, Flows.Margins) {
        var m: Flows.Margins
        var table: Table
        let dep = departuresColumn ?? "departures", arr = arrivalsColumn ?? "arrivals"
        if let margins {
            var arguments = ["--margins", margins]
            for (flag, v) in [("--region-column", regionColumn), ("--departures-column", departuresColumn), ("--arrivals-column", arrivalsColumn),
                              ("--lat-column", latColumn), ("--lon-column", lonColumn)] { if let v { arguments += [flag, v] } }
            let command: Flows
            do { command = try Flows.parse(arguments) } catch { throw CommandFailure("\(error)") }
            m = try Flows.readMargins(margins, command)
            table = try InputFiles.readCSV(margins)
        } else {
            m = try Flows.kazakhstanMargins(year: year ?? 2023)
            do { table = try Table(columns: [.text("region", m.regions), .numeric(dep, m.departures), .numeric(arr, m.arrivals)]) } catch { throw CommandFailure(error) }
        }
        let distances = GreatCircle.distanceMatrix(latitudes: m.lat, longitudes: m.lon)
        return (InputUncertainty.FlowInputs(regions: m.regions, table: table, departuresColumn: dep, arrivalsColumn: arr,
                                            distances: distances, decay: decayFunction ?? .power), m)
    }

    /// Each origin's sum to the destinations, and the total; the south to the north by default.
    func groups(_ regions: [String]) throws(CommandFailure) -> [InputUncertainty.FlowGroup] {
        func indices(_ list: String?, _ fallback: [String]) throws(CommandFailure) -> [Int] {
            guard let list else { return fallback.compactMap { regions.firstIndex(of: $0) } }
            var out: [Int] = []
            for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let k = regions.firstIndex(of: name) else { throw CommandFailure("no region named '\(name)' (regions: \(regions.joined(separator: ", ")))") }
                out.append(k)
            }
            return out
        }
        let isDefault = margins == nil && from == nil && to == nil
        var origins = try indices(from, isDefault ? Self.south : []), destinations = try indices(to, isDefault ? Self.north : [])
        if origins.isEmpty && destinations.isEmpty { return [] }
        if origins.isEmpty { origins = Array(regions.indices) }
        if destinations.isEmpty { destinations = Array(regions.indices) }
        let label = isDefault ? "north" : (to == nil ? "all regions" : destinations.map { regions[$0] }.joined(separator: ", "))
        var out = origins.map { InputUncertainty.FlowGroup(name: "\(regions[$0]) → \(label)", origins: [$0], destinations: destinations) }
        if origins.count > 1 {
            let from = isDefault ? "south" : (self.from == nil ? "all regions" : "origins")
            out.append(.init(name: "\(from) → \(label) (total)", origins: origins, destinations: destinations))
        }
        return out
    }

    /// `--decay-range`, or the calibration's.
    func decay(_ calibration: DecayCalibration) throws(CommandFailure) -> InputUncertainty.DecayRange {
        do {
            guard let text = decayRange else { return try InputUncertainty.DecayRange(calibration) }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let low = parts[0], let high = parts[1] else { throw CommandFailure("--decay-range '\(text)' is not LOW:HIGH") }
            return try InputUncertainty.DecayRange(low: low, high: high)
        } catch let e as CommandFailure { throw e } catch { throw CommandFailure(error) }
    }
}

extension Inputs {
    func runFlows() throws {
        guard options.data == nil, options.modelOptions.formula.isEmpty else {
            throw CommandFailure("--through flows takes margins (--margins FILE), not DATA or --formula")
        }
        let top = flows.top ?? 15
        guard top >= 0 else { throw CommandFailure("--top must be 0 or more, got \(top)") }
        let (inputs, margins) = try flows.inputs()
        var intervals: [InputInterval]
        do { intervals = try interval.map { t throws(ModelError) in try InputInterval(parsing: t) } } catch { throw CommandFailure(error) }
        var notes: [String] = []
        if intervals.isEmpty && flows.margins == nil {
            intervals = [InputInterval(column: inputs.departuresColumn, kind: .factor(low: 0.9, high: 1.1)),
                         InputInterval(column: inputs.arrivalsColumn, kind: .factor(low: 0.9, high: 1.1))]
            notes.append("The margins' intervals are an illustration (each region's departures and arrivals ±10%), assumed rather than taken from the sources, which give none; give your own with --interval.")
        }
        intervals += InputInterval.carried(by: inputs.table, for: [inputs.departuresColumn, inputs.arrivalsColumn])
            .filter { c in !intervals.contains { $0.column == c.column } }
        let calibration: DecayCalibration
        do { calibration = try DecayCalibration.bundled(decay: inputs.decay) } catch { throw CommandFailure(error) }
        let decay = try flows.decay(calibration)
        let groups = try flows.groups(inputs.regions)
        let bar = ProgressBar("inputs")
        let result: InputUncertainty.FlowsResult
        do {
            result = try InputUncertainty.runFlows(inputs, intervals: intervals, decay: decay, groups: groups, draws: draws,
                                                   distribution: draw, seed: options.seed, progress: bar.handler)
        } catch { bar.finish(); throw CommandFailure(error) }
        bar.finish()
        let report = InputsFlowsReport(result: result, calibration: calibration, given: flows.decayRange != nil, intervals: intervals,
                                       distribution: draw, top: top, label: margins.label)
        try report.write(notes: notes + margins.notes, options.outputOptions)
    }
}
