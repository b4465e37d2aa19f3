/// The two diagnostics of a spatial interaction model side by side in one figure: on the
/// left the distance decay (`DistanceDecayPlot`: log flow against log distance, with the
/// fitted decay), on the right observed against predicted flows (`ObservedPredictedPlot`:
/// every model fitted, with the 45° line). One title, each panel its own heading and
/// legend, and the captions of both under the pair.
///
/// The panels share the height of the right one's square area, so the two read as a row.
public struct InteractionFitPlot: SVGPlot {
    public var decay: DistanceDecayPlot
    public var fit: ObservedPredictedPlot
    public var chrome: PlotChrome
    public var width: Double
    static let gutter = 28.0

    /// The figure of `decay` and `fit` (their own titles become the panels' headings).
    public init(decay: DistanceDecayPlot, fit: ObservedPredictedPlot, title: String, caption: [String] = [], width: Double = 960) {
        self.decay = decay
        self.fit = fit
        self.chrome = PlotChrome(title: title, caption: caption)
        self.width = width
    }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        let column = (inner - Self.gutter) / 2
        var elements = chrome.header(x: p, y: p, width: inner)
        let top = p + chrome.headerHeight(width: inner)
        let headings = [decay.chrome.title, fit.chrome.title].map { PlotChrome(title: $0) }
        let headingHeight = headings.map { heading(for: $0, width: column).height }.max() ?? 0
        let panelTop = top + headingHeight
        let rightX = p + column + Self.gutter
        let side = fit.squareSide(width: column)
        let legends = max(Legend(decay.legendEntries).height(width: column), Legend(fit.legendEntries).height(width: column))
        let left = decay.panel(x: p, y: panelTop, width: column, areaHeight: side, legendSpace: legends)
        let right = fit.panel(x: rightX, y: panelTop, width: column, areaHeight: side, legendSpace: legends)
        elements += heading(for: headings[0], width: column).elements(p, top)
        elements += heading(for: headings[1], width: column).elements(rightX, top)
        elements.append(.group(left.0, class: "panel"))
        elements.append(.group(right.0, class: "panel"))
        let bottom = max(left.1, right.1)
        let caption = chrome.caption + decay.fullCaption.map { "Left: " + $0 } + fit.fullCaption.map { "Right: " + $0 }
        let footer = PlotChrome(title: chrome.title, caption: caption)
        elements += footer.footer(x: p, y: bottom, width: inner)
        return SVGDocument(width: width, height: bottom + footer.footerHeight(width: inner) + p, title: chrome.title,
                           description: "Two panels: flow against distance with the fitted decay, and observed against predicted flows.",
                           elements: elements)
    }

    /// A panel's heading: its title in bold at the axis-title size, wrapped to the column.
    func heading(for chrome: PlotChrome, width: Double) -> (height: Double, elements: (Double, Double) -> [SVGElement]) {
        let size = PlotTheme.axisTitleSize
        let lines = TextFitting.wrap(chrome.title, width: width, size: size, maxLines: 3, weight: .bold, words: true).lines
        let lh = PlotTheme.lineHeight(size)
        return (Double(lines.count) * lh + 6, { x, y in
            [.group(lines.enumerated().map { k, line in
                SVGElement.text(line, x: x, y: y + Double(k) * lh + size * 0.95, style: TextStyle(size: size, weight: .bold))
            }, class: "panel-title")]
        })
    }
}
