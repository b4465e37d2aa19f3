/// Observed against predicted flows on log–log axes with one scale for both, so that the
/// dashed 45° line (observed = predicted) is the square's diagonal: points above it are
/// flows the model underpredicts, below it overpredicts. Several models share the panel,
/// each with its own colour and marker shape (`SeriesStyle`), translucent.
///
/// Predicted flows go along the horizontal axis, observed ones up the vertical, as in
/// spint's and scikit-mobility's diagnostics. Zero observed flows are drawn in a strip
/// below the panel at their prediction (`ZeroStrip`) and counted in the caption; pairs
/// whose prediction is not positive, or either value not finite, are left out and counted.
public struct ObservedPredictedPlot: SVGPlot {
    /// One model's flows, pair by pair.
    public struct Model: Sendable, Equatable {
        public let name: String
        public let observed: [Double]
        public let predicted: [Double]

        public init(name: String, observed: [Double], predicted: [Double]) {
            self.name = name
            self.observed = observed
            self.predicted = predicted
        }

        /// The pairs with a positive finite prediction and a finite observed flow ≥ 0.
        var usable: [(o: Double, p: Double)] {
            zip(observed, predicted).filter { $0.0.isFinite && $0.0 >= 0 && $0.1.isFinite && $0.1 > 0 }.map { (o: $0.0, p: $0.1) }
        }
    }

    public var models: [Model]
    public var estimated: Bool
    public var flowTitle: String
    public var chrome: PlotChrome
    public var width: Double

    public init(models: [Model], estimated: Bool = false, flowTitle: String = "flow", title: String, caption: [String] = [],
                width: Double = 560) {
        self.models = models
        self.estimated = estimated
        self.flowTitle = flowTitle
        self.chrome = PlotChrome(title: (estimated ? "ESTIMATED flows, not observed: " : "") + title, caption: caption)
        self.width = width
    }

    /// The number of zero observed flows of each model.
    public var zeros: [Int] { models.map { m in m.usable.filter { $0.o == 0 }.count } }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        var elements = chrome.header(x: p, y: p, width: inner)
        let (panel, bottom) = self.panel(x: p, y: p + chrome.headerHeight(width: inner), width: inner, areaHeight: nil)
        elements += panel
        let footer = PlotChrome(title: chrome.title, caption: fullCaption)
        elements += footer.footer(x: p, y: bottom, width: inner)
        return SVGDocument(width: width, height: bottom + footer.footerHeight(width: inner) + p, title: chrome.title,
                           description: "Observed against predicted flows of \(models.count) model(s) on log–log axes, with the line observed = predicted.",
                           elements: elements)
    }

    var legendEntries: [LegendEntry] {
        var out = models.enumerated().map { k, m in
            let s = SeriesStyle.series(k)
            return LegendEntry(m.name, .marker(s.shape, s.color, filled: true))
        }
        out.append(LegendEntry("observed = predicted", .line(PlotTheme.referenceColor, .dashed, width: 1.4)))
        return out
    }

    var fullCaption: [String] {
        var out = ["Each mark is one origin–destination pair; above the dashed line the model predicts too little, below it too much."]
        for (m, z) in zip(models, zeros) where z > 0 {
            out.append("\(m.name): \(z) zero observed flow\(z == 1 ? " is" : "s are") not on the log scale; drawn in the strip marked 0, at the prediction.")
        }
        for m in models where m.usable.count < min(m.observed.count, m.predicted.count) {
            let n = min(m.observed.count, m.predicted.count) - m.usable.count
            out.append("\(m.name): \(n) pair\(n == 1 ? "" : "s") without a positive prediction or a finite flow not drawn.")
        }
        return chrome.caption + out
    }
}
