import SteppeCLI
import SteppeModels

/// Before any data is read: every rank runs the same version of steppe-mpi with the same
/// arguments, or all stop with one error line. On a cluster a node may hold another build
/// (whose sums would not add up to the same fit) or a launcher may pass other arguments; the
/// fit would then fail late or, worse, agree by accident. It is also the first exchange of
/// the job, so a transport that does not work fails here, before the fit.
enum SameCommandCheck {
    static func run(_ collective: any OutOfCoreCollective, arguments: [String]) throws(ModelError) {
        let mine = ([DistributedFit.version] + arguments).joined(separator: "\0")
        let all = try collective.allGather(Array(mine.utf8))
        for (rank, bytes) in all.enumerated() where bytes != all[0] {
            let theirs = String(decoding: bytes, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false)
            let version = theirs.first.map(String.init) ?? "?"
            throw .numerical(version == DistributedFit.version || rank == 0
                ? "MPI: rank \(rank) was given other arguments than rank 0"
                : "MPI: rank \(rank) runs steppe-mpi \(version), rank 0 \(DistributedFit.version)")
        }
    }
}
