import Foundation
import Testing

/// An --output that cannot be written (issue 15 part 4): a directory without write
/// permission, a full or read-only file system, /dev/full, a parent that is a file. Each
/// gives one line on stderr and status 1, leaves a file that was there untouched and no
/// temporary file behind; a device or a symbolic link as the output is written, never
/// replaced. As root, permission bits do not stop a write: the tests then mount a 64 KiB
/// tmpfs (full, then read-only) when `mount` works, and say on stdout which case ran.
@Suite("steppe command line: output that cannot be written")
struct OutputFailureTests {
    static let fit = ["fit", "flows.csv", "-f", "flow ~ dist"]
    static let old = "the previous results\n"

    static func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs the fit with `-o path` and checks the failure: status 1, one line on stderr
    /// that starts with `expected`, `path` holding `old` still, and nothing else new in its directory.
    static func expectFailure(_ path: String, _ expected: String, keeps: Bool = true) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let before = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let r = try CLI.run(fit + ["-o", path])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("steppe: error: \(expected)") && r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
        if keeps { #expect((try? String(contentsOfFile: path, encoding: .utf8)) == old, "the previous file changed") }
        let after = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        #expect(Set(after) == Set(before), "left behind: \(Set(after).subtracting(before))")
    }

    @Test("a directory without write permission, or as root a full and then read-only tmpfs")
    func unwritableDirectory() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("results.txt").path
        if geteuid() != 0 {
            print("OutputFailureTests: not root: a directory of mode 0555")
            try Self.old.write(toFile: path, atomically: false, encoding: .utf8)
            chmod(dir.path, 0o555)
            defer { chmod(dir.path, 0o755) }
            try Self.expectFailure(path, "cannot write output to \(path): Permission denied (the existing file is unchanged)")
            return
        }
        let mountPoint = dir.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        guard Self.shell("mount -t tmpfs -o size=64k tmpfs '\(mountPoint.path)'") == 0 else {
            print("OutputFailureTests: root without mount: the tmpfs cases did not run (see /dev/full and the parent-is-a-file tests)")
            return
        }
        defer { _ = Self.shell("umount '\(mountPoint.path)'") }
        print("OutputFailureTests: root: a 64 KiB tmpfs, filled, then remounted read-only")
        let target = mountPoint.appendingPathComponent("results.txt").path
        try Self.old.write(toFile: target, atomically: false, encoding: .utf8)
        // Fill the rest of the file system (dd stops at ENOSPC).
        _ = Self.shell("dd if=/dev/zero of='\(mountPoint.path)/filler' bs=4096 2>/dev/null")
        try Self.expectFailure(target, "cannot write output to \(target): No space left on device (the existing file is unchanged)")
        #expect(Self.shell("mount -o remount,ro '\(mountPoint.path)'") == 0)
        try Self.expectFailure(target, "cannot write output to \(target): Read-only file system (the existing file is unchanged)")
    }

    @Test("/dev/full: no space left, and /dev/full is still the device")
    func deviceFull() throws {
        try Self.expectFailure("/dev/full", "cannot write output to /dev/full: No space left on device", keeps: false)
        var info = stat()
        #expect(stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    @Test("a parent that is a file, and a directory that does not exist")
    func parentNotADirectory() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("plain.txt").path
        try Self.old.write(toFile: file, atomically: false, encoding: .utf8)
        try Self.expectFailure(file + "/results.txt", "cannot write output to \(file)/results.txt: Not a directory", keeps: false)
        #expect((try? String(contentsOfFile: file, encoding: .utf8)) == Self.old)
        let missing = dir.appendingPathComponent("no/such/results.txt").path
        try Self.expectFailure(missing, "cannot write output to \(missing): No such file or directory", keeps: false)
    }

    @Test("success: the file is replaced whole, its mode kept; a link's target is written, a device stays a device")
    func replacesWhole() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("results.txt").path
        try Self.old.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        let r = try CLI.run(Self.fit + ["-o", path])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("dist") && text != Self.old)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["results.txt"])
        // Through a symbolic link: the link stays, the file it names holds the output.
        let link = dir.appendingPathComponent("link.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        try Self.old.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try CLI.run(Self.fit + ["-o", link]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        // /dev/null takes the output and is still the device.
        #expect(try CLI.run(Self.fit + ["-o", "/dev/null"]).status == 0)
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    /// Runs `command` with /bin/sh; its exit status.
    static func shell(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
