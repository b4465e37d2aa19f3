import Foundation

/// Where the bundled dataset files (`files/*.csv` and `files/*.manifest.json`) are.
///
/// SwiftPM copies `files/` into the resource bundle `Steppe_SteppeDatasets.resources`
/// next to every executable and test bundle that links this target. The lookup does not
/// use the generated `Bundle.module`, which traps when the bundle is missing; it tries,
/// in order: `$STEPPE_DATASETS`, the resource bundle beside the running executable,
/// and the source checkout this module was compiled from.
public enum BundledDatasetFiles {
    /// The environment variable that points at another directory of dataset files.
    public static let environmentVariable = "STEPPE_DATASETS"

    /// The first candidate directory that exists, or `nil`.
    public static var directory: URL? {
        candidates.first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// The directories tried, in order.
    public static var candidates: [URL] {
        var list: [URL] = []
        if let override = ProcessInfo.processInfo.environment[environmentVariable], !override.isEmpty {
            list.append(URL(fileURLWithPath: override))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for base in [Bundle.main.bundleURL, executable] {
            list.append(base.appendingPathComponent("Steppe_SteppeDatasets.resources/files"))
        }
        list.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("files"))
        return list
    }
}
