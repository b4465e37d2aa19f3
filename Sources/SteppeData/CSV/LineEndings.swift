#if canImport(Glibc)
import Glibc
#endif

/// The line ends of a CSV file, decided by its first line end, and the translation that
/// lets the parser read old-Mac files.
///
/// The parser ends lines at LF, with a CR before it dropped (so LF and CRLF may mix, as
/// they do in files edited on Unix and Windows). A file whose first line end is a CR
/// that no LF follows (classic Mac OS, and Excel's "CSV (Macintosh)") would otherwise be
/// one long line. Such a file is read with every lone CR taken as a line end: each CR
/// not followed by LF is rewritten as LF before the parser sees it, so CRLF and LF still
/// end lines too, and a line break inside a quoted field reads as LF. Files whose first
/// line end is LF or CRLF are passed through untouched, at no cost after their first line;
/// in them a CR that no LF follows, in the middle of an unquoted field, is an error
/// (mixed line endings, see `CSVParser`), because reading it as data would silently
/// join rows.
///
/// The state carries over from one chunk to the next, for a reader that feeds a buffer
/// piece by piece: a CR at the end of the bytes read so far waits for the next byte.
struct LineEndings: Sendable {
    enum Convention: Sendable { case undecided, lineFeed, carriageReturn }

    private(set) var convention: Convention = .undecided
    /// Bytes of the buffer already looked at (translated, or known to need nothing).
    private var examined = 0

    private static let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// The state for bytes known to come from a file of LF (or CRLF) line ends: nothing to do.
    static var lineFeed: LineEndings {
        var endings = LineEndings()
        endings.convention = .lineFeed
        return endings
    }

    /// The convention of a file that starts with `bytes`: that of the first CR or LF
    /// outside quotes (`undecided` when there is none, or the bytes end on a CR). A quoted
    /// field may hold a line break of either kind as data, and `CSVWriter` quotes a lone CR
    /// it keeps: a header or first record holding one decides nothing.
    static func convention(of bytes: UnsafeBufferPointer<UInt8>) -> Convention {
        guard let k = firstLineEnd(in: bytes) else { return .undecided }
        if bytes[k] == lf { return .lineFeed }
        guard k + 1 < bytes.count else { return .undecided }
        return bytes[k + 1] == lf ? .lineFeed : .carriageReturn
    }

    /// The first CR or LF outside quotes (a quote toggles; a doubled one toggles twice).
    static func firstLineEnd(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var quoted = false
        for i in bytes.indices {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { quoted.toggle() } else if !quoted && (c == lf || c == cr) { return i }
        }
        return nil
    }

    /// Decides the convention from, or translates, the bytes `[examined, count)` of
    /// `buffer` (all that was read and not yet consumed); `final` when no more follow.
    mutating func normalize(_ buffer: UnsafeMutableBufferPointer<UInt8>, count: Int, final: Bool) {
        guard convention != .lineFeed, examined < count, let base = buffer.baseAddress else { return }
        var i = examined
        if convention == .undecided {
            let seen = Self.convention(of: UnsafeBufferPointer(rebasing: buffer[i..<count]))
            switch seen {
            case .lineFeed: convention = .lineFeed; return
            case .carriageReturn: convention = .carriageReturn
            case .undecided:
                // No line end outside quotes yet, or a CR at the very end: look again, from
                // the same byte (the quotes are counted from there), with more bytes.
                let k = Self.firstLineEnd(in: UnsafeBufferPointer(rebasing: buffer[i..<count]))
                if final { convention = k == nil ? .lineFeed : .carriageReturn } else { return }
            }
            if let k = buffer[i..<count].firstIndex(of: Self.cr) { i = k }
        }
        while i < count, let hit = memchr(base + i, Int32(Self.cr), count - i) {
            let k = UnsafeMutablePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            if k + 1 < count {
                if buffer[k + 1] != Self.lf { buffer[k] = Self.lf }
            } else if final {
                buffer[k] = Self.lf
            } else {
                examined = k          // the byte after it is not read yet
                return
            }
            i = k + 1
        }
        examined = count
    }

    /// The reader moved its first `consumed` bytes out of the buffer.
    mutating func discard(_ consumed: Int) { examined = max(0, examined - consumed) }
}
