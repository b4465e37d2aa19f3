import Foundation
import Testing

/// Degenerate designs through every model and every output format of `steppe fit` (and
/// `steppe predict`, and the sensitivity methods that refit one model): each run either
/// exits 0 with NA figures whose reasons are printed, or exits non-zero with one line on
/// stderr; no output ever shows inf, nan or infinity as a number, every JSON document
/// parses, its numbers are finite and each null in a model has its nullReasons entry, and
/// nothing crashes. References (what R and fixest do with the same designs) are in
/// `DegenerateFitTests`: fixest refuses a constant outcome, R's lm gives NaN standard errors
/// for n = p and +Inf log-likelihoods, R's glm finite model-based ones for a saturated
/// Poisson fit.
@Suite("steppe command line: degenerate fits, every model and format")
struct DegenerateSweepTests {
    /// One degenerate design: a CSV file, a formula and extra flags.
    struct Design: CustomStringConvertible {
        let name: String
        let csv: String
        let formula: String
        var flags: [String] = []
        var description: String { name }
    }

    static let designs: [Design] = [
        Design(name: "constant outcome", csv: "y,x,g\n5,1,a\n5,2,a\n5,3,b\n5,4,b\n5,5,c\n5,7,c\n", formula: "y ~ x"),
        Design(name: "constant outcome with fixed effects", csv: "y,x,g\n5,1,a\n5,2,a\n5,3,b\n5,4,b\n5,5,c\n5,7,c\n", formula: "y ~ x | g"),
        Design(name: "perfect fit", csv: "y,x,g\n3,1,a\n5,2,a\n7,3,b\n9,4,b\n11,5,c\n15,7,c\n", formula: "y ~ x"),
        Design(name: "perfect fit, clustered", csv: "y,x,g\n3,1,a\n5,2,a\n7,3,b\n9,4,b\n11,5,c\n15,7,c\n", formula: "y ~ x",
               flags: ["--vcov", "cluster:g"]),
        Design(name: "perfect fit, hetero", csv: "y,x,g\n3,1,a\n5,2,a\n7,3,b\n9,4,b\n11,5,c\n15,7,c\n", formula: "y ~ x",
               flags: ["--vcov", "hc3"]),
        Design(name: "n = p", csv: "y,a,b,c\n1.5,1,4,2\n2.1,2,3,5\n0.7,3,9,1\n3.3,4,1,6\n", formula: "y ~ a + b + c"),
        Design(name: "n < p", csv: "y,a,b,c,d,e\n1.5,1,4,2,7,1\n2.1,2,3,5,1,8\n0.7,3,9,1,4,2\n3.3,4,1,6,2,5\n",
               formula: "y ~ a + b + c + d + e"),
        Design(name: "n < p, hetero", csv: "y,a,b,c,d,e\n1.5,1,4,2,7,1\n2.1,2,3,5,1,8\n0.7,3,9,1,4,2\n3.3,4,1,6,2,5\n",
               formula: "y ~ a + b + c + d + e", flags: ["--vcov", "hetero", "--small-sample", "statsmodels"]),
        Design(name: "all-zero weights", csv: "y,x,w\n1,1,0\n2,2,0\n4,3,0\n3,4,0\n", formula: "y ~ x", flags: ["--weights", "w"]),
        Design(name: "one weight left", csv: "y,x,w\n1,1,0\n2,2,0\n4,3,1\n3,4,0\n", formula: "y ~ x", flags: ["--weights", "w"]),
        Design(name: "single cluster", csv: "y,x,g\n1,1,a\n2,2,a\n4,4,a\n3,3,a\n6,5,a\n", formula: "y ~ x", flags: ["--vcov", "cluster:g"]),
        Design(name: "single cluster after separation (ppmlhdfe 08)",
               csv: "y,x1,x2,id1,id2\n0,1,0,1,2\n0,1,0,2,2\n1,2,0,1,3\n1,0,0,2,1\n1,1,0,2,2\n1,0,1,2,3\n2,0,0,2,1\n2,0,1,2,2\n2,1,0,2,3\n",
               formula: "y ~ x1 + x2 | id1 + id2"),
        Design(name: "fixed effect absorbs the regressor", csv: "y,x,g\n1,1,a\n2,1,a\n4,2,b\n3,2,b\n", formula: "y ~ x | g"),
        Design(name: "fixed effect absorbs the outcome", csv: "y,x,g\n1,1,a\n1,2,a\n4,3,b\n4,5,b\n2,4,c\n2,7,c\n", formula: "y ~ x | g",
               flags: ["--vcov", "hetero"]),
        Design(name: "only singletons", csv: "y,x,g\n1,1,a\n2,2,b\n4,3,c\n3,4,d\n", formula: "y ~ x | g"),
        Design(name: "IRLS at its iteration cap", csv: "y,x\n1,0.1\n1,0.5\n3,1.1\n2,0.9\n7,2.0\n4,1.4\n12,2.6\n9,2.2\n", formula: "y ~ x",
               flags: ["--max-iterations", "1"]),
        Design(name: "huge outcome", csv: "y,x\n1e200,1\n3e200,2\n2e200,3\n5e200,4\n", formula: "y ~ x"),
    ]

    static let models = ["ols", "poisson", "ppml", "gaussian", "gamma", "negbin"]
    static let formats = ["text", "markdown", "latex", "csv", "json", "html"]

    /// A whole-word inf, nan or infinity, in any case, with an optional sign: never a number in any output.
    static let forbidden = try! NSRegularExpression(pattern: "(?<![A-Za-z])[-+]?(inf|nan|infinity)(?![A-Za-z])", options: [.caseInsensitive])

    static func forbiddenToken(in text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = forbidden.firstMatch(in: text, range: range), let r = Range(match.range, in: text) else { return nil }
        let start = text.index(r.lowerBound, offsetBy: -40, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(r.upperBound, offsetBy: 40, limitedBy: text.endIndex) ?? text.endIndex
        return String(text[start..<end])
    }

    /// Writes the design's CSV into a fresh temporary directory.
    static func directory(for design: Design) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-degenerate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try design.csv.write(to: dir.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    /// The sweep's invariants for one run.
    static func check(_ r: CLI.Result, format: String, _ label: String) throws {
        #expect([0, 1].contains(r.status), "\(label): exit status \(r.status) (a crash?): \(r.stderr)")
        if r.status != 0 {
            let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
            #expect(lines.count == 1 && lines[0].hasPrefix("steppe: error: "), "\(label): stderr \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(label): output on failure")
            return
        }
        if let token = forbiddenToken(in: r.stdout) { Issue.record("\(label): prints '\(token)'") }
        if let token = forbiddenToken(in: r.stderr) { Issue.record("\(label): stderr prints '\(token)'") }
        guard format == "json" else { return }
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        let models = (object as? [String: Any])?["models"] as? [Any] ?? []
        #expect(!models.isEmpty || (object as? [String: Any])?["model"] != nil, "\(label): no model in the JSON")
        try expectFiniteOrExplained(object, inModel: false, label)
    }

    /// Every number finite; inside a model object (models, model), each null member has a
    /// nullReasons entry in its object.
    static func expectFiniteOrExplained(_ value: Any, inModel: Bool, _ label: String) throws {
        if let array = value as? [Any] {
            for v in array { try expectFiniteOrExplained(v, inModel: inModel, label) }
            return
        }
        if let x = value as? Double { #expect(x.isFinite, "\(label): \(x)"); return }
        guard let object = value as? [String: Any] else { return }
        let reasons = object["nullReasons"] as? [String: Any] ?? [:]
        for (key, v) in object {
            if inModel && v is NSNull && key != "matrix" { #expect(reasons[key] != nil, "\(label): '\(key)' is null without a reason") }
            try expectFiniteOrExplained(v, inModel: inModel || key == "models" || key == "model", label)
        }
    }

    @Test("the sweep covers every estimator steppe fit --help lists")
    func everyModel() throws {
        let help = try CLI.run(["fit", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        let listed = try #require(help.range(of: "Estimator: ")).upperBound
        let names = help[listed...].prefix { $0 != "." }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Set(names) == Set(Self.models), "\(names)")
    }

    @Test("steppe fit: every degenerate design, model and format ends in NA with a reason or one error line", arguments: designs)
    func fitSweep(_ design: Design) throws {
        let dir = try Self.directory(for: design)
        defer { try? FileManager.default.removeItem(at: dir) }
        var documents: [URL] = []
        for model in Self.models {
            for format in Self.formats {
                let r = try CLI.run(["fit", "data.csv", "-m", model, "-f", design.formula, "--format", format] + design.flags, in: dir)
                try Self.check(r, format: format, "\(design.name), \(model), \(format)")
                guard format == "json" && r.status == 0 else { continue }
                let file = dir.appendingPathComponent("\(model).json")
                try r.stdout.write(to: file, atomically: true, encoding: .utf8)
                documents.append(file)
            }
        }
        guard !documents.isEmpty else { return }
        let validation = try JSONSchemaTests.validate(documents)
        #expect(validation.status == 0, "\(design.name): \(validation.stdout)")
    }

    @Test("the promised outcomes: refused, NA with the reason, or estimates", arguments: [
        ("constant outcome", "ols", 1, "the dependent variable y is a constant"),
        ("constant outcome with fixed effects", "ppml", 1, "the dependent variable y is a constant"),
        ("perfect fit", "ols", 0, "perfect fit: the residuals are zero"),
        ("n < p", "ols", 0, "no residual degrees of freedom (4 observations, 4 parameters)"),
        ("n = p", "poisson", 0, "--small-sample statsmodels"),
        ("single cluster after separation (ppmlhdfe 08)", "ppml", 0, "id1 has 1 in the estimation sample"),
        ("single cluster after separation (ppmlhdfe 08)", "ppml", 0, "--vcov hetero"),
        ("all-zero weights", "ols", 1, "zero weight"),
        ("IRLS at its iteration cap", "poisson", 0, "did NOT converge"),
    ])
    func outcomes(_ name: String, _ model: String, _ status: Int32, _ phrase: String) throws {
        let design = try #require(Self.designs.first { $0.name == name })
        let dir = try Self.directory(for: design)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["fit", "data.csv", "-m", model, "-f", design.formula] + design.flags, in: dir)
        #expect(r.status == status, "\(name): \(r.stderr)")
        #expect((status == 0 ? r.stdout : r.stderr).contains(phrase), "\(name): \(r.stdout)\(r.stderr)")
        if status == 0 && phrase.hasPrefix("perfect") {
            let starred = r.stdout.split(separator: "\n").filter { $0.contains("*") && !$0.hasPrefix("Significance") }
            #expect(starred.isEmpty, "stars on a zero standard error: \(starred)")
        }
    }

    @Test("steppe predict on degenerate fits: every format, NA with reasons or one error line",
          arguments: ["perfect fit", "n < p", "single cluster after separation (ppmlhdfe 08)", "IRLS at its iteration cap", "huge outcome"])
    func predictSweep(_ name: String) throws {
        let design = try #require(Self.designs.first { $0.name == name })
        let dir = try Self.directory(for: design)
        defer { try? FileManager.default.removeItem(at: dir) }
        let variable = design.formula.contains("x1") ? "x1" : design.formula.contains(" a ") ? "a" : "x"
        for model in Self.models {
            for format in Self.formats {
                let r = try CLI.run(["predict", "data.csv", "-m", model, "-f", design.formula, "--change", "\(variable)*=1000",
                                     "--format", format] + design.flags, in: dir)
                try Self.check(r, format: format, "predict \(name), \(model), \(format)")
            }
        }
    }

    @Test("steppe sensitivity on degenerate fits: jackknife, influence, bootstrap, ovb, eba, curve (with its null test) and inputs end in NA with reasons or one error line",
          arguments: ["perfect fit, clustered", "n = p", "single cluster after separation (ppmlhdfe 08)"])
    func sensitivitySweep(_ name: String) throws {
        let design = try #require(Self.designs.first { $0.name == name })
        let dir = try Self.directory(for: design)
        defer { try? FileManager.default.removeItem(at: dir) }
        let term = design.formula.contains("x1") ? "x1" : design.formula.contains(" a ") ? "a" : "x"
        let model = design.formula.contains("|") ? "ppml" : "ols"
        let methods = [["jackknife"], ["influence"], ["bootstrap"], ["ovb", "--treatment", term], ["eba", "--focus", term],
                       ["curve", "--term", term, "--vary", "model=\(model)|poisson", "--null-reps", "99"],
                       ["inputs", "--interval", "\(term)*=0.9:1.1", "--draws", "40"]]
        for method in methods {
            for format in Self.formats {
                let r = try CLI.run(["sensitivity"] + method + ["data.csv", "-m", model, "-f", design.formula, "--format", format] + design.flags,
                                    in: dir)
                try Self.check(r, format: format, "sensitivity \(method[0]) \(name), \(format)")
            }
        }
    }
}
