#if canImport(Glibc)
import Glibc
#endif

/// A file as `stat` sees it: which file (device, inode) and which version of it (size,
/// modification time to the nanosecond). Two snapshots differ when the file was
/// replaced, appended to or rewritten between them.
///
/// The modification time alone can miss a rewrite within the file system's timestamp
/// granularity, and the size alone a rewrite of the same length; together, with the
/// inode for a file replaced by a rename, they catch what a fit reading a store many
/// times would otherwise mix.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int64
    let modifiedNanoseconds: Int64
    let isDirectory: Bool
    /// Whether it is a regular file (not a directory, FIFO, device or socket).
    let isRegular: Bool

    /// The file at `path` now, or `nil` (with `errno` set) when it cannot be `stat`ed.
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int64(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        isRegular = (info.st_mode & S_IFMT) == S_IFREG
    }
}
