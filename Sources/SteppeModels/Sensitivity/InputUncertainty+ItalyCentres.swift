extension DecayCalibration {
    /// Italy's twenty regions: their NUTS1 area, the capital's position (degrees north,
    /// east) and the 2001 census population (millions, ISTAT). The italy-areas data carry
    /// no distances; these give each area a centre. The same table is in
    /// Tests/SteppeModelsTests/Fixtures/inputs/decay_make_reference.py.
    static let italyRegions: [(area: String, region: String, lat: Double, lon: Double, population: Double)] = [
        ("North-West", "Piemonte", 45.0703, 7.6869, 4.214677), ("North-West", "Valle d'Aosta", 45.7370, 7.3201, 0.119548),
        ("North-West", "Lombardia", 45.4642, 9.1900, 9.032554), ("North-West", "Liguria", 44.4056, 8.9463, 1.571783),
        ("North-East", "Trentino-Alto Adige", 46.0748, 11.1217, 0.940016), ("North-East", "Veneto", 45.4408, 12.3155, 4.527694),
        ("North-East", "Friuli-Venezia Giulia", 45.6495, 13.7768, 1.183764), ("North-East", "Emilia-Romagna", 44.4949, 11.3426, 3.983346),
        ("Center", "Toscana", 43.7696, 11.2558, 3.497806), ("Center", "Umbria", 43.1107, 12.3908, 0.825826),
        ("Center", "Marche", 43.6158, 13.5189, 1.470581), ("Center", "Lazio", 41.9028, 12.4964, 5.112413),
        ("South", "Abruzzo", 42.3498, 13.3995, 1.262392), ("South", "Molise", 41.5603, 14.6627, 0.320601),
        ("South", "Campania", 40.8518, 14.2681, 5.701931), ("South", "Puglia", 41.1171, 16.8719, 4.020707),
        ("South", "Basilicata", 40.6401, 15.8056, 0.597768), ("South", "Calabria", 38.9098, 16.5877, 2.011466),
        ("Islands", "Sicilia", 38.1157, 13.3615, 4.968991), ("Islands", "Sardegna", 39.2238, 9.1217, 1.631880),
    ]

    /// Each area's centre: the population-weighted mean latitude and longitude of its
    /// regions' capitals (a plain mean of degrees is close enough within an area of a few
    /// hundred km; the Islands' centre falls in the sea between Sicily and Sardinia, as a
    /// centre of population of two islands does).
    public static var italyAreaCentres: [String: (lat: Double, lon: Double)] {
        var out: [String: (lat: Double, lon: Double)] = [:]
        for area in Set(italyRegions.map(\.area)) {
            let rows = italyRegions.filter { $0.area == area }
            let w = rows.reduce(0) { $0 + $1.population }
            out[area] = (rows.reduce(0) { $0 + $1.lat * $1.population } / w, rows.reduce(0) { $0 + $1.lon * $1.population } / w)
        }
        return out
    }
}
