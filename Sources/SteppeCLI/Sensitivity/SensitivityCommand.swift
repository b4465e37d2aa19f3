import ArgumentParser
import SteppeModels

/// `steppe sensitivity METHOD`: how much the estimates depend on the sample, the
/// specification, confounders and the sources' loose figures. One sub-command per method;
/// each fits the model once and reports the method's results after the model.
struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How sensitive the estimates are to the specification and the sample.",
        discussion: """
        Each method fits the model (the default analysis's pooled model (2) when no data and formula are given) and reports how its estimates move. Replicates run on all cores and are seeded (--seed): the same seed gives the same numbers whatever the number of threads. Runs longer than a second show progress on stderr when it is a terminal.

        Examples:
          steppe sensitivity curve
          steppe sensitivity curve --vary "model=ppml|ols-log|ols-log1p" --format json
        """,
        subcommands: [Curve.self, Inputs.self, JackknifeCommand.self, InfluenceCommand.self, BootstrapCommand.self, OVBCommand.self, EBACommand.self]
    )
}

/// Options every sensitivity method takes: the model, the seed and the output.
struct SensitivityOptions: ParsableArguments {
    @Argument(help: "A CSV file or a bundled dataset name. Default: the Kazakhstan push-factor data.")
    var data: String?

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Seed of the random streams (replicate k uses stream k). Default 1.")
    var seed: UInt64 = 1

    @OptionGroup var outputOptions: OutputOptions
}
