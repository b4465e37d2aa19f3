/// The sizes and neutral colours every plot shares, chosen to read at 100% on a screen
/// and on paper: 12 px tick labels (9 pt at 96 dpi, the smallest size print guides
/// recommend for figure text), 13 px axis titles, a 16 px bold title, dark grey text and
/// axes (not pure black, which looks heavier than the data), light grid lines.
public enum PlotTheme {
    public static let titleSize = 16.0
    public static let axisTitleSize = 13.0
    public static let tickLabelSize = 12.0
    public static let captionSize = 11.5
    public static let legendSize = 12.0
    public static let directLabelSize = 11.5

    public static let textColor = SVGColor(hex: 0x222222)
    public static let mutedTextColor = SVGColor(hex: 0x555555)
    public static let axisColor = SVGColor(hex: 0x444444)
    public static let gridColor = SVGColor(hex: 0xE3E3E3)
    /// The zero line and other reference lines that are not data.
    public static let referenceColor = SVGColor(hex: 0x777777)

    /// Outer padding of the document, in pixels.
    public static let padding = 14.0
    /// Length of a tick mark.
    public static let tickLength = 5.0
    /// Space between a tick mark and its label.
    public static let tickLabelGap = 3.0
    /// Default document width: fits a README column and a printed page's text width.
    public static let defaultWidth = 720.0

    /// Line height of text set at `size`.
    public static func lineHeight(_ size: Double) -> Double { (size * 1.25).rounded() }
}
