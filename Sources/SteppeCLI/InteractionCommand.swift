import ArgumentParser
import Foundation
import SteppeData
import SteppeModels
import SteppeReport

extension SpatialInteractionModel.Constraint: ExpressibleByArgument {}
extension SpatialInteractionModel.CostFunction: ExpressibleByArgument {}

/// `steppe interaction`: spatial interaction models (spint's Wilson family) and the
/// radiation model on an origin–destination table.
struct Interaction: ParsableCommand {
    enum Kind: String, ExpressibleByArgument, CaseIterable { case gravity, radiation, both }

    static let configuration = CommandConfiguration(
        abstract: "Spatial interaction models (unconstrained to doubly constrained) and the radiation model.",
        discussion: """
        Gravity: T_ij = A_i·B_j·O_i^μ·D_j^α·f(c_ij), f(c) = c^β (power) or exp(β·c) (exponential), fitted by Poisson maximum likelihood as PySAL's spint; the constraints are origin and/or destination fixed effects of one PPML fit. Attractiveness variables are given raw and enter in logs. Radiation (Simini et al. 2012): T_ij = T_i·m_i·n_j/((m_i + s_ij)(m_i + n_j + s_ij)) with the finite-size normalisation 1/(1 − m_i/M), and without it; no parameters. Both get spint's fit statistics (deviance, D², pseudo-R², SSI, SRMSE, AIC) and the common part of commuters (CPC).

        Default: the Korean interregional matrix of 2020 (17 provinces), doubly constrained with power cost on centroid distances, and the radiation model on provincial populations, side by side. Intrazonal pairs are left out (--intrazonal keeps them in the gravity fit).

        Distances: a column of the data (--cost), or --coordinates FILE with each region's centre (region, latitude, longitude): great-circle km, which the radiation model needs for every pair of regions (s_ij counts the population within d_ij of i), also the pairs the data have no row for.

        Standard errors (--vcov): iid (model-based, spint's default), quasi (quasi-Poisson: × √φ, φ = Pearson χ²/(n − K), spint's Quasi=True), hetero / hc0 / hc1, cluster:COL.

        Examples:
          steppe interaction
          steppe interaction --plot decay.svg   (two panels: distance decay, observed against predicted)
          steppe interaction korea-interregional --year 2015 --constraint production --destination-vars destination_pop_millions --vcov quasi
          steppe interaction flows.csv --cost km --cost-function exponential --constraint none --origin-vars pop_o --destination-vars pop_d
          steppe interaction flows.csv --cost km --model both --origin-population pop_o --destination-population pop_d --format json
          steppe interaction flows.csv --coordinates centres.csv --model both --origin-population pop_o --destination-population pop_d
        """
    )

    @Argument(help: "A CSV file or a bundled dataset name. Default: korea-interregional, 2020.")
    var data: String?

    @Option(help: "Flow column.") var flow: String = "flow"
    @Option(help: "Origin column.") var origin: String = "origin"
    @Option(help: "Destination column.") var destination: String = "destination"
    @Option(help: "Cost (distance) column. Required with DATA (or --coordinates), except for korea-interregional (dist_centroid_km).") var cost: String?
    @Option(help: "CSV of region centres: region, latitude, longitude (or lat, lon). Distances of both models are then great-circle km (for data without a cost column).") var coordinates: String?
    @Option(name: .customLong("cost-function"), help: "power: c^β; exponential: exp(β·c).") var costFunction: SpatialInteractionModel.CostFunction = .power
    @Option(help: "none, production, attraction or doubly.") var constraint: SpatialInteractionModel.Constraint = .doubly
    @Option(name: .customLong("origin-vars"), help: "Origin attractiveness columns, comma-separated (raw; they enter as logs).") var originVars: String?
    @Option(name: .customLong("destination-vars"), help: "Destination attractiveness columns, comma-separated (raw; they enter as logs).") var destinationVars: String?
    @Option(help: "Standard errors: iid, quasi, hetero, hc0, hc1, cluster:COL.") var vcov: String = "iid"
    @Option(help: "gravity, radiation or both. Default gravity (both for the default data).") var model: Kind?
    @Option(name: .customLong("origin-population"), help: "Radiation: origin population column. Default: the first --origin-vars.") var originPopulation: String?
    @Option(name: .customLong("destination-population"), help: "Radiation: destination population column. Default: the first --destination-vars.") var destinationPopulation: String?
    @Option(help: "Keep only the rows of this year (the --year-column).") var year: Double?
    @Option(name: .customLong("year-column")) var yearColumn: String = "year"
    @Flag(name: .customLong("no-intercept"), help: "Unconstrained model without an intercept (spint's constant=False).") var noIntercept = false
    @Flag(help: "Keep intrazonal pairs (origin = destination) in the gravity fit.") var intrazonal = false
    @Option(help: "Rows of the flow table: the largest observed flows; 0 for none.") var top: Int = 10
    @Option(help: "Confidence level of the intervals.") var level: Double = 0.95
    @Option(help: ArgumentHelp("Also write one SVG with two panels: log flow against log distance with the fitted decay (gravity's β), and observed against predicted flows of every model fitted, with the 45° line.", valueName: "file.svg"))
    var plot: String?

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        try PlotOutput.validate(plot)
        let isDefault = data == nil
        let source = try DataSource.open(data ?? "korea-interregional")
        let korea = source.manifest?.name == "korea-interregional"
        let (table, selection) = try InteractionSetup.select(source.table, year: year ?? (isDefault ? 2020 : nil), column: yearColumn)
        let kind = model ?? (isDefault ? .both : .gravity)
        guard top >= 0 else { throw CommandFailure("--top must be 0 or more, got \(top)") }
        let (costColumn, centres, distanceNotes) = try InteractionSetup.distances(cost: cost, coordinates: coordinates, korea: korea)
        var setup = InteractionSetup(flow: flow, origin: origin, destination: destination, cost: costColumn,
                                     originVariables: InteractionSetup.list(originVars), destinationVariables: InteractionSetup.list(destinationVars))
        setup.coordinates = centres
        if korea && originPopulation == nil && destinationPopulation == nil && setup.originVariables.isEmpty && setup.destinationVariables.isEmpty {
            setup.populations = ("origin_pop_millions", "destination_pop_millions")
        } else {
            setup.populations = try setup.radiationPopulations(originPopulation, destinationPopulation, needed: kind != .gravity)
        }
        var gravity: InteractionFit? = nil, radiation: RadiationFit? = nil
        if kind != .radiation {
            gravity = try setup.fitGravity(table, costFunction: costFunction, constraint: constraint, vcov: vcov,
                                           intercept: !noIntercept, intrazonal: intrazonal, level: level)
        }
        if kind != .gravity { radiation = try setup.fitRadiation(table) }
        let notes = distanceNotes + selection + source.sourceNotes + (source.manifest != nil ? ["Caveats: steppe datasets show \(source.label)."] : [])
        let tables = InteractionTables.make(gravity: gravity, radiation: radiation, top: top, label: source.label, notes: notes)
        let text: String
        if outputOptions.format == .json {
            let chosen = try Tables.select(tables, outputOptions.table, format: .json)
            text = OutputEnvelope.text(command: "interaction", InteractionJSON.fields(gravity: gravity, radiation: radiation)
                                       + [("tables", .array(chosen.map(\.jsonValue))), ("data", source.jsonValue)])
        } else {
            let figures = outputOptions.format == .html ? [HTMLReport.Figure(try InteractionPlot.make(gravity: gravity, radiation: radiation, table: table,
                setup: setup, label: source.label + plotYear(isDefault)), caption: "Distance decay, and observed against predicted flows.")] : []
            text = try Tables.render(tables, outputOptions, command: "interaction", sources: source.provenance, figures: figures)
        }
        try OutputDestination.write(text, to: outputOptions.output)
        if let plot {
            try PlotOutput.write(try InteractionPlot.make(gravity: gravity, radiation: radiation, table: table, setup: setup,
                                                          label: source.label + plotYear(isDefault)), to: plot)
        }
        if let g = gravity, !g.fit.report.converged {
            FileHandle.standardError.write(Data("steppe: warning: the Poisson fit did not converge; see the notes.\n".utf8))
        }
    }
}
