import ArgumentParser

/// The root of `steppe-mpi`'s arguments: `fit` its one subcommand, so that help reads
/// "steppe-mpi fit …" and any other command is ArgumentParser's one-line usage error.
struct DistributedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steppe-mpi",
        abstract: "steppe fit --out-of-core on several processes or machines, over MPI: mpirun -np K steppe-mpi fit DATA [options].",
        discussion: """
        Every process reads DATA (a column store at the same path on every machine: a CSV file is converted by each process into its own temporary store) and the results are those of `steppe fit --out-of-core`, to the bit, whatever the number of processes. Process 0 alone prints and writes files.
        """,
        version: Steppe.version,
        subcommands: [Fit.self]
    )
}
