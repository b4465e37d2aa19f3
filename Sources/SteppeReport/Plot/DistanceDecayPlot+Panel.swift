import Foundation

extension DistanceDecayPlot {
    /// The legend, the axes, the points, the curve and the zero strip in a column of
    /// `width` pixels from (`x`, `y`), with a plotting area `areaHeight` tall; returns the
    /// elements and the bottom of the axis labels. `legendSpace` reserves that much height
    /// for the legend instead of its own (to align panels side by side).
    public func panel(x: Double, y: Double, width: Double, areaHeight: Double, legendSpace: Double? = nil) -> ([SVGElement], Double) {
        let legend = Legend(legendEntries)
        var out = legend.elements(x: x, y: y, width: width)
        let top = y + (legendSpace ?? legend.height(width: width)) + 8
        let points = positive
        let ys = LogScale.fitted(covering: points.map(\.t), from: top + areaHeight, to: top, horizontal: false)
        let yAxis = NumericAxis(.left, scale: ys, title: flowTitle + " (log scale)")
        let left = x + yAxis.thickness
        let probe = LogScale(covering: usable.map(\.d), from: left, to: x + width)
        let right = x + width - max(8, TextMetrics.reservedWidth(probe.tickLabels.last ?? "", size: PlotTheme.tickLabelSize) / 2 + 2)
        let xs = LogScale.fitted(covering: usable.map(\.d), from: left, to: right, horizontal: true)
        let area = PlotRect(x: left, y: top, width: right - left, height: areaHeight)
        let strip = zeros > 0 ? ZeroStrip.gap + ZeroStrip.height : 0
        let xAxis = NumericAxis(.bottom, scale: xs, title: distanceTitle + " (log scale)")
        let axisArea = PlotRect(x: area.x, y: area.y, width: area.width, height: area.height + strip)
        out += xAxis.gridElements(area: area) + yAxis.gridElements(area: area)
        out.append(.group(points.map { pt in
            SVGElement.circle(cx: xs.position(pt.d), cy: ys.position(pt.t), r: 3,
                              style: ShapeStyle(fill: Self.pointColor, stroke: Self.pointColor, strokeWidth: 0.6, fillOpacity: 0.3)).tagged("point")
        }, class: "points"))
        if zeros > 0 {
            out += ZeroStrip.elements(xs: usable.filter { $0.t == 0 }.map { xs.position($0.d) }, below: area, color: Self.pointColor)
        }
        if let decay, let level {
            let curve = ScatterCurves.sampled(xs, ys, area: area) { d in exp(level + decay.exponent(d)) }
            out.append(.group(curve.map { SVGElement.polyline($0, style: .stroked(Self.curveColor, width: 2.2)) }, class: "fitted"))
        }
        out += xAxis.elements(area: axisArea) + yAxis.elements(area: area)
        return (out, axisArea.maxY + xAxis.thickness)
    }
}
