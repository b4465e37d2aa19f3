extension ObservedPredictedPlot {
    /// The legend, the square log–log panel, the 45° line, every model's points and the
    /// zero strip, in a column of `width` pixels from (`x`, `y`); the area is square
    /// (`areaHeight` nil) or `areaHeight` tall with the same scale per pixel on both axes
    /// where it fits. Returns the elements and the bottom of the axis labels. `legendSpace`
    /// reserves that much height for the legend instead of its own (to align panels).
    public func panel(x: Double, y: Double, width: Double, areaHeight: Double?, legendSpace: Double? = nil) -> ([SVGElement], Double) {
        let legend = Legend(legendEntries)
        var out = legend.elements(x: x, y: y, width: width)
        let top = y + (legendSpace ?? legend.height(width: width)) + 8
        let values = self.values
        let side = min(squareSide(width: width), areaHeight ?? .infinity)
        let ys = LogScale.fitted(covering: values, from: top + side, to: top, horizontal: false)
        let yAxis = NumericAxis(.left, scale: ys, title: "observed " + flowTitle + " (log scale)")
        let left = x + yAxis.thickness
        let xs = LogScale(covering: values, from: left, to: left + side, maxTicks: ys.ticks.count)
        let area = PlotRect(x: left, y: top, width: side, height: side)
        let strip = zeros.contains { $0 > 0 } ? ZeroStrip.gap + ZeroStrip.height : 0
        let xAxis = NumericAxis(.bottom, scale: xs, title: "predicted " + flowTitle + " (log scale)")
        let axisArea = PlotRect(x: area.x, y: area.y, width: area.width, height: area.height + strip)
        out += xAxis.gridElements(area: area) + yAxis.gridElements(area: area)
        let lo = xs.domain.lowerBound, hi = xs.domain.upperBound
        out.append(.group([.line(x1: xs.position(lo), y1: ys.position(lo), x2: xs.position(hi), y2: ys.position(hi),
                                 style: .stroked(PlotTheme.referenceColor, width: 1.4, dash: .dashed))], class: "identity"))
        if strip > 0 { out += ZeroStrip.elements(xs: [], below: area, color: PlotTheme.referenceColor) }
        for (k, m) in models.enumerated() {
            let s = SeriesStyle.series(k)
            let marks = m.usable.map { pair -> SVGElement in
                let cy = pair.o > 0 ? ys.position(pair.o) : ZeroStrip.rect(below: area).midY
                let mark = s.shape.element(at: PlotPoint(x: xs.position(pair.p), y: cy), size: 6.5, color: s.color, filled: pair.o > 0)
                return (pair.o > 0 ? mark.with(SVGAttribute("fill-opacity", 0.35)) : mark).tagged(pair.o > 0 ? "point" : "zero")
            }
            out.append(.group(marks, class: "series"))
        }
        out += xAxis.elements(area: axisArea) + yAxis.elements(area: area)
        return (out, axisArea.maxY + xAxis.thickness)
    }

    /// Every positive flow, observed or predicted: what both axes cover.
    var values: [Double] { models.flatMap { m in m.usable.flatMap { [$0.p, $0.o] } }.filter { $0 > 0 } }

    /// The side of the square area in a column of `width` pixels: what is left after the
    /// vertical axis and half the last tick label of the horizontal one (so that it is not
    /// cut off at the column's edge).
    public func squareSide(width: Double) -> Double {
        let probe = LogScale(covering: values, from: 0, to: 300)
        let yAxisWidth = NumericAxis(.left, scale: probe, title: "observed").thickness
        let endLabel = TextMetrics.reservedWidth(probe.tickLabels.last ?? "", size: PlotTheme.tickLabelSize) / 2 + 2
        return width - yAxisWidth - max(8, endLabel)
    }
}
