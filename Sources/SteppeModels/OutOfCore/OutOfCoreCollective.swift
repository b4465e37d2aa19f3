/// The processes that share one out-of-core fit, each reading its own range of the rows:
/// the transport beneath `OutOfCoreFit` when it runs on several processes or machines (the
/// `steppe-mpi` executable gives one over MPI). A single process needs none.
///
/// One operation is enough: every process's bytes, in rank order, on every process
/// (MPI_Allgatherv's contract). The fit sends through it the partial sums of its row
/// segments and adds them in segment order on every process, so that the result does not
/// depend on how many processes there are, nor on the order in which a reduction tree
/// would combine them (MPI_Allreduce's order is the implementation's, and floating-point
/// addition is not associative). It also sends the levels each process has seen, its
/// drop counts, and the error of a process that fails, so that every process stops with it.
///
/// Every process must make the same calls in the same order; the fit does.
public protocol OutOfCoreCollective: Sendable {
    /// This process's number, 0 ..< `size`; process 0 reads the first rows.
    var rank: Int { get }
    /// The number of processes.
    var size: Int { get }
    /// The bytes of every process, indexed by rank, on every process. Throws when the
    /// transport fails (then every process's fit fails).
    func allGather(_ bytes: [UInt8]) throws(ModelError) -> [[UInt8]]
}
