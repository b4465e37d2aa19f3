/// The Okabe–Ito palette: eight colours that people with the common colour-vision
/// deficiencies (protanopia, deuteranopia, tritanopia) can tell apart (Okabe & Ito 2008,
/// "Color Universal Design"; Wong 2011, Nature Methods 8:441; the default qualitative
/// palette of R 4.0's `palette.colors()`).
///
/// Colour is never the only channel: `SeriesStyle` pairs each colour with a marker shape
/// and a dash pattern, and the plots label reference lines directly.
public enum Palette {
    public static let black = SVGColor(hex: 0x000000)
    public static let orange = SVGColor(hex: 0xE69F00)
    public static let skyBlue = SVGColor(hex: 0x56B4E9)
    public static let bluishGreen = SVGColor(hex: 0x009E73)
    public static let yellow = SVGColor(hex: 0xF0E442)
    public static let blue = SVGColor(hex: 0x0072B2)
    public static let vermillion = SVGColor(hex: 0xD55E00)
    public static let reddishPurple = SVGColor(hex: 0xCC79A7)

    /// The palette in Okabe and Ito's order.
    public static let okabeIto = [black, orange, skyBlue, bluishGreen, yellow, blue, vermillion, reddishPurple]

    /// The order series take colours in: the darkest first, yellow (too light for thin
    /// marks on white) last, and black kept for text and reference marks until the seventh.
    public static let series = [blue, vermillion, bluishGreen, reddishPurple, orange, skyBlue, black, yellow]
}

/// How series k is drawn: a colour, a marker shape and a dash pattern, all three cycling
/// so that neighbouring series differ in each (colour alone never tells them apart).
public struct SeriesStyle: Sendable, Equatable {
    public let color: SVGColor
    public let shape: MarkerShape
    public let dash: DashPattern

    public init(color: SVGColor, shape: MarkerShape, dash: DashPattern) {
        self.color = color
        self.shape = shape
        self.dash = dash
    }

    /// The style of series `index` (0-based).
    public static func series(_ index: Int) -> SeriesStyle {
        let shapes: [MarkerShape] = [.circle, .triangle, .square, .diamond, .triangleDown, .plus, .cross]
        let i = max(index, 0)
        return SeriesStyle(color: Palette.series[i % Palette.series.count], shape: shapes[i % shapes.count],
                           dash: DashPattern.allCases[i % DashPattern.allCases.count])
    }
}
