#if canImport(Glibc)
import Glibc
#endif
internal import CZlib

/// The CSV text of a gzip file (RFC 1952), inflated by zlib as the reader asks for it, so
/// that memory holds one buffer of compressed bytes and zlib's 32 KiB window, never the
/// text: the reader's chunk and its record and cell limits bound the rest, as for a plain
/// file.
///
/// A file of several members (`cat a.gz b.gz`, as `gzip` and `pigz` read it) is read to
/// its last member's end; zero bytes after a member are padding, as `gzip -d` takes them.
/// Each member's CRC-32 and length are checked by zlib at its end, before the reader is
/// given the end of the data, so a table is never built from a stream that is damaged.
/// Errors, each one line naming the file: a file that ends inside a member (truncated), a
/// member zlib cannot inflate or whose check fails (corrupt), and bytes after a member
/// that start no other member; each says how many bytes of CSV came before it.
final class GzipBytes: CompressedCSVBytes {
    private var file: FileBytes
    /// zlib's state: on the heap, because zlib keeps a pointer back to it.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let started: Int32
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    /// Inside a member (its end not reached yet); the file starts with one.
    private var inMember = true
    private var members = 0
    private var finished = false
    private(set) var produced = 0
    private(set) var failure: CSVError? = nil

    /// Decompresses `file`, read `inputBytes` (at least 2) at a time. Default 256 KiB.
    init(_ file: FileBytes, inputBytes: Int = 1 << 18) {
        self.file = file
        input = .allocate(byteCount: max(inputBytes, 2), alignment: 16)
        stream.initialize(to: z_stream())
        started = steppe_inflate_init_gzip(stream)
    }

    deinit {
        if started == Z_OK { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    func read(into destination: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
        if let failure { throw failure }
        var filled = 0
        do throws(CSVError) {
            guard started == Z_OK else { throw error("zlib could not start (error \(started))") }
            while filled < count && !finished { filled += try inflateSome(into: destination + filled, count: count - filled) }
        } catch {
            failure = error
            throw error
        }
        return filled
    }

    /// One call of `inflate`, after more input is read or the next member started if need
    /// be; returns the bytes it wrote (0 when the data ended).
    private func inflateSome(into destination: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
        if stream.pointee.avail_in == 0 && !inputEnded { try refill() }
        if !inMember {
            guard try startNextMember() else {
                finished = true
                return 0
            }
        }
        stream.pointee.next_out = destination.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(count)
        let status = inflate(stream, Z_NO_FLUSH)
        let got = count - Int(stream.pointee.avail_out)
        produced += got
        switch status {
        case Z_OK:
            break
        case Z_STREAM_END:
            inMember = false
            members += 1
        case Z_BUF_ERROR where !(inputEnded && stream.pointee.avail_in == 0):
            break                             // no room or no input this time: go on
        case Z_BUF_ERROR:
            throw error("truncated gzip stream after \(produced) bytes of CSV: the file ends inside the compressed data (an incomplete download or copy?)")
        case Z_DATA_ERROR, Z_NEED_DICT:
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
            throw error("corrupt gzip stream after \(produced) bytes of CSV (zlib: \(reason), at byte \(compressedOffset) of the file)")
        case Z_MEM_ERROR:
            throw error("out of memory while decompressing, after \(produced) bytes of CSV")
        default:
            throw error("zlib failed (error \(status)) after \(produced) bytes of CSV")
        }
        return got
    }

    /// After a member's end: whether another member follows (zlib is then reset for it).
    /// Zero bytes to the end of the file are padding; anything else is an error.
    private func startNextMember() throws(CSVError) -> Bool {
        while true {
            if stream.pointee.avail_in < 2 && !inputEnded {
                try refill()
                continue
            }
            let n = Int(stream.pointee.avail_in)
            guard n > 0, let next = stream.pointee.next_in else { return false }
            if n >= 2 && next[0] == 0x1F && next[1] == 0x8B {
                inflateReset(stream)
                inMember = true
                return true
            }
            guard UnsafeBufferPointer(start: next, count: n).allSatisfy({ $0 == 0 }) else {
                throw error("bytes that are not gzip data after the end of gzip member \(members) (at byte \(compressedOffset) of the file, "
                            + "after \(produced) bytes of CSV): a damaged file, or something appended to it?")
            }
            stream.pointee.avail_in = 0
            if inputEnded { return false }
        }
    }

    /// The last member's length (ISIZE, the last 4 bytes: its text's length mod 2³²), a lower
    /// bound on the whole text's; `nil` for a stream.
    func plannedTextBytes(compressedSize: Int?) -> Int? {
        guard file.seekable, let size = compressedSize, size >= 18 else { return nil }
        var trailer = [UInt8](repeating: 0, count: 4)
        let got = trailer.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress!, 4, off_t(size - 4)) }
        guard got == 4 else { return nil }
        return trailer.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// Reads more of the file after the input not yet inflated (moved to the buffer's start).
    private func refill() throws(CSVError) {
        let kept = Int(stream.pointee.avail_in)
        if kept > 0, let next = stream.pointee.next_in { memmove(input.baseAddress!, next, kept) }
        let got = try file.read(into: input.baseAddress! + kept, count: input.count - kept)
        if got == 0 { inputEnded = true }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(kept + got)
    }

    /// The offset in the file of the next compressed byte zlib would read.
    private var compressedOffset: Int { file.offset - Int(stream.pointee.avail_in) }

    private func error(_ message: String) -> CSVError { CSVError(file: file.path, message: message) }
}
