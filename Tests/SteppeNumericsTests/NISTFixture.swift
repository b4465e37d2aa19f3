import Foundation
import SteppeNumerics
import SteppeTestFixtures

let Fixtures = FixtureDirectory(target: "SteppeNumericsTests")

/// One NIST StRD linear regression with its certified values, read from `Fixtures/nist`.
struct NISTFixture: Decodable {
    struct Certified: Decodable {
        let estimates: [String]
        let standardErrors: [String]
        let residualStandardDeviation: String
        let rSquared: String
    }
    let name: String
    let difficulty: String
    let intercept: Bool
    let polynomialDegree: Int?
    let rSquared: String
    let response: [String]
    let predictors: [[String]]
    let certified: Certified

    static let names = ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley",
                        "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"]

    static func load(_ name: String) throws -> NISTFixture {
        try JSONDecoder().decode(NISTFixture.self, from: Fixtures.data("nist/\(name).json"))
    }

    /// Correctly rounded parse of NIST's decimal text.
    static func number(_ s: String) -> Double { Double(s)! }

    var y: [Double] { response.map(Self.number) }

    /// The design in NIST's column order, with double-double low parts for polynomial terms.
    func design() throws -> (Matrix, Matrix?) {
        let columns = predictors.map { $0.map(Self.number) }
        if let degree = polynomialDegree {
            let degrees = Array((intercept ? 0 : 1)...degree)
            let (values, low) = try Matrix.powers(of: columns[0], degrees: degrees)
            return (values, low)
        }
        var all = columns
        if intercept { all.insert([Double](repeating: 1, count: y.count), at: 0) }
        return (try Matrix(columns: all), nil)
    }
}

/// Log relative error: the number of correct significant digits, capped at 15.
/// For a certified value of 0 (Wampler1/2 residual SD and SEs) the absolute error is used.
func logRelativeError(_ estimate: Double, _ certified: Double) -> Double {
    if estimate == certified { return 15 }
    let error = certified == 0 ? abs(estimate) : abs(estimate - certified) / abs(certified)
    guard error.isFinite else { return 0 }
    return max(0, min(15, -log10(error)))
}
