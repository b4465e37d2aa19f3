import Foundation
@testable import SteppeData
import SteppeNumerics
import Testing

/// The CSV reader's number parser against C's strtod (correctly rounded in glibc), bit for bit.
@Suite("Decimal parsing")
struct DecimalParserTests {
    func parse(_ s: String) -> Double? {
        Array(s.utf8).withUnsafeBufferPointer { DecimalParser.parse($0) }
    }

    func strtodValue(_ s: String) -> Double { strtod(s, nil) }

    @Test("random 15- to 19-digit decimals in every exponent range equal strtod")
    func randomDecimals() {
        var g = SeededRandom(seed: 77)
        var mismatches: [String] = []
        for k in 0..<300_000 {
            let digits = 15 + k % 5
            var m = ""
            for d in 0..<digits { m += String(d == 0 ? 1 + g.nextInt(below: 9) : g.nextInt(below: 10)) }
            let point = g.nextInt(below: digits + 1)
            let body = String(m.prefix(point)) + (point < digits ? "." + m.dropFirst(point) : "")
            let e = g.nextInt(below: 61) - 30
            let text = (g.nextUniform() < 0.5 ? "-" : "") + (body.hasPrefix(".") ? "0" + body : body) + (k % 3 == 0 ? "e\(e)" : "")
            let expected = strtodValue(text)
            guard let got = parse(text), got.bitPattern == expected.bitPattern else { mismatches.append(text); continue }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// Every decimal exponent of the Eisel–Lemire table (10^−342 … 10^308, so every entry
    /// of `PowersOfFive` is used) with mantissas of 1 to 19 digits, against strtod; this
    /// covers subnormal and overflowing results (left to strtod) at the ends of the range.
    @Test("mantissas of 1 to 19 digits at every exponent from 1e-360 to 1e320 equal strtod")
    func everyExponent() {
        var g = SeededRandom(seed: 80)
        var mismatches: [String] = []
        for q in -360...320 {
            for k in 0..<40 {
                let digits = 1 + k % 19
                var m = String(1 + g.nextInt(below: 9))
                for _ in 1..<digits { m += String(g.nextInt(below: 10)) }
                let text = (k % 2 == 0 ? "" : "-") + m + "e\(q)"
                guard let got = parse(text), got.bitPattern == strtodValue(text).bitPattern else { mismatches.append(text); continue }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("shortest round-trip and 17-digit renderings of random doubles read back exactly")
    func roundTrips() {
        var g = SeededRandom(seed: 78)
        for _ in 0..<100_000 {
            let x = g.nextNormal() * pow(10, Double(g.nextInt(below: 21) - 10))
            #expect(parse("\(x)") == x)
            #expect(parse(String(format: "%.17g", x)) == x)
        }
    }

    @Test("halfway and boundary cases go the way strtod goes")
    func boundaries() {
        let cases = ["9007199254740993", "9007199254740995", "9007199254740992.5", "1.00000000000000011102230246251565404",
                     "2.2250738585072011e-308", "4.9406564584124654e-324", "1.7976931348623157e308", "1e23", "8.98846567431158e307",
                     "0.1000000000000000055511151231257827", "123456789012345678", "1234567890123456789", "9223372036854775807",
                     "9223372036854775808", "0.30000000000000004", "1e-22", "1e22", "12345678901234567e-22", "98765432109876543e5",
                     // exact ties between two doubles (round to even), below and above 2⁶³
                     "9007199254740993e0", "9007199254740995e1", "18014398509481985", "18446744073709551615",
                     "1e309", "-1e309", "1e-400", "2.4703282292062327e-324", "2.4703282292062328e-324",
                     "0.00000000000000000000123456789012345678", "00000000000000000000001.5", "1.0000000000000000000"]
        for c in cases {
            let expected = strtodValue(c)
            #expect(parse(c)?.bitPattern == expected.bitPattern, "\(c)")
        }
        #expect(parse("") == nil && parse("-") == nil && parse(".") == nil)
        #expect(parse("1.5.2") == nil && parse("e5") == nil && parse("1e") == nil && parse("0x1p3") == nil && parse(" 1") == nil)
    }

    @Test("parsePrefix reads a number up to a delimiter, with parse's value, or declines")
    func prefixes() {
        var g = SeededRandom(seed: 79)
        var checkedBySlowPath = 0
        for _ in 0..<50_000 {
            let x = g.nextNormal() * pow(10, Double(g.nextInt(below: 21) - 10))
            for text in ["\(x)", String(format: "%.17g", x), String(format: "%.3e", x)] {
                let bytes = Array((text + ",7").utf8)
                let prefix = bytes.withUnsafeBufferPointer { DecimalParser.parsePrefix($0) }
                let alone = Array(text.utf8).withUnsafeBufferPointer { DecimalParser.scan($0) }
                if case .value = alone {
                    #expect(prefix?.end == text.utf8.count, "\(text)")
                    #expect(prefix?.value.bitPattern == parse(text)?.bitPattern, "\(text)")
                } else {
                    #expect(prefix == nil, "\(text): only strtod rounds it, so no prefix")
                    checkedBySlowPath += 1
                }
            }
        }
        #expect(checkedBySlowPath < 50_000, "most numbers take the fast path")
        func prefix(_ s: String) -> (value: Double, end: Int)? { Array(s.utf8).withUnsafeBufferPointer { DecimalParser.parsePrefix($0) } }
        #expect(prefix("NA,1") == nil && prefix(",1") == nil && prefix("1e,2") == nil)
        #expect(prefix("123456789012345678901234,1") == nil, "only strtod can round 24 digits")
        #expect(prefix("1.5x")?.end == 3, "stops where the number stops; the caller checks for a delimiter")
    }
}
