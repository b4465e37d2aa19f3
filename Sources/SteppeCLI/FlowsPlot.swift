import Foundation
import SteppeModels
import SteppeReport

/// The pictures of `steppe flows --plot FILE.svg`: the flow map of the table's flows
/// (written to FILE.svg) and, beside it, the β sweep of the second table as lines
/// (FILE-sweep.svg, `sweepPath`).
enum FlowsPlot {
    /// The sweep's file beside the map's: "map.svg" → "map-sweep.svg", "out" → "out-sweep.svg".
    static func sweepPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        let stem = ext.isEmpty ? path : String(path.dropLast(ext.count + 1))
        return stem + "-sweep." + (ext.isEmpty ? "svg" : ext)
    }

    /// The map of the `shown` pairs (the table's rows) of `flows`, between the centres of `input`.
    /// `sweepFile` names the sweep's file in the caption; nil (an HTML page) points to the next figure.
    static func map(_ input: Flows.Margins, flows: [[Double]], shown: [(Int, Int)], pairs: Int, decay: String, sweepFile: String?) -> FlowMapPlot {
        let places = input.regions.indices.map { FlowMapPlot.Place(name: input.regions[$0], latitude: input.lat[$0], longitude: input.lon[$0]) }
        let drawn = shown.map { FlowMapPlot.Flow(origin: $0.0, destination: $0.1, value: flows[$0.0][$0.1]) }
        let which = shown.count == pairs ? "all \(pairs) pairs" : "the \(shown.count) largest of \(pairs)"
        let caption = ["Estimated by a doubly constrained gravity model, \(decay), from each region's departures and arrivals alone; no region-to-region matrix is observed. How each flow moves with β: \(sweepFile.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "the next figure").",
                       "Data: \(input.label)."]
        return FlowMapPlot(places: places, flows: drawn, title: "\(input.label), \(which) (gravity, \(decay))", caption: caption)
    }

    /// The flows of the `focus` pairs across the swept β, one line each, and β of the map marked.
    /// `betaText` writes a β as the table's column heads do.
    static func sweep(_ input: Flows.Margins, swept: [FlowsFromMargins.Estimate], focus: [(Int, Int)], beta: Double, decay: String,
                      calibrated: Bool, betaText: (Double) -> String) -> ParameterSweepPlot {
        let origins = focus.map(\.0).uniqued, destinations = focus.map(\.1).uniqued
        let shapes: [MarkerShape] = [.circle, .triangle, .square, .diamond, .triangleDown, .plus, .cross]
        let series = focus.map { i, j in
            let o = origins.firstIndex(of: i)!, d = destinations.firstIndex(of: j)!
            let style = SeriesStyle(color: Palette.series[o % Palette.series.count], shape: shapes[d % shapes.count],
                                    dash: DashPattern.allCases[d % DashPattern.allCases.count])
            return ParameterSweepPlot.Series(label: input.regions[i] + " → " + input.regions[j], values: swept.map { $0.flows[i][j] }, style: style)
        }
        let distances = swept.map { "\(ReportNumber.grouped($0.meanDistanceKm.rounded())) km at β = \(betaText($0.beta))" }
        var caption = ["Colour: the origin; marker and dash: the destination.", "Every β reproduces the same margins; only the assumed distance decay \(decay) differs. The mean distance of a move: \(distances.joined(separator: ", ")).",
                       "Data: \(input.label)."]
        if calibrated { caption.insert("The β are those of PPML gravity fits on the Korean, Dutch and Italian matrices (--calibrated).", at: 0) }
        return ParameterSweepPlot(parameter: swept.map(\.beta), series: series, parameterTitle: "distance decay β",
                                  valueTitle: "estimated flow, people", marked: (beta, "β of the map, \(betaText(beta))"),
                                  title: "ESTIMATED flows, not observed: how they depend on the distance decay β (\(input.label))", caption: caption)
    }
}

extension Flows {
    /// `--plot` is drawn from the distance-decay estimate; the margin-fitting path
    /// (`--prior`, `--method`, `--net-column`) has no β to sweep and is not drawn yet.
    func validatePlot() throws(CommandFailure) {
        try PlotOutput.validate(plot)
        if plot != nil && usesMarginFitting {
            throw CommandFailure("--plot draws the distance-decay estimate and its β sweep; it is not available with --prior, --method cm/entropy or --net-column")
        }
    }

    /// The map and the sweep; `sweepFile` as `FlowsPlot.map` takes it.
    func plots(input: Margins, main: FlowsFromMargins.Estimate, swept: [FlowsFromMargins.Estimate], shown: [(Int, Int)], pairs: Int,
               focus: [(Int, Int)], beta: Double, sweepFile: String?) -> (map: FlowMapPlot, sweep: ParameterSweepPlot) {
        let decay = decayFunction == .power ? "d^-β" : "exp(-β d/100 km)"
        return (FlowsPlot.map(input, flows: main.flows, shown: shown, pairs: pairs, decay: decayLabel(beta), sweepFile: sweepFile),
                FlowsPlot.sweep(input, swept: swept, focus: focus, beta: beta, decay: decay, calibrated: calibrated, betaText: trimmed))
    }

    /// Writes the map to `path` and the sweep beside it (`FlowsPlot.sweepPath`).
    func writePlots(_ path: String, input: Margins, main: FlowsFromMargins.Estimate, swept: [FlowsFromMargins.Estimate],
                    shown: [(Int, Int)], pairs: Int, focus: [(Int, Int)], beta: Double) throws(CommandFailure) {
        let sweepFile = FlowsPlot.sweepPath(path)
        let (map, sweep) = plots(input: input, main: main, swept: swept, shown: shown, pairs: pairs, focus: focus, beta: beta, sweepFile: sweepFile)
        try PlotOutput.write(map, to: path)
        try PlotOutput.write(sweep, to: sweepFile)
    }

    /// The map and the sweep as the figures of `--format html` (none for other formats).
    func htmlFigures(input: Margins, main: FlowsFromMargins.Estimate, swept: [FlowsFromMargins.Estimate], shown: [(Int, Int)], pairs: Int,
                     focus: [(Int, Int)], beta: Double) -> [HTMLReport.Figure] {
        guard outputOptions.format == .html else { return [] }
        let (map, sweep) = plots(input: input, main: main, swept: swept, shown: shown, pairs: pairs, focus: focus, beta: beta, sweepFile: nil)
        return [HTMLReport.Figure(map, caption: "The flows of the first table on a map of the region centres: ESTIMATED, not observed."),
                HTMLReport.Figure(sweep, caption: "The flows of the second table across the distance decay β.")]
    }
}

extension Array where Element: Hashable {
    /// The elements in order of first appearance, each once.
    var uniqued: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
