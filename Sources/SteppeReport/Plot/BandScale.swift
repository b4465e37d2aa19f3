/// Categories in equal bands along an axis: category k's band is
/// [start + k·b, start + (k + 1)·b] with b = (end − start)/count, and its marks sit at the
/// band's centre (or are dodged around it, as `dodge` places several series).
public struct BandScale: Sendable, Equatable {
    public let count: Int
    public let start: Double
    public let end: Double

    /// `count` bands from pixel `start` to `end` (`end` may be smaller: bands run backwards).
    public init(count: Int, from start: Double, to end: Double) {
        self.count = max(count, 1)
        self.start = start
        self.end = end
    }

    /// The signed width of one band.
    public var bandwidth: Double { (end - start) / Double(count) }

    /// The centre of band `index`.
    public func center(_ index: Int) -> Double { start + (Double(index) + 0.5) * bandwidth }

    /// Where series `series` of `seriesCount` sits in band `index`: spread evenly over
    /// `spread` (a share of the band, default 0.7) around the centre, the first series
    /// first along the axis; one series sits at the centre.
    public func dodge(_ index: Int, series: Int, of seriesCount: Int, spread: Double = 0.7) -> Double {
        guard seriesCount > 1 else { return center(index) }
        let offset = (Double(series) - Double(seriesCount - 1) / 2) * spread * bandwidth / Double(seriesCount)
        return center(index) + offset
    }
}
