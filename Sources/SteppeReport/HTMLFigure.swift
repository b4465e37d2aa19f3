import SteppeData

extension HTMLReport {
    /// One figure of a report: an `<svg>` element drawn inline, and its caption.
    ///
    /// The SVG is trusted markup from Steppe's own plots (`SVGPlot.inlineSVG`) and is
    /// written as it is; only an XML declaration or a document type before the `<svg>`
    /// (what `SVGPlot.svg`, the file form, starts with) is cut off, since neither may
    /// stand inside an HTML body. The caption is text and is escaped.
    public struct Figure: Sendable, Equatable {
        /// What the figure shows, printed under it.
        public var caption: String
        /// The `<svg>…</svg>` element.
        public var svg: String

        public init(caption: String, svg: String) {
            self.caption = caption
            self.svg = svg
        }

        /// The figure of one of Steppe's plots, captioned with `caption` or, without one,
        /// the plot's own title (its full caption is drawn inside the SVG).
        public init(_ plot: some SVGPlot, caption: String? = nil) {
            let document = plot.document()
            self.init(caption: caption ?? document.title, svg: document.render(standalone: false))
        }

        /// The `<svg>` element without any prolog before it.
        var inlineSVG: String {
            guard let start = svg.range(of: "<svg") else { return svg }
            return svg[start.lowerBound...].trimmingWhitespace
        }

        /// `<figure>` with the drawing and its `<figcaption>`; `number` counts from 1.
        func render(number: Int) -> String {
            "<figure class=\"plot\" id=\"figure-\(number)\">\n" + inlineSVG + "\n<figcaption>Figure \(number). "
                + HTMLEscaping.escape(caption) + "</figcaption>\n</figure>\n"
        }
    }
}

