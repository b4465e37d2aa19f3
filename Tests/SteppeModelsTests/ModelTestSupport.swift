import Foundation
import SteppeData
import SteppeModels

enum Fixtures {
    static func url(_ path: String) throws -> URL {
        guard let base = Bundle.module.resourceURL else { throw CocoaError(.fileNoSuchFile) }
        return base.appendingPathComponent("Fixtures").appendingPathComponent(path)
    }

    static func table(_ path: String, options: CSVOptions = CSVOptions()) throws -> Table {
        try CSVReader.read(path: try url(path).path, options: options)
    }

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: try url(path))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}

func relativeDifference(_ a: Double, _ b: Double) -> Double {
    a == b ? 0 : abs(a - b) / max(abs(b), 1e-300)
}
