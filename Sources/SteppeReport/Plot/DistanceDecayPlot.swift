import Foundation

/// Distance decay: each pair's flow against its distance on log–log axes, the points
/// translucent so that where they pile up shows, and the fitted decay drawn as a curve.
///
/// The curve is the model's decay with its level set by the points: for a power decay
/// f(d) = d^β it is the line log T = a + β log d, and for an exponential one
/// f(d) = exp(β d) the curve log T = a + β d, with a = mean(log T_ij − β log d_ij) (or
/// − β d_ij) over the positive flows, i.e. through the points' centre. A constrained
/// gravity model gives each pair its own level (its balancing factors), so no single
/// curve is "the" fit; the slope is what the model estimates, and drawing it through the
/// centre shows it against the cloud without claiming more.
///
/// Zero flows cannot sit on a log axis: they are drawn in a strip below it
/// (`ZeroStrip`) and counted in the caption. Pairs whose distance is not positive and
/// finite, or whose flow is not finite, are left out and counted. With `estimated`, the
/// title starts "ESTIMATED flows, not observed:".
public struct DistanceDecayPlot: SVGPlot {
    /// How the flows fall with distance.
    public enum Form: Sendable, Equatable {
        /// f(d) = d^β.
        case power
        /// f(d) = exp(β d).
        case exponential
    }

    /// The fitted decay: its coefficient β (negative when flows fall with distance), its
    /// form, and how the legend names it.
    public struct Decay: Sendable, Equatable {
        public let beta: Double
        public let form: Form
        public let label: String

        public init(beta: Double, form: Form = .power, label: String) {
            self.beta = beta
            self.form = form
            self.label = label
        }

        /// g(d): log f(d) = β log d or β d.
        func exponent(_ d: Double) -> Double { form == .power ? beta * log(d) : beta * d }
    }

    public var distances: [Double]
    public var flows: [Double]
    public var decay: Decay?
    public var estimated: Bool
    public var distanceTitle: String
    public var flowTitle: String
    public var chrome: PlotChrome
    public var width: Double
    static let pointColor = Palette.blue
    static let curveColor = Palette.vermillion

    public init(distances: [Double], flows: [Double], decay: Decay?, estimated: Bool = false, distanceTitle: String = "distance, km",
                flowTitle: String = "flow", title: String, caption: [String] = [], width: Double = PlotTheme.defaultWidth) {
        self.distances = distances
        self.flows = flows
        self.decay = decay
        self.estimated = estimated
        self.distanceTitle = distanceTitle
        self.flowTitle = flowTitle
        self.chrome = PlotChrome(title: (estimated ? "ESTIMATED flows, not observed: " : "") + title, caption: caption)
        self.width = width
    }

    /// The pairs that can be placed: positive finite distance and finite flow ≥ 0.
    var usable: [(d: Double, t: Double)] {
        zip(distances, flows).filter { $0.0 > 0 && $0.0.isFinite && $0.1.isFinite && $0.1 >= 0 }.map { (d: $0.0, t: $0.1) }
    }

    /// The points on the log axes (positive flows).
    public var positive: [(d: Double, t: Double)] { usable.filter { $0.t > 0 } }

    /// The number of zero flows (drawn in the strip).
    public var zeros: Int { usable.count - positive.count }

    /// a: the level that puts the curve through the points' centre (nil without points).
    public var level: Double? {
        guard let decay, !positive.isEmpty else { return nil }
        return positive.map { log($0.t) - decay.exponent($0.d) }.reduce(0, +) / Double(positive.count)
    }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        var elements = chrome.header(x: p, y: p, width: inner)
        let (panel, bottom) = self.panel(x: p, y: p + chrome.headerHeight(width: inner), width: inner, areaHeight: inner * 0.55)
        elements += panel
        let footer = PlotChrome(title: chrome.title, caption: fullCaption)
        elements += footer.footer(x: p, y: bottom, width: inner)
        return SVGDocument(width: width, height: bottom + footer.footerHeight(width: inner) + p, title: chrome.title,
                           description: "Flow against distance of \(usable.count) pairs on log–log axes\(decay == nil ? "" : ", with the fitted decay").",
                           elements: elements)
    }

    var legendEntries: [LegendEntry] {
        var out = [LegendEntry("one origin–destination pair", .marker(.circle, Self.pointColor, filled: true))]
        if let decay { out.append(LegendEntry(decay.label, .line(Self.curveColor, .solid, width: 2.2))) }
        if zeros > 0 { out.append(LegendEntry("zero flow (below the log axis)", .marker(.circle, Self.pointColor, filled: false))) }
        return out
    }

    var fullCaption: [String] {
        var out: [String] = []
        if let decay {
            let term = decay.form == .power ? "β·log distance" : "β·distance"
            out.append("The curve is the fitted decay through the centre of the points (its level the mean of log flow − \(term)); a constrained model gives each pair its own level.")
        }
        if zeros > 0 { out.append("\(zeros) zero flow\(zeros == 1 ? " is" : "s are") not on the log scale; \(zeros == 1 ? "it is" : "they are") drawn in the strip marked 0.") }
        let dropped = distances.count - usable.count
        if dropped > 0 { out.append("\(dropped) pair\(dropped == 1 ? " has" : "s have") no positive distance or no finite flow and \(dropped == 1 ? "is" : "are") not drawn.") }
        return chrome.caption + out
    }
}
