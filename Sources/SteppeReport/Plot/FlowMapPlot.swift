import Foundation

/// A flow map: places at their coordinates (equirectangular, `EquirectangularProjection`)
/// and one curved arrow per flow (`FlowCurve`), whose width *and* colour encode its size,
/// with the places named beside their markers (`MapLabels`) and a legend of widths with
/// their values.
///
/// - Width is proportional to the flow: `maxLineWidth` pixels for the largest shown,
///   never under 0.75 px (so that every flow shown is seen).
/// - Colour runs along `SequentialRamp.flows` from the smallest flow shown (lightest) to
///   the largest (darkest): a second channel, colour-blind safe and greyscale safe.
/// - Larger flows are drawn last, on top, and every arrowhead after every line, so that
///   no line hides a head; each arrow bends to its right, so the two
///   directions of a pair lie apart.
///
/// With `estimated` (the default: Steppe's flows are model estimates), the title starts
/// "ESTIMATED flows, not observed:", so that the picture cannot be mistaken for data when
/// it is shown without its caption. Flows that are not finite or not positive, and flows
/// of an unknown place, are left out and counted in the caption.
public struct FlowMapPlot: SVGPlot {
    /// A place: its name and centre in degrees.
    public struct Place: Sendable, Equatable {
        public let name: String
        public let latitude: Double
        public let longitude: Double

        public init(name: String, latitude: Double, longitude: Double) {
            self.name = name
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    /// One flow between places (indices into `places`).
    public struct Flow: Sendable, Equatable {
        public let origin: Int
        public let destination: Int
        public let value: Double

        public init(origin: Int, destination: Int, value: Double) {
            self.origin = origin
            self.destination = destination
            self.value = value
        }
    }

    public var places: [Place]
    public var flows: [Flow]
    public var estimated: Bool
    /// What a flow counts, for the legend: "people".
    public var unit: String
    public var chrome: PlotChrome
    public var width: Double
    public var maxLineWidth = 8.0
    /// What the dots are, for the legend.
    public var markerLabel = "region centre"
    static let markerRadius = 3.5
    static let markerColor = SVGColor(hex: 0x333333)

    public init(places: [Place], flows: [Flow], estimated: Bool = true, unit: String = "people", title: String,
                caption: [String] = [], width: Double = PlotTheme.defaultWidth) {
        self.places = places
        self.flows = flows
        self.estimated = estimated
        self.unit = unit
        self.chrome = PlotChrome(title: (estimated ? "ESTIMATED flows, not observed: " : "") + title, caption: caption)
        self.width = width
    }

    /// The flows drawn: finite, positive, between distinct known places with finite
    /// coordinates; smallest first (drawn under the larger).
    public var shown: [Flow] {
        flows.filter { f in
            f.value.isFinite && f.value > 0 && f.origin != f.destination && [f.origin, f.destination].allSatisfy { k in
                places.indices.contains(k) && places[k].latitude.isFinite && places[k].longitude.isFinite
            }
        }.enumerated().sorted { ($0.element.value, $0.offset) < ($1.element.value, $1.offset) }.map(\.element)
    }

    /// The places drawn: those with finite coordinates.
    var mapped: [Int] { places.indices.filter { places[$0].latitude.isFinite && places[$0].longitude.isFinite } }

    /// The line width of a flow of `value`: proportional, the largest shown `maxLineWidth`.
    public func lineWidth(_ value: Double, largest: Double) -> Double {
        max(0.75, maxLineWidth * value / largest)
    }

    /// The colour of a flow of `value` among flows from `range.lowerBound` to `range.upperBound`.
    public func lineColor(_ value: Double, range: ClosedRange<Double>) -> SVGColor {
        let span = range.upperBound - range.lowerBound
        return SequentialRamp.flows.color(span > 0 ? (value - range.lowerBound) / span : 1)
    }

    /// The pixel area the place markers are fitted into, and the map's whole area, for a
    /// map whose top is at `top`: the markers' area is the map's width less 28 px on each
    /// side (room for the names beside the outermost places) and as tall as the projected
    /// extent's aspect asks, clamped to 0.3–1.4 of its width (so that places strung along
    /// one parallel or meridian still get a readable map), with 22 px above and below.
    public func areas(top: Double) -> (markers: PlotRect, map: PlotRect) {
        let p = PlotTheme.padding
        let margins = Graticule.margins()
        let map = PlotRect(x: p + margins.left, y: top, width: width - 2 * p - margins.left, height: 0)
        let inset = (x: 28.0, y: 22.0)
        let markersWidth = map.width - 2 * inset.x
        let idx = mapped
        let aspect = EquirectangularProjection.aspect(latitudes: idx.map { places[$0].latitude }, longitudes: idx.map { places[$0].longitude })
        let markersHeight = markersWidth * min(max(aspect, 0.3), 1.4)
        let markers = PlotRect(x: map.x + inset.x, y: top + inset.y, width: markersWidth, height: markersHeight)
        return (markers, PlotRect(x: map.x, y: top, width: map.width, height: markersHeight + 2 * inset.y))
    }

    /// Where the map is drawn: the area the markers are fitted into and the map's whole
    /// area, under the title and the legend.
    public func layout() -> (markers: PlotRect, map: PlotRect) {
        let p = PlotTheme.padding, inner = width - 2 * p
        let flows = shown
        let legend = FlowMapLegend(plot: self, range: (flows.first?.value ?? 1)...(flows.last?.value ?? 1))
        return areas(top: p + chrome.headerHeight(width: inner) + legend.height(width: inner) + 6)
    }

    /// The projection of the places into `markers`.
    public func projection(markers: PlotRect) -> EquirectangularProjection {
        let idx = mapped
        return EquirectangularProjection(latitudes: idx.map { places[$0].latitude }, longitudes: idx.map { places[$0].longitude }, fitting: markers)
    }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        let flows = shown
        let largest = flows.last?.value ?? 1, range = (flows.first?.value ?? 1)...largest
        let legend = FlowMapLegend(plot: self, range: range)
        var elements = chrome.header(x: p, y: p, width: inner)
        elements += legend.elements(x: p, y: p + chrome.headerHeight(width: inner), width: inner)
        let (markers, map) = layout()
        let projection = self.projection(markers: markers)
        let points = places.map { projection.point(latitude: $0.latitude, longitude: $0.longitude) }
        elements += Graticule(projection: projection, area: map).elements()
        var placement = LabelPlacement(bounds: map)
        let arrows = flows.map { arrow($0, points: points, largest: largest, range: range, placement: &placement) }
        elements.append(.group(arrows.map(\.line), class: "flows"))
        elements.append(.group(arrows.map(\.head), class: "arrowheads"))
        elements.append(.group(mapped.map { marker($0, at: points[$0], placement: &placement) }, class: "places"))
        let labels = MapLabels.place(mapped.map { places[$0].name }, at: mapped.map { points[$0] }, radius: Self.markerRadius, placement: &placement)
        elements.append(.group(labels.elements, class: "labels"))
        let bottom = map.maxY + Graticule.margins().bottom
        let footer = PlotChrome(title: chrome.title, caption: fullCaption(projection: projection, unlabelled: labels.unplaced))
        elements += footer.footer(x: p, y: bottom, width: inner)
        return SVGDocument(width: width, height: bottom + footer.footerHeight(width: inner) + p, title: chrome.title,
                           description: "A map of \(mapped.count) places and \(flows.count) flows between them, drawn as curved arrows whose width and colour grow with the flow.",
                           elements: elements)
    }

    /// One flow's line and arrowhead, each with the flow as a tooltip (the heads are drawn
    /// after every line, so that no line hides a head); the head (and, for wide lines,
    /// points along the line) reserved so that names are not set on them.
    func arrow(_ f: Flow, points: [PlotPoint], largest: Double, range: ClosedRange<Double>,
               placement: inout LabelPlacement) -> (line: SVGElement, head: SVGElement) {
        let w = lineWidth(f.value, largest: largest), color = lineColor(f.value, range: range)
        let curve = FlowCurve(from: points[f.origin], to: points[f.destination])
        let gap = Self.markerRadius + 1.5
        let (body, head) = curve.arrow(width: w, startGap: gap, endGap: gap)
        let xs = head.map(\.x), ys = head.map(\.y)
        placement.reserve(PlotRect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!))
        if w >= 2.5 {
            let steps = max(2, Int(body.chord / 10))
            for k in 1..<steps {
                let q = body.point(at: Double(k) / Double(steps))
                placement.reserve(PlotRect(x: q.x - w / 2, y: q.y - w / 2, width: w, height: w))
            }
        }
        let tip = "\(places[f.origin].name) → \(places[f.destination].name): \(ReportNumber.grouped(f.value.rounded()))\(estimated ? " (estimated)" : "")"
        return (.titled(tip, [.path(body.pathData, style: .stroked(color, width: w)).tagged("flow-line")], class: "flow"),
                .titled(tip, [.polygon(head, style: .filled(color)).tagged("arrowhead")], class: "flow-head"))
    }

    /// A place's marker, reserved for the labels, with its name as a tooltip.
    func marker(_ k: Int, at point: PlotPoint, placement: inout LabelPlacement) -> SVGElement {
        let r = Self.markerRadius
        placement.reserve(PlotRect(x: point.x - r - 1, y: point.y - r - 1, width: 2 * r + 2, height: 2 * r + 2))
        let dot = SVGElement.circle(cx: point.x, cy: point.y, r: r, style: ShapeStyle(fill: Self.markerColor, stroke: .white, strokeWidth: 1))
        return .titled(places[k].name, [dot.tagged("place")], class: "place-marker")
    }

    /// The caption: what the marks are, the projection, and what was left out.
    func fullCaption(projection: EquirectangularProjection, unlabelled: [String]) -> [String] {
        let count = shown.count
        var out = ["Each arrow is one \(estimated ? "estimated " : "")flow from origin to destination (\(count) shown); its width is proportional to the flow and its colour darkens with it. Every arrow bends to its right, so the two directions of a pair lie apart."]
        out.append("Dots: \(mapped.count) places at their centres, equirectangular projection with east–west distances scaled by cos \(TickFormat.fixed(projection.standardParallel, decimals: 1))° (the mean latitude). No boundaries are drawn.")
        let dropped = flows.count - count
        if dropped > 0 { out.append("\(dropped) flow\(dropped == 1 ? " is" : "s are") not drawn (zero, not finite, within one place or of a place without coordinates).") }
        let unmapped = places.count - mapped.count
        if unmapped > 0 { out.append("\(unmapped) place\(unmapped == 1 ? " has" : "s have") no coordinates and \(unmapped == 1 ? "is" : "are") not drawn.") }
        if !unlabelled.isEmpty { out.append("Not labelled for lack of room (hover over the dot for the name): " + unlabelled.joined(separator: ", ") + ".") }
        return chrome.caption + out
    }
}
