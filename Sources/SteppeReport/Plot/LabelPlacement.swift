/// Direct labels placed without overlap: each label is tried at its candidate positions
/// in order and takes the first whose box meets no box placed before (and stays inside
/// the bounds); a label with no free candidate is left out, which beats a pile of text.
///
/// Greedy, O(n²) in the labels placed, which is plenty for the tens of labels a plot has.
public struct LabelPlacement: Sendable {
    public private(set) var occupied: [PlotRect] = []
    public let bounds: PlotRect

    public init(bounds: PlotRect, occupied: [PlotRect] = []) {
        self.bounds = bounds
        self.occupied = occupied
    }

    /// The box of `text` at `size` with its anchor at (x, baseline).
    public static func box(_ text: String, x: Double, baseline: Double, size: Double, anchor: TextAnchor) -> PlotRect {
        let w = TextMetrics.reservedWidth(text, size: size)
        let left = anchor == .start ? x : anchor == .middle ? x - w / 2 : x - w
        return PlotRect(x: left, y: baseline - size * 0.8, width: w, height: size * 1.05)
    }

    /// Marks `rect` as taken (a point, a legend) without placing a label.
    public mutating func reserve(_ rect: PlotRect) { occupied.append(rect) }

    /// The first of `candidates` free for a box, which is then taken; nil when none is.
    public mutating func place(_ candidates: [PlotRect]) -> Int? {
        for (k, r) in candidates.enumerated() where contains(bounds, r) && !occupied.contains(where: { overlaps($0, r) }) {
            occupied.append(r)
            return k
        }
        return nil
    }

    func overlaps(_ a: PlotRect, _ b: PlotRect) -> Bool {
        a.x < b.maxX && b.x < a.maxX && a.y < b.maxY && b.y < a.maxY
    }

    func contains(_ outer: PlotRect, _ r: PlotRect) -> Bool {
        r.x >= outer.x && r.maxX <= outer.maxX && r.y >= outer.y && r.maxY <= outer.maxY
    }
}
