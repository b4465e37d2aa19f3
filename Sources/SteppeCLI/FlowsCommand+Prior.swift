import ArgumentParser
import Foundation
import SteppeData
import SteppeModels
import SteppeReport

/// `steppe flows` with a prior matrix, another method (migest's cm2, entropy) or net
/// migration alone (`MarginFitting`).
extension Flows {
    enum Method: String, ExpressibleByArgument, CaseIterable { case ipf, cm, entropy }

    /// Whether the options ask for the margin-fitting path rather than the distance-decay IPF sweep.
    var usesMarginFitting: Bool { prior != nil || netColumn != nil || method != .ipf }

    func runMarginFitting() throws {
        guard top >= 0 else { throw CommandFailure("--top must be 0 or more, got \(top)") }
        if netColumn != nil && margins == nil { throw CommandFailure("--net-column needs --margins FILE with a net-migration column") }
        let input = try marginsForFitting()
        let priorMatrix = try prior.map { path throws(CommandFailure) in try Self.readPrior(path, regions: input.regions) }
            ?? decayPrior(input)
        let fit: MarginFitting.Fit
        var notes: [String] = []
        do {
            if let net = input.net {
                switch method {
                case .cm: throw CommandFailure("--method cm needs departures and arrivals; with net migration alone use ipf (migest's net_matrix_ipf) or entropy (net_matrix_entropy)")
                case .ipf: fit = try MarginFitting.netIPF(net: net, prior: priorMatrix, tolerance: 1e-10, maximumIterations: 100_000)
                case .entropy: fit = try MarginFitting.netEntropy(net: net, prior: priorMatrix)
                }
                notes.append("Net migration alone: flows N_ij = α_i·m_ij/α_j with inflow − outflow equal to each region's net; \(method == .ipf ? "migest's net_matrix_ipf" : "the prior's closest matrix in Kullback–Leibler divergence, as migest's net_matrix_entropy (the same solution as net_matrix_ipf)"). The volume comes from the prior.")
            } else {
                var arrivals = input.arrivals
                let a = input.departures.reduce(0, +), b = arrivals.reduce(0, +)
                if abs(a - b) > 1e-9 * max(a, b) {
                    guard rescale else { throw CommandFailure("departures sum to \(ReportNumber.grouped(a)) and arrivals to \(ReportNumber.grouped(b)), a difference of \(ReportNumber.grouped(a - b)); give --rescale to scale the arrivals to the departures' total") }
                    arrivals = arrivals.map { $0 * a / b }
                    notes.append("Arrivals scaled by \(ReportNumber.fixed(a / b, 6)) to the departures' total (--rescale).")
                }
                switch method {
                case .cm: fit = try MarginFitting.conditionalMaximisation(rowTotals: input.departures, columnTotals: arrivals, prior: priorMatrix,
                                                                          tolerance: 1e-10, maximumIterations: 100_000)
                case .ipf, .entropy: fit = try MarginFitting.ipf(rowTotals: input.departures, columnTotals: arrivals, prior: priorMatrix)
                }
                notes.append(method == .cm ? "Conditional maximisation of log N_ij = log α_i + log β_j + log m_ij (Willekens 1999; migest's cm2)."
                             : "IPF of the prior to the margins (migest's ipf2)\(method == .entropy ? ", which is also the matrix closest to the prior in Kullback–Leibler divergence with these margins" : "").")
            }
        } catch let e as CommandFailure { throw e } catch { throw CommandFailure(error) }
        notes.append("\(fit.converged ? "Converged" : "Did NOT converge") in \(fit.iterations) iterations.")
        notes.append(prior.map { "Prior: \($0) (origin, destination, flow; pairs it does not list are structural zeros)." }
                     ?? "Prior: the distance decay \(decayLabel(decay)) between region centres.")
        notes += input.notes
        try writeFitting(fit, input: input, notes: notes)
    }

    /// The margins: a file (with departures and arrivals, or a net column), or Kazakhstan's.
    func marginsForFitting() throws(CommandFailure) -> Margins {
        guard let path = margins else { return try Self.kazakhstanMargins(year: year) }
        let t = try InputFiles.readCSV(path)
        var m = Margins()
        do {
            let region = try t.column(regionColumn)
            m.regions = (0..<t.rowCount).map { region.text(at: $0) }
            func numbers(_ name: String) throws -> [Double] {
                guard let v = try t.column(name).numbers else { throw CommandFailure("\(path): column '\(name)' is not numeric") }
                if let k = v.firstIndex(where: \.isNaN) { throw CommandFailure("\(path): row \(k + 2) (\(m.regions[k])) has no \(name)") }
                return v
            }
            if let netColumn { m.net = try numbers(netColumn) } else {
                m.departures = try numbers(departuresColumn); m.arrivals = try numbers(arrivalsColumn)
            }
            if t[latColumn] != nil && t[lonColumn] != nil { m.lat = try numbers(latColumn); m.lon = try numbers(lonColumn) }
        } catch let e as CommandFailure { throw e } catch { throw CommandFailure("\(path): \(error)") }
        guard Set(m.regions).count == m.regions.count else { throw CommandFailure("\(path): a region appears twice in '\(regionColumn)'") }
        m.label = path
        m.notes = ["Margins: \(path)."]
        return m
    }

    /// d^-β (or exp(−β d/100)) between region centres, zero on the diagonal.
    func decayPrior(_ input: Margins) throws(CommandFailure) -> [[Double]] {
        if input.net != nil { throw CommandFailure("net migration alone does not fix the volume of moves: give --prior FILE, a matrix of flows (another year's, another country's) whose scale the estimate keeps") }
        guard input.lat.count == input.regions.count else { throw CommandFailure("without --prior the distance decay needs the regions' coordinates (--lat-column, --lon-column)") }
        let km = GreatCircle.distanceMatrix(latitudes: input.lat, longitudes: input.lon)
        return km.enumerated().map { i, row in row.enumerated().map { j, d in i == j ? 0 : decayFunction.weight(d, decay) } }
    }

    /// A long CSV origin, destination, flow as an n × n matrix over `regions`.
    static func readPrior(_ path: String, regions: [String]) throws(CommandFailure) -> [[Double]] {
        let t = try InputFiles.readCSV(path)
        let index = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1, $0) })
        var m = [[Double]](repeating: [Double](repeating: 0, count: regions.count), count: regions.count)
        do {
            let o = try t.column("origin"), d = try t.column("destination")
            guard let flow = try t.column("flow").numbers else { throw CommandFailure("\(path): column 'flow' is not numeric") }
            for r in 0..<t.rowCount {
                guard let i = index[o.text(at: r)], let j = index[d.text(at: r)] else {
                    let missing = index[o.text(at: r)] == nil ? o.text(at: r) : d.text(at: r)
                    throw CommandFailure("\(path): row \(r + 2): region '\(missing)' is not in the margins")
                }
                guard flow[r].isFinite, flow[r] >= 0 else { throw CommandFailure("\(path): row \(r + 2): the flow \(flow[r]) must be finite and ≥ 0") }
                m[i][j] += flow[r]
            }
        } catch let e as CommandFailure { throw e } catch { throw CommandFailure("\(path): \(error) (the prior needs columns origin, destination, flow)") }
        if let k = regions.indices.first(where: { i in m[i].allSatisfy { $0 == 0 } && m.allSatisfy { $0[i] == 0 } }) {
            throw CommandFailure("\(path): the prior has no flow from or to \(regions[k])")
        }
        return m
    }

    /// The largest estimated flows, and for cm the balancing factors.
    func writeFitting(_ fit: MarginFitting.Fit, input: Margins, notes: [String]) throws {
        let n = input.regions.count
        var pairs: [(Int, Int)] = []
        for i in 0..<n { for j in 0..<n where i != j && fit.flows[i][j] > 0 { pairs.append((i, j)) } }
        pairs.sort { fit.flows[$0.0][$0.1] > fit.flows[$1.0][$1.1] }
        let shown = top == 0 ? pairs : Array(pairs.prefix(top))
        var table = ReportTable(title: "ESTIMATED flows (not observed): \(method.rawValue)\(input.net != nil ? " from net migration" : ""), \(input.label)",
                                columns: ["origin", "destination", "estimated flow"])
        for (i, j) in shown { table.rows.append([.text(input.regions[i]), .text(input.regions[j]), ReportTable.number(fit.flows[i][j], digits: 0)]) }
        table.notes = [top == 0 ? "All \(pairs.count) pairs." : "The \(shown.count) largest of \(pairs.count) estimated flows (--top 0 for all)."] + notes
        var tables = [table]
        if !fit.alpha.isEmpty {
            var factors = ReportTable(title: "Balancing factors", columns: fit.beta.isEmpty ? ["region", "alpha"] : ["region", "alpha", "beta"])
            for k in 0..<n {
                factors.rows.append([.text(input.regions[k]), ReportTable.number(fit.alpha[k])] + (fit.beta.isEmpty ? [] : [ReportTable.number(fit.beta[k])]))
            }
            tables.append(factors)
        }
        let data: JSONValue = .object([("name", .string(input.label)), ("regions", .number(Double(n))), ("method", .string(method.rawValue)),
                                       ("iterations", .number(Double(fit.iterations))), ("converged", .bool(fit.converged))])
        try OutputDestination.write(try Tables.render(tables, outputOptions, command: "flows", json: [("data", data)], sources: htmlSources), to: outputOptions.output)
    }
}
