import Foundation

/// Great-circle distances on a spherical Earth.
///
/// Haversine formula: d = 2R·asin(√(sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2))), well
/// conditioned for short and long distances alike (the spherical law of cosines loses
/// digits below a few km). R = 6371.0088 km, the IUGG mean Earth radius, the value
/// geosphere and sf use by default for spherical distances. The sphere differs from the
/// WGS84 ellipsoid's geodesic by up to about 0.5%; gravity models need the distance's
/// logarithm, which that shifts by at most 0.005. Rounding: about 1e-12 relative, except
/// within a few km of the antipode, where asin near 1 leaves errors of up to a metre.
public enum GreatCircle {
    /// Mean Earth radius in km (IUGG).
    public static let earthRadiusKm = 6371.0088

    /// Distance in km between two points given in degrees (latitude north, longitude east).
    public static func distanceKm(latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double,
                                  radius: Double = earthRadiusKm) -> Double {
        let rad = Double.pi / 180
        let phi1 = latitude1 * rad, phi2 = latitude2 * rad
        let dPhi = (latitude2 - latitude1) * rad, dLambda = (longitude2 - longitude1) * rad
        let s1 = sin(dPhi / 2), s2 = sin(dLambda / 2)
        let h = min(1, s1 * s1 + cos(phi1) * cos(phi2) * s2 * s2)
        return 2 * radius * asin(h.squareRoot())
    }

    /// The n × n matrix of distances (km) between points given by their latitudes and
    /// longitudes (degrees), row i the distances from point i; zero on the diagonal.
    public static func distanceMatrix(latitudes: [Double], longitudes: [Double]) -> [[Double]] {
        precondition(latitudes.count == longitudes.count, "one longitude per latitude")
        let n = latitudes.count
        return (0..<n).map { i in (0..<n).map { j in
            distanceKm(latitude1: latitudes[i], longitude1: longitudes[i], latitude2: latitudes[j], longitude2: longitudes[j])
        } }
    }
}
