/// Why migration indices cannot be computed for a table: each is one line that names the
/// rows or regions at fault.
public enum MigrationIndexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Flows below zero, with the (1-based) data rows of the first few and how many in all.
    case negativeFlows(rows: [Int], count: Int)
    /// Flows that are missing, NaN or infinite.
    case missingFlows(rows: [Int], count: Int)
    /// The same origin–destination pair on two rows.
    case duplicatePair(origin: String, destination: String, rows: [Int])
    /// No migration between regions at all (the diagonal does not count).
    case zeroTotalFlow
    /// Fewer than two regions.
    case tooFewRegions(Int)
    /// Regions in the flows with no population.
    case missingPopulations([String])
    /// Populations that are zero, negative or not finite.
    case badPopulations([String])
    /// Pairs of distinct regions with no distance.
    case missingDistances(pairs: [String], count: Int)
    /// Distances between distinct regions that are zero, negative or not finite (their logarithm enters the decay fit).
    case badDistances(pairs: [String], count: Int)

    public var description: String {
        func rows(_ r: [Int], _ count: Int) -> String {
            let listed = r.map(String.init).joined(separator: ", ")
            return count > r.count ? "\(listed) and \(count - r.count) more" : listed
        }
        func more(_ p: [String], _ count: Int) -> String {
            p.joined(separator: ", ") + (count > p.count ? " and \(count - p.count) more" : "")
        }
        switch self {
        case .negativeFlows(let r, let n):
            return "\(n) negative flow\(n == 1 ? "" : "s") (data row\(n == 1 ? "" : "s") \(rows(r, n))); flows are counts of migrants and cannot be below zero"
        case .missingFlows(let r, let n):
            return "\(n) missing or non-finite flow\(n == 1 ? "" : "s") (data row\(n == 1 ? "" : "s") \(rows(r, n)))"
        case .duplicatePair(let o, let d, let r):
            return "the pair \(o) → \(d) appears on data rows \(r.map(String.init).joined(separator: " and ")); give each pair once"
        case .zeroTotalFlow:
            return "the total flow between distinct regions is zero: every index divides by it"
        case .tooFewRegions(let n):
            return "migration indices need at least two regions, the flows have \(n)"
        case .missingPopulations(let r):
            return "no population for \(r.count) region\(r.count == 1 ? "" : "s") in the flows: \(more(Array(r.prefix(5)), r.count))"
        case .badPopulations(let r):
            return "populations must be positive and finite; they are not for \(more(Array(r.prefix(5)), r.count))"
        case .missingDistances(let p, let n):
            return "no distance for \(n) pair\(n == 1 ? "" : "s") of regions: \(more(p, n))"
        case .badDistances(let p, let n):
            return "distances between distinct regions must be positive and finite; \(n) are not: \(more(p, n))"
        }
    }
}
