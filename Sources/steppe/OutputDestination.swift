import Foundation

/// Where a command's output goes: standard output, or a file written atomically.
enum OutputDestination {
    /// Writes `text` to `path`, or to standard output when `path` is nil or "-".
    ///
    /// A file is written to a temporary file in the same directory and renamed over the
    /// target, so a failure never leaves a half-written file and an existing file is
    /// replaced only by a complete one. A path that is one of the command's input files
    /// (under any name: `InputFiles.refuseOverwriting`) is refused, and nothing is written.
    static func write(_ text: String, to path: String?) throws(CommandFailure) {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try InputFiles.refuseOverwriting(path)
        let target = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CommandFailure("cannot write output to \(path): it is a directory")
        }
        let directory = target.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).steppe-\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8)) else {
            throw CommandFailure("cannot write output to \(path): \(String(cString: strerror(errno)))")
        }
        if rename(temporary.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw CommandFailure("cannot write output to \(path): \(reason)")
        }
    }
}
