import ArgumentParser
import Foundation
import SteppeData
import SteppeReport

struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, describe and export the bundled datasets.",
        discussion: """
        Examples:
          steppe datasets list
          steppe datasets show kazakhstan-documents
          steppe datasets export kazakhstan-oblasts -o oblasts.csv
        """,
        subcommands: [List.self, Show.self, Export.self]
    )

    static func registry() throws(CommandFailure) -> DatasetRegistry {
        do { return try DatasetRegistry.bundled() } catch { throw CommandFailure(error) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The bundled datasets: name, rows, years, title.")
        @OptionGroup var outputOptions: OutputOptions

        func run() throws {
            let registry = try Datasets.registry()
            var t = ReportTable(title: "Bundled datasets (steppe datasets show NAME for sources and columns)", columns: ["name", "rows", "years", "title"])
            for name in registry.names {
                let m: DatasetManifest
                do { m = try registry.manifest(name) } catch { throw CommandFailure(error) }
                t.rows.append([.text(name), .number(Double(m.rows), display: ReportNumber.grouped(Double(m.rows))), .text(m.years), .text(m.title)])
            }
            try OutputDestination.write(try Tables.render([t], outputOptions, command: "datasets list"), to: outputOptions.output)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A dataset's manifest: description, sources with quotes, caveats, licence, columns, and the documents' quotes.")
        @Argument(help: "The dataset's name.") var name: String
        @OptionGroup var outputOptions: OutputOptions

        func run() throws {
            let registry = try Datasets.registry()
            let m: DatasetManifest
            do { m = try registry.manifest(name) } catch { throw CommandFailure(error) }
            if outputOptions.format == .json {
                let manifest: JSONValue
                do { manifest = try OutputEnvelope.value(of: m) } catch { throw CommandFailure(error) }
                try OutputDestination.write(OutputEnvelope.text(command: "datasets show", [("dataset", manifest)]), to: outputOptions.output)
                return
            }
            let table: Table
            do { table = try registry.table(name) } catch { throw CommandFailure(error) }
            switch outputOptions.format {
            case .text, .markdown:
                try OutputDestination.write(ManifestDocument.render(m, table, markdown: outputOptions.format == .markdown), to: outputOptions.output)
            case .html:
                try OutputDestination.write(ManifestDocument.html(m, table), to: outputOptions.output)
            default:
                throw CommandFailure("datasets show writes text, markdown, html or json; use datasets export for the data as CSV")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a dataset as CSV (derived datasets are computed first).")
        @Argument(help: "The dataset's name.") var name: String
        @Option(name: [.short, .long], help: "Write to this file (atomically) instead of standard output.") var output: String?

        func run() throws {
            let registry = try Datasets.registry()
            let table: Table
            do { table = try registry.table(name) } catch { throw CommandFailure(error) }
            try OutputDestination.write(CSVWriter.text(table), to: output)
        }
    }
}
