/// The legend of a `FlowMapPlot`: a heading ("Estimated flow, people:"), then a line for
/// each of three to five round values inside the range of the flows shown, each drawn at
/// the width and in the colour a flow of that value has on the map, then the place marker.
///
/// The values are three to five nice numbers (`NiceNumbers.innerTicks`, asked for about
/// four, then five, then three) inside the range; when none of those gives three to five,
/// the range's ends (one value for flows of one size). With no flow drawn, only the marker.
struct FlowMapLegend {
    let plot: FlowMapPlot
    let range: ClosedRange<Double>

    /// The values shown, increasing.
    var values: [Double] {
        guard range.upperBound > range.lowerBound else { return [range.upperBound] }
        for count in [4, 5, 3] {
            let ticks = NiceNumbers.innerTicks(range.lowerBound, range.upperBound, count: count).ticks.filter { $0 > 0 && range.contains($0) }
            if (3...5).contains(ticks.count) { return ticks }
        }
        return [range.lowerBound, range.upperBound]
    }

    var heading: String { (plot.estimated ? "Estimated flow" : "Flow") + ", \(plot.unit):" }

    var legend: Legend {
        guard !plot.shown.isEmpty else { return Legend([LegendEntry(plot.markerLabel, .marker(.circle, FlowMapPlot.markerColor, filled: true))]) }
        var entries = values.map { v in
            LegendEntry(TickFormat.significant(v, 3), .line(plot.lineColor(v, range: range), .solid, width: plot.lineWidth(v, largest: range.upperBound)))
        }
        entries.append(LegendEntry(plot.markerLabel, .marker(.circle, FlowMapPlot.markerColor, filled: true)))
        return Legend(entries)
    }

    var headingWidth: Double { TextMetrics.reservedWidth(heading, size: PlotTheme.legendSize, weight: .bold) + 10 }

    func height(width: Double) -> Double { legend.height(width: width - headingWidth) }

    func elements(x: Double, y: Double, width: Double) -> [SVGElement] {
        let legend = self.legend
        let baseline = y + legend.rowHeight / 2 + PlotTheme.legendSize * 0.35
        let title = SVGElement.text(heading, x: x, y: baseline, style: TextStyle(size: PlotTheme.legendSize, weight: .bold))
        return [.group([title] + legend.elements(x: x + headingWidth, y: y, width: width - headingWidth), class: "flow-legend")]
    }
}
