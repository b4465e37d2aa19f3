import Foundation
import Testing
@testable import SteppeReport

/// The plotting core: SVG writing, Heckbert's nice numbers, the scales and their tick
/// labels, text widths and fitting, marching squares.
@Suite("SteppeReport: plot core")
struct PlotCoreTests {
    @Test("numbers have at most two decimals, no trailing zeros, no minus zero")
    func numbers() {
        #expect(SVGFormatting.number(12.5) == "12.5")
        #expect(SVGFormatting.number(3) == "3")
        #expect(SVGFormatting.number(-0.25) == "-0.25")
        #expect(SVGFormatting.number(-0.001) == "0")
        #expect(SVGFormatting.number(1.005) == "1" || SVGFormatting.number(1.005) == "1.01")
        #expect(SVGFormatting.number(2.3456) == "2.35")
        #expect(SVGFormatting.number(.nan) == "0")
    }

    @Test("text and attributes are escaped")
    func escaping() throws {
        #expect(SVGFormatting.escape("a < b & \"c\" 'd' > e") == "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e")
        let doc = SVGDocument(width: 100, height: 50, title: "A & B <1>",
                              elements: [.text("x < 1 & \"y\"", x: 1, y: 2, style: TextStyle(size: 12))])
        let svg = try parseSVG(doc.render())
        #expect(svg.elements("title").first?.text == "A & B <1>")
        #expect(svg.texts == ["x < 1 & \"y\""])
    }

    @Test("the document: size in px, viewBox, white background, sans-serif stack, no CSS")
    func document() throws {
        let text = SVGDocument(width: 640, height: 400.5, title: "t").render()
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
        let svg = try parseSVG(text)
        #expect(svg.name == "svg")
        #expect(svg.attributes["width"] == "640" && svg.attributes["height"] == "400.5")
        #expect(svg.attributes["viewBox"] == "0 0 640 400.5")
        #expect(svg.attributes["font-family"]?.hasSuffix("sans-serif") == true)
        let background = try #require(svg.tagged("background").first)
        #expect(background.attributes["fill"] == "#ffffff" && background.number("width") == 640)
        #expect(!text.contains("<style") && !text.contains("foreignObject") && !text.contains("@font-face"))
        #expect(!SVGDocument(width: 1, height: 1, title: "t").render(standalone: false).hasPrefix("<?xml"))
    }

    @Test("Heckbert's nice numbers: 1, 2, 5 times a power of ten")
    func niceNumbers() {
        #expect(NiceNumbers.nice(0.13, round: true) == 0.1)
        #expect(NiceNumbers.nice(0.17, round: true) == 0.2)
        #expect(NiceNumbers.nice(3.2, round: true) == 5)
        #expect(NiceNumbers.nice(7.5, round: true) == 10)
        #expect(NiceNumbers.nice(1.2, round: false) == 2)
        #expect(NiceNumbers.nice(2, round: false) == 2)
        #expect(NiceNumbers.nice(5.1, round: false) == 10)
        let (ticks, step) = NiceNumbers.looseTicks(-0.27, 1.24, count: 5)
        #expect(step == 0.5 && ticks == [-0.5, 0, 0.5, 1, 1.5])
        let small = NiceNumbers.looseTicks(0.1, 0.3, count: 3)
        #expect(small.ticks.contains(0.3) || small.ticks.contains(0.4))
        #expect(NiceNumbers.looseTicks(0, 0).ticks.first! <= -1)
        #expect(NiceNumbers.innerTicks(0, 0.85, count: 5).ticks == [0, 0.2, 0.4, 0.6, 0.8])
    }

    @Test("linear scales cover the data with round ticks and map values linearly", arguments: [
        [0.0, 1.0], [-2.25, 1.25], [0.0123, 0.0456], [1234, 98765], [-5e-6, 3e-6], [3.0, 3.0],
    ])
    func linearScale(values: [Double]) {
        let scale = LinearScale.fitted(covering: values, from: 100, to: 600, horizontal: true)
        #expect(scale.ticks.first! <= values.min()! && scale.ticks.last! >= values.max()!)
        #expect(areRound(scale.ticks), "\(scale.ticks)")
        #expect(scale.domain.lowerBound == scale.ticks.first! && scale.domain.upperBound == scale.ticks.last!)
        #expect(abs(scale.position(scale.domain.lowerBound) - 100) < 1e-9 && abs(scale.position(scale.domain.upperBound) - 600) < 1e-9)
        let mid = (scale.domain.lowerBound + scale.domain.upperBound) / 2
        #expect(abs(scale.position(mid) - 350) < 1e-9)
        #expect(abs(scale.value(at: scale.position(0.3)) - 0.3) < 1e-9)
        #expect(scale.labelsFit(horizontal: true, size: PlotTheme.tickLabelSize))
    }

    @Test("tick labels share their decimals, use a true minus and group thousands")
    func tickLabels() {
        #expect(TickFormat.labels([-0.5, 0, 0.5, 1], step: 0.5) == ["−0.5", "0.0", "0.5", "1.0"])
        #expect(TickFormat.labels([0, 10_000, 20_000], step: 10_000) == ["0", "10,000", "20,000"])
        #expect(TickFormat.labels([0, 0.00002, 0.00004], step: 0.00002) == ["0", "2×10⁻⁵", "4×10⁻⁵"])
        #expect(TickFormat.significant(-1.4673) == "−1.47")
        #expect(TickFormat.significant(0.038512) == "0.0385")
        #expect(TickFormat.significant(2310.4) == "2310")
        #expect(TickFormat.fixed(-0.0001, decimals: 2) == "0.00")
    }

    @Test("log scales: 1-2-5 ticks over few decades, powers of ten over many")
    func logScale() {
        let few = LogScale(covering: [1.5, 12], from: 0, to: 400, maxTicks: 8)
        #expect(few.ticks == [1, 2, 5, 10, 20])
        #expect(few.domain == 1...20)
        #expect(few.tickLabels == ["1", "2", "5", "10", "20"])
        let many = LogScale(covering: [0.003, 45_000], from: 0, to: 400, maxTicks: 8)
        #expect(many.ticks == [0.001, 0.01, 0.1, 1, 10, 100, 1000, 10_000, 100_000] || many.ticks.count <= 8)
        #expect(many.ticks.first! <= 0.003 && many.ticks.last! >= 45_000)
        #expect(abs(few.position(10) - few.position(1) - 400 * 1 / log10(20)) < 1e-9)
        let fitted = LogScale.fitted(covering: [0.003, 45_000], from: 0, to: 300, horizontal: true)
        #expect(fitted.labelsFit(horizontal: true, size: PlotTheme.tickLabelSize))
    }

    @Test("text widths are Helvetica's advances")
    func textWidths() {
        // "Hi": H 722 + i 222 = 944 thousandths of an em.
        #expect(abs(TextMetrics.width("Hi", size: 10) - 9.44) < 1e-12)
        #expect(TextMetrics.width("Hi", size: 10, weight: .bold) > TextMetrics.width("Hi", size: 10))
        #expect(abs(TextMetrics.reservedWidth("Hi", size: 10) - 9.44 * TextMetrics.safety) < 1e-12)
    }

    @Test("long labels wrap at break characters and truncate with the full text kept")
    func fitting() {
        let label = "log(income_2020_kzt_month)"
        let wrapped = TextFitting.wrap(label, width: 110, size: 12, maxLines: 2)
        #expect(wrapped.lines.count == 2 && wrapped.lines.joined() == label && !wrapped.isShortened)
        #expect(wrapped.lines.allSatisfy { TextMetrics.reservedWidth($0, size: 12) <= 110 })
        let cut = TextFitting.wrap("drop:region=Almaty city,Astana city,Shymkent city", width: 80, size: 12, maxLines: 2)
        #expect(cut.lines.count == 2 && cut.isShortened && cut.lines[1].hasSuffix("…"))
        let short = TextFitting.truncate("a very long legend entry indeed", width: 60, size: 12)
        #expect(short.hasSuffix("…") && TextMetrics.reservedWidth(short, size: 12) <= 60)
        #expect(TextFitting.wrap("two words", width: 1000, size: 12, maxLines: 1, words: true).lines == ["two words"])
    }

    @Test("a category axis keeps its labels apart and shortened ones get a tooltip")
    func categoryAxis() throws {
        let labels = ["short", "a label much too long to fit in a narrow band of the axis"]
        let axis = CategoryAxis(.bottom, labels: labels, positions: [100, 140], labelWidth: 90)
        #expect(axis.rotated)
        let doc = SVGDocument(width: 300, height: 200, title: "t", elements: axis.elements(area: PlotRect(x: 50, y: 10, width: 200, height: 100)))
        let svg = try parseSVG(doc.render())
        let tooltips = svg.tagged("category").compactMap { $0.children.first { $0.name == "title" }?.text }
        #expect(tooltips == [labels[1]])
        #expect(svg.elements("text").allSatisfy { $0.attributes["transform"]?.hasPrefix("rotate(-45") == true })
    }

    @Test("the legend wraps entries into rows within its width")
    func legend() throws {
        let legend = Legend((0..<6).map { LegendEntry("series number \($0)", .marker(SeriesStyle.series($0).shape, SeriesStyle.series($0).color, filled: true)) })
        #expect(legend.height(width: 2000) == legend.rowHeight)
        #expect(legend.height(width: 300) > legend.rowHeight)
        let svg = try parseSVG(SVGDocument(width: 300, height: 200, title: "t", elements: legend.elements(x: 0, y: 0, width: 300)).render())
        #expect(svg.tagged("legend-entry").count == 6)
    }

    @Test("series differ in colour and shape; the palette is Okabe–Ito's")
    func series() {
        let styles = (0..<7).map(SeriesStyle.series)
        #expect(Set(styles.map(\.shape)).count == 7 && Set(styles.map(\.color)).count == 7)
        #expect(Set(Palette.series) == Set(Palette.okabeIto))
        #expect(Palette.vermillion.hex == "#d55e00" && Palette.blue.hex == "#0072b2")
    }

    @Test("histogram bins: Freedman–Diaconis widths rounded to 1-2-5, every value counted once")
    func histogram() {
        let values = (0..<1000).map { Double($0) / 999 * 4 - 2 }  // uniform on [-2, 2]
        let h = Histogram(values)
        // IQR 2, n = 1000: 2·2/10 = 0.4, rounded to 0.5.
        #expect(h.binWidth == 0.5)
        #expect(h.edges.first! <= -2 && h.edges.last! > 2)
        #expect(h.counts.reduce(0, +) == 1000 && h.total == 1000)
        #expect(h.counts.count == h.edges.count - 1)
        let constant = Histogram([3, 3, 3, .nan])
        #expect(constant.total == 3 && constant.counts.reduce(0, +) == 3)
    }

    @Test("marching squares: every contour point of a plane lies on its level")
    func marchingSquaresPlane() {
        let x = (0..<11).map { Double($0) / 10 }, y = (0..<9).map { Double($0) / 8 }
        let z = x.map { a in y.map { b in a + 2 * b } }
        let lines = MarchingSquares.contours(x: x, y: y, z: z, level: 1.3)
        #expect(lines.count == 1)
        for p in lines[0] { #expect(abs(p.x + 2 * p.y - 1.3) < 1e-12) }
        #expect(lines[0].count >= 10)
    }

    @Test("marching squares: a closed contour of a bowl is one closed loop; saddles resolve")
    func marchingSquaresLoop() {
        let g = (0..<21).map { Double($0) / 10 - 1 }
        let z = g.map { a in g.map { b in a * a + b * b } }
        let lines = MarchingSquares.contours(x: g, y: g, z: z, level: 0.5)
        #expect(lines.count == 1)
        #expect(lines[0].first == lines[0].last)
        for p in lines[0] { #expect(abs((p.x * p.x + p.y * p.y).squareRoot() - 0.5.squareRoot()) < 0.02) }
        let saddle = MarchingSquares.contours(x: [0, 1], y: [0, 1], z: [[1, 0], [0, 1]], level: 0.5)
        #expect(saddle.count == 2)
    }
}
