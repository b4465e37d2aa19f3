import Foundation
import SteppeData
import SteppeReport

/// `--format html`: what the command line adds to a page the library renders
/// (`HTMLReport`): the process arguments, Steppe's version and the date.
enum HTMLPage {
    /// The page of `tables` and `figures` with the data's `sources`; the title is the
    /// first table's, else "steppe COMMAND".
    static func render(_ tables: [ReportTable], command: String, figures: [HTMLReport.Figure] = [],
                       sources: [HTMLReport.Provenance] = [], title: String? = nil) -> String {
        let heading = title ?? tables.first(where: { !$0.title.isEmpty })?.title ?? "steppe \(command)"
        return HTMLReport(title: heading, command: invocation, tables: tables, figures: figures, sources: sources,
                          version: Steppe.version, generated: date).render()
    }

    /// The arguments as typed, under the program's own name rather than the path it was
    /// started by (a build directory means nothing to the page's reader).
    static var invocation: [String] {
        let arguments = CommandLine.arguments
        guard let program = arguments.first else { return ["steppe"] }
        return [URL(fileURLWithPath: program).lastPathComponent] + arguments.dropFirst()
    }

    /// Now, or `SOURCE_DATE_EPOCH` (seconds since 1970) when it is set: the
    /// reproducible-builds convention, so that the same command can make the same page
    /// byte for byte (the tests rely on it).
    static var date: Date {
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Double(epoch) {
            return Date(timeIntervalSince1970: seconds)
        }
        return Date()
    }

    /// The provenance of bundled datasets by name (those that do not open are left out:
    /// the command that used them has already opened them).
    static func bundled(_ names: [String]) -> [HTMLReport.Provenance] {
        guard let registry = try? DatasetRegistry.bundled() else { return [] }
        return names.compactMap { name in (try? registry.manifest(name)).map(HTMLReport.Provenance.init(manifest:)) }
    }
}

extension DataSource {
    /// The data's provenance for an HTML page: the manifest of a bundled dataset, or the
    /// file's path and its number of rows.
    var provenance: [HTMLReport.Provenance] {
        if let manifest { return [HTMLReport.Provenance(manifest: manifest)] }
        return [HTMLReport.Provenance(name: label, description: "Read from the file \(label): \(ReportNumber.grouped(Double(table.rowCount))) rows.")]
    }
}

extension Flows {
    /// The inputs of `steppe flows`: Kazakhstan's margins and region centres (two bundled
    /// datasets), or the `--margins` file; and the `--prior` file when there is one.
    var htmlSources: [HTMLReport.Provenance] {
        var out = margins.map { [HTMLReport.Provenance(name: $0, description: "Margins read from the file \($0): departures, arrivals and coordinates by region.")] }
            ?? HTMLPage.bundled(["kazakhstan-migration", "kazakhstan-oblasts"])
        if let prior { out.append(HTMLReport.Provenance(name: prior, description: "The prior pattern read from the file \(prior): origin, destination, flow.")) }
        return out
    }
}
