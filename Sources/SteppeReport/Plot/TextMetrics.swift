/// Estimated widths of text set in the plots' sans-serif font, from a per-character
/// advance table: what keeps labels from overlapping without a font engine.
///
/// The table is Helvetica's advance widths in thousandths of an em (Adobe's Core 14 AFM
/// files, Helvetica.afm and Helvetica-Bold.afm); Arial, Liberation Sans and Nimbus Sans
/// are metric-compatible with it, so the estimate is exact for them up to kerning (which
/// renderers apply only with the `kern` feature, and which narrows text). Characters
/// outside the table count as 0.6 em (Cyrillic and accented Latin letters are 0.5–0.72
/// em in these fonts). A fallback font such as DejaVu Sans is about 8% wider, hence the
/// `safety` factor the layout functions add.
public enum TextMetrics {
    /// Helvetica's widths of ASCII 32 (space) to 126 (~), regular.
    static let regular: [UInt16] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
    ]
    /// Helvetica-Bold's widths of ASCII 32 to 126.
    static let bold: [UInt16] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ]
    /// Widths of the non-ASCII characters the plots write themselves.
    static let extra: [Character: UInt16] = [
        "−": 584, "–": 556, "—": 1000, "…": 1000, "×": 584, "±": 584, "²": 333, "³": 333, "·": 278,
        "≥": 549, "≤": 549, "α": 578, "β": 556, "’": 222, "“": 333, "”": 333, "°": 400, "≈": 549,
    ]
    /// The width of a character outside the tables, in thousandths of an em.
    static let fallback: UInt16 = 600

    /// The width in pixels of `text` set at `size` pixels (one line; no kerning).
    ///
    /// Complexity: O(n) in the text's length.
    public static func width(_ text: String, size: Double, weight: FontWeight = .normal) -> Double {
        let table = weight == .bold ? bold : regular
        var units = 0
        for c in text {
            if let a = c.asciiValue, a >= 32, a <= 126 {
                units += Int(table[Int(a) - 32])
            } else {
                units += Int(extra[c] ?? fallback)
            }
        }
        return Double(units) / 1000 * size
    }

    /// The width with a margin for fallback fonts (8%), what layout reserves.
    public static func reservedWidth(_ text: String, size: Double, weight: FontWeight = .normal) -> Double {
        width(text, size: size, weight: weight) * safety
    }

    /// How much wider than Helvetica a fallback sans-serif may set text (DejaVu Sans: about 8%).
    public static let safety = 1.08
}
