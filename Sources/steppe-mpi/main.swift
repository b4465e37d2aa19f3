// `steppe-mpi`: `steppe fit --out-of-core` on the processes of an MPI job
// (`mpirun -np K steppe-mpi fit DATA [options]`, or `srun`), every rank reading its own
// range of rows, the sums combined by `MPICollective`. Rank 0 alone prints.
import CMPI
import Glibc
import SteppeCLI
import SteppeModels

/// One line on stderr, MPI finalized when it was initialised, and exit 1, for failures before
/// the command runs (write(2), not stdio: Swift 6 refuses C's global `stderr`, shared mutable
/// state). The line first: MPI_Finalize waits for every rank, and once one rank exits non-zero
/// mpirun kills the others, so rank 0 must have printed before it reaches MPI_Finalize.
func fail(_ message: String, finalize: Bool = true) -> Never {
    let line = Array("steppe-mpi: error: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    if finalize { MPI_Finalize() }
    exit(1)
}

/// The text of an error of MPICollective: "MPI: …", without ModelError's "numerical failure: ".
func text(_ error: ModelError) -> String {
    if case .numerical(let why) = error { return why }
    return "\(error)"
}

// MPI_THREAD_FUNNELED: the fit calls MPI only from this, the main thread (its worker threads,
// if any, compute and never communicate), and FUNNELED is the level every MPI provides
// without the locking of MPI_THREAD_MULTIPLE. The program's arguments are not passed:
// mpirun and srun hand MPI its settings through the environment.
var provided: Int32 = 0
guard MPI_Init_thread(nil, nil, steppe_MPI_THREAD_FUNNELED(), &provided) == steppe_MPI_SUCCESS() else {
    fail("MPI: MPI_Init_thread failed", finalize: false)
}
guard provided >= steppe_MPI_THREAD_FUNNELED() else {
    fail("MPI: the MPI library does not provide MPI_THREAD_FUNNELED")
}
let collective: MPICollective
do {
    collective = try MPICollective()
} catch {
    fail(text(error))
}

// Every rank computes the same output and meets the same errors (the fit shares a failing
// rank's error with all): rank 0 prints, exactly what `steppe fit --out-of-core` prints, and
// the others' stdout and stderr go to /dev/null, so that K processes print one table or one
// error line, not K. Their exit status still says whether they failed.
if collective.rank != 0 {
    let null = open("/dev/null", O_WRONLY)
    if null >= 0 {
        dup2(null, STDOUT_FILENO)
        dup2(null, STDERR_FILENO)
        close(null)
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    try SameCommandCheck.run(collective, arguments: arguments)
} catch {
    fail(text(error))
}
let status = DistributedFit.main(arguments: arguments, collective: collective)
MPI_Finalize()
exit(status)
