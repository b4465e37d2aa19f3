/// Why a column store could not be written: one line, naming the file.
///
/// (A store that cannot be read throws `ChunkedTableError`, as every `ChunkedTable` does.)
public struct ColumnStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
