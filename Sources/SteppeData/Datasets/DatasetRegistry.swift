import Foundation
import SteppeDatasets

/// The bundled datasets, opened by name.
///
/// A dataset is `NAME.csv` with `NAME.manifest.json` in one directory (by default the
/// files bundled with Steppe, see `BundledDatasetFiles`). Opening one reads the CSV with
/// the column types the manifest declares and checks the header against the manifest,
/// so a file edited by hand cannot silently change meaning. Derived datasets (a manifest
/// with `derived`, no CSV) are computed by Steppe's own code, e.g. `kazakhstan-distances`
/// from the oblast centres.
public struct DatasetRegistry: Sendable {
    /// The directory of the dataset files.
    public let directory: URL

    /// A registry over the files in `directory`.
    public init(directory: URL) { self.directory = directory }

    /// The datasets bundled with Steppe.
    public static func bundled() throws(DatasetError) -> DatasetRegistry {
        guard let dir = BundledDatasetFiles.directory else {
            throw .filesNotFound(tried: BundledDatasetFiles.candidates.map(\.path))
        }
        return DatasetRegistry(directory: dir)
    }

    /// The names of the datasets, sorted.
    public var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".manifest.json") }.map { String($0.dropLast(".manifest.json".count)) }.sorted()
    }

    /// Whether a dataset of this name exists.
    public func contains(_ name: String) -> Bool { names.contains(name) }

    /// The manifest of `name`.
    public func manifest(_ name: String) throws(DatasetError) -> DatasetManifest {
        guard contains(name) else { throw .unknown(name, available: names) }
        let url = directory.appendingPathComponent(name + ".manifest.json")
        do {
            let data = try Data(contentsOf: url)
            return try JSONDecoder().decode(DatasetManifest.self, from: data)
        } catch {
            throw .badManifest(name, reason: "\(error)")
        }
    }

    /// The path of the CSV of `name` (`nil` for a derived dataset).
    public func csvPath(_ name: String) throws(DatasetError) -> String? {
        try manifest(name).file.map { directory.appendingPathComponent($0).path }
    }

    /// The table of `name`, read with the manifest's column types and checked against it.
    public func table(_ name: String) throws(DatasetError) -> Table {
        let m = try manifest(name)
        let table: Table
        if let derivation = m.derived {
            table = try DerivedDatasets.build(name, from: derivation, registry: self)
        } else {
            guard let file = m.file else { throw .badManifest(name, reason: "neither a file nor a derivation") }
            var options = CSVOptions()
            for c in m.columns {
                guard let kind = c.kind else { throw .badManifest(name, reason: "column \(c.name) has unknown type \(c.type)") }
                options.columnKinds[c.name] = kind
            }
            do { table = try CSVReader.read(path: directory.appendingPathComponent(file).path, options: options) } catch { throw .csv(error) }
        }
        guard table.columnNames == m.columns.map(\.name) else {
            throw .mismatch(name, reason: "columns are \(table.columnNames.joined(separator: ",")), the manifest lists \(m.columns.map(\.name).joined(separator: ","))")
        }
        guard table.rowCount == m.rows else {
            throw .mismatch(name, reason: "\(table.rowCount) rows, the manifest says \(m.rows)")
        }
        return table
    }
}
