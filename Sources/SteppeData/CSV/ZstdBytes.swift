#if canImport(Glibc)
import Glibc
#endif
internal import CZstd

/// The CSV text of a Zstandard file (RFC 8878), decompressed by libzstd as the reader asks
/// for it: memory holds one buffer of compressed bytes and the frame's window (libzstd's
/// default limit, 128 MiB; `zstd` writes windows of 1 to 8 MiB at its usual levels), never
/// the text, and the reader's chunk and limits bound the rest, as for a plain file.
///
/// A file of several frames (`cat a.zst b.zst`, `zstd -c a b`) is read to its last
/// frame's end, skippable frames passed over, as `zstd -d` reads it. A frame's checksum,
/// when it has one, is checked at the frame's end. Errors, each one line naming the file:
/// a file that ends inside a frame (truncated), data libzstd refuses (corrupt, a failed
/// checksum, bytes that start no frame), each saying how many bytes of CSV came before it
/// (to within a block, 128 KiB: libzstd gives a block's text only once it is whole).
final class ZstdBytes: CompressedCSVBytes {
    private var file: FileBytes
    /// libzstd's decompression state (`ZSTD_DCtx *`), `nil` when it could not be made.
    private let context: OpaquePointer?
    private let input: UnsafeMutableRawBufferPointer
    /// The most text one call of `ZSTD_decompressStream` writes: a block (128 KiB).
    private let outputBytes = ZSTD_DStreamOutSize()
    private var pending = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var inputEnded = false
    /// Inside a frame: the last call of `ZSTD_decompressStream` did not end one.
    private var inFrame = true
    private var finished = false
    private(set) var produced = 0
    private(set) var failure: CSVError? = nil

    /// Decompresses `file`, read `inputBytes` at a time. Default: libzstd's advice
    /// (`ZSTD_DStreamInSize`, a block: 128 KiB).
    init(_ file: FileBytes, inputBytes: Int? = nil) {
        self.file = file
        context = ZSTD_createDCtx()
        input = .allocate(byteCount: max(inputBytes ?? ZSTD_DStreamInSize(), 1), alignment: 16)
    }

    deinit {
        ZSTD_freeDCtx(context)
        input.deallocate()
    }

    func read(into destination: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
        if let failure { throw failure }
        var filled = 0
        do throws(CSVError) {
            guard let context else { throw error("out of memory: libzstd could not start") }
            while filled < count && !finished {
                filled += try decompressSome(into: destination + filled, count: count - filled, context)
            }
        } catch {
            failure = error
            throw error
        }
        return filled
    }

    /// One call of `ZSTD_decompressStream`, after more input is read if need be; returns the
    /// bytes it wrote (0 when the data ended).
    private func decompressSome(into destination: UnsafeMutableRawPointer, count: Int, _ context: OpaquePointer) throws(CSVError) -> Int {
        if pending.pos == pending.size && !inputEnded {
            let got = try file.read(into: input.baseAddress!, count: input.count)
            pending = ZSTD_inBuffer(src: UnsafeRawPointer(input.baseAddress!), size: got, pos: 0)
            if got == 0 { inputEnded = true }
        }
        let noInput = pending.pos == pending.size && inputEnded
        if noInput && !inFrame {
            finished = true
            return 0
        }
        // At most a block's worth a call: given room for a whole frame that it holds
        // whole, libzstd decodes it in one step and, on an error, reports no progress;
        // so an error's count of bytes before it is within a block of the damage.
        var output = ZSTD_outBuffer(dst: destination, size: min(count, outputBytes), pos: 0)
        let result = ZSTD_decompressStream(context, &output, &pending)
        produced += output.pos
        if ZSTD_isError(result) != 0 {
            let reason = String(cString: ZSTD_getErrorName(result))
            throw error("corrupt zstd stream after \(produced) bytes of CSV (zstd: \(reason))")
        }
        inFrame = result != 0
        if noInput && inFrame && output.pos == 0 {
            throw error("truncated zstd stream after \(produced) bytes of CSV: the file ends inside the compressed data (an incomplete download or copy?)")
        }
        return output.pos
    }

    /// The first frame's content size, when its header records it (`zstd` does, for a file),
    /// a lower bound on the whole text's; `nil` for a stream or when it is not recorded.
    func plannedTextBytes(compressedSize: Int?) -> Int? {
        guard file.seekable, compressedSize != nil else { return nil }
        var header = [UInt8](repeating: 0, count: 18)       // ZSTD_FRAMEHEADERSIZE_MAX
        let got = header.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress!, $0.count, 0) }
        guard got > 0 else { return nil }
        let size = header.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress!, got) }
        // ZSTD_CONTENTSIZE_UNKNOWN and _ERROR are the two largest values.
        guard size < UInt64.max - 1, size < UInt64(Int.max) else { return nil }
        return Int(size)
    }

    private func error(_ message: String) -> CSVError { CSVError(file: file.path, message: message) }
}
