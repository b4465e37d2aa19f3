#if canImport(Glibc)
import Glibc
#endif
internal import CHDF5
import Synchronization

/// The one lock every HDF5 call of the process is made under.
///
/// HDF5 built without `--enable-threadsafe` (the usual serial build) must never be
/// entered by two threads at once (two stores read by parallel tests, a fit reading while
/// a writer writes): its global state would be corrupted. Debian's serial package happens
/// to be built thread-safe, which only puts one global lock around every call; so this
/// lock costs nothing there and makes any other build safe. SteppeData calls HDF5 only
/// inside `run`, and each operation (open a store, read a range, append a batch, finish)
/// is one `run`, inside which nothing calls `run` again (the lock is not recursive).
///
/// The first `run` initialises the library, and every `run` silences its error printing
/// on the calling thread (`H5Eset_auto2` with no handler; a thread-safe build keeps the
/// setting per thread): HDF5 would otherwise print its whole error stack on stderr for
/// every failed call; Steppe reports one line of its own instead.
enum HDF5Lock {
    /// Whether the library has been initialised, behind the lock itself.
    private static let state = Mutex(false)

    /// Runs `body` holding the lock. Complexity: that of `body`.
    @discardableResult
    static func run<Result: Sendable, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try state.withLock { (ready: inout Bool) throws(Failure) -> sending Result in
            if !ready {
                _ = steppe_H5open()
                ready = true
            }
            _ = steppe_H5_silence_errors()
            errno = 0           // so that H5.reason() names only what this call set
            return try body()
        }
    }

    /// HDF5 objects open in this process (files, groups, datasets, attributes, types,
    /// spaces): 0 once every handle is closed, which the tests check for leaks.
    package static var openObjects: Int {
        run { Int(steppe_H5_open_objects()) }
    }
}
