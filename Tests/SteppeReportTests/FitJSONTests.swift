import Foundation
import Testing
import Steppe   // the umbrella: one import is enough to read, fit and report

/// FitResult's Codable encoding is the JSON contract's model object: the same keys from the
/// library (JSONEncoder) and the command line (FitJSON), in order, nulls for non-finite numbers.
@Suite("SteppeReport: the fit's JSON")
struct FitJSONTests {
    static func flows() throws -> Table {
        let o = ["A", "A", "B", "B", "C", "C", "A", "B", "C"], d = ["B", "C", "A", "C", "A", "B", "A", "B", "C"]
        let flow: [Double] = [10, 5, 7, 3, 4, 6, 20, 25, 30], dist: [Double] = [100, 250, 100, 180, 250, 180, 10, 10, 10]
        return try Table(columns: [.text("origin", o), .text("destination", d), .numeric("flow", flow), .numeric("dist", dist)])
    }

    @Test("the contract view and the full Codable encoding share keys and order")
    func sameKeys() throws {
        let fit = try Estimator.fit(try Self.flows(), formula: "flow ~ log(dist) | origin", model: .ppml)
        guard case .object(let contract) = FitJSON.value(fit) else { Issue.record("not an object"); return }
        let keys = contract.map(\.0)
        #expect(keys == ["model", "formula", "response", "link", "nobs", "rowsInData", "converged", "iterations", "criterion",
                         "tolerance", "coefficients", "vcov", "statistics", "fixedEffects", "dropped", "warnings"])
        guard case .object(let full) = try JSONValueEncoder().encode(fit) else { Issue.record("not an object"); return }
        #expect(Array(full.map(\.0).prefix(keys.count)) == keys)
        #expect(full.map(\.0).suffix(5) == ["sample", "responseValues", "fittedValues", "linearPredictor", "design"])
        // Foundation's encoder writes the same coefficient keys.
        let foundation = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(fit)) as? [String: Any])
        let coefficient = try #require((foundation["coefficients"] as? [[String: Any]])?.first)
        #expect(Set(coefficient.keys) == ["term", "estimate", "stdError", "statistic", "pValue", "confLow", "confHigh"])
        #expect((foundation["fixedEffects"] as? [[String: Any]])?.first?["levels"] as? [String] == ["A", "B", "C"])
    }

    @Test("a figure that is not finite is null with its reason, never NaN text")
    func nullWithReason() throws {
        let table = try Table(columns: [.numeric("y", [1, 3]), .numeric("x", [2, 5])])
        let fit = try Estimator.fit(table, formula: "y ~ x", model: .ols)
        let text = JSONOutput.string(FitJSON.value(fit))
        #expect(!text.contains("nan") && !text.contains("inf\""))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let first = try #require((object["coefficients"] as? [[String: Any]])?.first)
        #expect(first["stdError"] is NSNull)
        #expect((first["nullReasons"] as? [String: String])?["stdError"]?.contains("no residual degrees of freedom") == true)
    }

    @Test("the envelope is schemaVersion 2 and the command, then the command's keys")
    func envelope() {
        let doc = OutputEnvelope.document(command: "fit", [("models", .array([]))])
        #expect(JSONOutput.string(doc) == "{\n  \"schemaVersion\": 2,\n  \"command\": \"fit\",\n  \"models\": []\n}")
    }

    @Test("the encoder keeps key order, nests containers, and writes non-finite Doubles as null")
    func encoder() throws {
        struct Inner: Encodable { let z = 1; let a = [1.5, .nan] }
        struct Outer: Encodable { let b = "x"; let a = Inner(); let c: Int? = nil; let d = true }
        let value = try JSONValueEncoder().encode(Outer())
        #expect(JSONOutput.string(value) == """
        {
          "b": "x",
          "a": {
            "z": 1,
            "a": [
              1.5,
              null
            ]
          },
          "d": true
        }
        """)
    }
}
