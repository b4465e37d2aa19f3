/// A plot's title (bold, wrapped, on top) and caption (notes in small grey text, wrapped,
/// at the foot): what a figure needs to stand alone when it is printed or mailed.
public struct PlotChrome: Sendable, Equatable {
    public var title: String
    /// Sentences under the plot: what the marks are, what was left out and why.
    public var caption: [String]

    public init(title: String, caption: [String] = []) {
        self.title = title
        self.caption = caption
    }

    func titleLines(width: Double) -> [String] {
        title.isEmpty ? [] : TextFitting.wrap(title, width: width, size: PlotTheme.titleSize, maxLines: 3, weight: .bold, words: true).lines
    }

    func captionLines(width: Double) -> [String] {
        caption.flatMap { TextFitting.wrap($0, width: width, size: PlotTheme.captionSize, maxLines: 8, words: true).lines }
    }

    /// The height of the title block (with the space below it).
    public func headerHeight(width: Double) -> Double {
        let lines = titleLines(width: width)
        return lines.isEmpty ? 0 : Double(lines.count) * PlotTheme.lineHeight(PlotTheme.titleSize) + 8
    }

    /// The height of the caption block (with the space above it).
    public func footerHeight(width: Double) -> Double {
        let lines = captionLines(width: width)
        return lines.isEmpty ? 0 : Double(lines.count) * PlotTheme.lineHeight(PlotTheme.captionSize) + 10
    }

    /// The title, its block's top-left corner at (x, y).
    public func header(x: Double, y: Double, width: Double) -> [SVGElement] {
        let lh = PlotTheme.lineHeight(PlotTheme.titleSize)
        let style = TextStyle(size: PlotTheme.titleSize, weight: .bold)
        let lines = titleLines(width: width).enumerated().map { k, line in
            SVGElement.text(line, x: x, y: y + Double(k) * lh + PlotTheme.titleSize * 0.95, style: style)
        }
        return lines.isEmpty ? [] : [SVGElement.group(lines, class: "title")]
    }

    /// The caption, its block's top-left corner at (x, y).
    public func footer(x: Double, y: Double, width: Double) -> [SVGElement] {
        let lh = PlotTheme.lineHeight(PlotTheme.captionSize)
        let style = TextStyle(size: PlotTheme.captionSize, color: PlotTheme.mutedTextColor)
        let lines = captionLines(width: width).enumerated().map { k, line in
            SVGElement.text(line, x: x, y: y + 10 + Double(k) * lh + PlotTheme.captionSize * 0.95, style: style)
        }
        return lines.isEmpty ? [] : [SVGElement.group(lines, class: "caption")]
    }
}
