import SteppeData
import SteppeModels
import SteppeReport

/// The picture of `steppe interaction --plot FILE.svg`: one SVG with two panels
/// (`InteractionFitPlot`), the distance decay of the fitted pairs with the gravity model's
/// β, and observed against predicted flows of every model fitted (gravity, radiation with
/// the finite-size normalisation).
enum InteractionPlot {
    /// The figure; `table` is the data the models were fitted to (its rows are the fits'
    /// `rows`), with the distance column added from `setup.coordinates` when there are any.
    static func make(gravity: InteractionFit?, radiation: RadiationFit?, table: Table, setup: InteractionSetup,
                     label: String) throws(CommandFailure) -> InteractionFitPlot {
        let distances = try costs(table, setup: setup)
        let rows = gravity?.rows ?? radiation?.rows ?? []
        let observed = gravity?.observed ?? radiation?.observed ?? []
        var decay: DistanceDecayPlot.Decay? = nil
        if let g = gravity, let beta = g.cost?.estimate {
            let power = g.model.costFunction == .power
            decay = .init(beta: beta, form: power ? .power : .exponential,
                          label: "fitted decay, β = \(TickFormat.significant(beta, 3)) (\(power ? "d^β" : "exp(β·d)"), \(g.model.constraint.label))")
        }
        let decayNote = gravity == nil ? ["The radiation model has no distance parameter, so no decay curve is drawn."] : []
        let decayPlot = DistanceDecayPlot(distances: rows.map { distances[$0] }, flows: observed, decay: decay,
                                          distanceTitle: "distance (\(setup.cost))", flowTitle: "observed flow",
                                          title: "Distance decay: observed flow against distance", caption: decayNote)
        var models: [ObservedPredictedPlot.Model] = []
        if let g = gravity { models.append(.init(name: "gravity (\(InteractionTables.name(g.model)))", observed: g.observed, predicted: g.fitted)) }
        if let r = radiation { models.append(.init(name: "radiation (finite-size)", observed: r.observed, predicted: r.predicted)) }
        let fitPlot = ObservedPredictedPlot(models: models, title: "Observed against predicted flows")
        return InteractionFitPlot(decay: decayPlot, fit: fitPlot, title: "Spatial interaction: \(label), \(rows.count) origin–destination pairs",
                                  caption: ["Data: \(label)."])
    }

    /// The cost of every row of `table`: its cost column, or great-circle km from the coordinates.
    static func costs(_ table: Table, setup: InteractionSetup) throws(CommandFailure) -> [Double] {
        var t = table
        if let c = setup.coordinates {
            do { t = try c.addingDistances(to: table, origin: setup.origin, destination: setup.destination, name: setup.cost) } catch { throw CommandFailure(error) }
        }
        guard let values = t[setup.cost]?.numbers else { throw CommandFailure("--plot: the cost column '\(setup.cost)' is not numeric") }
        return values
    }
}

extension Interaction {
    /// " 2020": the year the rows were selected by, for the plot's title (empty for every year).
    func plotYear(_ isDefault: Bool) -> String {
        (year ?? (isDefault ? 2020 : nil)).map { " \(Column.format($0))" } ?? ""
    }
}
