import Foundation

/// The line of one flow on a map: a quadratic Bézier curve from the origin to the
/// destination, bent to the right of the direction of travel, with an arrowhead at the
/// destination.
///
/// The control point is the chord's midpoint moved by `bend` × the chord's length along
/// the chord's right-hand normal (in SVG's y-down coordinates, (−dy, dx)/L for a chord
/// (dx, dy) of length L). A→B and B→A have opposite directions, so their curves bow to
/// opposite sides and never lie on top of each other, and every flow bends the same way,
/// so a reader learns the convention from one pair ("clockwise around the pair", as
/// Jenny et al. 2017 recommend for origin–destination maps: "Design principles for
/// origin-destination flow maps", *Cartography and Geographic Information Science* 45).
///
/// The drawn curve stops short of both centres (by their markers' radius and a gap) and,
/// at the destination, where the arrowhead's base begins; the arrowhead's tip touches the
/// gap before the destination's marker.
public struct FlowCurve: Sendable, Equatable {
    public let start: PlotPoint
    public let control: PlotPoint
    public let end: PlotPoint

    /// The curve from `a` to `b` whose control point is `bend` of the chord from its
    /// midpoint (0.2 by default: a visible arc that stays near the straight line), and at
    /// least `minimumOffset` pixels (but no more than 1.2 chords) for centres close
    /// together, so that the two directions of a short pair still part (a quadratic
    /// curve's greatest distance from its chord is half its control point's).
    public init(from a: PlotPoint, to b: PlotPoint, bend: Double = 0.2, minimumOffset: Double = 24) {
        let dx = b.x - a.x, dy = b.y - a.y, length = hypot(dx, dy)
        let offset = max(bend * length, min(minimumOffset, 1.2 * length))
        let k = length > 0 ? offset / length : 0
        start = a
        end = b
        control = PlotPoint(x: (a.x + b.x) / 2 - k * dy, y: (a.y + b.y) / 2 + k * dx)
    }

    init(start: PlotPoint, control: PlotPoint, end: PlotPoint) {
        self.start = start
        self.control = control
        self.end = end
    }

    /// B(t) = (1 − t)² P₀ + 2(1 − t)t C + t² P₂.
    public func point(at t: Double) -> PlotPoint {
        let s = 1 - t
        return PlotPoint(x: s * s * start.x + 2 * s * t * control.x + t * t * end.x,
                         y: s * s * start.y + 2 * s * t * control.y + t * t * end.y)
    }

    /// The part of the curve between t₀ and t₁, itself a quadratic Bézier: its control
    /// point is the blossom b(t₀, t₁) = (1 − t₀)(1 − t₁) P₀ + ((1 − t₀)t₁ + t₀(1 − t₁)) C + t₀t₁ P₂.
    public func segment(_ t0: Double, _ t1: Double) -> FlowCurve {
        let a = (1 - t0) * (1 - t1), b = (1 - t0) * t1 + t0 * (1 - t1), c = t0 * t1
        let q = PlotPoint(x: a * start.x + b * control.x + c * end.x, y: a * start.y + b * control.y + c * end.y)
        return FlowCurve(start: point(at: t0), control: q, end: point(at: t1))
    }

    /// The t at which the curve is `distance` pixels (straight line) from its start
    /// (`fromEnd` false) or from its end: bisection on the monotone stretch of the curve
    /// nearest that end (the first or second half); 0 or 1 for a distance ≤ 0.
    public func parameter(atDistance distance: Double, fromEnd: Bool) -> Double {
        guard distance > 0 else { return fromEnd ? 1 : 0 }
        let anchor = fromEnd ? end : start
        var near = fromEnd ? 1.0 : 0.0, far = 0.5
        for _ in 0..<40 {
            let mid = (near + far) / 2
            if Self.distance(point(at: mid), anchor) < distance { near = mid } else { far = mid }
        }
        return (near + far) / 2
    }

    /// The SVG path data: "M x0 y0 Q cx cy x1 y1".
    public var pathData: String {
        let n = SVGFormatting.number
        return "M\(n(start.x)) \(n(start.y))Q\(n(control.x)) \(n(control.y)) \(n(end.x)) \(n(end.y))"
    }

    /// The chord's length.
    public var chord: Double { Self.distance(start, end) }

    static func distance(_ a: PlotPoint, _ b: PlotPoint) -> Double { hypot(b.x - a.x, b.y - a.y) }

    /// The drawn flow: the curve trimmed by `startGap` at the origin and by `endGap` plus
    /// the arrowhead at the destination, and the arrowhead (a triangle whose tip is
    /// `endGap` from the destination) for a stroke of `width` pixels.
    ///
    /// The arrowhead is 5 + 1.6·width long and 2.5 + 0.9·width wide on each side (so it
    /// stays wider than the line it ends), shortened to 45% of what is left of the chord
    /// between the gaps when the centres are close.
    public func arrow(width: Double, startGap: Double, endGap: Double) -> (line: FlowCurve, head: [PlotPoint]) {
        let room = max(chord - startGap - endGap, 0)
        let length = min(5 + 1.6 * width, 0.45 * room), half = 2.5 + 0.9 * width
        let t0 = parameter(atDistance: startGap, fromEnd: false)
        let tipT = parameter(atDistance: endGap, fromEnd: true)
        let baseT = parameter(atDistance: endGap + length, fromEnd: true)
        let tip = point(at: tipT), base = point(at: baseT)
        let d = Self.distance(base, tip)
        let ux = d > 0 ? (tip.x - base.x) / d : 0, uy = d > 0 ? (tip.y - base.y) / d : 0
        let head = [tip, PlotPoint(x: base.x - uy * half, y: base.y + ux * half), PlotPoint(x: base.x + uy * half, y: base.y - ux * half)]
        return (segment(t0, max(baseT, t0)), head)
    }
}
