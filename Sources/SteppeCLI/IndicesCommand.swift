import ArgumentParser
import Foundation
import SteppeData
import SteppeModels
import SteppeReport

struct Indices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Migration indices of an origin–destination table: intensity, impact, connectivity and distance (R migest's suite).",
        discussion: """
        Computes R migest's index_intensity (cmp, courgeauK), index_impact (effectiveness, anmr, preference, velocity), index_connectivity (connectivity, inequality, the Gini family, cv, acv) and index_distance (mean and median distance of a move, distance decay), after Bell et al. (2002), for each year of a long OD table. Moves within a region (the diagonal) are dropped; a pair the table omits is a zero flow. An index undefined for the data is shown as — (null in JSON) with the reason.

        Default: korea-interregional, the observed matrix of South Korea's 17 regions (2012–2020), populations and centroid distances as in migest's examples.

        Estimated flows: indices of a matrix a model estimated (steppe flows) describe the model's assumptions as much as the data (a distance decay returns the β that went in); --estimated, or a flow column whose name starts with "estimated" (as steppe flows writes it), labels them as estimates in the title, the notes and the JSON ("estimated": true).

        Populations: --population COL (the destination's population on each row, times --population-scale) or --populations FILE (columns region, population). Distances: --distance COL, --distances FILE (origin, destination, distance; a pair given one way is used both ways) or --coordinates FILE (region, lat, lon: great-circle km). Without them those indices are null.

        Examples:
          steppe indices
          steppe indices korea-interregional --year 2020 --format json
          steppe indices --plot decay.svg   (log flow against log distance, the decay index's slope)
          steppe indices netherlands-corop --year 2020
          steppe indices flows.csv --populations pop.csv --coordinates centres.csv
          steppe indices kz.csv --flow "estimated flow" --distance "distance km"
        """
    )

    @Argument(help: "A long OD CSV (origin, destination, flow, optional year) or a bundled dataset. Default: korea-interregional.")
    var data: String?
    @Option(help: "Only this year.") var year: Int?
    @Option(help: "Origin column.") var origin = "origin"
    @Option(help: "Destination column.") var destination = "destination"
    @Option(help: "Flow column.") var flow = "flow"
    @Option(name: .customLong("year-column"), help: "Year column (used when present).") var yearColumn = "year"
    @Option(help: "Column with the destination's population on each row.") var population: String?
    @Option(name: .customLong("population-scale"), help: "Multiplier for --population (1e6 for millions).") var populationScale: Double?
    @Option(help: "CSV of populations: region, population.") var populations: String?
    @Option(help: "Column with the pair's distance on each row.") var distance: String?
    @Option(help: "CSV of distances: origin, destination, distance.") var distances: String?
    @Option(help: "CSV of region centres: region, lat, lon (great-circle distances).") var coordinates: String?
    @Flag(help: "The flows are estimates (steppe flows, a model), not observed: label the indices so. Automatic when the flow column's name starts with \"estimated\".") var estimated = false
    @Option(help: ArgumentHelp("Also write the distance-decay panel of the matrix (the latest year, or --year) to this SVG file: log flow against log distance with the decay index as the fitted slope.", valueName: "file.svg"))
    var plot: String?
    @OptionGroup var outputOptions: OutputOptions

    /// Why the flows count as estimated (`--estimated`, or a flow column named as `steppe
    /// flows` writes it, "estimated flow"), or nil for observed flows.
    var estimateReason: String? {
        if estimated { return "--estimated" }
        return flow.lowercased().hasPrefix("estimated") ? "the flow column '\(flow)'" : nil
    }

    func run() throws {
        try PlotOutput.validate(plot)
        let source = try DataSource.open(data ?? "korea-interregional")
        var s = IndicesInput.Sources(origin: origin, destination: destination, flow: flow, yearColumn: yearColumn,
                                     populationColumn: population, populationScale: populationScale ?? 1, populationsFile: populations,
                                     distanceColumn: distance, distancesFile: distances, coordinatesFile: coordinates)
        if let m = source.manifest, populationScale == nil { s.preset(for: m.name) }
        let inputs = try IndicesInput.read(source.table, s, only: year)
        let results = inputs.map { (year: $0.year, set: MigrationIndices.compute($0.matrix, populations: $0.populations, distances: $0.distances)) }
        let picture = plot == nil ? nil : try IndicesPlot.make(inputs, results, label: source.label, estimated: estimateReason)
        let table = IndicesReport.table(results, label: source.label, sourceNotes: source.sourceNotes, estimated: estimateReason)
        let text: String
        if outputOptions.format == .json {
            text = OutputEnvelope.text(command: "indices", [("results", IndicesReport.json(results, estimated: estimateReason != nil)), ("data", source.jsonValue)])
        } else {
            let figure = outputOptions.format == .html ? try? IndicesPlot.make(inputs, results, label: source.label, estimated: estimateReason) : nil
            text = try Tables.render([table], outputOptions, command: "indices", sources: source.provenance,
                                     figures: figure.map { [HTMLReport.Figure($0, caption: "Flow against distance with the decay index (without distances, no figure).")] } ?? [])
        }
        try OutputDestination.write(text, to: outputOptions.output)
        if let plot, let picture { try PlotOutput.write(picture, to: plot) }
    }
}
