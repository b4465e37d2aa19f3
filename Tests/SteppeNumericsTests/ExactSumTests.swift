import Foundation
import SteppeNumerics
import Testing

/// `ExactSum` against the correctly rounded references of `Fixtures/exactsum` (Python's
/// `math.fsum`, checked there against exact rational sums), bit for bit; then what the
/// exactness buys: the same bits in any order and any split into merged partial sums, and
/// through the integer limbs that MPI ranks would add elementwise.
@Suite("Exact summation")
struct ExactSumTests {
    struct Case {
        let name: String, reference: Double, values: [Double]
        /// `math.fsum`'s result, nil where it raised (overflow, or inf − inf).
        let fsum: Double?
    }

    static let cases: [Case] = {
        let url = Fixtures.url("exactsum/reference.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Case(name: f[0], reference: Double(f[1])!, values: f[3].split(separator: " ").map { Double(String($0))! },
                        fsum: Double(f[2]))
        }
    }()

    static func sameBits(_ a: Double, _ b: Double) -> Bool {
        a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern
    }

    /// A Fisher–Yates shuffle on Steppe's own generator (the standard library's may change).
    static func shuffled(_ values: [Double], _ g: inout SeededRandom) -> [Double] {
        var v = values
        for i in stride(from: v.count - 1, to: 0, by: -1) { v.swapAt(i, g.nextInt(below: i + 1)) }
        return v
    }

    /// `values` cut at random places into `parts` accumulators (some possibly empty).
    static func partials(_ values: [Double], parts: Int, _ g: inout SeededRandom) -> [ExactSum] {
        let cuts = ([0, values.count] + (1..<parts).map { _ in g.nextInt(below: values.count + 1) }).sorted()
        return (0..<parts).map { k in ExactSum(values[cuts[k]..<cuts[k + 1]]) }
    }

    @Test("The fixture has every kind of case")
    func fixtureLoaded() {
        let names = Set(Self.cases.map(\.name))
        #expect(Self.cases.count > 50)
        for name in ["empty", "cancellation_1e308", "tie_odd_rounds_up", "subnormals_signed", "overflow_two_max",
                     "overflow_then_back", "exact_zero_0", "inf_minus_inf", "random_full_range_0"] {
            #expect(names.contains(name), "\(name)")
        }
    }

    @Test("Every fixture sum equals the correctly rounded reference, bit for bit")
    func againstReference() {
        for c in Self.cases {
            let value = ExactSum.sum(c.values)                      // contiguous: the bulk loop
            #expect(Self.sameBits(value, c.reference), "\(c.name): \(value) (\(String(value.bitPattern, radix: 16))) ≠ \(c.reference)")
            var oneByOne = ExactSum()
            for x in c.values { oneByOne.add(x) }
            #expect(Self.sameBits(oneByOne.value, c.reference), "\(c.name), one add at a time")
            #expect(Self.sameBits(ExactSum.sum(c.values.lazy.map { $0 }), c.reference), "\(c.name), not contiguous")
            if let fsum = c.fsum { #expect(Self.sameBits(fsum, c.reference), "\(c.name): the fixture's fsum") }
        }
    }

    @Test("Shuffled and split into merged partial sums: the same bits and the same limbs")
    func orderIndependence() {
        var g = SeededRandom(seed: 16)
        for c in Self.cases where c.values.count > 1 {
            let whole = ExactSum(c.values)
            for _ in 0..<8 {
                var parts = Self.partials(Self.shuffled(c.values, &g), parts: 1 + g.nextInt(below: 9), &g)
                var merged = parts.remove(at: g.nextInt(below: parts.count))
                while !parts.isEmpty { merged.add(parts.remove(at: g.nextInt(below: parts.count))) }
                #expect(Self.sameBits(merged.value, c.reference), "\(c.name)")
                #expect(merged.limbs == whole.limbs, "\(c.name)")
            }
        }
    }

    @Test("Limbs: canonical, a round trip, and elementwise sums of several arrays")
    func limbs() {
        var g = SeededRandom(seed: 1505)
        for c in Self.cases {
            let whole = ExactSum(c.values)
            let limbs = whole.limbs
            #expect(limbs.count == ExactSum.limbCount)
            #expect(limbs[0..<ExactSum.digitCount].allSatisfy { 0 <= $0 && $0 < 1 << 32 }, "\(c.name)")
            #expect(Self.sameBits(ExactSum(limbs: limbs).value, c.reference), "\(c.name)")
            #expect(ExactSum(limbs: limbs).limbs == limbs, "\(c.name)")
            let ranks = Self.partials(Self.shuffled(c.values, &g), parts: 2 + g.nextInt(below: 4), &g)
            var allreduce = [Int64](repeating: 0, count: ExactSum.limbCount)
            for rank in ranks { for (i, l) in rank.limbs.enumerated() { allreduce[i] += l } }
            #expect(ExactSum(limbs: allreduce).limbs == limbs, "\(c.name)")
            #expect(Self.sameBits(ExactSum(limbs: allreduce).value, c.reference), "\(c.name)")
        }
    }

    /// The documented headroom, at its edge: 2³¹ − 1 canonical arrays whose digits are all
    /// 2³² − 1 summed elementwise; and additions whose high pieces are 2⁵² − 1, 2047 at a
    /// time and more (the automatic normalisations of `add`, of the bulk loop and of merges).
    @Test("Headroom: 2³¹ − 1 summed limb arrays, and additions up to the maximum load")
    func headroom() {
        #expect(ExactSum.maximumLoad == 1 << 31 - 1)
        // All-ones digits in limbs 0…31 are 2¹⁰²⁴ − 1 units of 2⁻¹⁰⁷⁴, i.e. 2⁻⁵⁰ − 2⁻¹⁰⁷⁴.
        var limbs = [Int64](repeating: 0, count: ExactSum.limbCount)
        for i in 0..<32 { limbs[i] = (1 << 31 - 1) * 0xFFFF_FFFF }
        let summed = ExactSum(limbs: limbs)
        #expect(summed.limbs == ExactSum([0x1p-19, -0x1p-50, -0x1p-1043, 0x1p-1074]).limbs)
        #expect(summed.value == 0x1p-19 - 0x1p-50)

        let x = -0x1.fffffffffffffp+1      // shifted by 31 bits: a high piece of 2⁵² − 1
        var oneByOne = ExactSum()
        for _ in 0..<10_000 { oneByOne.add(x) }                   // 2047 at a time, then normalised
        let expected = ExactSum([x * 8192, x * 1024, x * 512, x * 256, x * 16]).limbs   // 10,000·x
        #expect(oneByOne.limbs == expected)
        #expect(ExactSum([Double](repeating: x, count: 10_000)).limbs == expected)
        var merged = ExactSum([Double](repeating: x, count: 2047))
        merged.add(merged)                                        // loads too large: normalises both
        #expect(merged.limbs == ExactSum([x * 4096, -x * 2]).limbs)
        #expect(merged.value == x * 4096 + -x * 2)                // one IEEE addition: correctly rounded

        // Beyond 2¹⁰³⁸, where the top limb holds part of the sum (and must be negated with it).
        let huge = [Double](repeating: .greatestFiniteMagnitude, count: 20_000)
        #expect(ExactSum.sum(huge) == .infinity)
        #expect(ExactSum.sum(huge.map { -$0 }) == -.infinity)
        #expect(ExactSum.sum(huge + [-1] + huge.map { -$0 }).bitPattern == (-1.0).bitPattern)
        let limb66 = [Double](repeating: 0x1p1023, count: 1 << 15)   // 2¹⁰³⁸ exactly: limb 66 is ±1
        #expect(ExactSum.sum(limb66 + [1]) == .infinity)
        #expect(ExactSum.sum(limb66.map { -$0 } + [-1]) == -.infinity)
    }

    @Test("Empty, signed zeros, NaN and infinities")
    func specialValues() {
        #expect(ExactSum().value.bitPattern == 0)
        #expect(ExactSum.sum([]).bitPattern == 0)
        // −0.0 + −0.0 is the exact real 0, returned as +0.0 as math.fsum does (IEEE gives −0.0).
        #expect(ExactSum.sum([-0.0, -0.0]).bitPattern == 0)
        #expect(ExactSum.sum([-0.0]).bitPattern == 0)
        #expect(ExactSum.sum([1, -1]).bitPattern == 0)
        #expect(ExactSum.sum([-1, 1]).bitPattern == 0)
        #expect(ExactSum.sum([1, .nan, 2]).isNaN)
        #expect(ExactSum.sum([.infinity, -.greatestFiniteMagnitude, -1e308]) == .infinity)
        #expect(ExactSum.sum([-.infinity, 1e308, 1e308]) == -.infinity)
        #expect(ExactSum.sum([.infinity, 1, -.infinity]).isNaN)
        #expect(ExactSum.sum([.infinity, .infinity]) == .infinity)
        #expect(ExactSum.sum([.greatestFiniteMagnitude, .greatestFiniteMagnitude]) == .infinity)
        #expect(ExactSum.sum([-.greatestFiniteMagnitude, -.greatestFiniteMagnitude]) == -.infinity)
        #expect(ExactSum.sum([-.leastNonzeroMagnitude]) == -.leastNonzeroMagnitude)
        // Infinities of opposite signs on two "ranks" meet only in the summed limbs.
        let ranks = [ExactSum([1, .infinity]).limbs, ExactSum([-.infinity]).limbs]
        #expect(ExactSum(limbs: zip(ranks[0], ranks[1]).map { $0 + $1 }).value.isNaN)
        var plus = ExactSum([.infinity])
        plus.add(ExactSum([2, .nan]))
        #expect(plus.value.isNaN)
    }

    /// Off-by-one checks of the rounding: a tie goes to even, and any bit below the tie,
    /// however far (down to 2⁻¹⁰⁷⁴, many limbs below), must round up or down; in every binade.
    @Test("Rounding: ties to even, and the sticky bit from every position below")
    func roundingBoundaries() {
        #expect(ExactSum.sum([1, 0x1p-53, 0x1p-106]) == (1.0).nextUp)
        #expect(ExactSum.sum([0x1p-106, 0x1p-53, 1]) == (1.0).nextUp)
        #expect(ExactSum.sum([1, 0x1p-53]) == 1)
        #expect(ExactSum.sum([(1.0).nextUp, 0x1p-53]) == (1.0).nextUp.nextUp)
        for k in 54...1074 {
            let tiny = Double(sign: .plus, exponent: -k, significand: 1)
            #expect(ExactSum.sum([1, 0x1p-53, tiny]) == (1.0).nextUp, "2^-\(k) above the tie")
            #expect(ExactSum.sum([1, 0x1p-53, -tiny]) == 1, "2^-\(k) below the tie")
            #expect(ExactSum.sum([-1, -0x1p-53, -tiny]) == -((1.0).nextUp), "−2^-\(k)")
        }
        for e in -1021...1023 {
            let p = Double(sign: .plus, exponent: e, significand: 1), half = p.ulp / 2
            #expect(ExactSum.sum([p, half]) == p, "2^\(e) + half an ulp")
            #expect(ExactSum.sum([p.nextUp, half]) == p.nextUp.nextUp, "2^\(e)⁺ + half an ulp")
            #expect(ExactSum.sum([p, half, .leastNonzeroMagnitude]) == p.nextUp, "2^\(e) above the tie")
            if e > -1000 {      // just below 2^e the spacing halves: a quarter ulp is a tie there
                #expect(ExactSum.sum([p, -half / 2]) == p, "2^\(e) − a quarter ulp")
                #expect(ExactSum.sum([p, -half / 2, -.leastNonzeroMagnitude]) == p.nextDown, "2^\(e) below")
            }
        }
    }
}
