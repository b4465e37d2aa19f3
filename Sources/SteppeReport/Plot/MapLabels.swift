/// Names beside points on a map, placed without overlap: each name tries eight spots
/// around its point (right, left, above, below, then the four diagonals), then the same
/// eight farther out with a thin leader line, and takes the first free one
/// (`LabelPlacement`); a name with no free spot is not drawn (its point keeps the name as
/// a tooltip) and is reported, so the caption can say so.
///
/// Names are set on a white halo (the same text under it, stroked white 3 px wide), so
/// they stay readable where they cross a flow's line.
public enum MapLabels {
    /// The spots for a name at `point` whose marker has radius `radius`: (x, baseline,
    /// anchor) at distance `radius + 3`, then at `radius + 15`.
    static func spots(_ point: PlotPoint, radius: Double, size: Double) -> [(x: Double, y: Double, anchor: TextAnchor, far: Bool)] {
        var out: [(Double, Double, TextAnchor, Bool)] = []
        for (d, far) in [(radius + 3, false), (radius + 15, true)] {
            let diagonal = d * 0.72, raise = size * 0.35
            out += [(point.x + d, point.y + raise, .start, far), (point.x - d, point.y + raise, .end, far),
                    (point.x, point.y - d - size * 0.2, .middle, far), (point.x, point.y + d + size * 0.8, .middle, far),
                    (point.x + diagonal, point.y - diagonal, .start, far), (point.x - diagonal, point.y - diagonal, .end, far),
                    (point.x + diagonal, point.y + diagonal + size * 0.6, .start, far),
                    (point.x - diagonal, point.y + diagonal + size * 0.6, .end, far)]
        }
        return out
    }

    /// The labels of `names` at `points`, avoiding what `placement` already holds (which
    /// then holds the labels too); returns the text elements and the names left out.
    public static func place(_ names: [String], at points: [PlotPoint], radius: Double, placement: inout LabelPlacement,
                             size: Double = PlotTheme.directLabelSize) -> (elements: [SVGElement], unplaced: [String]) {
        var out: [SVGElement] = [], unplaced: [String] = []
        for (name, point) in zip(names, points) {
            let spots = Self.spots(point, radius: radius, size: size)
            let boxes = spots.map { LabelPlacement.box(name, x: $0.x, baseline: $0.y, size: size, anchor: $0.anchor) }
            guard let k = placement.place(boxes) else {
                unplaced.append(name)
                continue
            }
            let spot = spots[k]
            var parts: [SVGElement] = []
            if spot.far {
                let box = boxes[k]
                let target = PlotPoint(x: min(max(point.x, box.x), box.maxX), y: min(max(point.y, box.y), box.maxY))
                parts.append(.line(x1: point.x, y1: point.y, x2: target.x, y2: target.y, style: .stroked(PlotTheme.referenceColor, width: 0.8)))
            }
            parts += halo(name, x: spot.x, y: spot.y, style: TextStyle(size: size, anchor: spot.anchor))
            out.append(.group(parts, class: "region-label"))
        }
        return (out, unplaced)
    }

    /// `text` twice: stroked white (the halo), then filled.
    public static func halo(_ text: String, x: Double, y: Double, style: TextStyle) -> [SVGElement] {
        let plain = SVGElement.text(text, x: x, y: y, style: style)
        let under = plain.with(SVGAttribute("stroke", SVGColor.white.hex)).with(SVGAttribute("stroke-width", 3))
            .with(SVGAttribute("stroke-linejoin", "round")).tagged("halo")
        return [under, plain]
    }
}
