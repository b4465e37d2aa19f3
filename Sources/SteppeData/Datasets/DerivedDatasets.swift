import Foundation

/// Datasets computed by Steppe's own code from other bundled datasets.
enum DerivedDatasets {
    static func build(_ name: String, from derivation: DatasetManifest.Derivation, registry: DatasetRegistry) throws(DatasetError) -> Table {
        switch name {
        case "kazakhstan-distances":
            return try distances(registry.table(derivation.from), name: name)
        default:
            throw .badManifest(name, reason: "Steppe does not know how to derive it")
        }
    }

    /// Great-circle distances (0.1 km) between the centres of the regions of the latest
    /// year each region appears in `kazakhstan-oblasts`, every ordered pair, no diagonal.
    static func distances(_ oblasts: Table, name: String) throws(DatasetError) -> Table {
        let kato: Column, region: Column, centre: Column, lat: [Double], lon: [Double], year: [Double]
        do {
            kato = try oblasts.column("kato2"); region = try oblasts.column("region"); centre = try oblasts.column("centre")
            lat = try oblasts.column("centre_lat").numbers ?? []
            lon = try oblasts.column("centre_lon").numbers ?? []
            year = try oblasts.column("year").numbers ?? []
        } catch { throw .mismatch(name, reason: "kazakhstan-oblasts lacks \(error)") }
        var latest: [String: Int] = [:]
        for i in 0..<oblasts.rowCount {
            let k = kato.text(at: i)
            if let j = latest[k], year[j] >= year[i] { continue }
            latest[k] = i
        }
        let rows = latest.values.sorted { kato.text(at: $0) < kato.text(at: $1) }
        var ok: [String?] = [], on: [String?] = [], oc: [String?] = [], dk: [String?] = [], dn: [String?] = [], dc: [String?] = []
        var km: [Double] = []
        for a in rows {
            for b in rows where a != b {
                ok.append(kato.text(at: a)); on.append(region.text(at: a)); oc.append(centre.text(at: a))
                dk.append(kato.text(at: b)); dn.append(region.text(at: b)); dc.append(centre.text(at: b))
                let d = GreatCircle.distanceKm(latitude1: lat[a], longitude1: lon[a], latitude2: lat[b], longitude2: lon[b])
                km.append((d * 10).rounded() / 10)
            }
        }
        do {
            return try Table(columns: [.text("origin_kato2", ok), .text("origin", on), .text("origin_centre", oc),
                                       .text("destination_kato2", dk), .text("destination", dn), .text("destination_centre", dc),
                                       .numeric("dist_km", km)])
        } catch { throw .mismatch(name, reason: "\(error)") }
    }
}
