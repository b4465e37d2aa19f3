/// Why a dataset cannot be opened.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No bundled dataset has this name.
    case unknown(String, available: [String])
    /// The dataset files are not where they should be.
    case filesNotFound(tried: [String])
    /// The manifest cannot be read or decoded.
    case badManifest(String, reason: String)
    /// The CSV does not match its manifest.
    case mismatch(String, reason: String)
    /// The CSV cannot be read.
    case csv(CSVError)

    public var description: String {
        switch self {
        case let .unknown(name, available):
            return "no bundled dataset named '\(name)' (available: \(available.joined(separator: ", ")))"
        case let .filesNotFound(tried):
            return "the bundled dataset files were not found (tried \(tried.joined(separator: ", "))); set STEPPE_DATASETS to the Datasets/files directory"
        case let .badManifest(name, reason):
            return "the manifest of dataset '\(name)' cannot be read: \(reason)"
        case let .mismatch(name, reason):
            return "dataset '\(name)' does not match its manifest: \(reason)"
        case let .csv(error):
            return error.description
        }
    }
}
