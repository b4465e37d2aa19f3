import Foundation
import SteppeNumerics
import Testing

@Suite("Double-double arithmetic")
struct DoubleDoubleTests {
    /// Dekker's product (used inline) against the fused multiply-add, bit for bit, over
    /// random factors of every magnitude, and at the edges where the FMA takes over.
    @Test("twoProduct's error term equals the fused multiply-add's")
    func twoProductExact() {
        var g = SeededRandom(seed: 91)
        var factors: [Double] = [0, -0.0, 1, -1, 0x1p994, -0x1p996, 0x1p1000, 0x1p-500, 0x1p-600, .leastNormalMagnitude, 3.0e-320,
                                 Double.greatestFiniteMagnitude / 2, 0.1, 1.0 / 3.0]
        for _ in 0..<20_000 {
            let m = 1 + g.nextUniform()
            factors.append((g.nextUniform() < 0.5 ? -m : m) * pow(2, Double(g.nextInt(below: 400) - 200)))
        }
        var mismatches: [String] = []
        for (k, a) in factors.enumerated() {
            let b = factors[(k * 7919 + 13) % factors.count]
            let p = a * b
            guard p.isFinite else { continue }
            let d = DoubleDouble.twoProduct(a, b)
            let error = (-p).addingProduct(a, b)
            if d.high.bitPattern != p.bitPattern || d.low != error {
                mismatches.append("\(a) × \(b)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
