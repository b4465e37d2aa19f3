import Foundation
import SteppeModels

/// Counts of values in equal bins whose edges are round numbers.
///
/// The bin width is Freedman and Diaconis's h = 2·IQR·n^(−1/3) (Freedman & Diaconis 1981,
/// Z. Wahrscheinlichkeitstheorie 57:453; the IQR by R's type-7 quantiles), or, when the
/// IQR is 0, the range over Sturges' ⌈log₂ n⌉ + 1 bins; then rounded to the nearest 1-2-5
/// number (`NiceNumbers.nice`) so that the edges are round, and widened if that would
/// make more than `maxBins` bins. Edges are multiples of the width, and bins are [a, b):
/// the last bin is the one that holds the largest value. Values that are not finite are
/// left out.
public struct Histogram: Sendable, Equatable {
    /// The bins' edges, `counts.count + 1` of them.
    public let edges: [Double]
    public let counts: [Int]
    public let binWidth: Double
    /// Values counted (the finite ones).
    public let total: Int

    public init(_ values: [Double], binWidth: Double? = nil, maxBins: Int = 80) {
        let finite = values.filter(\.isFinite).sorted()
        let lo = finite.first ?? 0, hi = finite.last ?? 1
        var h = binWidth ?? Self.freedmanDiaconis(finite)
        if !(h > 0) || !h.isFinite { h = 1 }
        if binWidth == nil {
            h = NiceNumbers.nice(h, round: true)
            if (hi - lo) / h > Double(maxBins) { h = NiceNumbers.nice((hi - lo) / Double(maxBins), round: false) }
        }
        let start = floor(lo / h + 1e-9) * h
        let count = Int(floor((hi - start) / h + 1e-9)) + 1
        var counts = [Int](repeating: 0, count: count)
        for v in finite { counts[min(max(Int(floor((v - start) / h + 1e-9)), 0), count - 1)] += 1 }
        self.edges = (0...count).map { NiceNumbers.rounded(start + Double($0) * h, step: h) }
        self.counts = counts
        self.binWidth = h
        self.total = finite.count
    }

    /// Freedman–Diaconis's width of sorted values; Sturges' when the IQR is 0.
    static func freedmanDiaconis(_ sorted: [Double]) -> Double {
        guard sorted.count >= 2 else { return 1 }
        let iqr = SampleQuantile.type7(sorted, 0.75) - SampleQuantile.type7(sorted, 0.25)
        let n = Double(sorted.count)
        if iqr > 0 { return 2 * iqr * pow(n, -1.0 / 3) }
        let range = sorted[sorted.count - 1] - sorted[0]
        return range > 0 ? range / (ceil(log2(n)) + 1) : max(abs(sorted[0]) / 10, 1)
    }
}
