import SteppeModels
import SteppeReport

/// The picture of `steppe indices --plot FILE.svg`: the distance-decay panel of one year's
/// matrix (`DistanceDecayPlot`): every pair of distinct regions, its flow against its
/// distance, with the decay index (migest's index_distance β) as the fitted slope.
///
/// One year is drawn: `--year`, else the latest; a matrix over several years would pile
/// nine clouds onto one. An estimated matrix (`--estimated`, or a flow column named
/// "estimated …") is labelled ESTIMATED in the title, as the table is.
enum IndicesPlot {
    static func make(_ inputs: [IndicesInput], _ results: [(year: Double?, set: MigrationIndexSet)], label: String,
                     estimated: String?) throws(CommandFailure) -> DistanceDecayPlot {
        guard let k = results.indices.last, let d = inputs[k].distances else {
            throw CommandFailure("--plot draws flow against distance: give the distances (--distance COL, --distances FILE or --coordinates FILE)")
        }
        let matrix = inputs[k].matrix, n = matrix.count
        var distances: [Double] = [], flows: [Double] = []
        for i in 0..<n { for j in 0..<n where j != i {
            distances.append(d[i * n + j])
            flows.append(matrix.flows[i * n + j])
        } }
        let beta = results[k].set.value("decay")
        let decay = beta.map { DistanceDecayPlot.Decay(beta: $0, label: "decay index β = \(TickFormat.significant($0, 3)) (Poisson GLM with origin and destination effects)") }
        let year = results[k].year.map { " \(Int($0))" } ?? ""
        var caption = ["Every ordered pair of distinct regions; a pair the data omit is a zero flow. The decay index is migest's index_distance."]
        if beta == nil { caption.append("The decay index is undefined for these data, so no curve is drawn.") }
        if results.count > 1 { caption.append("Year\(year) of \(results.count) (the latest; --year picks another).") }
        if let estimated {
            caption.insert("The flows are estimates (\(estimated)): a decay fitted to a matrix a gravity model estimated returns the decay that went in.", at: 0)
        }
        return DistanceDecayPlot(distances: distances, flows: flows, decay: decay, estimated: estimated != nil,
                                 title: "Distance decay of \(label)\(year), \(n) regions", caption: caption + ["Data: \(label)."])
    }
}
