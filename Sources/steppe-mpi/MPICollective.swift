import CMPI
import Glibc
import SteppeModels

/// The processes of `MPI_COMM_WORLD` as an `OutOfCoreCollective`: `allGather` is
/// MPI_Allgather of every rank's byte count, then MPI_Allgatherv of the bytes.
///
/// Allgatherv rather than Allreduce: the fit adds the gathered partial sums itself, in
/// segment order, so that the result does not depend on the number of processes nor on
/// the reduction tree the MPI implementation would choose. The counts go first, as Int64,
/// because no rank knows the others' lengths (levels and errors vary in size).
///
/// Stateless but for `rank`, `size` and the main thread, so it is Sendable as it is; the
/// communicator is fetched at each call rather than stored, since MPI handles are C pointers.
final class MPICollective: OutOfCoreCollective {
    let rank: Int
    let size: Int
    /// The thread that initialised MPI: MPI_THREAD_FUNNELED allows MPI calls from it alone.
    private let mainThread: pthread_t

    /// Bytes each rank sends in one MPI_Allgatherv: 1 GiB, less when the ranks' shares would
    /// not fit in the `int` counts and displacements of MPI (2³¹ − 1 over all ranks).
    static func roundBytes(size: Int) -> Int { max(1, min(1 << 30, Int(Int32.max) / max(size, 1))) }

    /// Call on the main thread, after MPI_Init_thread. Sets MPI_ERRORS_RETURN on the
    /// communicator: the default handler aborts the whole job on any error, with MPI's own
    /// messages from every rank, where Steppe reports one line and exits.
    init() throws(ModelError) {
        let world = steppe_MPI_COMM_WORLD()
        try Self.check(MPI_Comm_set_errhandler(world, steppe_MPI_ERRORS_RETURN()), "MPI_Comm_set_errhandler")
        var rank: Int32 = 0
        var size: Int32 = 0
        try Self.check(MPI_Comm_rank(world, &rank), "MPI_Comm_rank")
        try Self.check(MPI_Comm_size(world, &size), "MPI_Comm_size")
        self.rank = Int(rank)
        self.size = Int(size)
        mainThread = pthread_self()
    }

    func allGather(_ bytes: [UInt8]) throws(ModelError) -> [[UInt8]] {
        // A call from another thread would break FUNNELED's contract (undefined behaviour in
        // MPI, a crash or a hang in practice): refuse it.
        guard pthread_equal(pthread_self(), mainThread) != 0 else {
            throw .numerical("MPI: allGather called off the main thread (steppe-mpi initialises MPI_THREAD_FUNNELED)")
        }
        let counts = try gatherCounts(bytes.count)
        var gathered = counts.map { count -> [UInt8] in
            var part: [UInt8] = []
            part.reserveCapacity(count)
            return part
        }
        let round = Self.roundBytes(size: size)
        var offset = 0
        // Every rank runs the same rounds: their number comes from the gathered counts.
        while offset < counts.max() ?? 0 {
            let received = counts.map { Int32(max(0, min(round, $0 - offset))) }
            let parts = try gatherRound(bytes, from: offset, count: max(0, min(round, bytes.count - offset)), counts: received)
            for r in 0..<size { gathered[r] += parts[r] }
            offset += round
        }
        return gathered
    }

    /// Every rank's byte count, by rank (MPI_Allgather of one Int64 each).
    private func gatherCounts(_ count: Int) throws(ModelError) -> [Int] {
        var mine = Int64(count)
        var all = [Int64](repeating: 0, count: size)
        let code = MPI_Allgather(&mine, 1, steppe_MPI_INT64_T(), &all, 1, steppe_MPI_INT64_T(), steppe_MPI_COMM_WORLD())
        try Self.check(code, "MPI_Allgather")
        guard all.allSatisfy({ $0 >= 0 }) else { throw .numerical("MPI: MPI_Allgather: a negative byte count") }
        return all.map { Int($0) }
    }

    /// One round: `count` bytes of `bytes` from `offset` sent, every rank's `counts[r]` received.
    private func gatherRound(_ bytes: [UInt8], from offset: Int, count: Int, counts: [Int32]) throws(ModelError) -> [ArraySlice<UInt8>] {
        var displacements = [Int32](repeating: 0, count: size)
        for r in 1..<max(size, 1) { displacements[r] = displacements[r - 1] + counts[r - 1] }
        var received = [UInt8](repeating: 0, count: Int(counts.reduce(0, +)))
        let code = bytes.withUnsafeBytes { send in
            received.withUnsafeMutableBytes { receive in
                MPI_Allgatherv(count > 0 ? send.baseAddress! + offset : send.baseAddress, Int32(count), steppe_MPI_BYTE(),
                               receive.baseAddress, counts, displacements, steppe_MPI_BYTE(), steppe_MPI_COMM_WORLD())
            }
        }
        try Self.check(code, "MPI_Allgatherv")
        return (0..<size).map { received[Int(displacements[$0]) ..< Int(displacements[$0] + counts[$0])] }
    }

    /// Nothing for MPI_SUCCESS; otherwise the error, with MPI_Error_string's text of `code`.
    static func check(_ code: Int32, _ call: String) throws(ModelError) {
        guard code != steppe_MPI_SUCCESS() else { return }
        var text = [CChar](repeating: 0, count: Int(steppe_MPI_MAX_ERROR_STRING()) + 1)
        var length: Int32 = 0
        let described = MPI_Error_string(code, &text, &length) == steppe_MPI_SUCCESS()
        let message = described ? text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : "error code \(code)"
        throw .numerical("MPI: \(call): \(message)")
    }
}
