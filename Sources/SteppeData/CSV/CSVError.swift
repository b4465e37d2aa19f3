/// A CSV file that cannot be read, with where: file, line and column (both 1-based;
/// the column counts bytes from the start of the line).
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path (or the name given for in-memory data).
    public let file: String
    /// The line, 1-based; 0 when the problem is the file as a whole.
    public let line: Int
    /// The byte column within the line, 1-based; 0 when it does not apply.
    public let column: Int
    /// What is wrong, in one line.
    public let message: String

    public init(file: String, line: Int = 0, column: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, as compilers print it.
    public var description: String {
        var place = file
        if line > 0 { place += ":\(line)" }
        if line > 0 && column > 0 { place += ":\(column)" }
        return "\(place): \(message)"
    }
}
