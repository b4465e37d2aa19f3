import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a command's output goes: standard output, or a file written atomically.
enum OutputDestination {
    /// Writes `text` to `path`, or to standard output when `path` is nil or "-" (a failed
    /// write there, as to a full disk, is one line too).
    ///
    /// A regular file (or a path that does not exist yet) is written to a temporary file in
    /// the same directory (the directory of the file a symbolic link names), flushed to the
    /// disk, and renamed over the target: a failure at any step (no permission, a full or
    /// read-only file system, a parent that is not a directory) removes the temporary file
    /// and throws one line naming the path and the system's reason, and an existing file
    /// is left exactly as it was; it is replaced only by a complete one, with its mode kept.
    /// A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO)
    /// is written in place: renaming over it would replace the device with a file. A path
    /// that is one of the command's input files (under any name:
    /// `InputFiles.refuseOverwriting`) is refused, and nothing is written.
    static func write(_ text: String, to path: String?) throws(CommandFailure) {
        guard let path, path != "-" else {
            // Not FileHandle's write, which stops the process on an error (`> /dev/full`).
            let error = writeAll(STDOUT_FILENO, text)
            if error != 0 { throw CommandFailure("cannot write output to standard output: \(String(cString: strerror(error)))") }
            return
        }
        try InputFiles.refuseOverwriting(path)
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists {
            switch info.st_mode & S_IFMT {
            case S_IFDIR: throw CommandFailure("cannot write output to \(path): it is a directory")
            case S_IFREG: break
            default: return try writeInPlace(text, to: path)
            }
        }
        try replace(path, with: text, mode: exists ? info.st_mode & 0o7777 : nil)
    }

    /// Writes `text` to a temporary file beside `path` (after symbolic links) and renames it
    /// over `path`; `mode` is the existing file's, or nil for a new file (0666 less the umask).
    static func replace(_ path: String, with text: String, mode: mode_t?) throws(CommandFailure) {
        let target = resolvedPath(path)
        let url = URL(fileURLWithPath: target)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).steppe-\(getpid()).tmp").path
        unlink(temporary)             // one left by an earlier process of this id that was killed
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? 0o666)
        guard fd >= 0 else { throw failure(path, errno, kept: mode != nil) }
        var error = writeAll(fd, text)
        if error == 0, let mode, fchmod(fd, mode) != 0 { error = errno }
        if error == 0, fsync(fd) != 0 { error = errno }
        if close(fd) != 0 && error == 0 { error = errno }
        if error == 0, rename(temporary, target) != 0 { error = errno }
        if error != 0 {
            unlink(temporary)
            throw failure(path, error, kept: mode != nil)
        }
    }

    /// Writes `text` to the existing non-regular file `path` (a device, a FIFO) as it is.
    static func writeInPlace(_ text: String, to path: String) throws(CommandFailure) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, errno) }
        var error = writeAll(fd, text)
        if close(fd) != 0 && error == 0 { error = errno }
        if error != 0 { throw failure(path, error) }
    }

    /// Writes every byte of `text` to `fd`; 0, or the `errno` of the write that failed.
    static func writeAll(_ fd: Int32, _ text: String) -> Int32 {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { raw -> Int32 in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { return errno }
                if n == 0 { return ENOSPC }
                done += n
            }
            return 0
        }
    }

    /// `path` with its symbolic links followed (so that the rename replaces the file a link
    /// names, not the link), or `path` itself when it does not exist yet.
    static func resolvedPath(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// The one-line error for a write to `path` that failed with `code`; `kept` when a
    /// file was there before (and is still there, unchanged).
    static func failure(_ path: String, _ code: Int32, kept: Bool = false) -> CommandFailure {
        CommandFailure("cannot write output to \(path): \(String(cString: strerror(code)))"
                       + (kept ? " (the existing file is unchanged)" : ""))
    }
}
