import Foundation

/// The equirectangular projection (plate carrée with a standard parallel), fitted to a
/// rectangle: what a map of a country's region centres needs, and no more.
///
/// With φ₀ the mean latitude of the points, a point at latitude φ and longitude λ (degrees)
/// goes to
///
/// ```
/// u = λ · cos φ₀,   v = φ
/// x = area.midX + k · (u − u_mid),   y = area.midY − k · (v − v_mid)
/// ```
///
/// where u_mid and v_mid are the middles of the points' range and k, in pixels per degree
/// of latitude, is the largest that fits the points into the area. One degree of
/// longitude is cos φ₀ of a degree of latitude on the ground at φ₀, so distances near the
/// mean latitude read true in every direction there (Snyder 1987, *Map Projections — A
/// Working Manual*, USGS Professional Paper 1395, pp. 90–91). For a country the size of
/// Kazakhstan (41–55° N) the east–west scale is 8% too small at the southern edge and 8%
/// too large at the northern one, which a map of centres and flows can carry; a
/// conformal projection would need its own code for no visible gain.
public struct EquirectangularProjection: Sendable, Equatable {
    /// φ₀, degrees: the mean latitude of the points.
    public let standardParallel: Double
    /// k: pixels per degree of latitude.
    public let scale: Double
    let centre: PlotPoint
    let middleU: Double, middleV: Double

    /// The projection that fits the points (degrees; non-finite ones are left out) into
    /// `area`, centred, with the mean latitude as the standard parallel.
    public init(latitudes: [Double], longitudes: [Double], fitting area: PlotRect) {
        let box = Self.box(latitudes: latitudes, longitudes: longitudes)
        self.standardParallel = box.parallel
        self.middleU = (box.u.lowerBound + box.u.upperBound) / 2
        self.middleV = (box.v.lowerBound + box.v.upperBound) / 2
        let spanU = box.u.upperBound - box.u.lowerBound, spanV = box.v.upperBound - box.v.lowerBound
        let kx = spanU > 0 ? area.width / spanU : .infinity, ky = spanV > 0 ? area.height / spanV : .infinity
        let k = min(kx, ky)
        self.scale = k.isFinite ? k : 1
        self.centre = PlotPoint(x: area.midX, y: area.midY)
    }

    /// The pixel of the point at `latitude`, `longitude` (degrees).
    public func point(latitude: Double, longitude: Double) -> PlotPoint {
        let u = longitude * cos(standardParallel * .pi / 180)
        return PlotPoint(x: centre.x + scale * (u - middleU), y: centre.y - scale * (latitude - middleV))
    }

    /// The height over the width of the points' projected extent (for sizing a map's
    /// area before it is fitted); 1 for fewer than two distinct points.
    public static func aspect(latitudes: [Double], longitudes: [Double]) -> Double {
        let box = box(latitudes: latitudes, longitudes: longitudes)
        let spanU = box.u.upperBound - box.u.lowerBound, spanV = box.v.upperBound - box.v.lowerBound
        return spanU > 0 && spanV > 0 ? spanV / spanU : 1
    }

    /// The mean latitude and the ranges of u = λ cos φ₀ and v = φ over the finite points.
    static func box(latitudes: [Double], longitudes: [Double]) -> (parallel: Double, u: ClosedRange<Double>, v: ClosedRange<Double>) {
        let points = zip(latitudes, longitudes).filter { $0.0.isFinite && $0.1.isFinite }
        guard !points.isEmpty else { return (0, 0...0, 0...0) }
        let parallel = points.map(\.0).reduce(0, +) / Double(points.count)
        let c = cos(parallel * .pi / 180)
        let us = points.map { $0.1 * c }, vs = points.map(\.0)
        return (parallel, us.min()!...us.max()!, vs.min()!...vs.max()!)
    }
}
