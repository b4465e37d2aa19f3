import Foundation
import SteppeData

/// Where every test finds its fixtures: `Tests/<target>/Fixtures/` in the source tree,
/// found from this file's path, so that no fixture is copied into a test bundle and a
/// test of one module can read another's (the NIST files, say) without a second copy.
///
/// Each test target declares `let Fixtures = FixtureDirectory(target: "…Tests")`.
public struct FixtureDirectory: Sendable {
    /// `Tests/<target>/Fixtures`.
    public let url: URL

    public init(target: String) {
        url = FixtureDirectory.testsRoot.appendingPathComponent(target).appendingPathComponent("Fixtures")
    }

    /// The repository's `Tests` directory.
    public static let testsRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// The fixture at `path` (relative to the Fixtures directory).
    public func url(_ path: String) -> URL { url.appendingPathComponent(path) }

    /// The fixture's bytes.
    public func data(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }

    /// A CSV fixture as a table.
    public func table(_ path: String, options: CSVOptions = CSVOptions()) throws -> Table {
        try CSVReader.read(path: url(path).path, options: options)
    }

    /// A JSON fixture whose top level is an object.
    public func json(_ path: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data(path)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url(path).path])
        }
        return object
    }
}
