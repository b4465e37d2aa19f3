// Fuzzing of the dataset manifest (`DatasetManifest`, decoded from JSON as the registry
// does with `JSONDecoder`). Any bytes must decode or throw, never trap. A decoded
// manifest must encode, and decode again to an equal manifest; its derived properties
// (`kind` of each column, `summary` of each source) must be computable.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import FuzzerDriver
import SteppeData

func report(_ message: String) -> Never {
    let text = "FuzzManifest mismatch: " + message + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress!, $0.count - 1) }
    abort()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? Data() : Data(bytes: data!, count: size)
    guard let m = try? JSONDecoder().decode(DatasetManifest.self, from: bytes) else { return 0 }
    for c in m.columns { _ = c.kind }
    for s in m.sources { _ = s.summary }
    let encoded: Data
    do { encoded = try JSONEncoder().encode(m) } catch { report("a decoded manifest does not encode: \(error)") }
    do {
        let again = try JSONDecoder().decode(DatasetManifest.self, from: encoded)
        if again != m { report("round trip changed the manifest: \(String(decoding: encoded, as: UTF8.self))") }
    } catch {
        report("the encoded manifest does not decode: \(error)\n\(String(decoding: encoded, as: UTF8.self))")
    }
    return 0
}

exit(steppe_fuzzer_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzManifest($0, $1) })
