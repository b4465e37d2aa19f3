import Foundation

/// A function drawn over a scatter plot's area: sampled at 120 points spaced evenly in
/// pixels along the horizontal axis and clipped to the area, so that a curve steeper than
/// the data never runs over the axes.
enum ScatterCurves {
    /// The pieces of y = f(x) inside `area`, as pixel polylines: each sample pair with one
    /// end outside is cut where the straight line between them leaves the area (between
    /// samples 1/120 of the width apart, the curve is a straight line to well under a pixel).
    static func sampled(_ xs: LogScale, _ ys: any PlotScale, area: PlotRect, _ f: (Double) -> Double) -> [[PlotPoint]] {
        let a = log10(xs.domain.lowerBound), b = log10(xs.domain.upperBound)
        let samples = (0...120).map { k -> PlotPoint in
            let v = pow(10, a + (b - a) * Double(k) / 120)
            let fv = f(v)
            return PlotPoint(x: xs.position(v), y: fv > 0 && fv.isFinite ? ys.position(fv) : .infinity)
        }
        var pieces: [[PlotPoint]] = [], current: [PlotPoint] = []
        let inside = { (p: PlotPoint) in p.y.isFinite && p.y >= area.y && p.y <= area.maxY }
        for (prev, next) in zip(samples, samples.dropFirst()) {
            switch (inside(prev), inside(next)) {
            case (true, true):
                if current.isEmpty { current.append(prev) }
                current.append(next)
            case (true, false):
                if current.isEmpty { current.append(prev) }
                if next.y.isFinite { current.append(edge(prev, next, area)) }
                pieces.append(current); current = []
            case (false, true):
                current = prev.y.isFinite ? [edge(next, prev, area)] : [next]
            case (false, false): break
            }
        }
        if current.count > 1 { pieces.append(current) }
        return pieces.filter { $0.count > 1 }
    }

    /// Where the segment from `a` (inside) to `b` (outside, above or below) meets the area's edge.
    static func edge(_ a: PlotPoint, _ b: PlotPoint, _ area: PlotRect) -> PlotPoint {
        let y = b.y < area.y ? area.y : area.maxY
        let t = (y - a.y) / (b.y - a.y)
        return PlotPoint(x: a.x + t * (b.x - a.x), y: y)
    }
}
